import { describe, expect, test, vi } from 'vitest';
import { API_TOKEN_SCOPES, type ApiTokenScope } from '../src/contract';
import { requiredScope } from '../src/tokens/scopes';
import { connectTask, useTestEmulator } from './helpers/salesforce-kit';
import type { TestClient } from './helpers/test-client';

const PROXIED = 'services/data/v62.0/limits';

describe('scoped, expiring API tokens', () => {
  const env = useTestEmulator();

  async function tokenFor(user: TestClient, body: Record<string, unknown>) {
    const res = await user.post('/api/tokens', { name: 'service', ...body });
    expect(res.status, res.text).toBe(201);
    return { token: res.json.token as string, apiToken: res.json.api_token, client: env.app.client().withToken(res.json.token) };
  }

  /** One request per route a token may reach, with the scope it needs. */
  function routes(taskId: string, webhookId: string): { method: string; path: string; body?: unknown; scope: ApiTokenScope }[] {
    return [
      { method: 'GET', path: '/api/tasks', scope: 'tasks:read' },
      { method: 'GET', path: `/api/tasks/${taskId}`, scope: 'tasks:read' },
      { method: 'GET', path: `/api/tasks/${taskId}/sfdc`, scope: 'tasks:read' },
      { method: 'GET', path: `/api/tasks/${taskId}/sfdc/events`, scope: 'tasks:read' },
      { method: 'GET', path: '/api/config', scope: 'tasks:read' },
      { method: 'POST', path: '/api/tasks', body: { name: 'by a token' }, scope: 'tasks:write' },
      { method: 'PATCH', path: `/api/tasks/${taskId}`, body: { name: 'renamed' }, scope: 'tasks:write' },
      { method: 'POST', path: `/api/tasks/${taskId}/sfdc/authorize`, body: { environment: 'production' }, scope: 'tasks:write' },
      { method: 'DELETE', path: `/api/tasks/${taskId}/sfdc`, scope: 'tasks:write' },
      { method: 'DELETE', path: `/api/tasks/${taskId}`, scope: 'tasks:write' },
      { method: 'POST', path: `/api/tasks/${taskId}/sfdc/test`, body: {}, scope: 'salesforce:test' },
      { method: 'POST', path: '/sfdc/test', body: { id: taskId }, scope: 'salesforce:test' },
      { method: 'GET', path: `/api/tasks/${taskId}/sfdc/proxy/${PROXIED}`, scope: 'salesforce:proxy' },
      { method: 'POST', path: `/api/tasks/${taskId}/sfdc/proxy/services/data/v62.0/sobjects/Account`, body: { Name: 'x' }, scope: 'salesforce:proxy' },
      { method: 'GET', path: '/api/webhooks', scope: 'webhooks:manage' },
      { method: 'POST', path: '/api/webhooks', body: { url: 'http://127.0.0.1:9/hook', events: ['connection.connected'] }, scope: 'webhooks:manage' },
      { method: 'GET', path: `/api/webhooks/${webhookId}/deliveries`, scope: 'webhooks:manage' },
      { method: 'DELETE', path: `/api/webhooks/${webhookId}`, scope: 'webhooks:manage' },
    ];
  }

  test('when a token lacks the scope a route needs, then every route answers 403 insufficient_scope naming it, and changes nothing', async () => {
    // Arrange
    const user = await env.app.signUp();
    const task = (await user.post('/api/tasks', { name: 'kept' })).json.task;
    await connectTask(user, task.id);
    const webhook = (await user.post('/api/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['connection.connected'] })).json.webhook;

    for (const scope of API_TOKEN_SCOPES) {
      const { client } = await tokenFor(user, { scopes: API_TOKEN_SCOPES.filter((s) => s !== scope) });
      for (const route of routes(task.id, webhook.id).filter((r) => r.scope === scope)) {
        // Act
        const res = await client.request(route.method, route.path, route.body === undefined ? {} : { json: route.body });

        // Assert
        expect([res.status, res.json?.error?.code, res.json?.error?.details?.required_scope], `${route.method} ${route.path}`).toEqual([403, 'insufficient_scope', scope]);
      }
    }
    expect((await user.get(`/api/tasks/${task.id}`)).json.task.name).toBe('kept');
    expect((await user.get(`/api/tasks/${task.id}/sfdc`)).json.sfdc.status).toBe('connected');
    expect((await user.get('/api/webhooks')).json.webhooks).toHaveLength(1);
  });

  test('when the scope table is asked about every route, then each needs the scope the matrix above says', () => {
    for (const route of routes('00000000-0000-4000-8000-000000000000', '00000000-0000-4000-8000-000000000001')) {
      expect(requiredScope(route.method, route.path), `${route.method} ${route.path}`).toBe(route.scope);
    }
    expect(requiredScope('GET', '/api/auth/me')).toBeUndefined();
  });

  test('when a token is limited to Task A, then Task B is a 404 everywhere and absent from its list', async () => {
    // Arrange
    const user = await env.app.signUp();
    const a = (await user.post('/api/tasks', { name: 'A' })).json.task;
    const b = (await user.post('/api/tasks', { name: 'B' })).json.task;
    await connectTask(user, a.id);
    await connectTask(user, b.id, { username: 'grace@acme.example' });
    const { client, apiToken } = await tokenFor(user, { task_ids: [a.id] });

    // Act
    const list = await client.get('/api/tasks');
    const onB = await Promise.all(
      routes(b.id, '00000000-0000-4000-8000-000000000001')
        .filter((r) => r.path.includes(b.id))
        .map((r) => client.request(r.method, r.path, r.body === undefined ? {} : { json: r.body })),
    );
    const onA = await client.get(`/api/tasks/${a.id}/sfdc/proxy/${PROXIED}`);

    // Assert
    expect(apiToken.task_ids).toEqual([a.id]);
    expect(list.json.tasks.map((t: { name: string }) => t.name)).toEqual(['A']);
    expect(onB.map((r) => [r.status, r.json?.error?.code])).toEqual(onB.map(() => [404, 'task_not_found']));
    expect(onA.status).toBe(200);
    expect((await user.get(`/api/tasks/${b.id}`)).json.task.name).toBe('B');
  });

  test('when a token has expired, then it answers 401 token_expired, and the list marks it expired', async () => {
    // Arrange
    const user = await env.app.signUp();
    const { client, apiToken } = await tokenFor(user, { expires_at: new Date(Date.now() + 1_500).toISOString() });
    expect((await client.get('/api/tasks')).status).toBe(200);

    // Act
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const after = await client.get('/api/tasks');

    // Assert
    expect([after.status, after.json.error.code]).toEqual([401, 'token_expired']);
    expect((await user.get('/api/tokens')).json.tokens.find((t: { id: string }) => t.id === apiToken.id)).toMatchObject({ expired: true });
  });

  test('when a token is created with bad scopes, tasks or expiry, then 400 and no token; without scopes it gets the four defaults', async () => {
    const user = await env.app.signUp();
    const stranger = await env.app.signUp();
    const strangersTask = (await stranger.post('/api/tasks', { name: 'not yours' })).json.task;

    const answers = await Promise.all([
      user.post('/api/tokens', { name: 'x', scopes: ['tasks:admin'] }),
      user.post('/api/tokens', { name: 'x', scopes: [] }),
      user.post('/api/tokens', { name: 'x', task_ids: [strangersTask.id] }),
      user.post('/api/tokens', { name: 'x', expires_at: new Date(Date.now() - 60_000).toISOString() }),
      user.post('/api/tokens', { name: 'x', expires_at: new Date(Date.now() + 400 * 86_400_000).toISOString() }),
      user.post('/api/tokens', { name: 'x', expires_at: 'tomorrow' }),
    ]);
    const plain = await tokenFor(user, {});

    expect(answers.map((r) => [r.status, r.json.error.code])).toEqual(answers.map(() => [400, 'invalid_request']));
    expect((await user.get('/api/tokens')).json.tokens).toHaveLength(1);
    expect(plain.apiToken).toMatchObject({ scopes: ['tasks:read', 'tasks:write', 'salesforce:test', 'salesforce:proxy'], task_ids: null, expires_at: null, expired: false, calls: 0 });
  });

  test('when a bearer caller uses /api/tokens, then 403 forbidden_for_api_token whatever its scopes', async () => {
    const user = await env.app.signUp();
    const { client } = await tokenFor(user, { scopes: [...API_TOKEN_SCOPES] });

    const answers = [await client.get('/api/tokens'), await client.post('/api/tokens', { name: 'minted' })];

    expect(answers.map((r) => [r.status, r.json.error.code])).toEqual([
      [403, 'forbidden_for_api_token'],
      [403, 'forbidden_for_api_token'],
    ]);
  });

  test('when a token makes calls, then they are counted, and written in a batch rather than once per call', async () => {
    // Arrange
    const user = await env.app.signUp();
    const { client, apiToken } = await tokenFor(user, {});

    // Act
    for (let i = 0; i < 25; i++) expect((await client.get('/api/tasks')).status).toBe(200);
    const stored = Number((await env.app.query('SELECT calls FROM api_tokens WHERE id = $1', [apiToken.id]))[0].calls);
    const listed = (await user.get('/api/tokens')).json.tokens.find((t: { id: string }) => t.id === apiToken.id);
    await env.app.deps.apiTokens.flushCalls();

    // Assert
    expect(stored).toBeLessThanOrEqual(1); // the first call's write at most: the rest waits for the batch
    expect(listed.calls).toBe(25); // the list adds what is counted in memory
    expect(listed.last_used_at).not.toBeNull();
    await vi.waitFor(async () => expect(Number((await env.app.query('SELECT calls FROM api_tokens WHERE id = $1', [apiToken.id]))[0].calls)).toBe(25));
  });
});
