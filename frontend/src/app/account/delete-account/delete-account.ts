import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { SessionStore } from '../../core/session/session-store';
import { ToastStore } from '../../core/toasts/toast-store';
import { ConfirmModal } from '../../ui/confirm-modal/confirm-modal';
import { SldsButton, SldsCard, SldsFormElement, SldsInput } from '../../ui/slds';
import { AccountApi } from '../account-api';

/**
 * Deleting the account, behind a dialog that says what goes and asks for the password again.
 * Afterwards the session is gone too, so the person lands on the sign-in page.
 */
@Component({
  selector: 'app-delete-account',
  imports: [ConfirmModal, ReactiveFormsModule, SldsButton, SldsCard, SldsFormElement, SldsInput],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './delete-account.html',
})
export class DeleteAccount {
  private readonly accountApi = inject(AccountApi);
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);
  private readonly toasts = inject(ToastStore);

  protected readonly form = inject(NonNullableFormBuilder).group({
    password: ['', Validators.required],
  });
  protected readonly isConfirming = signal(false);
  protected readonly isDeleting = signal(false);
  protected readonly error = signal<string | null>(null);

  protected open(): void {
    this.form.reset();
    this.error.set(null);
    this.isConfirming.set(true);
  }

  protected async delete(): Promise<void> {
    if (this.isDeleting()) return;
    if (this.form.invalid) {
      this.error.set('Enter your password to delete the account.');
      return;
    }
    this.isDeleting.set(true);
    this.error.set(null);
    try {
      await firstValueFrom(this.accountApi.deleteAccount(this.form.getRawValue()), {
        defaultValue: undefined,
      });
    } catch (err) {
      this.error.set(ApiError.from(err).message);
      return;
    } finally {
      this.isDeleting.set(false);
    }
    this.isConfirming.set(false);
    this.session.clear();
    this.toasts.show('success', 'Your account was deleted.');
    await this.router.navigateByUrl('/login');
  }
}
