import { z } from 'zod';
import { Timestamp } from './text';
import { Credentials, Registration } from './user';

/** `PATCH /api/auth/password`: the current password as sign-in takes it, the new one as sign-up does. */
export const ChangePassword = z.strictObject({
  current_password: Credentials.shape.password,
  new_password: Registration.shape.password,
});
export type ChangePassword = z.input<typeof ChangePassword>;

/** `DELETE /api/auth/account`: the password again, so a borrowed browser cannot delete the account. */
export const DeleteAccount = z.strictObject({ password: Credentials.shape.password });
export type DeleteAccount = z.input<typeof DeleteAccount>;

/** One signed-in browser of the account, as `GET /api/auth/sessions` lists it. */
export const BrowserSession = z.strictObject({
  /** Opaque: derived from the session id, never the id (or cookie) itself. */
  id: z.string(),
  /** When it signed in; null for sessions from before this was recorded. */
  created_at: Timestamp.nullable(),
  /** Its latest request, to within a few minutes. */
  last_seen_at: Timestamp,
  /** When it ends unless used again. */
  expires_at: Timestamp,
  /** The browser's User-Agent at sign-in, shortened; null when it sent none. */
  user_agent: z.string().nullable(),
  /** The browser that asked. */
  current: z.boolean(),
});
export type BrowserSession = z.infer<typeof BrowserSession>;

export const BrowserSessionListResponse = z.strictObject({ sessions: z.array(BrowserSession) });
export type BrowserSessionListResponse = z.infer<typeof BrowserSessionListResponse>;
