import express, { type Router } from 'express';
import { resolveCaller } from '../rest/api-auth';
import { authenticateClient } from './client-auth';
import type { EmulatorContext } from '../context';
import { identityUrl, sendOAuthError, sendOAuthJson } from './oauth-responses';
import { expireIfIdle, findFamily, revokeFamily } from './token-families';

/** `POST /services/oauth2/revoke` and `POST /services/oauth2/introspect` (RFC 7009 / 7662 as Salesforce serves them). */
export function addRevokeAndIntrospectRoutes(router: Router, ctx: EmulatorContext): void {
  const form = express.urlencoded({ extended: false, limit: '20kb' });

  router.post('/services/oauth2/revoke', form, (req, res) => {
    res.locals.endpoint = 'revoke';
    const token = typeof req.body?.token === 'string' ? req.body.token : '';
    const access = ctx.state.accessTokens.get(token);
    const family = access ? undefined : findFamily(ctx, token);
    if (access && !access.isRevoked) {
      access.isRevoked = true; // an access token revokes just itself
    } else if (family && !family.isRevoked && family.refreshToken === token) {
      revokeFamily(ctx, family); // a refresh token takes its access tokens with it
    } else {
      return sendOAuthError(res, 'invalid_token', 'invalid token');
    }
    res.status(200).end();
  });

  router.post('/services/oauth2/introspect', form, (req, res) => {
    res.locals.endpoint = 'introspect';
    if (!authenticateClient(ctx, req, res)) return;
    const token = typeof req.body?.token === 'string' ? req.body.token : '';
    const caller = resolveCaller(ctx, token);
    if (caller) {
      return sendOAuthJson(res, {
        active: true,
        scope: caller.token.scope,
        client_id: caller.token.clientId,
        username: caller.user.username,
        sub: identityUrl(ctx, caller.org, caller.user),
        token_type: 'access_token',
        exp: Math.floor(caller.token.expiresAt / 1000),
        iat: Math.floor(caller.token.issuedAt / 1000),
        nbf: Math.floor(caller.token.issuedAt / 1000),
      });
    }
    const family = findFamily(ctx, token);
    const user = family ? ctx.state.findUser(family.userId) : undefined;
    if (family && !family.isRevoked && family.refreshToken === token && user?.isActive && !expireIfIdle(ctx, family)) {
      const org = ctx.state.findOrg(family.orgId)!;
      return sendOAuthJson(res, { active: true, scope: family.scope, client_id: family.clientId, username: user.username, sub: identityUrl(ctx, org, user), token_type: 'refresh_token' });
    }
    sendOAuthJson(res, { active: false });
  });
}
