import type { ErrorRequestHandler } from 'express';
import type { ApiErrorBody } from '../contract';
import { AppError } from './errors';
import { isDatabaseUnavailable } from './postgres-errors';

interface HttpLikeError {
  status?: unknown;
  type?: unknown;
}

/** Codes for the 4xx errors that body-parser raises before any route runs. */
const BODY_PARSER_CODES: Record<string, { code: string; message: string }> = {
  'entity.parse.failed': { code: 'invalid_json', message: 'The request body is not valid JSON' },
  'entity.too.large': { code: 'payload_too_large', message: 'The request body is too large' },
  'encoding.unsupported': { code: 'unsupported_encoding', message: 'Unsupported request body encoding' },
  'charset.unsupported': { code: 'unsupported_encoding', message: 'Unsupported request body charset' },
};

/** The one place where an error becomes an HTTP response: `{error: {code, message, details?}}`. */
export function errorMiddleware(): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err); // let Express close the socket

    if (err instanceof AppError) {
      req.log[err.status >= 500 ? 'error' : 'info']({ err: { name: err.name, code: err.code } }, 'request failed');
      res.status(err.status).json({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } } satisfies ApiErrorBody);
      return;
    }

    const httpError = (err ?? {}) as HttpLikeError;
    // body-parser's errors and the router's own (a malformed %-escape in a path) carry a 4xx status.
    if (typeof httpError.status === 'number' && httpError.status >= 400 && httpError.status < 500) {
      const known = BODY_PARSER_CODES[String(httpError.type)] ?? { code: 'invalid_request', message: 'Malformed request' };
      req.log.info({ status: httpError.status, code: known.code }, 'request rejected');
      res.status(httpError.status).json({ error: known } satisfies ApiErrorBody);
      return;
    }

    if (isDatabaseUnavailable(err)) {
      req.log.warn({ err }, 'database unavailable');
      res
        .status(503)
        .set('Retry-After', '1')
        .json({ error: { code: 'database_unavailable', message: 'The database is not available right now; try again shortly' } } satisfies ApiErrorBody);
      return;
    }
    req.log.error({ err }, 'unexpected error');
    res.status(500).json({ error: { code: 'internal_error', message: 'Something went wrong' } } satisfies ApiErrorBody);
  };
}
