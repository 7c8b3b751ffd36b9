import type { RequestHandler } from 'express';
import { AppError } from './errors';

export class CrossSiteRequestError extends AppError {
  readonly status = 403;
  readonly code = 'cross_site_request';
  constructor() {
    super('Cross-site requests are not accepted');
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * CSRF, second line (after SameSite=Lax cookies and JSON-only bodies): a state-changing request
 * that rides on the session cookie must come from our own pages. Browsers say where a request
 * comes from in `Origin` and `Sec-Fetch-Site`; a foreign one is refused. API-token callers are
 * not browsers and carry no ambient credential, so they are not checked.
 */
export function sameOriginGuard(publicUrl: string): RequestHandler {
  const publicOrigin = new URL(publicUrl).origin;
  return (req, _res, next) => {
    if (!STATE_CHANGING.has(req.method) || req.authMethod === 'api_token') return next();
    if (req.headers['sec-fetch-site'] === 'cross-site') return next(new CrossSiteRequestError());
    const origin = req.headers.origin;
    if (origin === undefined || origin === publicOrigin || isSameHost(origin, req.headers.host)) return next();
    next(new CrossSiteRequestError());
  };
}

/** The page's own host (the Angular dev server proxies with its own Host, and so does a reverse proxy that keeps Host). */
function isSameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
