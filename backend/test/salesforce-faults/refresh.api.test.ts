import { describe, expect, test } from 'vitest';
import { TOKEN_PATH, type FaultMode } from '../helpers/faulty-salesforce';
import { LIMITS, useFaultFixture } from './fault-fixture';

describe('Salesforce faults: refused, hanging, slow, failing, malformed, truncated and redirecting hosts', () => {
  const {
    emulator,
    faulty,
    proxy,
    emulatorCalls,
    redirectTo,
    connected,
    pointAt,
    expireAccessTokens,
    expectNothingLeaked,
    expectTokensUnchanged,
    expectRedirectNotFollowed,
    expectAppAlive,
    unavailable,
    timedOut,
    apiError,
    failedTest,
  } = useFaultFixture();

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
      expect(res.json).toEqual(failedTest(code));
      expect(res.json.message).not.toMatch(/</);
      expectOneRefresh(secrets[1]);
      expect(emulatorCalls('identity', start).map((r) => r.status)).toEqual([403]); // the expired call; no retry without a new token
      expectRedirectNotFollowed();
      expectNothingLeaked(res, secrets);
      await expectTokensUnchanged(taskId, before);
      await expectAppAlive();
    });
  });
});
