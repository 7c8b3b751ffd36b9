import { describe, expect, test } from 'vitest';
import { HTML_ERROR_PAGE, MALFORMED_JSON, type FaultMode } from '../helpers/faulty-salesforce';
import { LATENESS_MS, LIMITS, PROXY_RESPONSE_LIMIT_BYTES, SLOW_BODY, TIMEOUT_MS, useFaultFixture } from './fault-fixture';

describe('Salesforce faults: refused, hanging, slow, failing, malformed, truncated and redirecting hosts', () => {
  const { emulator, faulty, proxy, redirectTo, connected, pointAt, timed, expectNothingLeaked, expectTokensUnchanged, expectRedirectNotFollowed, expectAppAlive, unavailable, timedOut, apiError } =
    useFaultFixture();

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

    /** A handler that sends `total` bytes of `x` in 1 MB chunks with back-pressure, announcing a Content-Length or not (chunked). */
    const bigAnswer =
      (total: number, announce: boolean): Extract<FaultMode, { kind: 'handler' }>['handle'] =>
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream', ...(announce ? { 'content-length': String(total) } : {}) });
        const chunk = Buffer.alloc(1024 * 1024, 'x');
        let sent = 0;
        const pump = () => {
          while (sent < total && !res.destroyed) {
            const part = chunk.subarray(0, Math.min(chunk.length, total - sent));
            sent += part.length;
            if (!res.write(part)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
      };

    test('when the instance announces an answer larger than the proxy passes on, then a clear 502 salesforce_response_too_large before any byte, one request, and the app stays up', async () => {
      // Arrange
      const { user, taskId, before, secrets } = await arrange({ kind: 'handler', handle: bigAnswer(PROXY_RESPONSE_LIMIT_BYTES + 1, true) });

      // Act
      const res = await user.get(proxy(taskId, LIMITS));

      // Assert
      expect(res.status).toBe(502);
      expect(res.json.error.code).toBe('salesforce_response_too_large');
      expect(res.json.error.message).toMatch(/larger than 4 MB/);
      expect(faulty.requests).toHaveLength(1);
      expectNothingLeaked(res, secrets);
      await expectTokensUnchanged(taskId, before);
      await expectAppAlive();
    });

    test('when an answer without a Content-Length streams past the limit, then the caller gets it cut short at the limit (the status was already sent), one request, and the app stays up', async () => {
      // Arrange: 1 MB past the limit, chunked, so the proxy has started passing it on when the limit is reached.
      const { user, taskId, before } = await arrange({ kind: 'handler', handle: bigAnswer(PROXY_RESPONSE_LIMIT_BYTES + 1024 * 1024, false) });

      // Act
      const received = await user.open(proxy(taskId, LIMITS)).then(async (res) => {
        let size = 0;
        try {
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) size += chunk.length;
          return { status: res.status, size, cut: false };
        } catch {
          return { status: res.status, size, cut: true };
        }
      });

      // Assert
      expect(received.status).toBe(200);
      expect(received.cut).toBe(true);
      expect(received.size).toBeLessThanOrEqual(PROXY_RESPONSE_LIMIT_BYTES);
      expect(faulty.requests).toHaveLength(1);
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
});
