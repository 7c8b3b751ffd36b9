import { createHash } from 'node:crypto';
import express, { type Response, type Router } from 'express';
import { delayFor } from '../rest/api-auth';
import { authenticateClient, safeEqual } from './client-auth';
import type { EmulatorContext } from '../context';
import { newRefreshToken } from '../ids';
import type { HostKey } from '../seed';
import type { TokenFamily } from '../state';
import { sendOAuthError, sendOAuthJson, tokenResponse } from './oauth-responses';
import { JWT_BEARER_GRANT, jwtBearerGrant } from './jwt-bearer';
import { admitApproval, expireIfIdle, findFamily, issueAccessToken, revokeFamily } from './token-families';

type Form = Record<string, string | undefined>;

/** `POST /services/oauth2/token`: the authorization_code, refresh_token and JWT bearer grants, form-encoded only. */
export function addTokenRoutes(router: Router, ctx: EmulatorContext, host: HostKey): void {
  router.post('/services/oauth2/token', express.urlencoded({ extended: false, limit: '20kb' }), async (req, res) => {
    const form = (req.body ?? {}) as Form;
    res.locals.endpoint = form.grant_type === JWT_BEARER_GRANT ? 'token:jwt_bearer' : form.grant_type ? `token:${form.grant_type}` : 'token';
    res.locals.grantType = form.grant_type;
    if (!req.is('application/x-www-form-urlencoded')) return sendOAuthError(res, 'invalid_request', 'must use application/x-www-form-urlencoded');

    const fault = ctx.state.takeFault('token');
    if (fault?.kind === 'request_limit') return sendOAuthError(res, 'rate_limit_exceeded', 'number of logins exceeded');
    if (fault) return sendOAuthError(res, 'temporarily_unavailable', 'the service is temporarily unavailable', 503);

    if (!form.grant_type) return sendOAuthError(res, 'invalid_request', 'grant type is missing');
    if (form.grant_type === JWT_BEARER_GRANT) {
      // The signed assertion is the client's credential: no client secret is asked for.
      await delayFor(ctx, 'token');
      return jwtBearerGrant(ctx, host, form.assertion, res);
    }
    if (form.grant_type !== 'authorization_code' && form.grant_type !== 'refresh_token') {
      return sendOAuthError(res, 'unsupported_grant_type', 'grant type not supported');
    }
    if (!authenticateClient(ctx, req, res)) return;
    if (form.grant_type === 'authorization_code') {
      await delayFor(ctx, 'token');
      return exchangeCode(ctx, host, form, res);
    }
    return refresh(ctx, host, form, res);
  });
}

function exchangeCode(ctx: EmulatorContext, host: HostKey, form: Form, res: Response): void {
  const code = form.code ? ctx.state.codes.get(form.code) : undefined;
  if (!code || code.isUsed || code.expiresAt < Date.now() || code.clientId !== form.client_id || ctx.state.orgForHost(host)?.id !== code.orgId) {
    return sendOAuthError(res, 'invalid_grant', 'expired authorization code');
  }
  if (form.redirect_uri !== code.redirectUri) return sendOAuthError(res, 'invalid_grant', 'redirect_uri must match configuration');
  if (code.codeChallenge) {
    if (!form.code_verifier) return sendOAuthError(res, 'invalid_grant', 'invalid code verifier');
    const challenge = createHash('sha256').update(form.code_verifier).digest('base64url');
    if (!safeEqual(challenge, code.codeChallenge)) return sendOAuthError(res, 'invalid_request', 'invalid code verifier');
  }
  code.isUsed = true; // single use, whatever happens next

  const org = ctx.state.findOrg(code.orgId)!;
  const user = ctx.state.findUser(code.userId)!;
  if (!user.isActive) return sendOAuthError(res, 'invalid_grant', 'authentication failure');
  const scopes = code.scope.split(' ');
  const wantsRefresh = scopes.includes('refresh_token') || scopes.includes('offline_access');
  const issuedAt = Date.now();
  const family: TokenFamily = {
    id: ctx.state.newFamilyId(),
    clientId: code.clientId,
    orgId: org.id,
    userId: user.id,
    scope: code.scope,
    host: code.host,
    refreshToken: wantsRefresh ? newRefreshToken() : null,
    retiredRefreshTokens: new Set(),
    isRevoked: false,
    lastUsedAt: issuedAt,
  };
  ctx.state.families.set(family.id, family);
  admitApproval(ctx, family); // a sixth approval of this user and client revokes the oldest
  const accessToken = issueAccessToken(ctx, family, issuedAt);
  sendOAuthJson(res, tokenResponse(ctx, { accessToken, refreshToken: family.refreshToken ?? undefined, scope: family.scope, org, user, issuedAt }));
}

async function refresh(ctx: EmulatorContext, host: HostKey, form: Form, res: Response): Promise<void> {
  const presented = form.refresh_token ?? '';
  const family = findFamily(ctx, presented);
  if (!family || family.isRevoked || family.clientId !== form.client_id || ctx.state.orgForHost(host)?.id !== family.orgId) {
    return sendOAuthError(res, 'invalid_grant', 'expired access/refresh token');
  }
  if (family.refreshToken !== presented) {
    // Refresh token rotation: a rotated-out token presented again revokes the whole family.
    revokeFamily(ctx, family);
    return sendOAuthError(res, 'invalid_grant', 'expired access/refresh token');
  }
  // Unused for longer than the idle lifetime: expired, and the family is revoked.
  if (expireIfIdle(ctx, family)) return sendOAuthError(res, 'invalid_grant', 'expired access/refresh token');
  // Salesforce blocks simultaneous refreshes of one refresh token (Summer '24, error text from Winter '25).
  if (ctx.state.refreshesInFlight.has(presented)) return sendOAuthError(res, 'invalid_grant', 'token request is already being processed');
  ctx.state.refreshesInFlight.add(presented);
  try {
    await delayFor(ctx, 'token');
    const user = ctx.state.findUser(family.userId);
    if (family.isRevoked || family.refreshToken !== presented) return sendOAuthError(res, 'invalid_grant', 'expired access/refresh token');
    if (!user?.isActive) return sendOAuthError(res, 'invalid_grant', 'authentication failure');

    const org = ctx.state.findOrg(family.orgId)!;
    const move = ctx.state.settings.instanceMoves.get(org.id);
    if (move) {
      org.formerInstanceHosts.push(org.instanceHost);
      org.instanceHost = move;
      ctx.state.settings.instanceMoves.delete(org.id);
    }
    let rotated: string | undefined;
    if (ctx.state.settings.rotation) {
      rotated = newRefreshToken();
      family.retiredRefreshTokens.add(presented);
      family.refreshToken = rotated;
    }
    const issuedAt = Date.now();
    family.lastUsedAt = issuedAt; // a successful refresh starts the idle lifetime again
    const accessToken = issueAccessToken(ctx, family, issuedAt);
    sendOAuthJson(res, tokenResponse(ctx, { accessToken, refreshToken: rotated, scope: family.scope, org, user, issuedAt }));
  } finally {
    ctx.state.refreshesInFlight.delete(presented);
  }
}
