import type { RequestHandler } from 'express';
import type { HostKey } from './seed';
import type { EmulatorContext } from './context';

/**
 * Counts each call by endpoint and keeps a request log for the control API: method, host,
 * path (never the query: it may carry `oauth_token`), status, grant type and header names. Never a token.
 */
export function recordRequests(ctx: EmulatorContext, host: HostKey): RequestHandler {
  return (req, res, next) => {
    if (req.path.startsWith('/__emulator') || req.path.startsWith('/emulator-assets')) return next();
    const path = req.path; // now: mounted routers trim req.path while they route
    res.on('finish', () => {
      const endpoint = res.locals.endpoint ?? 'other';
      ctx.state.count(endpoint);
      ctx.state.log({
        at: new Date().toISOString(),
        host,
        method: req.method,
        path,
        endpoint,
        status: res.statusCode,
        headerNames: Object.keys(req.headers).sort(),
        ...(res.locals.grantType ? { grantType: res.locals.grantType } : {}),
      });
    });
    next();
  };
}
