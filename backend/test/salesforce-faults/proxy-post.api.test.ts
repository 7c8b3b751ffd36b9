import { describe, expect, test } from 'vitest';
import { HTML_ERROR_PAGE, MALFORMED_JSON, type FaultMode } from '../helpers/faulty-salesforce';
import { ACCOUNTS, LATENESS_MS, SLOW_BODY, TIMEOUT_MS, useFaultFixture } from './fault-fixture';

describe('Salesforce faults: refused, hanging, slow, failing, malformed, truncated and redirecting hosts', () => {
  const { faulty, proxy, redirectTo, connected, pointAt, timed, expectNothingLeaked, expectTokensUnchanged, expectRedirectNotFollowed, expectAppAlive, unavailable, timedOut } = useFaultFixture();

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
});
