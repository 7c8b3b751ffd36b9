import { pipeline } from 'node:stream';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { currentUser } from '../auth/current-user';
import { UnsupportedMediaTypeError } from '../platform/errors';
import { taskIdOf } from '../tasks/task-id';
import { parseProxyTarget } from './proxy-path';
import type { HttpMethod, SalesforceStream, SfdcService } from './sfdc-service';

/** The proxy's route: mounted on the app itself, ahead of the general middleware (it is the hot path). */
export const PROXY_ROUTE = '/api/tasks/:taskId/sfdc/proxy/{*path}';
/** A request body is held in memory whole, to send it again after a refresh: at most this much. */
export const PROXY_BODY_LIMIT = '10mb';

/** Request headers a caller may pass on to Salesforce; never Cookie or Authorization. */
const FORWARDED_REQUEST_HEADERS = [
  'accept',
  'accept-language',
  'content-type',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  'sforce-query-options',
  'sforce-auto-assign',
  'sforce-call-options',
  'sforce-mru',
  'x-prettyprint',
];
/** Salesforce's response headers worth passing back. */
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'sforce-limit-info', 'etag', 'last-modified', 'location'];
const METHODS = new Set<string>(['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD']);

function hasBodyHeaders(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/**
 * `ANY /api/tasks/:taskId/sfdc/proxy/*path`: other services (API token) and the browser call
 * Salesforce through the Task's connection, and get Salesforce's status, content type and body.
 * The body streams from Salesforce with back-pressure (a 200 MB download costs a few hundred KB
 * here); a caller that goes away stops the call to Salesforce. Mount behind authentication.
 */
export function createProxyHandlers({ sfdc }: { sfdc: SfdcService }): RequestHandler[] {
  // Bodies are passed on byte for byte, whatever their type (so the proxy reads its own).
  const readBody = express.raw({ type: () => true, limit: PROXY_BODY_LIMIT });
  return [
    (req, res, next) => (hasBodyHeaders(req) ? readBody(req, res, next) : next()),
    async (req, res) => {
      const taskId = taskIdOf(req);
      const userId = currentUser(req).id;
      const method = req.method as HttpMethod;
      if (!METHODS.has(method)) return void res.status(405).json({ error: { code: 'method_not_allowed', message: `${method} is not proxied` } });
      const hasBody = Buffer.isBuffer(req.body) && req.body.length > 0;
      // CSRF: a browser session may only send JSON bodies; an API token may send anything.
      if (hasBody && req.authMethod === 'session' && !req.is('application/json')) throw new UnsupportedMediaTypeError();

      const { path, query } = parseProxyTarget(req.originalUrl);
      const headers: Record<string, string> = {};
      for (const name of FORWARDED_REQUEST_HEADERS) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const callerGone = new AbortController();
      res.once('close', () => res.writableFinished || callerGone.abort());
      let answer: SalesforceStream;
      try {
        answer = await sfdc.stream(taskId, { method, path, query, body: hasBody ? (req.body as Buffer) : undefined, headers }, { ownerId: userId, signal: callerGone.signal });
      } catch (err) {
        if (callerGone.signal.aborted) return void req.log.info({ taskId }, 'proxy caller went away before Salesforce answered');
        throw err;
      }
      respond(req, res, answer);
    },
  ];
}

function respond(req: Request, res: Response, answer: SalesforceStream): void {
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = answer.headers[name];
    if (value) res.setHeader(name, value);
  }
  // Salesforce's bytes are served from our origin with Salesforce's content type: a browser
  // must never run them as a page of ours (HTML, SVG) or keep them in a shared cache.
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', 'sandbox');
  res.setHeader('Cache-Control', 'no-store');
  res.statusCode = answer.status;
  if (!answer.rest) return void res.end(answer.head); // whole: Node adds its Content-Length

  const length = answer.headers['content-length'];
  if (length) res.setHeader('Content-Length', length);
  res.write(answer.head);
  pipeline(answer.rest, res, (err) => {
    // The status is sent: a failure now can only cut the answer short, which the caller sees.
    if (err && !res.destroyed) res.destroy();
    if (err && !(err as { code?: string }).code?.startsWith('ERR_STREAM_PREMATURE_CLOSE')) req.log.warn({ err: answer.failure(err) }, 'proxied answer cut short');
  });
}
