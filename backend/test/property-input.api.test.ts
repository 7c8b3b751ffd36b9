import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from './test-app';
import type { TestClient } from './test-client';

// Property-based bad input (fast-check) for accounts, API tokens and Tasks; the Salesforce
// endpoints are in property-input-salesforce.api.test.ts. Every answer must be a 4xx envelope or
// a success the input really deserved (undone at once), never a 500, with no row changed and
// the server still answering.

/** Everything a bad request could have changed, to compare before and after. */
async function snapshot(app: TestApp) {
  return app.query(`
    SELECT (SELECT json_agg(u ORDER BY u.id) FROM (SELECT id, email, password_hash FROM users) u) AS users,
           (SELECT json_agg(t ORDER BY t.id) FROM tasks t) AS tasks,
           (SELECT json_agg(k ORDER BY k.id) FROM (SELECT id, user_id, name, token_hash FROM api_tokens) k) AS tokens,
           (SELECT json_agg(s ORDER BY s.state_hash) FROM (SELECT state_hash, user_id, task_id FROM sfdc_oauth_states) s) AS states`);
}

// ---- Generators ----------------------------------------------------------------------------

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const oddChar = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  loneSurrogate,
  fc.constantFrom('\u0000', '\u202e', '\ufeff', '\u200b', '\u0301', '😀', '\r\n', '"', '\\', '%', "'", ' '),
);
const oddString = fc.string({ unit: oddChar, maxLength: 30 });
/** ~100 KB of a repeated odd pattern (it may end in half a surrogate pair). */
const hugeString = fc
  .tuple(fc.string({ unit: oddChar, minLength: 1, maxLength: 4 }), fc.integer({ min: 90_000, max: 110_000 }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));
const anyJson = fc.jsonValue({ maxDepth: 4 });
const DANGEROUS_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'isAdmin', 'toJSON'];
/** Objects whose own keys shadow Object.prototype (fc.dictionary makes `__proto__` an own key, so JSON.stringify keeps it). */
const hostileObject = fc.dictionary(fc.constantFrom(...DANGEROUS_KEYS), anyJson, { minKeys: 1, maxKeys: 3 });
const fieldValue = fc.oneof(
  { arbitrary: anyJson, weight: 3 },
  { arbitrary: oddString, weight: 4 },
  { arbitrary: hostileObject, weight: 1 },
  { arbitrary: fc.emailAddress(), weight: 1 },
  { arbitrary: hugeString, weight: 1 },
);

/** A JSON object as raw text, so a `__proto__` key stays an own key of the parsed body. */
const objectText = (pairs: [string, unknown][]) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;

/** Thousands of levels of nesting as text, under the field a route reads (or at the top). */
function nestedText(key: string | null, depth: number, shape: 'array' | 'object'): string {
  const deep = shape === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  return key === null ? deep : `{${JSON.stringify(key)}:${deep}}`;
}

const JUNK = ['{', '}', '[', ']', ',', ':', '"', '\\', "'", '\u0000', 'x', 'NaN', '\ufeff', '/*', '\ud800'];
function mutate(text: string, { at, kind, junk }: { at: number; kind: string; junk: string }): string {
  const i = at % (text.length + 1);
  if (kind === 'truncate') return text.slice(0, i);
  if (kind === 'delete') return text.slice(0, i) + text.slice(i + 1);
  if (kind === 'replace') return text.slice(0, i) + junk + text.slice(i + 1);
  return text.slice(0, i) + junk + text.slice(i);
}

const WRONG_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zz', 'application/xml', 'application/vnd.api+json', 'application/json; charset=utf-16', 'application/json; charset=koi8-r', 'application/jsonx', '*/*', ''];

interface BadBody {
  /** Raw bytes (a Buffer goes without any content type). */
  body: string | Buffer;
  headers: Record<string, string>;
}

