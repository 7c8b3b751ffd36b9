import type { Request, RequestHandler } from 'express';
import type { Metrics } from './metrics';

/** Requests no route answered: 404s, and refusals before any route (no sign-in, a bad token). */
export const UNMATCHED_ROUTE = 'unmatched';
/** The SPA's files and its index.html fallback. */
export const STATIC_ROUTE = 'static';
/** Every proxied call, whatever its Salesforce path, also one refused before the proxy's route ran. */
export const PROXY_ROUTE = '/api/tasks/:taskId/sfdc/proxy/*path';

const PROXY_PATH = /^\/api\/tasks\/[^/]+\/sfdc\/proxy(\/|$)/;
/** The static frontend's SPA fallback route (`/{*path}` at the root): its answers are `static`, or `unmatched` when it declined. */
const SPA_FALLBACK = '/{*path}';
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** A mount path segment that is a literal word (letters, `-`, `_`); anything else (an id, in a mount with params) is replaced. */
const LITERAL_SEGMENT = /^[A-Za-z]+(?:[-_][A-Za-z]+)*$/;

/**
 * Times every request and counts proxied ones, labelled by the Express route pattern, never the
 * raw path. Aborted requests (the client left before the answer finished) are not counted.
 */
export function recordHttpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const matchedPattern = captureRoutePattern(req);
    res.once('finish', () => {
      const path = req.originalUrl.split('?')[0];
      const status = String(res.statusCode);
      const route = routeLabel({ path, pattern: matchedPattern(), method: req.method, statusCode: res.statusCode });
      const method = METHODS.has(req.method) ? req.method : 'other';
      metrics.httpRequestDuration.observe({ route, method, status }, (performance.now() - started) / 1000);
      if (route === PROXY_ROUTE) metrics.proxyRequests.inc({ status });
    });
    next();
  };
}

/** The label of one request: the proxy's fixed pattern, the matched route's pattern, `static`, or `unmatched`. */
export function routeLabel(request: { path: string; pattern: string | undefined; method: string; statusCode: number }): string {
  if (PROXY_PATH.test(request.path)) return PROXY_ROUTE;
  const { pattern } = request;
  if (pattern !== undefined && pattern !== SPA_FALLBACK) return pattern;
  // No route (express.static, Swagger UI's files) or the SPA fallback: a file or the SPA's page, when one was served.
  const isRead = request.method === 'GET' || request.method === 'HEAD';
  return isRead && request.statusCode < 400 ? STATIC_ROUTE : UNMATCHED_ROUTE;
}

/**
 * The full pattern (`/api/tasks/:taskId`) of the last route that matched this request. Express 5
 * sets `req.route` inside the matched router, where `req.baseUrl` is that router's mount path;
 * by the time the answer finishes after an error, the router has already put `baseUrl` back to
 * its parent's, so both are read at the moment the route is set.
 */
function captureRoutePattern(req: Request): () => string | undefined {
  let route: unknown;
  let pattern: string | undefined;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set: (value: { path?: unknown } | undefined) => {
      route = value;
      pattern = typeof value?.path === 'string' ? joinPattern(req.baseUrl, value.path) : undefined;
    },
  });
  return () => pattern;
}

/** Mounts here are literal paths; should one ever carry a parameter, its value must not become a label. */
function joinPattern(baseUrl: string, routePath: string): string {
  const base = baseUrl
    .split('/')
    .map((segment) => (segment === '' || LITERAL_SEGMENT.test(segment) ? segment : ':param'))
    .join('/');
  const joined = routePath === '/' && base ? base : `${base}${routePath}`;
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}
