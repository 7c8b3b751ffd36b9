import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app';
import type { TestClient } from './helpers/test-client';

import { snapshot, badBodies, firstTried, decodable, garbageSegment, type RawResponse, type Caller, rawRequest, expectRejected, describeBody, PROTOTYPES } from './helpers/property-kit';

// Property-based bad input (fast-check) for accounts, API tokens and Tasks; the Salesforce
// endpoints are in property-input-salesforce.api.test.ts. Every answer must be a 4xx envelope or
// a success the input really deserved (undone at once), never a 500, with no row changed and
// the server still answering.

describe('bad input on every account, token and Task endpoint (property-based)', () => {
  let app: TestApp;
  let user: TestClient & { email: string; password: string };
  let service: Caller;
  let leaver: TestClient & { email: string; password: string };
  let taskId: string;
  let baseline: unknown;
  const prototypes = PROTOTYPES();

  beforeAll(async () => {
    app = await startTestApp();
    user = await app.signUp('property@example.com', 'a good password');
    taskId = (await user.post('/api/tasks', { name: 'kept as is', description: 'untouched' })).json.task.id;
    leaver = await app.signUp('leaver@example.com', 'another good password');
    service = { baseUrl: app.url, cookies: new Map(), authorization: `Bearer ${(await user.post('/api/tokens', { name: 'svc' })).json.token}` };
    baseline = await snapshot(app);
  });
  afterAll(() => app.stop());

  /** Nothing written, nothing polluted, and the server still answers. */
  async function expectNothingChanged(what: string): Promise<void> {
    expect(await snapshot(app), what).toEqual(baseline);
    expect(PROTOTYPES(), what).toEqual(prototypes);
    expect((await app.client().get('/healthz')).status, what).toBe(200);
  }

  /** Undo of a success the input deserved: check its shape and put the database back. */
  type Undo = (res: RawResponse) => Promise<void>;
  const undoTask: Undo = async (res) => {
    expect(res.status).toBe(201);
    await app.query('DELETE FROM tasks WHERE id = $1', [res.json.task.id]);
  };
  const restorePatched: Undo = async (res) => {
    expect(res.status).toBe(200);
    const [kept] = (baseline as [{ tasks: { id: string; name: string; description: string; updated_at: string }[] }])[0].tasks.filter((t) => t.id === taskId);
    await app.query('UPDATE tasks SET name = $2, description = $3, updated_at = $4 WHERE id = $1', [taskId, kept.name, kept.description, kept.updated_at]);
  };

  const endpoints: [string, () => Caller, string, () => string, string[], Undo][] = [
    [
      'POST /api/auth/register',
      () => app.client(),
      'POST',
      () => '/api/auth/register',
      ['email', 'password'],
      async (res) => {
        expect(res.status).toBe(201);
        await app.query('DELETE FROM users WHERE id = $1', [res.json.user.id]);
      },
    ],
    ['POST /api/auth/logout (anonymous)', () => app.client(), 'POST', () => '/api/auth/logout', ['email'], async (res) => expect(res.status).toBe(204)],
    [
      'POST /api/auth/logout (signed in)',
      () => leaver,
      'POST',
      () => '/api/auth/logout',
      ['email'],
      async (res) => {
        expect(res.status).toBe(204); // any JSON body will do: sign back in for the next run
        expect((await leaver.post('/api/auth/login', { email: leaver.email, password: leaver.password })).status).toBe(200);
      },
    ],
    [
      'POST /api/tokens',
      () => user,
      'POST',
      () => '/api/tokens',
      ['name'],
      async (res) => {
        expect(res.status).toBe(201);
        await app.query('DELETE FROM api_tokens WHERE id = $1', [res.json.api_token.id]);
      },
    ],
    ['POST /api/tasks', () => user, 'POST', () => '/api/tasks', ['name', 'description'], undoTask],
    ['POST /api/tasks with an API token', () => service, 'POST', () => '/api/tasks', ['name', 'description'], undoTask],
    ['PATCH /api/tasks/:id', () => user, 'PATCH', () => `/api/tasks/${taskId}`, ['name', 'description'], restorePatched],
    ['PATCH /api/tasks/:id with an API token', () => service, 'PATCH', () => `/api/tasks/${taskId}`, ['name', 'description'], restorePatched],
    // Last: failed logins count towards the per-IP limit (then 429, still a 4xx envelope), which must not starve the re-logins above.
    ['POST /api/auth/login', () => app.client(), 'POST', () => '/api/auth/login', ['email', 'password'], async (res) => expect(res.status).toBe(200)],
  ];

  test.each(endpoints)(
    'when %s gets arbitrary bodies, then a 4xx envelope or a deserved success, never a 500, and nothing is written',
    async (_name, client, method, path, keys, undo) => {
      const plausible = fc.constantFrom(user.email, user.password, leaver.email);
      await fc.assert(
        fc.asyncProperty(badBodies(keys, plausible), async (bad) => {
          const res = await rawRequest(client(), method, path(), bad);
          const what = `${method} ${path()} ${describeBody(bad)}`;
          if (res.status < 300) await undo(res);
          else expectRejected(res, what);
          await expectNothingChanged(what);
        }),
        { numRuns: 40, examples: firstTried(keys) },
      );
    },
    60_000,
  );

  test('when a Task or token id in the path is garbage, then 404 (400 for a malformed escape) in the envelope, never 500, and nothing is written', async () => {
    const call = fc.record({
      route: fc.constantFrom('GET /api/tasks/', 'PATCH /api/tasks/', 'DELETE /api/tasks/', 'DELETE /api/tokens/'),
      segment: garbageSegment,
      viaToken: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(call, async ({ route, segment, viaToken }) => {
        const [method, prefix] = route.split(' ');
        const body = method === 'PATCH' ? '{"name":"renamed"}' : undefined;
        const res = await rawRequest(viaToken ? service : user, method, prefix + segment, { body, headers: body ? { 'content-type': 'application/json' } : {} });
        const what = `${method} ${prefix}${segment.slice(0, 200)}`;
        expectRejected(res, what, method);
        // An API token never reaches the token routes (403 whatever the id); otherwise a malformed escape may be a 400, an id never.
        const expected = viaToken && prefix === '/api/tokens/' ? [403] : decodable(segment) ? [404] : [400, 404];
        expect(expected, what).toContain(res.status);
        await expectNothingChanged(what);
      }),
      { numRuns: 60, examples: [[{ route: 'GET /api/tasks/', segment: '%', viaToken: false }], [{ route: 'DELETE /api/tokens/', segment: '%E0%A4%A', viaToken: true }]] },
    );
  }, 60_000);
});
