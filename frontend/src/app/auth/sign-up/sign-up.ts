import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';

import { ApiError } from '../../core/api/api-error';
import { SessionStore } from '../../core/session/session-store';
import {
  SldsAlert,
  SldsButton,
  SldsCard,
  SldsFormElement,
  SldsInput,
  SldsSpinner,
} from '../../ui/slds';
import {
  emailMessage,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  passwordMessage,
} from '../credential-messages';

@Component({
  selector: 'app-sign-up',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    SldsAlert,
    SldsButton,
    SldsCard,
    SldsFormElement,
    SldsInput,
    SldsSpinner,
  ],
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
  protected readonly submitted = signal(false);
  protected readonly isSubmitting = signal(false);
  protected readonly serverError = signal<string | null>(null);

  // Plain methods: form state is not a signal (see SignIn).
  protected emailError(): string | null {
    return emailMessage(this.form.controls.email, this.submitted());
  }

  protected passwordError(): string | null {
    return passwordMessage(this.form.controls.password, this.submitted());
  }

  protected async submit(): Promise<void> {
    this.submitted.set(true);
    if (this.form.invalid || this.isSubmitting()) return;
    this.serverError.set(null);
    this.isSubmitting.set(true);
    try {
      await this.session.signUp(this.form.getRawValue()); // the backend signs the new user in
    } catch (err) {
      this.serverError.set(ApiError.from(err).message);
      return;
    } finally {
      this.isSubmitting.set(false);
    }
    await this.router.navigateByUrl('/tasks');
  }
}
