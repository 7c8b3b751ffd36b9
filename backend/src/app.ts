import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import { createAccountRouter } from './auth/account-router';
import { createAuthRouter } from './auth/auth-router';
import { requireUser } from './auth/current-user';
import { createSessionMiddleware, sessionCookieName } from './auth/session-middleware';
import { createSessionReader } from './auth/session-reader';
import type { Dependencies } from './dependencies';
import { errorMiddleware } from './platform/error-middleware';
import { inSequence } from './platform/in-sequence';
import { NotFoundError } from './platform/errors';
import { createHealthRouter } from './platform/health-router';
import { recordHttpMetrics } from './metrics/http-metrics';
import { createMetricsRouter, METRICS_PATH } from './metrics/metrics-router';
import { createRequestLogger, defineRequestLog } from './platform/logger';
import { createOpenApiRouter } from './openapi/openapi-router';
import { requireJsonBody } from './platform/require-json-body';
import { sameOriginGuard } from './platform/same-origin-guard';
import { createStaticFrontend } from './platform/static-frontend';
import { createTaskRouter } from './tasks/task-router';
import { createClientConfigRouter } from './platform/client-config-router';
import { createOAuthCallbackRouter } from './salesforce/oauth-callback-router';
import { createConnectionRouter } from './salesforce/connection-router';
import { createProxyHandlers, PROXY_ROUTE } from './salesforce/proxy-router';
import { createApiTokenRouter } from './tokens/api-token-router';
import { createBearerAuth, refuseApiTokens } from './tokens/bearer-auth';
import { enforceTokenGrant } from './tokens/scopes';
import { createWebhookRouter } from './webhooks/webhook-router';

export const JSON_BODY_LIMIT = '1mb';

/** Builds the Express app from its dependencies. Never reads the environment, never listens. */
export function createApp(deps: Dependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // hashing every API answer (proxied bodies included) buys nothing here
  app.set('trust proxy', deps.config.http.trustProxy);
  app.set('query parser', 'simple'); // no nested objects from ?a[b]=c
  defineRequestLog(app.request, deps.logger);

  const metricsToken = deps.config.metrics.token;
  if (metricsToken) app.use(recordHttpMetrics(deps.metrics)); // no token: nobody can read them, so none are taken
  app.use(createRequestLogger(deps.logger, new RegExp(`${PROXY_PATH.source}|^${METRICS_PATH}$`))); // scrapes too: successes at debug
  app.use(helmet({ contentSecurityPolicy: { directives: contentSecurityPolicy() } }));

  // Who is calling: an API token, when present, decides alone; only cookie callers get a session.
  const bearerAuth = createBearerAuth(deps.apiTokens);
  const sessions: RequestHandler[] = [
    unlessApiToken(createSessionMiddleware({ store: deps.sessionStore, secret: deps.config.session.secret, secureCookie: deps.config.session.secureCookie })),
    unlessApiToken(deps.passport.session()),
    (req, _res, next) => {
      if (req.user && !req.authMethod) req.authMethod = 'session';
      next();
    },
  ];
  const guards = [sameOriginGuard(deps.config.http.publicUrl), enforceTokenGrant()];

  // The Salesforce proxy, the hot path, first: only authentication and its guards run before it
  // (a session cookie read by the lean session reader: no session object, no rolling cookie),
  // and it reads its own bodies (bytes, any type).
  const sessionReader = createSessionReader({ store: deps.sessionStore, auth: deps.auth, secret: deps.config.session.secret, cookieName: sessionCookieName(deps.config.session.secureCookie) });
  app.route(PROXY_ROUTE).all(inSequence(bearerAuth, sessionReader, ...guards, requireUser, ...createProxyHandlers(deps)));

  app.use(createHealthRouter(deps));
  if (metricsToken) app.use(createMetricsRouter({ metrics: deps.metrics, token: metricsToken })); // its own bearer token: before sessions and API tokens
  app.use(createOpenApiRouter(deps)); // /api/openapi.json and /api/docs: public, like /healthz

  app.use(['/api', '/sfdc/test'], bearerAuth);
  app.use(...sessions, ...guards);
  app.use('/api/tokens', refuseApiTokens());
  app.use('/api/auth', refuseApiTokens({ allow: [{ method: 'GET', path: '/me' }] }));

  app.use(express.json({ limit: JSON_BODY_LIMIT }));
  app.use(['/api', '/sfdc'], requireJsonBody());
  app.use('/api/auth', createAuthRouter(deps), createAccountRouter(deps));
  app.use('/api/tokens', requireUser, createApiTokenRouter(deps));
  app.use('/api/tasks', requireUser, createConnectionRouter(deps), createTaskRouter(deps));
  app.use('/api/config', requireUser, createClientConfigRouter(deps));
  app.use('/api/webhooks', requireUser, createWebhookRouter({ dataSource: deps.dataSource, webhooks: deps.webhooks, outbox: deps.outbox, policy: deps.webhookPolicy }));
  app.use('/sfdc', createOAuthCallbackRouter(deps));
  app.use('/api', (_req, _res, next) => next(new NotFoundError('route_not_found', 'No such API route')));

  app.use(createStaticFrontend(deps.frontendDir));
  app.use((_req, _res, next) => next(new NotFoundError('route_not_found', 'Not found')));
  app.use(errorMiddleware());
  return app;
}

/** The Salesforce proxy's URLs: their successful calls log at debug (the hot path). */
const PROXY_PATH = /^\/api\/tasks\/[^/]+\/sfdc\/proxy(\/|$)/;

function unlessApiToken(middleware: RequestHandler): RequestHandler {
  return (req, res, next) => (req.authMethod === 'api_token' ? next() : middleware(req, res, next));
}

/** The SPA's CSP: scripts only from our origin (no inline), styles may be inline (Angular's component styles). */
function contentSecurityPolicy() {
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
  };
}
