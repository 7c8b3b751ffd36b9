import { randomBytes } from 'node:crypto';
import express, { type Response, type Router } from 'express';
import type { EmulatorContext } from '../context';
import { newAuthorizationCode } from '../ids';
import type { HostKey } from '../seed';
import type { PendingAuthorization } from '../state';
import { consentPage, errorPage, PAGE_CSP } from '../pages/consent-page';

const KNOWN_SCOPES = new Set(['api', 'refresh_token', 'offline_access', 'id', 'openid', 'full', 'web', 'profile', 'email', 'address', 'phone', 'chatter_api', 'visualforce', 'custom_permissions']);
const DEFAULT_SCOPE = 'api refresh_token id';
const PENDING_TTL_MS = 15 * 60 * 1000;
const CODE_TTL_MS = 15 * 60 * 1000;

/** `GET /services/oauth2/authorize` (the approval page) and the page's form post. */
export function addAuthorizeRoutes(router: Router, ctx: EmulatorContext, host: HostKey): void {
  router.get('/services/oauth2/authorize', (req, res) => {
    res.locals.endpoint = 'authorize';
    const q = req.query as Record<string, string | undefined>;
    // Without a trusted client and callback there is nowhere safe to redirect: show an error page.
    if (q.client_id !== ctx.app.clientId) return sendErrorPage(res, 'invalid_client_id', 'client identifier invalid');
    if (!q.redirect_uri) return sendErrorPage(res, 'redirect_uri_missing', 'redirect_uri must not be empty');
    if (!ctx.app.redirectUris.includes(q.redirect_uri)) return sendErrorPage(res, 'redirect_uri_mismatch', 'redirect_uri must match configuration');

    const fail = (error: string, description: string) => redirectWith(res, q.redirect_uri!, { error, error_description: description, state: q.state });
    if (q.response_type !== 'code') return fail('unsupported_response_type', 'response type not supported');
    if (q.code_challenge_method && q.code_challenge_method !== 'S256') return fail('invalid_request', 'invalid code challenge method');
    if (q.code_challenge !== undefined && !/^[A-Za-z0-9_-]{43,128}$/.test(q.code_challenge)) return fail('invalid_request', 'invalid code challenge');
    const scope = (q.scope ?? DEFAULT_SCOPE).split(/[ +]+/).filter(Boolean);
    if (scope.some((s) => !KNOWN_SCOPES.has(s))) return fail('invalid_scope', 'the requested scope is not allowed');
    const org = ctx.state.orgForHost(host);
    if (!org) return sendErrorPage(res, 'invalid_request', 'this host has no org');

    prunePending(ctx);
    const pending: PendingAuthorization = {
      id: randomBytes(16).toString('hex'),
      clientId: q.client_id,
      redirectUri: q.redirect_uri,
      state: q.state,
      scope: scope.join(' '),
      codeChallenge: q.code_challenge,
      host,
      orgId: org.id,
      createdAt: Date.now(),
    };
    ctx.state.pendingAuthorizations.set(pending.id, pending);
    res
      .set('Content-Security-Policy', PAGE_CSP)
      .type('html')
      .send(consentPage(pending, org, q.login_hint));
  });

  router.post('/services/oauth2/authorize/decision', express.urlencoded({ extended: false, limit: '10kb' }), (req, res) => {
    res.locals.endpoint = 'authorize:decision';
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const pending = body.request_id ? ctx.state.pendingAuthorizations.get(body.request_id) : undefined;
    if (!pending || pending.host !== host) return sendErrorPage(res, 'invalid_request', 'this approval request has expired; start again from the app');
    ctx.state.pendingAuthorizations.delete(pending.id); // one decision per request

    const back = (params: Record<string, string | undefined>) => redirectWith(res, pending.redirectUri, { ...params, state: pending.state });
    if (body.decision !== 'allow') return back({ error: 'access_denied', error_description: 'end-user denied authorization' });
    const org = ctx.state.findOrg(pending.orgId)!;
    const user = org.users.find((u) => u.id === body.user_id) ?? org.users.find((u) => u.isActive);
    if (!user || !user.isActive) return back({ error: 'inactive_user', error_description: 'user is inactive' });

    const code = newAuthorizationCode();
    ctx.state.codes.set(code, {
      clientId: pending.clientId,
      redirectUri: pending.redirectUri,
      codeChallenge: pending.codeChallenge,
      scope: pending.scope,
      orgId: org.id,
      userId: user.id,
      host,
      expiresAt: Date.now() + CODE_TTL_MS,
      isUsed: false,
    });
    back({ code });
  });
}

/** 302 to the callback with the parameters URL-encoded once (a code's `+`, `/` and `=` included). */
function redirectWith(res: Response, redirectUri: string, params: Record<string, string | undefined>): void {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  res.redirect(302, url.toString());
}

function sendErrorPage(res: Response, error: string, description: string): void {
  res.status(400).set('Content-Security-Policy', PAGE_CSP).type('html').send(errorPage(error, description));
}

function prunePending(ctx: EmulatorContext): void {
  const cutoff = Date.now() - PENDING_TTL_MS;
  for (const [id, pending] of ctx.state.pendingAuthorizations) if (pending.createdAt < cutoff) ctx.state.pendingAuthorizations.delete(id);
}
