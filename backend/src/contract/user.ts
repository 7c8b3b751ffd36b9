import { z } from 'zod';
import { EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './limits';
import { Timestamp } from './text';

/** The signed-in account, as `/api/auth/*` answer it. */
export const User = z.strictObject({
  id: z.uuid(),
  email: z.string(),
  created_at: Timestamp,
});
export type User = z.infer<typeof User>;

export const UserResponse = z.strictObject({ user: User });
export type UserResponse = z.infer<typeof UserResponse>;

/** Emails are compared case-insensitively: stored trimmed and lower-cased. */
const Email = z.string().trim().toLowerCase().pipe(z.email().max(EMAIL_MAX_LENGTH));

/** `POST /api/auth/login`. */
export const Credentials = z.strictObject({ email: Email, password: z.string().min(1).max(PASSWORD_MAX_LENGTH) });
export type Credentials = z.input<typeof Credentials>;

/** `POST /api/auth/register`: the same fields, with the password rule for new accounts. */
export const Registration = Credentials.extend({ password: z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH) });
export type Registration = z.input<typeof Registration>;
