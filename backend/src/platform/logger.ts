import { randomUUID } from 'node:crypto';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { RequestHandler } from 'express';

export type { Logger };

/** Keys whose values are secrets wherever they appear in a log object. */
const SECRET_KEYS = ['password', 'accessToken', 'refreshToken', 'access_token', 'refresh_token', 'client_secret', 'code_verifier', 'code', 'token', 'secret', 'authorization', 'cookie'];

/**
 * Builds the process logger. The main defence is that no secret is ever put into a log object;
 * the redaction below is only a safety net, and the error serializer keeps errors to their
 * name, code, message and stack (a TypeORM error carries its query parameters, an axios error
 * its request headers).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        censor: '[redacted]',
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`])],
      },
      serializers: { err: serializeError },
    },
    destination,
  );
}

export function serializeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const { code } = err as { code?: unknown };
  return {
    type: err.name,
    message: err.message,
    ...(typeof code === 'string' ? { code } : {}),
    stack: err.stack,
    ...(err.cause instanceof Error ? { cause: serializeError(err.cause) } : {}),
  };
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      id: string;
      /** This request's logger (its lines carry `reqId`); made on first use. */
      log: Logger;
    }
  }
}

/**
 * `req.log`, the request's logger (its lines carry `reqId`), made on first use: a getter on the
 * app's request prototype rather than a property defined on every request (the hot path).
 */
export function defineRequestLog(requestPrototype: object, logger: Logger): void {
  const children = new WeakMap<object, Logger>();
  Object.defineProperty(requestPrototype, 'log', {
    configurable: true,
    get(this: Express.Request) {
      let child = children.get(this);
      if (!child) children.set(this, (child = logger.child({ reqId: this.id })));
      return child;
    },
  });
}

/** A request that took this long is logged at info whatever its path, marked `slow`. */
export const SLOW_REQUEST_MS = 1_000;

/**
 * The access log: one line per request with method, path (never the query: the OAuth callback's
 * carries `code` and `state`), status and time. Successful calls on `quietPath` (the Salesforce
 * proxy, the hot path) log at debug unless slow; every failure and every slow call logs at info or error.
 */
export function createRequestLogger(logger: Logger, quietPath: RegExp): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const id = randomUUID();
    req.id = id;
    res.once('finish', () => {
      const status = res.statusCode;
      const path = req.originalUrl.split('?')[0];
      const responseTime = Math.round(performance.now() - started);
      const isSlow = responseTime >= SLOW_REQUEST_MS;
      const level = status >= 500 ? 'error' : status < 400 && !isSlow && quietPath.test(path) ? 'debug' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      logger[level]({ reqId: id, req: { method: req.method, path }, res: { statusCode: status }, responseTime, ...(isSlow ? { slow: true } : {}) }, 'request completed');
    });
    next();
  };
}
