import { describe, expect, test } from 'vitest';
import { connectedTask, connectTask, useTestEmulator } from '../../test/helpers/salesforce-kit';
import type { TestClient } from '../../test/helpers/test-client';

const WEBHOOK_URL = 'http://127.0.0.1:9/hook'; // nothing listens: deliveries stay pending, which is all these tests need

describe('the account: password, signed-in browsers, deletion', () => {
  const env = useTestEmulator();

  /** The same account signed in from another browser (its own cookie jar). */
  async function secondBrowser(user: TestClient & { email: string; password: string }, password = user.password, userAgent = 'Second browser') {
    const other = env.app.client();
    const res = await other.post('/api/auth/login', { email: user.email, password }, { headers: { 'user-agent': userAgent } });
    expect(res.status, res.text).toBe(200);
    return other;
  }

  async function signInStatus(email: string, password: string): Promise<number> {
    return (await env.app.client().post('/api/auth/login', { email, password })).status;
  }

  async function passwordHash(email: string): Promise<string> {
    return (await env.app.query('SELECT password_hash FROM users WHERE email = $1', [email]))[0].password_hash;
  }

  describe('PATCH /api/auth/password', () => {
    test('when the current password is right, then the new one works, every other browser is signed out and this one stays on a new session id', async () => {
      // Arrange
      const user = await env.app.signUp();
      const other = await secondBrowser(user);
      const oldCookie = new Map(user.cookies);

      // Act
      const res = await user.patch('/api/auth/password', { current_password: user.password, new_password: 'a brand new passphrase' });

      // Assert
      expect(res.status, res.text).toBe(204);
      expect((await user.get('/api/auth/me')).status).toBe(200);
      expect((await other.get('/api/auth/me')).status).toBe(401);
      expect(user.cookies).not.toEqual(oldCookie); // a copy of the old cookie is worth nothing now
      const copied = env.app.client();
      for (const [name, value] of oldCookie) copied.cookies.set(name, value);
      expect((await copied.get('/api/auth/me')).status).toBe(401);
      expect(await signInStatus(user.email, 'a brand new passphrase')).toBe(200);
      expect(await signInStatus(user.email, user.password)).toBe(401);
    });

    test('when the current password is wrong, then 400 wrong_password, and the old password and the other browsers still work', async () => {
      const user = await env.app.signUp();
      const other = await secondBrowser(user);
      const hashBefore = await passwordHash(user.email);

      const res = await user.patch('/api/auth/password', { current_password: 'not the password', new_password: 'a brand new passphrase' });

      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: { code: 'wrong_password', message: expect.any(String) } });
      expect(await passwordHash(user.email)).toBe(hashBefore);
      expect((await other.get('/api/auth/me')).status).toBe(200);
      expect(await signInStatus(user.email, user.password)).toBe(200);
      expect(await signInStatus(user.email, 'a brand new passphrase')).toBe(401);
    });

    test('when the new password is under the sign-up minimum, then 400 invalid_request and nothing changes', async () => {
      const user = await env.app.signUp();
      const hashBefore = await passwordHash(user.email);

      const res = await user.patch('/api/auth/password', { current_password: user.password, new_password: 'short' });

      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('invalid_request');
      expect(res.json.error.details.issues).toEqual([expect.objectContaining({ path: 'new_password' })]);
      expect(await passwordHash(user.email)).toBe(hashBefore);
      expect(await signInStatus(user.email, user.password)).toBe(200);
    });

    test('when the wrong password is tried over and over, then after 10 in 15 minutes even the right one answers 429', async () => {
      const user = await env.app.signUp();

      const wrong = [];
      for (let i = 0; i < 10; i++) wrong.push((await user.patch('/api/auth/password', { current_password: `guess ${i}`, new_password: 'a brand new passphrase' })).status);
      const right = await user.patch('/api/auth/password', { current_password: user.password, new_password: 'a brand new passphrase' });

      expect(wrong).toEqual(Array(10).fill(400));
      expect(right.status).toBe(429);
      expect(right.json.error.code).toBe('too_many_requests');
      expect(await signInStatus(user.email, user.password)).toBe(200); // unchanged
    });
  });

  describe('GET and DELETE /api/auth/sessions', () => {
    test('when a user is signed in twice, then both browsers are listed, this one marked current, never by the session id', async () => {
      const user = await env.app.signUp();
      await secondBrowser(user, user.password, 'Firefox on the laptop');

      const res = await user.get('/api/auth/sessions');

      expect(res.status).toBe(200);
      const sessions = res.json.sessions;
      expect(sessions).toHaveLength(2);
      expect(sessions.map((s: { current: boolean }) => s.current)).toEqual([true, false]);
      expect(sessions[1]).toMatchObject({ user_agent: 'Firefox on the laptop', created_at: expect.any(String), last_seen_at: expect.any(String), expires_at: expect.any(String) });
      expect(Date.parse(sessions[1].last_seen_at)).toBeGreaterThan(Date.now() - 60_000);
      const sids: string[] = (await env.app.query(`SELECT sid FROM session WHERE sess->'passport'->>'user' = (SELECT id::text FROM users WHERE email = $1)`, [user.email])).map((r) => r.sid);
      expect(sids).toHaveLength(2);
      for (const sid of sids) expect(res.text).not.toContain(sid);
    });

    test('when another browser is signed out from the list, then it answers 401 and this one stays', async () => {
      const user = await env.app.signUp();
      const other = await secondBrowser(user);
      const otherId = (await user.get('/api/auth/sessions')).json.sessions.find((s: { current: boolean }) => !s.current).id;

      const res = await user.delete(`/api/auth/sessions/${otherId}`);

      expect(res.status).toBe(204);
      expect((await other.get('/api/auth/me')).status).toBe(401);
      expect((await user.get('/api/auth/me')).status).toBe(200);
      expect((await user.get('/api/auth/sessions')).json.sessions).toHaveLength(1);
    });

    test("when another user's browser, or a made-up id, is signed out, then 404 session_not_found and that browser stays", async () => {
      const user = await env.app.signUp();
      const stranger = await env.app.signUp();
      const strangerId = (await stranger.get('/api/auth/sessions')).json.sessions[0].id;

      const foreign = await user.delete(`/api/auth/sessions/${strangerId}`);
      const madeUp = await user.delete('/api/auth/sessions/not-a-session');

      expect(foreign.status).toBe(404);
      expect(foreign.json.error.code).toBe('session_not_found');
      expect(madeUp.status).toBe(404);
      expect((await stranger.get('/api/auth/me')).status).toBe(200);
    });

    test("when this browser's own id is signed out, then it is a logout: the cookie is cleared and the session is gone", async () => {
      const user = await env.app.signUp();
      const ownId = (await user.get('/api/auth/sessions')).json.sessions[0].id;

      const res = await user.delete(`/api/auth/sessions/${ownId}`);

      expect(res.status).toBe(204);
      expect(res.headers.getSetCookie().join()).toMatch(/sid=;.*Expires=Thu, 01 Jan 1970/i);
      expect((await user.get('/api/auth/me')).status).toBe(401);
    });
  });

  describe('DELETE /api/auth/account', () => {
    /** A user with everything an account can own: connected Tasks, history, API tokens, a webhook with deliveries, a pending authorization, two browsers. */
    async function populatedAccount() {
      const { user, task } = await connectedTask(env.app);
      const webhook = (await user.post('/api/webhooks', { url: WEBHOOK_URL, events: ['connection.connected', 'connection.disconnected'] })).json.webhook;
      const second = (await user.post('/api/tasks', { name: 'Second connected task' })).json.task;
      await connectTask(user, second.id, { username: 'grace@acme.example' });
      const pending = (await user.post('/api/tasks', { name: 'Authorizing' })).json.task;
      expect((await user.post(`/api/tasks/${pending.id}/sfdc/authorize`, { environment: 'production' })).status).toBe(200);
      const token = (await user.post('/api/tokens', { name: 'service' })).json.token as string;
      const other = await secondBrowser(user);
      const userId = (await user.get('/api/auth/me')).json.user.id as string;
      return { user, userId, other, token, webhookId: webhook.id as string, connectedTaskIds: [task.id as string, second.id as string] };
    }

    async function refreshTokenOf(taskId: string): Promise<string> {
      const stored = await env.app.deps.credentials.readStored(taskId);
      return env.app.deps.credentials.decryptRefreshToken(taskId, stored!)!;
    }

    function grantOf(refreshToken: string) {
      return [...env.emulator.state.families.values()].find((family) => family.refreshToken === refreshToken);
    }

    /**
     * The user's rows in every table of the schema, by the column that ties a table to them. Task
     * and endpoint ids are taken before anything is deleted, so rows left behind by them still count.
     */
    async function rowsOf(userId: string): Promise<Record<string, number>> {
      const ids = async (sql: string) => (await env.app.query(sql, [userId])).map((row) => row.id as string);
      const owned = (ownedIds[userId] ??= { tasks: await ids('SELECT id FROM tasks WHERE user_id = $1'), endpoints: await ids('SELECT id FROM webhook_endpoints WHERE user_id = $1') });
      const [counts] = await env.app.query(
        `SELECT (SELECT count(*) FROM users WHERE id = $1)::int AS users,
                (SELECT count(*) FROM tasks WHERE user_id = $1 OR id = ANY($2::uuid[]))::int AS tasks,
                (SELECT count(*) FROM sfdc_events WHERE task_id = ANY($2::uuid[]))::int AS sfdc_events,
                (SELECT count(*) FROM api_tokens WHERE user_id = $1)::int AS api_tokens,
                (SELECT count(*) FROM webhook_endpoints WHERE user_id = $1 OR id = ANY($3::uuid[]))::int AS webhook_endpoints,
                (SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ANY($3::uuid[]))::int AS webhook_deliveries,
                (SELECT count(*) FROM sfdc_oauth_states WHERE user_id = $1 OR task_id = ANY($2::uuid[]))::int AS sfdc_oauth_states,
                (SELECT count(*) FROM session WHERE sess->'passport'->>'user' = $1::text)::int AS session`,
        [userId, owned.tasks, owned.endpoints],
      );
      return counts;
    }
    const ownedIds: Record<string, { tasks: string[]; endpoints: string[] }> = {};

    test("when every table of the schema is listed, then each is one this suite checks a deleted user's rows in", async () => {
      // A new table must be added to rowsOf above (and, if it holds a user's data, to the deletion).
      const tables = (await env.app.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`)).map((r) => r.table_name);

      expect(tables).toEqual(['api_tokens', 'migrations', 'session', 'sfdc_events', 'sfdc_oauth_states', 'tasks', 'users', 'webhook_deliveries', 'webhook_endpoints']);
    });

    test("when the password is right, then every connection is revoked at Salesforce, every row of the user is gone, the cookie and API tokens answer 401, and another user's data is untouched", async () => {
      // Arrange
      const doomed = await populatedAccount();
      const kept = await populatedAccount();
      const doomedGrants = await Promise.all(doomed.connectedTaskIds.map(refreshTokenOf));
      const keptGrants = await Promise.all(kept.connectedTaskIds.map(refreshTokenOf));
      const before = await rowsOf(doomed.userId);
      const keptBefore = await rowsOf(kept.userId);
      expect(
        Object.values(before).every((count) => count > 0),
        JSON.stringify(before),
      ).toBe(true); // the user owns a row in every table

      // Act
      const res = await doomed.user.delete('/api/auth/account', { json: { password: doomed.user.password } });

      // Assert
      expect(res.status, res.text).toBe(204);
      for (const refreshToken of doomedGrants) expect(grantOf(refreshToken)?.isRevoked).toBe(true);
      for (const refreshToken of keptGrants) expect(grantOf(refreshToken)?.isRevoked).toBe(false);
      expect(await rowsOf(doomed.userId)).toEqual(Object.fromEntries(Object.keys(before).map((table) => [table, 0])));
      expect((await doomed.user.get('/api/auth/me')).status).toBe(401);
      expect((await doomed.other.get('/api/auth/me')).status).toBe(401);
      expect((await env.app.client().withToken(doomed.token).get('/api/tasks')).status).toBe(401);
      expect(await signInStatus(doomed.user.email, doomed.user.password)).toBe(401);

      expect(await rowsOf(kept.userId)).toEqual(keptBefore);
      expect((await kept.user.get('/api/auth/me')).status).toBe(200);
      expect((await kept.other.get('/api/auth/me')).status).toBe(200);
      expect((await env.app.client().withToken(kept.token).get('/api/tasks')).json.tasks).toHaveLength(3);
      expect((await kept.user.post(`/api/tasks/${kept.connectedTaskIds[0]}/sfdc/test`, {})).json.status).toBe(true);
    });

    test('when the password is wrong, then 400 wrong_password and nothing changes, at Salesforce or here', async () => {
      const account = await populatedAccount();
      const before = await rowsOf(account.userId);

      const res = await account.user.delete('/api/auth/account', { json: { password: 'not the password' } });

      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('wrong_password');
      expect(env.emulator.state.callCounts.get('revoke') ?? 0).toBe(0);
      expect(await rowsOf(account.userId)).toEqual(before);
      expect((await account.user.get('/api/auth/me')).status).toBe(200);
      expect((await env.app.client().withToken(account.token).get('/api/tasks')).status).toBe(200);
    });

    test('when Salesforce cannot be reached to revoke a connection, then the failure is logged and the account is deleted anyway', async () => {
      const { user, task } = await connectedTask(env.app);
      const userId = (await user.get('/api/auth/me')).json.user.id;
      // The stored login host stops answering (nothing listens on port 9).
      await env.app.query(`UPDATE tasks SET sfdc = jsonb_set(sfdc, '{login_url}', '"http://127.0.0.1:9"') WHERE id = $1`, [task.id]);
      const logged = env.app.logs.length;

      const res = await user.delete('/api/auth/account', { json: { password: user.password } });

      expect(res.status).toBe(204);
      expect(await rowsOf(userId)).toMatchObject({ users: 0, tasks: 0, session: 0 });
      expect(env.app.logs.slice(logged).some((line) => line.includes('revoking the salesforce refresh token failed'))).toBe(true);
    });
  });

  test('when an API token of every scope calls any of the four account routes, then 403 forbidden_for_api_token and nothing changes', async () => {
    const user = await env.app.signUp();
    const token = (await user.post('/api/tokens', { name: 'all scopes', scopes: ['tasks:read', 'tasks:write', 'salesforce:test', 'salesforce:proxy', 'webhooks:manage'] })).json.token;
    const sessionId = (await user.get('/api/auth/sessions')).json.sessions[0].id;
    const service = env.app.client().withToken(token);

    const answers = [
      await service.patch('/api/auth/password', { current_password: user.password, new_password: 'a brand new passphrase' }),
      await service.get('/api/auth/sessions'),
      await service.delete(`/api/auth/sessions/${sessionId}`),
      await service.delete('/api/auth/account', { json: { password: user.password } }),
    ];

    expect(answers.map((res) => [res.status, res.json?.error?.code])).toEqual(Array(4).fill([403, 'forbidden_for_api_token']));
    expect((await user.get('/api/auth/me')).status).toBe(200);
    expect(await signInStatus(user.email, user.password)).toBe(200);
  });
});
