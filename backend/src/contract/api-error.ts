import { z } from 'zod';

/** Every failure answers this envelope: a stable snake_case `code` and a `message` written for people. */
export const ApiErrorBody = z.strictObject({
  error: z.strictObject({
    code: z.string().regex(/^[a-z0-9_]+$/),
    message: z.string(),
    /** Only where useful, e.g. `{issues: [{path, message}]}` for a failed validation. */
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;
