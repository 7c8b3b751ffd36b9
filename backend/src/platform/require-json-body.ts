import type { RequestHandler } from 'express';
import { UnsupportedMediaTypeError } from './errors';

/**
 * CSRF defence for the JSON API: a request that carries a body must declare it as JSON. A
 * cross-site HTML form can only send urlencoded, multipart or text/plain bodies, and a
 * cross-site `fetch` cannot set `application/json` without a CORS preflight we never grant.
 */
export function requireJsonBody(): RequestHandler {
  return (req, _res, next) => {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (!hasBody || req.is('application/json')) return next();
    next(new UnsupportedMediaTypeError());
  };
}
