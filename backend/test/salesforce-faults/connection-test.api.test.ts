import { describe, expect, test } from 'vitest';
import { type FaultMode } from '../helpers/faulty-salesforce';
import { ID_PATH, LATENESS_MS, SLOW_BODY, TIMEOUT_MS, useFaultFixture } from './fault-fixture';

describe('Salesforce faults: refused, hanging, slow, failing, malformed, truncated and redirecting hosts', () => {
  const { emulator, faulty, storedSfdc, redirectTo, connected, pointAt, timed, expectNothingLeaked, expectTokensUnchanged, expectRedirectNotFollowed, expectAppAlive, failedTest } = useFaultFixture();

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
      expect(res.json).toEqual(failedTest(code));
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
      {
        name: 'another org’s user',
        body: {
          id: `http://127.0.0.1/id/00D5g00000OTHERAAA/0055g00000MALORYAA`,
          organization_id: '00D5g00000OTHERAAA',
          user_id: '0055g00000MALORYAA',
          username: 'mallory@other.example',
          display_name: 'Mallory',
        },
      },
    ];

    test.each(notThisIdentity)('when the identity URL answers 200 with $name, then the test does not report the org as connected', async ({ body }) => {
      // Arrange
      const { user, taskId, before } = await arrange({
        kind: 'handler',
        handle: (_req, res) => void res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' }).end(JSON.stringify(body)),
      });

      // Act
      const res = await user.post(`/api/tasks/${taskId}/sfdc/test`, {});

      // Assert
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ status: false, code: expect.any(String), refreshed: false }); // the callback checks organization_id and user_id; the test must too
      expect(faulty.requestsTo('/id/')).toHaveLength(1);
      await expectTokensUnchanged(taskId, before);
    });
  });
});
