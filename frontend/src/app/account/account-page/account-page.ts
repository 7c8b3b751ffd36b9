import { ChangeDetectionStrategy, Component, inject, viewChild } from '@angular/core';

import { SessionStore } from '../../core/session/session-store';
import { SldsPageHeader } from '../../ui/slds';
import { BrowserSessionList } from '../browser-session-list/browser-session-list';
import { ChangePasswordForm } from '../change-password-form/change-password-form';
import { DeleteAccount } from '../delete-account/delete-account';

/** The signed-in person's account: password, signed-in browsers, and deleting it all. */
@Component({
  selector: 'app-account-page',
  imports: [BrowserSessionList, ChangePasswordForm, DeleteAccount, SldsPageHeader],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './account-page.html',
})
export class AccountPage {
  protected readonly session = inject(SessionStore);
  private readonly browsers = viewChild.required(BrowserSessionList);

  /** A password change signs the other browsers out and gives this one a new id: list them again. */
  protected onPasswordChanged(): void {
    void this.browsers().reload();
  }
}
