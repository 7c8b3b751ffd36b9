import express, { Router } from 'express';
import { currentUser } from '../auth/current-user';
import { UnsupportedMediaTypeError } from '../platform/errors';
import { taskIdOf } from '../tasks/task-id';
import { parseProxyTarget } from './proxy-path';
import type { HttpMethod, SfdcService } from './sfdc-service';

export const PROXY_BODY_LIMIT = '10mb';

function hasBodyHeaders(req: express.Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

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
const METHODS: HttpMethod[] = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD'];

/**
 * `ANY /api/tasks/:taskId/sfdc/proxy/*path`: other services (API token) and the browser call
 * Salesforce through the Task's connection. Answers Salesforce's status, content type and body.
 */
export function createProxyRouter({ sfdc }: { sfdc: SfdcService }): Router {
  const router = Router();
  // Bodies are passed on byte for byte, whatever their type (so this router reads its own).
  const readBody = express.raw({ type: () => true, limit: PROXY_BODY_LIMIT });
  router.all(
    '/:taskId/sfdc/proxy/{*path}',
    (req, res, next) => (hasBodyHeaders(req) ? readBody(req, res, next) : next()),
    async (req, res) => {
      const taskId = taskIdOf(req);
      const userId = currentUser(req).id;
      const method = req.method.toUpperCase() as HttpMethod;
      if (!METHODS.includes(method)) return void res.status(405).json({ error: { code: 'method_not_allowed', message: `${method} is not proxied` } });
      const hasBody = Buffer.isBuffer(req.body) && req.body.length > 0;
      // CSRF: a browser session may only send JSON bodies; an API token may send anything.
      if (hasBody && req.authMethod === 'session' && !req.is('application/json')) throw new UnsupportedMediaTypeError();

      const { path, query } = parseProxyTarget(req.originalUrl);
      const headers: Record<string, string> = {};
      for (const name of FORWARDED_REQUEST_HEADERS) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const answer = await sfdc.send(taskId, { method, path, query, body: hasBody ? req.body : undefined, headers }, userId);

      for (const name of FORWARDED_RESPONSE_HEADERS) if (answer.headers[name]) res.setHeader(name, answer.headers[name]);
      // Salesforce's bytes are served from our origin with Salesforce's content type: a browser
      // must never run them as a page of ours (HTML, SVG) or keep them in a shared cache.
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', 'sandbox');
      res.setHeader('Cache-Control', 'no-store');
      res.status(answer.status).send(answer.body);
    },
  );
  return router;
}
