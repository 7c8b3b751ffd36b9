import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
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
import { emailMessage, passwordMessage, safeReturnUrl } from '../credential-messages';

@Component({
  selector: 'app-sign-in',
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
  templateUrl: './sign-in.html',
})
export class SignIn {
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);

  /** From `?returnUrl=` (withComponentInputBinding); authGuard sets it when it bounces someone here. */
  readonly returnUrl = input<string>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    // No length rule here: an old account may predate a rule, and the backend is the judge.
    password: ['', Validators.required],
  });
  protected readonly submitted = signal(false);
  protected readonly isSubmitting = signal(false);
  protected readonly serverError = signal<string | null>(null);

  // Plain methods, not computed(): form state is not a signal. OnPush still re-renders because
  // every input/blur/submit is a template event of this component.
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
      await this.session.signIn(this.form.getRawValue());
    } catch (err) {
      this.serverError.set(ApiError.from(err).message);
      return;
    } finally {
      this.isSubmitting.set(false);
    }
    await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
  }
}
