import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@contract/limits';

import { FormSubmission } from '../../core/forms/form-submission';
import { SessionStore } from '../../core/session/session-store';
import { SLDS_FORM } from '../../ui/slds';
import { AuthCard } from '../auth-card/auth-card';
import { emailMessage, passwordMessage } from '../credential-messages';

@Component({
  selector: 'app-sign-up',
  imports: [SLDS_FORM, AuthCard, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './sign-up.html',
})
export class SignUp {
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);

  protected readonly minLength = PASSWORD_MIN_LENGTH;
  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    password: [
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
  protected emailError(): string | null {
    return emailMessage(this.form.controls.email, this.submission.submitted());
  }

  protected passwordError(): string | null {
    return passwordMessage(this.form.controls.password, this.submission.submitted());
  }

  protected async submit(): Promise<void> {
    const signedUp = await this.submission.submit(
      this.form,
      () => this.session.signUp(this.form.getRawValue()), // the backend signs the new user in
    );
    if (signedUp) await this.router.navigateByUrl('/tasks');
  }
}
