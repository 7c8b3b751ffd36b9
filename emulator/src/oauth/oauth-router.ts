import { Router } from 'express';
import { addAuthorizeRoutes } from './authorize-routes';
import type { EmulatorContext } from '../context';
import type { HostKey } from '../seed';
import { addRevokeAndIntrospectRoutes } from './revoke-introspect-routes';
import { addTokenRoutes } from './token-routes';

/** Salesforce's OAuth 2.0 endpoints under `/services/oauth2/`, served by every host (login hosts and My Domains). */
export function createOAuthRouter(ctx: EmulatorContext, host: HostKey): Router {
  const router = Router();
  addAuthorizeRoutes(router, ctx, host);
  addTokenRoutes(router, ctx, host);
  addRevokeAndIntrospectRoutes(router, ctx);
  return router;
}
