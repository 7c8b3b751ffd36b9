import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/test-app';

describe('API tokens', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  test('when a user creates a token, then it is answered once, stored only as a hash, and listed without it', async () => {
    const user = await app.signUp();

    const created = await user.post('/api/tokens', { name: 'CI service' });
    const listed = await user.get('/api/tokens');
    const rows = await app.query('SELECT token_hash FROM api_tokens');

    expect(created.status).toBe(201);
    expect(created.json.token).toMatch(/^tsk_[A-Za-z0-9_-]{43}$/);
    expect(created.json.api_token).toEqual({
      id: expect.any(String),
      name: 'CI service',
      created_at: expect.any(String),
      last_used_at: null,
      scopes: ['tasks:read', 'tasks:write', 'salesforce:test', 'salesforce:proxy'],
      task_ids: null,
      expires_at: null,
      expired: false,
      calls: 0,
    });
    expect(listed.json.tokens).toEqual([created.json.api_token]);
    expect(listed.text).not.toContain(created.json.token);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(created.json.token);
  });

  test("when a service sends a token, then it acts as the token's user on any /api route, without a session cookie", async () => {
    const user = await app.signUp();
    await user.post('/api/tasks', { name: 'visible to the token' });
    const { token, api_token } = (await user.post('/api/tokens', { name: 'svc' })).json;
    const service = app.client().withToken(token);

    const me = await service.get('/api/auth/me');
    const tasks = await service.get('/api/tasks');
    const created = await service.post('/api/tasks', { name: 'made by the service' });
    const listed = await user.get('/api/tokens');

    expect(me.json.user.email).toBe(user.email);
    expect(tasks.json.tasks.map((t: { name: string }) => t.name)).toEqual(['visible to the token']);
    expect(created.status).toBe(201);
    expect(me.headers.getSetCookie()).toEqual([]);
    expect(listed.json.tokens.find((t: { id: string }) => t.id === api_token.id).last_used_at).toEqual(expect.any(String));
  });

  test('when a token is deleted, then it stops working at once', async () => {
    const user = await app.signUp();
    const { token, api_token } = (await user.post('/api/tokens', { name: 'short-lived' })).json;
    const service = app.client().withToken(token);
    expect((await service.get('/api/tasks')).status).toBe(200);

    const deleted = await user.delete(`/api/tokens/${api_token.id}`);
    const after = await service.get('/api/tasks');

    expect(deleted.status).toBe(204);
    expect(after.status).toBe(401);
    expect(after.json.error.code).toBe('unauthenticated');
  });

  test('when a service uses its API token on the account routes, then 403 forbidden_for_api_token and nothing changes (only GET /api/auth/me answers)', async () => {
    const user = await app.signUp();
    const { token, api_token } = (await user.post('/api/tokens', { name: 'leaked' })).json;
    const other = (await user.post('/api/tokens', { name: 'other service' })).json.api_token;
    const service = app.client().withToken(token);

    const refused = [
      await service.post('/api/tokens', { name: 'minted by a leaked token' }),
      await service.get('/api/tokens'),
      await service.delete(`/api/tokens/${other.id}`),
      await service.delete(`/api/tokens/${api_token.id}`),
      await service.post('/api/auth/logout'),
      await service.post('/api/auth/login', { email: user.email, password: user.password }),
      await service.post('/api/auth/register', { email: `svc-${api_token.id}@example.com`, password: 'correct horse battery' }),
    ];
    const me = await service.get('/api/auth/me');
    const tokens = await app.query('SELECT name FROM api_tokens WHERE user_id = (SELECT id FROM users WHERE email = $1) ORDER BY name', [user.email]);

    expect(refused.map((res) => [res.status, res.json?.error?.code])).toEqual(refused.map(() => [403, 'forbidden_for_api_token']));
    expect(me.status).toBe(200);
    expect(me.json.user.email).toBe(user.email);
    expect(tokens.map((t) => t.name)).toEqual(['leaked', 'other service']);
    expect(await app.query('SELECT 1 FROM users WHERE email = $1', [`svc-${api_token.id}@example.com`])).toEqual([]);
    // Revoking the leaked token (signed in) still works, and then it is dead everywhere.
    expect((await user.delete(`/api/tokens/${api_token.id}`)).status).toBe(204);
    expect((await service.get('/api/auth/me')).status).toBe(401);
  });

  test('when a bearer token is unknown or malformed, then 401 even if a valid session cookie rides along', async () => {
    const user = await app.signUp();

    const answers = await Promise.all(['Bearer tsk_unknown', 'Bearer', 'Basic dXNlcjpwYXNz', 'Bearer tsk_a tsk_b'].map((authorization) => user.get('/api/tasks', { headers: { authorization } })));

    expect(answers.map((r) => r.status)).toEqual([401, 401, 401, 401]);
  });

  test("when user B deletes user A's token, then 404 and A's token still works", async () => {
    const a = await app.signUp();
    const b = await app.signUp();
    const { token, api_token } = (await a.post('/api/tokens', { name: 'a' })).json;

    const res = await b.delete(`/api/tokens/${api_token.id}`);

    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('api_token_not_found');
    expect((await b.get('/api/tokens')).json.tokens).toEqual([]);
    expect((await app.client().withToken(token).get('/api/auth/me')).status).toBe(200);
  });

  test('when the user of a token is deleted, then the token stops working', async () => {
    const user = await app.signUp();
    const { token } = (await user.post('/api/tokens', { name: 'orphan' })).json;

    await app.query('DELETE FROM users WHERE email = $1', [user.email]);

    expect((await app.client().withToken(token).get('/api/tasks')).status).toBe(401);
  });
});
