import { z } from 'zod';
import { API_TOKEN_MAX_LIFETIME_DAYS, API_TOKEN_NAME_MAX_LENGTH, API_TOKEN_SCOPES, DEFAULT_API_TOKEN_SCOPES } from './limits';
import { Text, Timestamp } from './text';

/** An API token as listed: never the secret itself, which the API keeps only as a hash. */
export const ApiTokenScope = z.enum(API_TOKEN_SCOPES);
export type ApiTokenScope = z.infer<typeof ApiTokenScope>;

export const ApiToken = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  created_at: Timestamp,
  last_used_at: Timestamp.nullable(),
  scopes: z.array(ApiTokenScope),
  /** The only Tasks it may see (others answer 404, as a missing Task does); null: all the user's Tasks. */
  task_ids: z.array(z.uuid()).nullable(),
  /** After this moment it answers 401 `token_expired`; null: never. */
  expires_at: Timestamp.nullable(),
  expired: z.boolean(),
  /** Requests it has made (counted in memory, written in batches: may lag by a minute). */
  calls: z.number().int().min(0),
});
export type ApiToken = z.infer<typeof ApiToken>;

export const ApiTokenListResponse = z.strictObject({ tokens: z.array(ApiToken) });
export type ApiTokenListResponse = z.infer<typeof ApiTokenListResponse>;

/** `POST /api/tokens`. */
export const CreateApiToken = z.strictObject({
  name: Text.trim().min(1).max(API_TOKEN_NAME_MAX_LENGTH),
  scopes: z
    .array(ApiTokenScope)
    .min(1)
    .max(API_TOKEN_SCOPES.length)
    .default([...DEFAULT_API_TOKEN_SCOPES]),
  task_ids: z.array(z.uuid()).min(1).max(1000).optional(),
  expires_at: z.iso
    .datetime({ offset: true })
    .refine((value) => Date.parse(value) > Date.now(), 'must be in the future')
    .refine((value) => Date.parse(value) <= Date.now() + API_TOKEN_MAX_LIFETIME_DAYS * 86_400_000, `must be at most ${API_TOKEN_MAX_LIFETIME_DAYS} days ahead`)
    .optional(),
});
export type CreateApiToken = z.input<typeof CreateApiToken>;

/** The answer to `POST /api/tokens`: `token` is the plaintext, sent this once and never again. */
export const CreatedApiToken = z.strictObject({ token: z.string().startsWith('tsk_'), api_token: ApiToken });
export type CreatedApiToken = z.infer<typeof CreatedApiToken>;