/** Bodies for a route that reads `keys`: wrong types, hostile keys, deep nesting, malformed JSON, wrong content types. */
function badBodies(keys: string[], plausible: fc.Arbitrary<unknown> = fieldValue): fc.Arbitrary<BadBody> {
  const value = fc.oneof(fieldValue, plausible);
  const typed = fc.array(fc.tuple(fc.constantFrom(...keys), value), { maxLength: 4 });
  const hostile = fc.tuple(typed, fc.array(fc.tuple(fc.constantFrom(...DANGEROUS_KEYS), anyJson), { minLength: 1, maxLength: 3 })).map(([a, b]) => [...a, ...b]);
  const complete = fc.record(Object.fromEntries(keys.map((k) => [k, fc.oneof(oddString, plausible)]))); // right keys, right types, odd text
  const jsonText = fc.oneof(anyJson.map((v) => JSON.stringify(v)), complete.map((v) => JSON.stringify(v)), typed.map(objectText), hostile.map(objectText));
  const deep = fc.tuple(fc.constantFrom<string | null>(null, '__proto__', ...keys), fc.integer({ min: 1_000, max: 100_000 }), fc.constantFrom('array' as const, 'object' as const));
  const mutation = fc.record({ at: fc.nat(), kind: fc.constantFrom('truncate', 'delete', 'replace', 'insert'), junk: fc.constantFrom(...JUNK) });
  const json = (body: string): BadBody => ({ body, headers: { 'content-type': 'application/json' } });
  return fc.oneof<fc.Arbitrary<BadBody>[]>(
    jsonText.map(json),
    deep.map((args) => json(nestedText(...args))),
    fc.tuple(jsonText, mutation).map(([text, m]) => json(mutate(text, m))),
    fc.tuple(jsonText, fc.constantFrom(...WRONG_TYPES)).map(([text, type]) => (type ? { body: text, headers: { 'content-type': type } } : { body: Buffer.from(text), headers: {} }) as BadBody),
    fc.tuple(jsonText, fc.constantFrom('gzip', 'deflate', 'br', 'x-unknown')).map(([text, encoding]) => ({ body: text, headers: { 'content-type': 'application/json', 'content-encoding': encoding } })),
  );
}

/** Hostile bodies always tried first (fast-check `examples`): NUL, a `toString` that is no function, 10 000 levels. */
function firstTried(keys: string[]): [BadBody][] {
  const texts = keys.flatMap((k) => [`{"${k}":"\\u0000"}`, `{"${k}":{"toString":1}}`, nestedText(k, 10_000, 'array')]);
  return texts.map((body) => [{ body, headers: { 'content-type': 'application/json' } }]);
}

/** Percent-encodes anything, lone surrogates included (as the invalid UTF-8 a careless client sends). */
function encodeLoosely(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    out += c >= 0xd800 && c <= 0xdfff ? [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)].map((b) => `%${b.toString(16).toUpperCase()}`).join('') : encodeURIComponent(ch);
  }
  return out;
}

const decodable = (segment: string) => {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
};

