import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Emulator } from 'salesforce-emulator';
import { control, startTestEmulator } from 'salesforce-emulator/testing';
import { DEFAULT_SALESFORCE_RESPONSE_LIMIT_BYTES } from '../src/salesforce/http-client';
import { FaultySalesforce, HTML_ERROR_PAGE, MALFORMED_JSON, TOKEN_PATH, signedTokenResponse, type FaultMode } from './faulty-salesforce';
import { connectedTask } from './salesforce-kit';
import { startTestApp, type TestApp } from './test-app';
import type { TestResponse } from './test-client';

/**
 * Salesforce misbehaving for real: a Task is connected to the
 * emulator, then its stored instance, identity or login URL is pointed at a small faulty server
 * on 127.0.0.1 (trusted here). Every fault must end in a clear error, with the stored tokens
 * unchanged, a bounded number of calls, no credential following a redirect, and the app alive.
 */

/** The app's timeout for calls to Salesforce here: short, so that hangs cost one second. */
const TIMEOUT_MS = 1_000;
/** How late past the timeout an answer may come (scheduling, the database, 2 shared cores). */
const LATENESS_MS = 1_500;
/** A body trickled well past the timeout, each byte well within it (an idle timer never fires). */
const SLOW_BODY: FaultMode = { kind: 'slow-body', intervalMs: 200, totalMs: 3_500 };

