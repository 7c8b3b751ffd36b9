import type { RequestHandler } from 'express';
import { UnauthenticatedError } from '../platform/errors';
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
    const user = match ? await apiTokens.authenticate(match[1]) : null;
    if (!user) return next(new UnauthenticatedError('Invalid or revoked API token'));
    req.user = user;
    req.authMethod = 'api_token';
    next();
  };
}
