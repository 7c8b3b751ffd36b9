import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How the faulty Salesforce answers. Every mode first reads the whole request (so it is recorded),
 * then misbehaves:
 * - `ok`: 200 with a small JSON body (a well-behaved host, e.g. a redirect target);
 * - `hang`: never answers;
 * - `slow-body`: sends 200 and its headers at once, then one byte of body every `intervalMs` for `totalMs`;
 * - `error`: `status` with a Salesforce-shaped JSON error (REST array, or OAuth `{error}` on /services/oauth2/) or an HTML page;
 * - `malformed-json`: 200, `application/json`, a body that is not JSON (complete, with a correct Content-Length);
 * - `truncated`: 200 with a Content-Length larger than what is sent, then the socket is destroyed;
 * - `redirect`: `status` with `Location: <to><the request's path and query>`;
 * - `invalid-session`: REST's 401 `INVALID_SESSION_ID` "Session expired or invalid" (the app should refresh);
 * - `handler`: the test answers itself.
 * `refuse()` is not a mode: it closes the listener, so connections are refused.
 */
export type FaultMode =
  | { kind: 'ok' }
  | { kind: 'hang' }
  | { kind: 'slow-body'; intervalMs: number; totalMs: number }
  | { kind: 'error'; status: number; body: 'json' | 'html' }
  | { kind: 'malformed-json' }
  | { kind: 'truncated' }
  | { kind: 'redirect'; status: 301 | 302 | 303 | 307 | 308; to: string }
  | { kind: 'invalid-session' }
  | { kind: 'handler'; handle: (req: RecordedRequest, res: ServerResponse) => void };

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export const TOKEN_PATH = '/services/oauth2/token';
export const HTML_ERROR_PAGE =
  '<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body><h1>Down for maintenance</h1><p>We are down for maintenance. Please try again later.</p></body></html>';
export const MALFORMED_JSON = '{"totalSize": 1, "done": true, "records": [{"Id": "0015g00000ZZZZZZAQ", "Name": "Truncated Co"';
/** What `truncated` sends of a body it announces as 4096 bytes long. */
export const TRUNCATED_PART = '{"DailyApiRequests": {"Max": 15000, "Remaining": 14';

/** A small misbehaving Salesforce on 127.0.0.1 (port 0) that counts requests and records their headers and bodies. */
export class FaultySalesforce {
  readonly requests: RecordedRequest[] = [];
  private mode: FaultMode = { kind: 'ok' };
  /** Modes for paths starting with a prefix; the longest matching prefix wins over `mode`. */
  private readonly routes = new Map<string, FaultMode>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FaultySalesforce> {
    // The handler runs only after listen() resolved, by which time `self` exists.
    const server = createServer((req, res) => self.handle(req, res));
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const self = new FaultySalesforce(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return self;
  }

  /** The mode of every path without a route of its own. */
  setMode(mode: FaultMode): this {
    this.mode = mode;
    return this;
  }

  /** A mode for paths starting with `prefix` (e.g. the token endpoint while REST answers otherwise). */
  route(prefix: string, mode: FaultMode): this {
    this.routes.set(prefix, mode);
    return this;
  }

  /** Requests whose path starts with `prefix`. */
  requestsTo(prefix: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith(prefix));
  }

  /** Closes the listener and every open connection: from now on, connecting is refused. */
  async refuse(): Promise<void> {
    await this.close();
  }

  async stop(): Promise<void> {
    await this.close();
  }

  private async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.closed) return;
    this.closed = true;
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closing;
  }

  private modeFor(path: string): FaultMode {
    let best: [string, FaultMode] | undefined;
    for (const entry of this.routes) if (path.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
    return best ? best[1] : this.mode;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '/';
      const recorded: RecordedRequest = { method: req.method ?? 'GET', url, path: url.split('?')[0], headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      this.requests.push(recorded);
      this.answer(this.modeFor(recorded.path), recorded, res);
    });
  }

  private answer(mode: FaultMode, req: RecordedRequest, res: ServerResponse): void {
    switch (mode.kind) {
      case 'ok':
        return void res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' }).end('{"ok":true}');
      case 'hang':
        return; // the socket stays open until the client gives up (or stop())
      case 'slow-body':
        return this.trickle(res, mode.intervalMs, mode.totalMs);
      case 'error':
        return void (mode.body === 'html'
          ? res.writeHead(mode.status, { 'content-type': 'text/html;charset=UTF-8' }).end(HTML_ERROR_PAGE)
          : res.writeHead(mode.status, { 'content-type': 'application/json;charset=UTF-8' }).end(jsonError(mode.status, req.path)));
      case 'malformed-json':
        return void res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' }).end(MALFORMED_JSON);
      case 'truncated':
        res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8', 'content-length': '4096' });
        res.write(TRUNCATED_PART, () => this.later(50, () => res.socket?.destroy()));
        return;
      case 'redirect':
        return void res
          .writeHead(mode.status, { location: `${mode.to}${req.url}`, 'content-type': 'text/html;charset=UTF-8' })
          .end(`<html><body>Moved to <a href="${mode.to}${req.url}">here</a></body></html>`);
      case 'invalid-session':
        return void res
          .writeHead(401, { 'content-type': 'application/json;charset=UTF-8', 'www-authenticate': 'Token' })
          .end(JSON.stringify([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]));
      case 'handler':
        return mode.handle(req, res);
    }
  }

  /** 200 and headers now; the body one byte at a time, finished only after `totalMs`. */
  private trickle(res: ServerResponse, intervalMs: number, totalMs: number): void {
    const steps = Math.max(1, Math.ceil(totalMs / intervalMs));
    const body = `{"padding":"${'x'.repeat(steps)}"}`;
    res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8', 'content-length': String(Buffer.byteLength(body)) });
    let sent = 0;
    const head = body.length - steps - 2; // `{"padding":"` at once, then the x's, then `"}` at the end
    res.write(body.slice(0, head));
    sent = head;
    const tick = () => {
      if (res.destroyed || res.writableEnded) return;
      if (sent >= body.length - 2) return void res.end(body.slice(sent));
      res.write(body.slice(sent, sent + 1));
      sent += 1;
      this.later(intervalMs, tick);
    };
    this.later(intervalMs, tick);
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }
}

/** Salesforce's error shapes: OAuth `{error, error_description}` at the token endpoint, the REST array elsewhere. */
function jsonError(status: number, path: string): string {
  if (path.startsWith('/services/oauth2/')) return JSON.stringify({ error: 'server_unavailable', error_description: `the token service answered ${status}` });
  const errorCode = status === 503 ? 'SERVER_UNAVAILABLE' : 'UNKNOWN_EXCEPTION';
  return JSON.stringify([{ message: `An unexpected error occurred (${status}). Please include this ErrorId if you contact support: 1234-5678 (-1)`, errorCode }]);
}

/**
 * A token response the app will accept: Salesforce's shape, signed like Salesforce signs it
 * (base64 HMAC-SHA256 of `id + issued_at` with the consumer secret).
 */
export function signedTokenResponse(options: { clientSecret: string; instanceUrl: string; idUrl: string; accessToken: string; refreshToken?: string }): Record<string, string> {
  const issuedAt = String(Date.now());
  return {
    access_token: options.accessToken,
    ...(options.refreshToken ? { refresh_token: options.refreshToken } : {}),
    signature: createHmac('sha256', options.clientSecret)
      .update(options.idUrl + issuedAt)
      .digest('base64'),
    scope: 'api refresh_token id',
    instance_url: options.instanceUrl,
    id: options.idUrl,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
}
