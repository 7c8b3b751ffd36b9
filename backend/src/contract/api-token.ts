import { z } from 'zod';
import { API_TOKEN_NAME_MAX_LENGTH } from './limits';
import { Text, Timestamp } from './text';

/** An API token as listed: never the secret itself, which the API keeps only as a hash. */
export const ApiToken = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  created_at: Timestamp,
  last_used_at: Timestamp.nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

export const ApiTokenListResponse = z.strictObject({ tokens: z.array(ApiToken) });
export type ApiTokenListResponse = z.infer<typeof ApiTokenListResponse>;

/** `POST /api/tokens`. */
export const CreateApiToken = z.strictObject({ name: Text.trim().min(1).max(API_TOKEN_NAME_MAX_LENGTH) });
export type CreateApiToken = z.input<typeof CreateApiToken>;

/** The answer to `POST /api/tokens`: `token` is the plaintext, sent this once and never again. */
export const CreatedApiToken = z.strictObject({ token: z.string().startsWith('tsk_'), api_token: ApiToken });
export type CreatedApiToken = z.infer<typeof CreatedApiToken>;
