import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { pino, type DestinationStream, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';

export type { Logger };

/** Keys whose values are secrets wherever they appear in a log object. */
const SECRET_KEYS = [
  'password',
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'client_secret',
  'code_verifier',
  'code',
  'token',
  'secret',
  'authorization',
  'cookie',
];

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
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`]),
        ],
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

/** One child logger per request (`req.log`), logging the path only: the OAuth callback's query carries `code` and `state`. */
export function createHttpLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: () => randomUUID(),
    quietReqLogger: true,
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    serializers: {
      req: (req: IncomingMessage & { id?: unknown }) => ({ id: req.id, method: req.method, path: String(req.url).split('?')[0] }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: serializeError,
    },
  });
}
