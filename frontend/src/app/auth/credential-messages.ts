import { AbstractControl } from '@angular/forms';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@contract/limits';

/**
 * The message for an invalid control, or null. Shown only once the person has left the field or
 * tried to submit, so an empty form does not open covered in red.
 */
export function emailMessage(control: AbstractControl, submitted: boolean): string | null {
  if (!control.invalid || !(control.touched || submitted)) return null;
  if (control.hasError('required')) return 'Enter your email address.';
  return 'Enter a valid email address, like name@example.com.';
}

export function passwordMessage(control: AbstractControl, submitted: boolean): string | null {
  if (!control.invalid || !(control.touched || submitted)) return null;
  if (control.hasError('required')) return 'Enter your password.';
  if (control.hasError('minlength')) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (control.hasError('maxlength')) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  return 'Enter a valid password.';
}

/**
 * Where to go after signing in. Only same-app paths are accepted: `?returnUrl=` is attacker
 * controlled, and `//evil.example` or `/\evil.example` would leave the site (open redirect).
 */
export function safeReturnUrl(url: string | null | undefined): string {
  if (!url || !url.startsWith('/') || url.startsWith('//') || url.startsWith('/\\'))
    return '/tasks';
  if (url.startsWith('/login') || url.startsWith('/register')) return '/tasks';
  return url;
}
