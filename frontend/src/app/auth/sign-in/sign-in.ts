import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { NonNullableFormBuilder, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';

import { FormSubmission } from '../../core/forms/form-submission';
import { SessionStore } from '../../core/session/session-store';
import { SLDS_FORM } from '../../ui/slds';
import { AuthCard } from '../auth-card/auth-card';
import { emailMessage, passwordMessage, safeReturnUrl } from '../credential-messages';

@Component({
  selector: 'app-sign-in',
  imports: [SLDS_FORM, AuthCard, RouterLink],
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
  protected readonly submission = new FormSubmission();

  // Plain methods, not computed(): form state is not a signal. OnPush still re-renders because
  // every input/blur/submit is a template event of this component.
  protected emailError(): string | null {
    return emailMessage(this.form.controls.email, this.submission.submitted());
  }

  protected passwordError(): string | null {
    return passwordMessage(this.form.controls.password, this.submission.submitted());
  }

  protected async submit(): Promise<void> {
    const signedIn = await this.submission.submit(this.form, () =>
      this.session.signIn(this.form.getRawValue()),
    );
    if (signedIn) await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
  }
}
