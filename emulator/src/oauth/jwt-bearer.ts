import type { Response } from 'express';
import { errors, jwtVerify, type JWTPayload } from 'jose';
import type { EmulatorContext } from '../context';
import type { HostKey } from '../seed';
import type { TokenFamily } from '../state';
import { sendOAuthError, sendOAuthJson, tokenResponse } from './oauth-responses';
import { issueAccessToken } from './token-families';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** The scopes a JWT bearer grant's tokens carry: the Connected App's, never `refresh_token` (this flow issues none). */
export const JWT_BEARER_SCOPE = 'api id';
/** The latest `exp` accepted, from now: Salesforce wants assertions that expire within minutes. */
export const JWT_MAX_LIFETIME_MS = 5 * 60 * 1000;

/** The real login hosts, which Salesforce accepts as `aud` for production and sandbox orgs. */
const SALESFORCE_AUDIENCE = { production: 'https://login.salesforce.com', sandbox: 'https://test.salesforce.com' };

/**
 * The OAuth 2.0 JWT bearer grant (RFC 7523), for an integration user: the assertion, RS256-signed
 * with the key of the certificate uploaded to the Connected App, names the Connected App (`iss`),
 * the login host (`aud`) and the user (`sub`, a username). Answers an access token without a
 * refresh token, or Salesforce's 400 error.
 */
export async function jwtBearerGrant(ctx: EmulatorContext, host: HostKey, assertion: string | undefined, res: Response): Promise<void> {
  const payload = await verifiedPayload(ctx, assertion);
  if (!payload) return sendOAuthError(res, 'invalid_grant', 'invalid assertion');
  if (payload.iss !== ctx.app.clientId) return sendOAuthError(res, 'invalid_client_id', 'client identifier invalid');

  const org = ctx.state.orgForHost(host);
  const audiences = org ? [ctx.origins[host], ctx.origins[org.loginHost], SALESFORCE_AUDIENCE[org.key]] : [];
  const claimed = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!org || !claimed.some((aud) => typeof aud === 'string' && audiences.includes(aud.replace(/\/+$/, '')))) {
    return sendOAuthError(res, 'invalid_grant', 'audience is invalid');
  }

  const now = Date.now();
  if (typeof payload.exp !== 'number') return sendOAuthError(res, 'invalid_grant', 'invalid assertion');
  if (payload.exp * 1000 <= now) return sendOAuthError(res, 'invalid_grant', 'expired authorization code');
  if (payload.exp * 1000 > now + JWT_MAX_LIFETIME_MS) return sendOAuthError(res, 'invalid_grant', 'invalid assertion');

  const username = typeof payload.sub === 'string' ? payload.sub : '';
  const user = org.users.find((u) => u.username.toLowerCase() === username.toLowerCase());
  if (!user || !user.isActive) return sendOAuthError(res, 'invalid_grant', 'authentication failure');
  if (!ctx.state.settings.jwtPreauthorizedUserIds.has(user.id)) return sendOAuthError(res, 'invalid_grant', "user hasn't approved this consumer");

  const family: TokenFamily = {
    id: ctx.state.newFamilyId(),
    clientId: ctx.app.clientId,
    orgId: org.id,
    userId: user.id,
    scope: JWT_BEARER_SCOPE,
    host,
    refreshToken: null,
    retiredRefreshTokens: new Set(),
    isRevoked: false,
    lastUsedAt: now,
  };
  ctx.state.families.set(family.id, family);
  const accessToken = issueAccessToken(ctx, family, now);
  sendOAuthJson(res, tokenResponse(ctx, { accessToken, scope: family.scope, org, user, issuedAt: now }));
}

/**
 * The assertion's claims once its RS256 signature checks out with the registered key; undefined
 * when no key is registered or the assertion is malformed or badly signed. An expired assertion
 * still answers its claims: the caller judges `exp` after `iss` and `aud`.
 */
async function verifiedPayload(ctx: EmulatorContext, assertion: string | undefined): Promise<JWTPayload | undefined> {
  if (!ctx.jwtPublicKey || !assertion) return undefined;
  try {
    return (await jwtVerify(assertion, ctx.jwtPublicKey, { algorithms: ['RS256'] })).payload;
  } catch (err) {
    if (err instanceof errors.JWTExpired) return err.payload; // thrown only after the signature verified
    return undefined;
  }
}
