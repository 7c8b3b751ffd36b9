import type { RequestHandler } from 'express';
import { ForbiddenError, UnauthenticatedError } from '../platform/errors';
import type { ApiTokenService } from './api-token-service';

/**
 * `Authorization: Bearer <api token>` signs the request in as the token's user, with no session
 * and no cookie. A request that sends an Authorization header is judged by it alone: a bad token
 * is a 401 even if a session cookie rides along.
 */
export function createBearerAuth(apiTokens: ApiTokenService): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    if (header === undefined) return next();
    const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
    const authenticated = match ? await apiTokens.authenticate(match[1]) : null;
    if (!authenticated) return next(new UnauthenticatedError('Invalid or revoked API token'));
    req.user = authenticated.user;
    req.apiToken = authenticated.grant;
    req.authMethod = 'api_token';
    next();
  };
}

/**
 * An API token is a service credential, never an account credential: it may not mint or revoke
 * API tokens (a leaked token would outlive its own revocation) nor act on the account. Mounted on
 * `/api/tokens` and `/api/auth`; `GET /api/auth/me` stays open so a service can see whose token it holds.
 */
export function refuseApiTokens(options: { allow?: { method: string; path: string }[] } = {}): RequestHandler {
  return (req, _res, next) => {
    if (req.authMethod !== 'api_token') return next();
    if (options.allow?.some((route) => route.method === req.method && route.path === req.path)) return next();
    next(new ForbiddenError('forbidden_for_api_token', 'API tokens cannot manage the account or its API tokens; sign in to do this'));
  };
}