/** One raw path segment that is not a resource id: odd text, malformed percent-encoding, dots, long digits. */
const garbageSegment = fc.oneof(
  fc.uuid(),
  oddString.filter((s) => s.length > 0).map(encodeLoosely),
  fc.stringMatching(/^[!-~]{1,60}$/).filter((s) => !/[/?#]/.test(s)),
  fc.constantFrom('%', '%zz', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%FF', '..', '%2e%2e', '%2F', '%00', '%25', "1'--", '9'.repeat(500)),
);

// ---- Requests and invariants ---------------------------------------------------------------

interface RawResponse {
  status: number;
  location?: string;
  text: string;
  json: any;
}

/** Who calls: a TestClient's session cookie, or an API token. */
interface Caller {
  baseUrl: string;
  cookies: Map<string, string>;
  authorization?: string;
}

/** A request with the path exactly as given (fetch would normalise dots and escapes). */
function rawRequest(caller: Caller, method: string, path: string, options: { body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(caller.baseUrl);
  const headers: Record<string, string> = { ...options.headers };
  if (caller.cookies.size) headers.cookie = [...caller.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
  if (caller.authorization) headers.authorization = caller.authorization;
  if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path, headers, agent: false, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: any;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode!, location: res.headers.location, text, json });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within 10 s: ${method} ${path}`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A 4xx answered in the error envelope (HEAD answers have no body). */
function expectRejected(res: RawResponse, what: string, method = 'POST'): void {
  const label = `${what} → ${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, label).toBeGreaterThanOrEqual(400);
  expect(res.status, label).toBeLessThan(500);
  if (method === 'HEAD') return;
  expect(Object.keys(res.json ?? {}), label).toEqual(['error']);
  expect(res.json.error, label).toMatchObject({ code: expect.stringMatching(/^[a-z][a-z0-9_]*$/), message: expect.any(String) });
}

const describeBody = (b: BadBody) => `${JSON.stringify(b.headers)} ${String(b.body).slice(0, 120)}${b.body.length > 120 ? `… (${b.body.length})` : ''}`;
const PROTOTYPES = () => [Object.prototype, Array.prototype, Function.prototype].map((p) => Object.getOwnPropertyNames(p).sort());

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
    ['POST /api/auth/register', () => app.client(), 'POST', () => '/api/auth/register', ['email', 'password'], async (res) => {
      expect(res.status).toBe(201);
      await app.query('DELETE FROM users WHERE id = $1', [res.json.user.id]);
    }],
    ['POST /api/auth/logout (anonymous)', () => app.client(), 'POST', () => '/api/auth/logout', ['email'], async (res) => expect(res.status).toBe(204)],
    ['POST /api/auth/logout (signed in)', () => leaver, 'POST', () => '/api/auth/logout', ['email'], async (res) => {
      expect(res.status).toBe(204); // any JSON body will do: sign back in for the next run
      expect((await leaver.post('/api/auth/login', { email: leaver.email, password: leaver.password })).status).toBe(200);
    }],
    ['POST /api/tokens', () => user, 'POST', () => '/api/tokens', ['name'], async (res) => {
      expect(res.status).toBe(201);
      await app.query('DELETE FROM api_tokens WHERE id = $1', [res.json.api_token.id]);
    }],
    ['POST /api/tasks', () => user, 'POST', () => '/api/tasks', ['name', 'description'], undoTask],
    ['POST /api/tasks with an API token', () => service, 'POST', () => '/api/tasks', ['name', 'description'], undoTask],
    ['PATCH /api/tasks/:id', () => user, 'PATCH', () => `/api/tasks/${taskId}`, ['name', 'description'], restorePatched],
    ['PATCH /api/tasks/:id with an API token', () => service, 'PATCH', () => `/api/tasks/${taskId}`, ['name', 'description'], restorePatched],
    // Last: failed logins count towards the per-IP limit (then 429, still a 4xx envelope), which must not starve the re-logins above.
    ['POST /api/auth/login', () => app.client(), 'POST', () => '/api/auth/login', ['email', 'password'], async (res) => expect(res.status).toBe(200)],
  ];

  test.each(endpoints)('when %s gets arbitrary bodies, then a 4xx envelope or a deserved success, never a 500, and nothing is written', async (_name, client, method, path, keys, undo) => {
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
  }, 60_000);

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
        expect(decodable(segment) ? [404] : [400, 404], what).toContain(res.status); // a malformed escape may be a 400; an id never
        await expectNothingChanged(what);
      }),
      { numRuns: 60, examples: [[{ route: 'GET /api/tasks/', segment: '%', viaToken: false }], [{ route: 'DELETE /api/tokens/', segment: '%E0%A4%A', viaToken: true }]] },
    );
  }, 60_000);
});
