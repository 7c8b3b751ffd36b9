import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app';
import type { TestClient } from './helpers/test-client';

/** Everything a bad request could have changed, to compare before and after. */
async function snapshot(app: TestApp) {
  return app.query(`
    SELECT (SELECT json_agg(u ORDER BY u.id) FROM (SELECT id, email, password_hash FROM users) u) AS users,
           (SELECT json_agg(t ORDER BY t.id) FROM tasks t) AS tasks,
           (SELECT json_agg(k ORDER BY k.id) FROM (SELECT id, user_id, name, token_hash FROM api_tokens) k) AS tokens`);
}

const TWO_MEGABYTES = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) });

describe('bad input on every endpoint', () => {
  let app: TestApp;
  let user: TestClient;
  let taskPath: string;
  let tokenPath: string;

  beforeAll(async () => {
    app = await startTestApp();
    user = await app.signUp('bad-input@example.com', 'a good password');
    taskPath = `/api/tasks/${(await user.post('/api/tasks', { name: 'kept as is' })).json.task.id}`;
    tokenPath = `/api/tokens/${(await user.post('/api/tokens', { name: 'kept' })).json.api_token.id}`;
  });
  afterAll(() => app.stop());

  /** [method, path, typed-but-wrong bodies] for every endpoint that reads a body. */
  const endpoints = (): [string, string, unknown[]][] => [
    [
      'POST',
      '/api/auth/register',
      [
        {},
        { email: 'not-an-email', password: 'long enough' },
        { email: 'new@example.com', password: 'short' },
        { email: 42, password: true },
        { email: 'new@example.com', password: 'long enough', admin: true },
        ['array'],
      ],
    ],
    [
      'POST',
      '/api/auth/login',
      [{}, { email: 'bad-input@example.com' }, { email: ['bad-input@example.com'], password: 'a good password' }, { email: 'bad-input@example.com', password: 'a good password', extra: 1 }],
    ],
    [
      'POST',
      '/api/tasks',
      [
        {},
        { name: '' },
        { name: '   ' },
        { name: 'x'.repeat(201) },
        { name: 7 },
        { name: 'ok', description: { nested: true } },
        { name: 'ok', owner: 'someone' },
        { name: 'ok', user_id: '00000000-0000-4000-8000-000000000000' },
        null,
      ],
    ],
    ['PATCH', taskPath, [{}, { name: '' }, { name: null }, { description: 'x'.repeat(5001) }, { sfdc: { access_token: 'planted' } }, { id: '00000000-0000-4000-8000-000000000000' }, 'a string']],
    ['POST', '/api/tokens', [{}, { name: '' }, { name: 'x'.repeat(101) }, { name: 1 }, { name: 'ok', token: 'chosen' }]],
  ];

  test('when bodies have wrong types, missing or unknown fields, then 400 with the issues listed, and nothing is written', async () => {
    const before = await snapshot(app);

    for (const [method, path, bodies] of endpoints()) {
      for (const body of bodies) {
        const res = await user.request(method, path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
        expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
        expect(res.json.error.code, `${method} ${path}`).toMatch(/^(invalid_request|invalid_json)$/);
        expect(res.json.error.message).toEqual(expect.any(String));
        if (res.json.error.code === 'invalid_request') expect(res.json.error.details.issues.length).toBeGreaterThan(0);
      }
    }

    expect(await snapshot(app)).toEqual(before);
    expect((await user.get('/api/auth/me')).status).toBe(200);
  });

  test('when a body is malformed JSON, too large, not JSON, or smuggles __proto__, then a 4xx envelope and nothing is written', async () => {
    const before = await snapshot(app);
    const raw = (body: string, contentType = 'application/json') => ({ body, headers: { 'content-type': contentType } });
    const cases: [ReturnType<typeof raw>, number, string][] = [
      [raw('{"name": "unterminated'), 400, 'invalid_json'],
      [raw('{name: "no quotes"}'), 400, 'invalid_json'],
      [raw('"just a string"'), 400, 'invalid_json'],
      [raw(TWO_MEGABYTES), 413, 'payload_too_large'],
      [raw('name=form+post', 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type'],
      [raw('{"name":"text plain"}', 'text/plain'), 415, 'unsupported_media_type'],
      [raw('{"name":"ok","__proto__":{"isAdmin":true}}'), 400, 'invalid_request'],
      [raw('{"name":"ok","constructor":{"prototype":{"polluted":true}}}'), 400, 'invalid_request'],
      [raw(`{"name":${'['.repeat(5000)}${']'.repeat(5000)}}`), 400, 'invalid_request'],
    ];

    for (const [method, path] of endpoints()) {
      for (const [options, status, code] of cases) {
        const res = await user.request(method, path, options);
        expect(res.status, `${method} ${path} ${options.body.slice(0, 40)}`).toBe(status);
        expect(res.json?.error?.code, `${method} ${path} ${options.body.slice(0, 40)}`).toBe(code);
      }
    }

    expect(await snapshot(app)).toEqual(before);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await app.client().get('/healthz')).status).toBe(200);
  });

  test('when a resource id in the path is malformed or unusual unicode, then 404, never 500', async () => {
    const paths = ['/api/tasks/%E2%80%AE%F0%9F%92%A9', '/api/tasks/..%2F..%2Fetc', "/api/tasks/1'%20OR%201=1", `/api/tokens/${'9'.repeat(500)}`, '/api/tasks/%00'];

    for (const path of paths) {
      for (const method of ['GET', 'PATCH', 'DELETE']) {
        const res = await user.request(method, path, method === 'PATCH' ? { json: { name: 'x' } } : {});
        expect([404, 405], `${method} ${path}`).toContain(res.status);
        expect(res.json.error.code).toMatch(/not_found$/);
      }
    }
    expect((await user.get(taskPath)).json.task.name).toBe('kept as is');
    expect((await user.get('/api/tokens')).json.tokens.map((t: { id: string }) => `/api/tokens/${t.id}`)).toEqual([tokenPath]);
  });

  test('when an unknown API route is called, then 404 route_not_found in the envelope', async () => {
    const res = await user.get('/api/nothing-here');

    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: { code: 'route_not_found', message: expect.any(String) } });
  });
});
