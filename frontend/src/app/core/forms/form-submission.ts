import { signal } from '@angular/core';
import { AbstractControl } from '@angular/forms';

import { ApiError } from '../api/api-error';

/**
 * The submit state every form here shares, so each form only says what its submit does.
 *
 * - `submitted`: the person has tried to submit, so field errors show even on untouched fields.
 * - `isSubmitting`: a request is in flight; the template disables the button and shows a spinner,
 *   and a second submit (Enter pressed twice) is ignored rather than sent again.
 * - `serverError`: the backend's message from the last failed submit, written for the user.
 *
 * A plain class, not a service: each form owns one (`new FormSubmission()` as a field), and it
 * holds nothing a test would want to replace.
 */
export class FormSubmission {
  private readonly wasSubmitted = signal(false);
  private readonly inFlight = signal(false);
  private readonly errorMessage = signal<string | null>(null);

  readonly submitted = this.wasSubmitted.asReadonly();
  readonly isSubmitting = this.inFlight.asReadonly();
  readonly serverError = this.errorMessage.asReadonly();

  /**
   * Runs `action` if `form` is valid and nothing is in flight. Resolves to true when the action
   * succeeded; on failure the message goes to `serverError` (the error is not rethrown, since the
   * form shows it), and it resolves to false. Follow-up work that must not count as the submit
   * failing (navigating away, say) belongs after a true answer, not inside `action`.
   */
  async submit(form: AbstractControl, action: () => Promise<unknown>): Promise<boolean> {
    this.wasSubmitted.set(true);
    if (form.invalid || this.inFlight()) return false;
    this.errorMessage.set(null);
    this.inFlight.set(true);
    try {
      await action();
      return true;
    } catch (err) {
      this.errorMessage.set(ApiError.from(err).message);
      return false;
    } finally {
      this.inFlight.set(false);
    }
  }

  /** Back to a fresh form (after a create, or when editing starts): errors hide until the next submit. */
  reset(): void {
    this.wasSubmitted.set(false);
    this.errorMessage.set(null);
  }
}
