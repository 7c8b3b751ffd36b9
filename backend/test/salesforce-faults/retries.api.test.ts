import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { signedTokenResponse, TOKEN_PATH } from '../helpers/faulty-salesforce';
import { LIMITS, useFaultFixture } from './fault-fixture';

describe('Salesforce faults: refused, hanging, slow, failing, malformed, truncated and redirecting hosts', () => {
  const { emulator, faulty, proxy, storedSfdc, emulatorCalls, connected, pointAt, expireAccessTokens, expectNothingLeaked, expectTokensUnchanged, expectAppAlive, timedOut, apiError } =
    useFaultFixture();

  // ---- no retry storms -----------------------------------------------------------------------

  describe('retries stay bounded', () => {
    /** The instance answers every call INVALID_SESSION_ID; its token endpoint hands out `nextToken()` on each refresh. */
    async function refuseEveryToken(taskId: string, before: { id: string }, nextToken: () => string): Promise<void> {
      faulty.route('/services/data/', { kind: 'invalid-session' }).route(TOKEN_PATH, {
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

    test('when a POST with a 5 MB body meets an expired token, then one refresh, and the same 5 MB body is sent again with the new token', async () => {
      // Arrange: the instance refuses the first token (expired), accepts the refreshed one and echoes what it got.
      const { user, taskId, before, secrets } = await connected();
      const newAccessToken = `00D5g00000PRODA!ARrefreshed${'y'.repeat(60)}`;
      faulty
        .route('/services/data/', {
          kind: 'handler',
          handle: (req, res) => {
            if (req.headers.authorization !== `Bearer ${newAccessToken}`)
              return void res.writeHead(401, { 'content-type': 'application/json;charset=UTF-8' }).end(JSON.stringify([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]));
            res.writeHead(201, { 'content-type': 'application/json;charset=UTF-8' }).end(JSON.stringify({ id: '001000000000001AAA', success: true, errors: [] }));
          },
        })
        .route(TOKEN_PATH, {
          kind: 'handler',
          handle: (_req, res) =>
            void res
              .writeHead(200, { 'content-type': 'application/json;charset=UTF-8' })
              .end(JSON.stringify(signedTokenResponse({ clientSecret: emulator.app.clientSecret, instanceUrl: faulty.url, idUrl: before.id, accessToken: newAccessToken }))),
        });
      await pointAt(taskId, 'login_url', faulty.url);
      await pointAt(taskId, 'instance_url', faulty.url);
      const body = JSON.stringify({ Name: 'Big', Description: randomBytes(3_932_200).toString('base64') }); // ASCII, 5 MB
      expect(body.length).toBeGreaterThanOrEqual(5 * 1024 * 1024);
      const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

      // Act
      const service = user.withToken((await user.post('/api/tokens', { name: 'svc' })).json.token); // a service may send any body type
      const res = await service.request('POST', proxy(taskId, 'services/data/v62.0/sobjects/Account'), { body, headers: { 'content-type': 'application/json' } });

      // Assert
      const posts = faulty.requestsTo('/services/data/');
      expect(res.status).toBe(201);
      expect(posts.map((r) => r.headers.authorization)).toEqual([`Bearer ${secrets[0]}`, `Bearer ${newAccessToken}`]);
      expect(posts.map((r) => ({ method: r.method, length: r.body.length, sha256: sha256(r.body) }))).toEqual([
        { method: 'POST', length: body.length, sha256: sha256(body) },
        { method: 'POST', length: body.length, sha256: sha256(body) },
      ]);
      expect(faulty.requestsTo(TOKEN_PATH)).toHaveLength(1);
      expectNothingLeaked(res, [...secrets, newAccessToken]);
      await expectAppAlive();
    });
  });
});
