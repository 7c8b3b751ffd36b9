import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { SalesforceApiError } from './errors';
import type { TrustedHosts } from './trusted-hosts';

/** Salesforce's token response (code exchange or refresh). No expires_in: Salesforce never sends one. */
export const TokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  signature: z.string().min(1),
  scope: z.string().optional(),
  instance_url: z.string().min(1),
  id: z.string().min(1),
  token_type: z.string().optional(),
  issued_at: z.string().regex(/^\d+$/),
});
export type TokenResponse = z.infer<typeof TokenResponseSchema>;

/** `/id/<org 00D…>/<user 005…>`: the identity URL's only valid shape. */
const IDENTITY_PATH = /^\/id\/(00D[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)\/(005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)$/;

export function parseIdentityUrl(idUrl: string): { organizationId: string; userId: string } | undefined {
  try {
    const match = IDENTITY_PATH.exec(new URL(idUrl).pathname);
    return match ? { organizationId: match[1], userId: match[2] } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Trusts a token response only when its shape is right, its `signature` (HMAC-SHA256 of
 * `id + issued_at` with the client secret, base64) checks out in constant time, and
 * `instance_url` and `id` are trusted hosts (they are about to receive the access token).
 * @throws SalesforceApiError `invalid_token_response`
 */
export function verifyTokenResponse(body: unknown, clientSecret: string, trustedHosts: TrustedHosts): TokenResponse {
  const parsed = TokenResponseSchema.safeParse(body);
  if (!parsed.success) throw invalid('the token response is missing fields');
  const token = parsed.data;
  const expected = createHmac('sha256', clientSecret)
    .update(token.id + token.issued_at)
    .digest();
  const given = Buffer.from(token.signature, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid('the token response signature does not verify');
  if (!trustedHosts.isTrusted(token.instance_url)) throw invalid('instance_url is not a trusted Salesforce host');
  if (!trustedHosts.isTrusted(token.id) || !parseIdentityUrl(token.id)) throw invalid('id is not a trusted Salesforce identity URL');
  return token;
}

function invalid(message: string): SalesforceApiError {
  return new SalesforceApiError(200, 'invalid_token_response', message);
}
