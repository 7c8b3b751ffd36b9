import { ChangeDetectionStrategy, Component, inject, output } from '@angular/core';
import { NonNullableFormBuilder, Validators } from '@angular/forms';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@contract/limits';
import { firstValueFrom } from 'rxjs';

import { passwordMessage } from '../../auth/credential-messages';
import { FormSubmission } from '../../core/forms/form-submission';
import { ToastStore } from '../../core/toasts/toast-store';
import { SLDS_FORM, SldsAlert, SldsCard } from '../../ui/slds';
import { AccountApi } from '../account-api';

/** Current password and a new one; on success every other browser of the account is signed out. */
@Component({
  selector: 'app-change-password-form',
  imports: [SLDS_FORM, SldsAlert, SldsCard],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './change-password-form.html',
})
export class ChangePasswordForm {
  private readonly accountApi = inject(AccountApi);
  private readonly toasts = inject(ToastStore);

  /** The password changed: this browser is on a new session and the others are gone. */
  readonly changed = output<void>();

  protected readonly minLength = PASSWORD_MIN_LENGTH;
  protected readonly form = inject(NonNullableFormBuilder).group({
    // No length rule: the current password may predate today's rule; the backend judges it.
    current: ['', Validators.required],
    next: [
      '',
      [
        Validators.required,
        Validators.minLength(PASSWORD_MIN_LENGTH),
        Validators.maxLength(PASSWORD_MAX_LENGTH),
      ],
    ],
  });
  protected readonly submission = new FormSubmission();

  // Plain methods: form state is not a signal (see SignIn).
  protected currentError(): string | null {
    return passwordMessage(this.form.controls.current, this.submission.submitted());
  }

  protected nextError(): string | null {
    return passwordMessage(this.form.controls.next, this.submission.submitted());
  }

  protected async submit(): Promise<void> {
    const { current, next } = this.form.getRawValue();
    const changed = await this.submission.submit(this.form, () =>
      firstValueFrom(
        this.accountApi.changePassword({ current_password: current, new_password: next }),
        { defaultValue: undefined },
      ),
    );
    if (!changed) return;
    this.form.reset();
    this.submission.reset();
    this.toasts.show('success', 'Password changed; other browsers were signed out.');
    this.changed.emit();
  }
}