const LIMITS = 'services/data/v62.0/limits';
const ACCOUNTS = 'services/data/v62.0/sobjects/Account';
const ID_PATH = '/id/00D5g00000PRODAEAQ/0055g00000ADAUSRAQ';
/** What a stack trace or a source location looks like in a body or a message. */
const STACK_TRACE = /\n\s*at |\bat [\w$.<>]+ \(|\.[cm]?[jt]s:\d+|node:internal|node_modules/;

type StoredField = 'instance_url' | 'id' | 'login_url';

describe('Salesforce faults: refused, hanging, slow, failing, malformed, truncated and redirecting hosts', () => {
  let emulator: Emulator;
  let app: TestApp;
  /** Where the Task's stored URL points in each test. */
  let faulty: FaultySalesforce;
  /** Where faulty redirects to: it must never hear from the app. */
  let elsewhere: FaultySalesforce;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    // The faulty hosts listen on ports of their own: trusted here, as login hosts too.
    app = await startTestApp({ salesforce: emulator, salesforceTimeoutMs: TIMEOUT_MS, env: { SFDC_TRUSTED_HOSTS: '127.0.0.1', SFDC_LOGIN_HOSTS: '127.0.0.1:*' } });
  });
  afterAll(async () => {
    await app?.stop();
    await emulator?.stop();
  });
  beforeEach(async () => {
    emulator.state.reset();
    faulty = await FaultySalesforce.start();
    elsewhere = await FaultySalesforce.start();
  });
  afterEach(async () => {
    await faulty.stop();
    await elsewhere.stop();
  });

  // ---- helpers -------------------------------------------------------------------------------

  const proxy = (taskId: string, path: string) => `/api/tasks/${taskId}/sfdc/proxy/${path}`;
  const storedSfdc = async (taskId: string) => (await app.query('SELECT sfdc FROM tasks WHERE id = $1', [taskId]))[0].sfdc;
  const emulatorCalls = (endpoint: string, since = 0) => emulator.state.requestLog.slice(since).filter((r) => r.endpoint === endpoint);
  const redirectTo = (status: 301 | 302 | 307): FaultMode => ({ kind: 'redirect', status, to: elsewhere.url });

  /** A Task connected to the emulator, its stored connection, and the secrets that must never leak. */
  async function connected() {
    const { user, task } = await connectedTask(app);
    const before = await storedSfdc(task.id);
    const session = app.deps.credentials.toSession(task.id, before);
    const secrets = [session.accessToken, session.refreshToken!, emulator.app.clientSecret];
    return { user, taskId: task.id as string, before, secrets };
  }

  /**
   * Rewrites one URL of the stored connection, as an operator's SQL would, and waits until the
   * app's session cache has dropped the old one (PostgreSQL notifies the change asynchronously).
   */
  async function pointAt(taskId: string, field: StoredField, url: string): Promise<void> {
    await app.query('UPDATE tasks SET sfdc = jsonb_set(sfdc, $3::text[], to_jsonb($2::text)) WHERE id = $1', [taskId, url, `{${field}}`]);
    const key = ({ instance_url: 'instanceUrl', id: 'idUrl', login_url: 'loginUrl' } as const)[field];
    await vi.waitFor(async () => expect((await app.deps.credentials.getCredentials(taskId))[key]).toBe(url), { timeout: 5_000, interval: 20 });
  }

  async function expireAccessTokens(): Promise<void> {
    expect((await control(emulator, '/expire-access-tokens', {})).status).toBe(200);
  }

  async function timed<T>(act: () => Promise<T>): Promise<{ res: T; ms: number }> {
    const start = performance.now();
    const res = await act();
    return { res, ms: performance.now() - start };
  }

  /** No token, no client secret, no stack trace in the answer, and no token or secret in any log line. */
  function expectNothingLeaked(res: TestResponse, secrets: string[]): void {
    for (const secret of secrets) expect(res.text, 'a credential in the response body').not.toContain(secret);
    expect(res.text).not.toMatch(STACK_TRACE);
    expect(app.logs.filter((line) => secrets.some((secret) => line.includes(secret))), 'log lines carrying a credential').toEqual([]);
  }

  async function expectTokensUnchanged(taskId: string, before: Record<string, unknown>): Promise<void> {
    const after = await storedSfdc(taskId);
    expect(after.access_token).toBe(before.access_token);
    expect(after.refresh_token).toBe(before.refresh_token);
    expect(after.status).toBe('connected');
  }

  /** The redirect target never heard from the app: no request, so no Authorization header and no client secret. */
  function expectRedirectNotFollowed(): void {
    expect(elsewhere.requests.filter((r) => r.headers.authorization !== undefined), 'requests carrying Authorization at the redirect target').toEqual([]);
    expect(elsewhere.requests.filter((r) => r.body.includes('client_secret') || r.body.includes('refresh_token')), 'requests carrying a secret at the redirect target').toEqual([]);
    expect(elsewhere.requests.map((r) => `${r.method} ${r.url}`)).toEqual([]);
  }

  async function expectAppAlive(): Promise<void> {
    const health = await app.client().get('/healthz');
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: 'ok' });
  }

  const unavailable = (method: string, path: string) => ({
    error: { code: 'salesforce_unavailable', message: expect.stringMatching(new RegExp(`^Salesforce could not be reached \\(${method} http://127\\.0\\.0\\.1:\\d+/${path}\\)$`)) },
  });
  const timedOut = (method: string, path: string) => ({
    error: { code: 'salesforce_timeout', message: expect.stringMatching(new RegExp(`^Salesforce did not answer in time \\(${method} http://127\\.0\\.0\\.1:\\d+/${path}\\)$`)) },
  });
  const apiError = (upstreamStatus: number, upstreamCode: string) => ({
    error: { code: 'salesforce_api_error', message: expect.stringContaining(`Salesforce answered ${upstreamStatus} ${upstreamCode}`), details: { upstream_status: upstreamStatus, upstream_code: upstreamCode } },
  });

  // ---- the proxy, GET, at a faulty instance ------------------------------------------------------

  describe('a proxied GET when the instance misbehaves', () => {
    async function arrange(mode: FaultMode) {
      const c = await connected();
      faulty.setMode(mode);
      await pointAt(c.taskId, 'instance_url', faulty.url);
      return c;
    }

    test('when the instance refuses connections, then it answers 503 salesforce_unavailable at once and the tokens are unchanged', async () => {
      // Arrange
      const { user, taskId, before, secrets } = await arrange({ kind: 'ok' });
      await faulty.refuse();

      // Act
      const { res, ms } = await timed(() => user.get(proxy(taskId, LIMITS)));

      // Assert
      expect(res.status).toBe(503);
      expect(res.json).toEqual(unavailable('GET', LIMITS));
      expect(ms).toBeLessThan(TIMEOUT_MS); // refused is not retried with back-off
      expect(emulator.state.callCounts.get('token:refresh_token') ?? 0).toBe(0);
      expectNothingLeaked(res, secrets);
      await expectTokensUnchanged(taskId, before);
      await expectAppAlive();
    });

    test('when the instance never answers, then it answers 504 salesforce_timeout after the timeout and sent one request', async () => {
      // Arrange
      const { user, taskId, before, secrets } = await arrange({ kind: 'hang' });

      // Act
      const { res, ms } = await timed(() => user.get(proxy(taskId, LIMITS)));

      // Assert
      expect(res.status).toBe(504);
      expect(res.json).toEqual(timedOut('GET', LIMITS));
      expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(ms).toBeLessThan(TIMEOUT_MS + LATENESS_MS);
      expect(faulty.requests).toHaveLength(1);
      expectNothingLeaked(res, secrets);
      await expectTokensUnchanged(taskId, before);
      await expectAppAlive();
    });

    test('when the instance trickles its body past the timeout, then it answers 504 salesforce_timeout within the timeout and sent one request', async () => {
      // Arrange
      const { user, taskId, before, secrets } = await arrange(SLOW_BODY);

      // Act
      const { res, ms } = await timed(() => user.get(proxy(taskId, LIMITS)));

      // Assert
      expect({ status: res.status, ms: Math.round(ms) }).toEqual({ status: 504, ms: expect.any(Number) });
      expect(ms).toBeLessThan(TIMEOUT_MS + LATENESS_MS); // the timeout bounds the whole call, not just the wait for headers
      expect(res.json).toEqual(timedOut('GET', LIMITS));
      expect(faulty.requests).toHaveLength(1);
      expectNothingLeaked(res, secrets);
      await expectTokensUnchanged(taskId, before);
      await expectAppAlive();
    });

    test('when the instance cuts its body short of its Content-Length, then it answers 503 salesforce_unavailable and sent one request', async () => {
      // Arrange
      const { user, taskId, before, secrets } = await arrange({ kind: 'truncated' });

      // Act
      const res = await user.get(proxy(taskId, LIMITS));

      // Assert
      expect(res.status).toBe(503);
      expect(res.json).toEqual(unavailable('GET', LIMITS));
      expect(faulty.requests).toHaveLength(1);
      expectNothingLeaked(res, secrets);
      await expectTokensUnchanged(taskId, before);
      await expectAppAlive();
    });

    test.each([500, 502, 503])('when the instance answers %i with Salesforce’s JSON error, then its status and body pass through, once, with nothing refreshed', async (status) => {
      // Arrange
      const { user, taskId, before, secrets } = await arrange({ kind: 'error', status, body: 'json' });

      // Act
      const res = await user.get(proxy(taskId, LIMITS));

      // Assert
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
      expect(res.json).toEqual([{ message: expect.stringContaining(`(${status})`), errorCode: status === 503 ? 'SERVER_UNAVAILABLE' : 'UNKNOWN_EXCEPTION' }]);
      expect(faulty.requests).toHaveLength(1);
      expect(emulator.state.callCounts.get('token:refresh_token') ?? 0).toBe(0);
      expectNothingLeaked(res, secrets);
      await expectTokensUnchanged(taskId, before);
      await expectAppAlive();
    });

    test.each([500, 502, 503])('when the instance answers %i with an HTML page, then the caller still gets that error status, once, with nothing refreshed', async (status) => {
      // Arrange
      const { user, taskId, before, secrets } = await arrange({ kind: 'error', status, body: 'html' });

      // Act
      const res = await user.get(proxy(taskId, LIMITS));

      // Assert
      expect(res.status).toBe(status); // the proxy answers Salesforce's own status, content type and body
      expect(res.headers.get('content-type')).toBe('text/html;charset=UTF-8');
      expect(res.text).toBe(HTML_ERROR_PAGE);
      expect(faulty.requests).toHaveLength(1);
      expect(emulator.state.callCounts.get('token:refresh_token') ?? 0).toBe(0);
      expectNothingLeaked(res, secrets);
      await expectTokensUnchanged(taskId, before);
      await expectAppAlive();
    });

    test('when the instance answers 200 with malformed JSON, then the proxy passes the bytes on unchanged and sent one request', async () => {
      // Arrange
      const { user, taskId, before, secrets } = await arrange({ kind: 'malformed-json' });

      // Act
      const res = await user.get(proxy(taskId, LIMITS));

      // Assert
      expect(res.status).toBe(200); // a transparent proxy does not parse; the caller's JSON parser reports it
      expect(res.text).toBe(MALFORMED_JSON);
      expect(faulty.requests).toHaveLength(1);
      expectNothingLeaked(res, secrets);
      await expectTokensUnchanged(taskId, before);
      await expectAppAlive();
    });

    test('when the instance answers more than the proxy reads into memory, then a clear 502 salesforce_response_too_large, one request, and the app stays up', async () => {
      // Arrange: a body 1 MB past the limit, announced without a Content-Length (chunked), so it is cut while it streams in.
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      const { user, taskId, before, secrets } = await arrange({
        kind: 'handler',
        handle: (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          const total = DEFAULT_SALESFORCE_RESPONSE_LIMIT_BYTES / chunk.length + 1;
          let sent = 0;
          const pump = () => {
            while (sent < total && !res.destroyed) {
              sent += 1;
              if (!res.write(chunk)) return void res.once('drain', pump);
            }
            res.end();
          };
          pump();
        },
      });

      // Act
      const res = await user.get(proxy(taskId, LIMITS));

      // Assert
      expect(res.status).toBe(502);
      expect(res.json.error.code).toBe('salesforce_response_too_large');
      expect(res.json.error.message).toMatch(/larger than 32 MB/);
      expect(faulty.requests).toHaveLength(1);
      expectNothingLeaked(res, secrets);
      await expectTokensUnchanged(taskId, before);
      await expectAppAlive();
    });

    test('when the instance answers an HTML or SVG page, then it is served as inert data: nosniff, a sandbox CSP and no-store', async () => {
      // Arrange
      const page = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>';
      const { user, taskId } = await arrange({ kind: 'handler', handle: (_req, res) => void res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(page) });

      // Act
      const res = await user.get(proxy(taskId, LIMITS));

      // Assert
      expect(res.status).toBe(200);
      expect(res.text).toBe(page);
      expect(res.headers.get('content-type')).toBe('image/svg+xml');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toBe('sandbox');
      expect(res.headers.get('cache-control')).toBe('no-store');
    });

    test.each([301, 302, 307] as const)('when the instance answers a %i redirect, then the app does not follow it and the target never gets the access token', async (status) => {
      // Arrange
      const { user, taskId, before, secrets } = await arrange(redirectTo(status));

      // Act
      const res = await user.get(proxy(taskId, LIMITS));

      // Assert
      expect(faulty.requests).toHaveLength(1);
      expect(faulty.requests[0].headers.authorization).toBe(`Bearer ${secrets[0]}`); // the trusted host did get it
      expectRedirectNotFollowed();
      expectNothingLeaked(res, secrets);
      await expectTokensUnchanged(taskId, before);
      await expectAppAlive();
    });

    test.each([301, 302, 307] as const)('when the instance answers a %i redirect, then the caller gets a clear 502 salesforce_api_error, not the redirect', async (status) => {
      // Arrange
      const { user, taskId } = await arrange(redirectTo(status));

      // Act
      const res = await user.get(proxy(taskId, LIMITS));

      // Assert
      expect({ status: res.status, location: res.headers.get('location') }).toEqual({ status: 502, location: null });
      expect(res.json).toEqual(apiError(status, `HTTP_${status}`));
      expect(faulty.requests).toHaveLength(1);
      expectRedirectNotFollowed();
    });
  });

  // ---- the proxy, POST, at a faulty instance -----------------------------------------------------

  describe('a proxied POST when the instance misbehaves', () => {
    const body = { Name: 'Faulty Co' };

    async function arrange(mode: FaultMode) {
      const c = await connected();
      faulty.setMode(mode);
      await pointAt(c.taskId, 'instance_url', faulty.url);
      return c;
    }

    /** The one POST the faulty instance saw, with the body sent once. */
    function expectOnePost(): void {
      expect(faulty.requests.map((r) => `${r.method} ${r.path} ${r.body}`)).toEqual([`POST /${ACCOUNTS} ${JSON.stringify(body)}`]);
    }

    test('when the instance refuses connections, then it answers 503 salesforce_unavailable and the tokens are unchanged', async () => {
      // Arrange
      const { user, taskId, before, secrets } = await arrange({ kind: 'ok' });
      await faulty.refuse();

      // Act
      const res = await user.post(proxy(taskId, ACCOUNTS), body);

      // Assert
      expect(res.status).toBe(503);
      expect(res.json).toEqual(unavailable('POST', ACCOUNTS));
      expectNothingLeaked(res, secrets);
      await expectTokensUnchanged(taskId, before);
      await expectAppAlive();
    });

    test('when the instance never answers, then it answers 504 salesforce_timeout and the POST was sent exactly once', async () => {
      // Arrange
      const { user, taskId, before, secrets } = await arrange({ kind: 'hang' });

      // Act
      const { res, ms } = await timed(() => user.post(proxy(taskId, ACCOUNTS), body));

      // Assert
      expect(res.status).toBe(504);
      expect(res.json).toEqual(timedOut('POST', ACCOUNTS));
      expect(ms).toBeLessThan(TIMEOUT_MS + LATENESS_MS);
      expectOnePost(); // never replayed: a POST may have created the record
      expectNothingLeaked(res, secrets);
      await expectTokensUnchanged(taskId, before);
      await expectAppAlive();
    });

    test('when the instance trickles its body past the timeout, then it answers 504 salesforce_timeout within the timeout and the POST was sent once', async () => {
      // Arrange
      const { user, taskId, before, secrets } = await arrange(SLOW_BODY);

      // Act
      const { res, ms } = await timed(() => user.post(proxy(taskId, ACCOUNTS), body));

      // Assert
      expect({ status: res.status, ms: Math.round(ms) }).toEqual({ status: 504, ms: expect.any(Number) });
      expect(ms).toBeLessThan(TIMEOUT_MS + LATENESS_MS);
      expect(res.json).toEqual(timedOut('POST', ACCOUNTS));
      expectOnePost();
      expectNothingLeaked(res, secrets);
      await expectTokensUnchanged(taskId, before);
      await expectAppAlive();
    });

    test('when the instance cuts its answer short, then it answers 503 salesforce_unavailable and the POST was sent once', async () => {
      // Arrange
      const { user, taskId, before, secrets } = await arrange({ kind: 'truncated' });

      // Act
      const res = await user.post(proxy(taskId, ACCOUNTS), body);

      // Assert
      expect(res.status).toBe(503);
      expect(res.json).toEqual(unavailable('POST', ACCOUNTS));
      expectOnePost();
      expectNothingLeaked(res, secrets);
      await expectTokensUnchanged(taskId, before);
      await expectAppAlive();
    });

    test.each([
      ['JSON', 'json'],
      ['HTML', 'html'],
    ] as const)('when the instance answers 503 with %s, then the caller gets 503 and the POST was sent once', async (_label, kind) => {
      // Arrange
      const { user, taskId, before, secrets } = await arrange({ kind: 'error', status: 503, body: kind });

      // Act
      const res = await user.post(proxy(taskId, ACCOUNTS), body);

      // Assert
      expect(res.status).toBe(503);
      if (kind === 'json') expect(res.json[0].errorCode).toBe('SERVER_UNAVAILABLE');
      else expect(res.text).toBe(HTML_ERROR_PAGE);
      expectOnePost();
      expectNothingLeaked(res, secrets);
      await expectTokensUnchanged(taskId, before);
      await expectAppAlive();
    });

    test('when the instance answers 200 with malformed JSON, then the bytes pass on unchanged and the POST was sent once', async () => {
      // Arrange
      const { user, taskId, before, secrets } = await arrange({ kind: 'malformed-json' });

      // Act
      const res = await user.post(proxy(taskId, ACCOUNTS), body);

      // Assert
      expect(res.status).toBe(200);
      expect(res.text).toBe(MALFORMED_JSON);
      expectOnePost();
      expectNothingLeaked(res, secrets);
      await expectTokensUnchanged(taskId, before);
      await expectAppAlive();
    });

    test.each([302, 307] as const)('when the instance answers a %i redirect, then neither the body nor the access token is sent on to the target', async (status) => {
      // Arrange
      const { user, taskId, before, secrets } = await arrange(redirectTo(status));

      // Act
      const res = await user.post(proxy(taskId, ACCOUNTS), body);

      // Assert
      expectOnePost();
      expectRedirectNotFollowed();
      expectNothingLeaked(res, secrets);
      await expectTokensUnchanged(taskId, before);
      await expectAppAlive();
    });
  });

  // ---- the connection test at a faulty identity URL ---------------------------------------------

  describe('POST /api/tasks/:id/sfdc/test when the identity URL misbehaves', () => {
    async function arrange(mode: FaultMode) {
      const c = await connected();
      faulty.setMode(mode);
      await pointAt(c.taskId, 'id', `${faulty.url}${ID_PATH}`);
      return c;
    }

    const cases: { name: string; mode: FaultMode | 'refuse'; code: string; slow?: boolean }[] = [
      { name: 'refuses connections', mode: 'refuse', code: 'salesforce_unavailable' },
      { name: 'never answers', mode: { kind: 'hang' }, code: 'salesforce_timeout', slow: true },
      { name: 'trickles its body past the timeout', mode: SLOW_BODY, code: 'salesforce_timeout', slow: true },
      { name: 'cuts its body short', mode: { kind: 'truncated' }, code: 'salesforce_unavailable' },
      { name: 'answers 500 with JSON', mode: { kind: 'error', status: 500, body: 'json' }, code: 'salesforce_api_error' },
      { name: 'answers 502 with JSON', mode: { kind: 'error', status: 502, body: 'json' }, code: 'salesforce_api_error' },
      { name: 'answers 503 with JSON', mode: { kind: 'error', status: 503, body: 'json' }, code: 'salesforce_api_error' },
      { name: 'answers 500 with an HTML page', mode: { kind: 'error', status: 500, body: 'html' }, code: 'salesforce_api_error' },
      { name: 'answers 503 with an HTML page', mode: { kind: 'error', status: 503, body: 'html' }, code: 'salesforce_api_error' },
      { name: 'answers 200 with malformed JSON', mode: { kind: 'malformed-json' }, code: 'salesforce_api_error' },
      { name: 'answers a 301 redirect', mode: { kind: 'redirect', status: 301, to: '' }, code: 'salesforce_api_error' },
      { name: 'answers a 302 redirect', mode: { kind: 'redirect', status: 302, to: '' }, code: 'salesforce_api_error' },
      { name: 'answers a 307 redirect', mode: { kind: 'redirect', status: 307, to: '' }, code: 'salesforce_api_error' },
    ];

    test.each(cases)('when the identity URL $name, then the test answers status false with $code, tokens unchanged, one call', async ({ mode, code, slow }) => {
      // Arrange
      const { user, taskId, before, secrets } = await arrange(mode === 'refuse' ? { kind: 'ok' } : mode.kind === 'redirect' ? redirectTo(mode.status as 301 | 302 | 307) : mode);
      if (mode === 'refuse') await faulty.refuse();

      // Act
      const { res, ms } = await timed(() => user.post(`/api/tasks/${taskId}/sfdc/test`, {}));

      // Assert
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ status: false, code, message: expect.any(String), refreshed: false, at: expect.any(String), tested_at: expect.any(String) });
      expect(res.json.message).not.toMatch(/</); // no HTML echoed into a message a page shows
      expect(ms).toBeLessThan(slow ? TIMEOUT_MS + LATENESS_MS : TIMEOUT_MS);
      expect(faulty.requestsTo('/id/')).toHaveLength(mode === 'refuse' ? 0 : 1);
      expect(emulator.state.callCounts.get('token:refresh_token') ?? 0).toBe(0); // none of these means "expired"
      expectRedirectNotFollowed();
      expectNothingLeaked(res, secrets);
      await expectTokensUnchanged(taskId, before);
      expect((await storedSfdc(taskId)).last_test).toMatchObject({ status: false, code });
      await expectAppAlive();
    });

    const notThisIdentity: { name: string; body: Record<string, unknown> }[] = [
      { name: 'a JSON object that is no identity', body: { ok: true } },
      { name: 'another org’s user', body: { id: `http://127.0.0.1/id/00D5g00000OTHERAAA/0055g00000MALORYAA`, organization_id: '00D5g00000OTHERAAA', user_id: '0055g00000MALORYAA', username: 'mallory@other.example', display_name: 'Mallory' } },
    ];

    test.each(notThisIdentity)('when the identity URL answers 200 with $name, then the test does not report the org as connected', async ({ body }) => {
      // Arrange
      const { user, taskId, before } = await arrange({ kind: 'handler', handle: (_req, res) => void res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' }).end(JSON.stringify(body)) });

      // Act
      const res = await user.post(`/api/tasks/${taskId}/sfdc/test`, {});

      // Assert
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ status: false, code: expect.any(String), refreshed: false }); // the callback checks organization_id and user_id; the test must too
      expect(faulty.requestsTo('/id/')).toHaveLength(1);
      await expectTokensUnchanged(taskId, before);
    });
  });

  // ---- refreshing at a faulty token endpoint -----------------------------------------------------

  describe('refreshing an expired access token when the token endpoint misbehaves', () => {
    /** A Task whose access token has expired at the emulator and whose login host is the faulty server. */
    async function arrange(mode: FaultMode) {
      const c = await connected();
      faulty.setMode(mode);
      await pointAt(c.taskId, 'login_url', faulty.url);
      await expireAccessTokens();
      return c;
    }

    /** The one refresh the faulty login host saw: a form POST with the stored refresh token. */
    function expectOneRefresh(refreshToken: string): void {
      const refreshes = faulty.requestsTo(TOKEN_PATH);
      expect(refreshes.map((r) => r.method)).toEqual(['POST']);
      expect(new URLSearchParams(refreshes[0].body).get('grant_type')).toBe('refresh_token');
      expect(new URLSearchParams(refreshes[0].body).get('refresh_token')).toBe(refreshToken);
      expect(faulty.requests).toHaveLength(1);
    }

    const viaProxy: { name: string; mode: FaultMode | 'refuse'; status: number; expected: () => unknown }[] = [
      { name: 'answers 503 with an OAuth JSON error', mode: { kind: 'error', status: 503, body: 'json' }, status: 502, expected: () => apiError(503, 'server_unavailable') },
      { name: 'answers 500 with an HTML page', mode: { kind: 'error', status: 500, body: 'html' }, status: 502, expected: () => apiError(500, 'ERROR_HTTP_500') },
      { name: 'answers 503 with an HTML page', mode: { kind: 'error', status: 503, body: 'html' }, status: 502, expected: () => apiError(503, 'ERROR_HTTP_503') },
      { name: 'answers 200 with malformed JSON', mode: { kind: 'malformed-json' }, status: 502, expected: () => apiError(200, 'invalid_token_response') },
      { name: 'answers a 301 redirect', mode: { kind: 'redirect', status: 301, to: '' }, status: 502, expected: () => apiError(301, 'ERROR_HTTP_301') },
      { name: 'answers a 302 redirect', mode: { kind: 'redirect', status: 302, to: '' }, status: 502, expected: () => apiError(302, 'ERROR_HTTP_302') },
      { name: 'answers a 307 redirect', mode: { kind: 'redirect', status: 307, to: '' }, status: 502, expected: () => apiError(307, 'ERROR_HTTP_307') },
      { name: 'never answers', mode: { kind: 'hang' }, status: 504, expected: () => timedOut('POST', TOKEN_PATH.slice(1)) },
      { name: 'cuts its body short', mode: { kind: 'truncated' }, status: 503, expected: () => unavailable('POST', TOKEN_PATH.slice(1)) },
      { name: 'refuses connections', mode: 'refuse', status: 503, expected: () => unavailable('POST', TOKEN_PATH.slice(1)) },
    ];

    test.each(viaProxy)('when the token endpoint $name, then a proxied GET answers $status after at most one refresh request and keeps the tokens', async ({ mode, status, expected }) => {
      // Arrange
      const { user, taskId, before, secrets } = await arrange(mode === 'refuse' ? { kind: 'ok' } : mode.kind === 'redirect' ? redirectTo(mode.status as 301 | 302 | 307) : mode);
      if (mode === 'refuse') await faulty.refuse();
      const start = emulator.state.requestLog.length;

      // Act
      const res = await user.get(proxy(taskId, LIMITS));

      // Assert
      expect(res.status).toBe(status);
      expect(res.json).toEqual(expected());
      if (mode === 'refuse') expect(faulty.requests).toHaveLength(0);
      else expectOneRefresh(secrets[1]);
      expect(emulatorCalls('rest:limits', start).map((r) => r.status)).toEqual([401]); // no retry without a new token
      expect(emulator.state.callCounts.get('token:refresh_token') ?? 0).toBe(0);
      expectRedirectNotFollowed(); // neither the client secret nor the refresh token followed
      expectNothingLeaked(res, secrets);
      await expectTokensUnchanged(taskId, before);
      await expectAppAlive();
    });

    const viaTest: { name: string; mode: FaultMode; code: string }[] = [
      { name: 'answers 503 with an OAuth JSON error', mode: { kind: 'error', status: 503, body: 'json' }, code: 'salesforce_api_error' },
      { name: 'answers 503 with an HTML page', mode: { kind: 'error', status: 503, body: 'html' }, code: 'salesforce_api_error' },
      { name: 'answers 200 with malformed JSON', mode: { kind: 'malformed-json' }, code: 'salesforce_api_error' },
      { name: 'answers a 307 redirect', mode: { kind: 'redirect', status: 307, to: '' }, code: 'salesforce_api_error' },
      { name: 'never answers', mode: { kind: 'hang' }, code: 'salesforce_timeout' },
    ];

    test.each(viaTest)('when the token endpoint $name, then the connection test answers status false with $code and sent one refresh', async ({ mode, code }) => {
      // Arrange
      const { user, taskId, before, secrets } = await arrange(mode.kind === 'redirect' ? redirectTo(mode.status as 301 | 302 | 307) : mode);
      const start = emulator.state.requestLog.length;

      // Act
      const res = await user.post(`/api/tasks/${taskId}/sfdc/test`, {});

      // Assert
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ status: false, code, message: expect.any(String), refreshed: false, at: expect.any(String), tested_at: expect.any(String) });
      expect(res.json.message).not.toMatch(/</);
      expectOneRefresh(secrets[1]);
      expect(emulatorCalls('identity', start).map((r) => r.status)).toEqual([403]); // the expired call; no retry without a new token
      expectRedirectNotFollowed();
      expectNothingLeaked(res, secrets);
      await expectTokensUnchanged(taskId, before);
      await expectAppAlive();
    });
  });

  // ---- no retry storms -----------------------------------------------------------------------

  describe('retries stay bounded', () => {
    /** The instance answers every call INVALID_SESSION_ID; its token endpoint hands out `nextToken()` on each refresh. */
    async function refuseEveryToken(taskId: string, before: { id: string }, nextToken: () => string): Promise<void> {
      faulty
        .route('/services/data/', { kind: 'invalid-session' })
        .route(TOKEN_PATH, {
          kind: 'handler',
          handle: (_req, res) =>
            void res
              .writeHead(200, { 'content-type': 'application/json;charset=UTF-8' })
              .end(JSON.stringify(signedTokenResponse({ clientSecret: emulator.app.clientSecret, instanceUrl: faulty.url, idUrl: before.id, accessToken: nextToken() }))),
        });
      await pointAt(taskId, 'login_url', faulty.url);
      await pointAt(taskId, 'instance_url', faulty.url);
    }

    test('when the instance keeps answering 401 INVALID_SESSION_ID, then one refresh, one retry with the new token, and a clear 502', async () => {
      // Arrange
      const { user, taskId, before, secrets } = await connected();
      const newAccessToken = `00D5g00000PRODA!ARfaulty${'x'.repeat(60)}`;
      await refuseEveryToken(taskId, before, () => newAccessToken);

      // Act
      const res = await user.get(proxy(taskId, LIMITS));

      // Assert
      const rest = faulty.requestsTo('/services/data/');
      const after = await storedSfdc(taskId);
      expect(res.status).toBe(502);
      expect(res.json).toEqual(apiError(401, 'INVALID_SESSION_ID'));
      expect(rest.map((r) => r.headers.authorization)).toEqual([`Bearer ${secrets[0]}`, `Bearer ${newAccessToken}`]); // once, then once more with the new token
      expect(faulty.requestsTo(TOKEN_PATH)).toHaveLength(1);
      expect(after.access_token).not.toBe(before.access_token); // the refresh itself was legitimate
      expect(after.refresh_token).toBe(before.refresh_token); // the response had none
      expectNothingLeaked(res, [...secrets, newAccessToken]);
      await expectAppAlive();
    });

    test('when the instance keeps refusing freshly refreshed tokens, then later calls do not refresh again (a cooldown), and say why', async () => {
      // Arrange
      const { user, taskId, before } = await connected();
      let issued = 0;
      await refuseEveryToken(taskId, before, () => `00D5g00000PRODA!ARfresh${++issued}${'x'.repeat(60)}`);

      // Act
      const answers = [];
      for (let i = 0; i < 5; i++) answers.push(await user.get(proxy(taskId, LIMITS)));

      // Assert
      expect(answers.map((r) => r.status)).toEqual([502, 502, 502, 502, 502]);
      expect(faulty.requestsTo(TOKEN_PATH)).toHaveLength(1); // one refresh, not one per call
      expect(faulty.requestsTo('/services/data/')).toHaveLength(2 + 4); // the first call and its retry, then each later call once
      expect(answers[4].json.error.message).toMatch(/refreshing again is paused/);
      await expectAppAlive();
    });

    test('when five proxied calls meet an expired token while the token endpoint hangs, then one refresh is sent and all five answer 504', async () => {
      // Arrange
      const { user, taskId, before, secrets } = await connected();
      faulty.setMode({ kind: 'hang' });
      await pointAt(taskId, 'login_url', faulty.url);
      await expireAccessTokens();
      const start = emulator.state.requestLog.length;

      // Act
      const answers = await Promise.all(Array.from({ length: 5 }, () => user.get(proxy(taskId, LIMITS))));

      // Assert
      expect(answers.map((r) => r.status)).toEqual([504, 504, 504, 504, 504]);
      for (const res of answers) expect(res.json).toEqual(timedOut('POST', TOKEN_PATH.slice(1)));
      expect(faulty.requestsTo(TOKEN_PATH)).toHaveLength(1); // single-flight: the refresh token went out once
      expect(emulatorCalls('rest:limits', start).map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
      for (const res of answers) expectNothingLeaked(res, secrets);
      await expectTokensUnchanged(taskId, before);
      await expectAppAlive();
    });
  });
});
