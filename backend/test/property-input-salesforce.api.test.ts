import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { connectedTask, useSalesforceTestApp } from './salesforce-kit';
import type { TestApp } from './test-app';
import type { TestClient } from './test-client';

// Property-based bad input (fast-check) for the Salesforce endpoints: authorize, test, the OAuth
// callback and the proxy, against the built-in emulator. The generators and invariants are those
// of property-input.api.test.ts (kept in step with it): a 4xx envelope or a deserved success,
// never a 500, no row changed, the server still answering; and nothing but `services/…` ever
// reaching Salesforce.

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

describe('bad input on every Salesforce endpoint (property-based)', () => {
  const env = useSalesforceTestApp({ resetEmulator: false }); // one connection for the whole file
  let user: TestClient;
  let service: Caller;
  let connectedId: string;
  let idleId: string;
  let baseline: unknown;
  const prototypes = PROTOTYPES();

  beforeAll(async () => {
    const connected = await connectedTask(env.app);
    user = connected.user;
    connectedId = connected.task.id;
    idleId = (await user.post('/api/tasks', { name: 'never connected' })).json.task.id;
    service = { baseUrl: env.app.url, cookies: new Map(), authorization: `Bearer ${(await user.post('/api/tokens', { name: 'svc' })).json.token}` };
    baseline = await snapshot(env.app);
  });

  /** Forgets what reached the emulator so far; answers a reader of what reaches it from now on. */
  const watchUpstream = () => {
    env.emulator.state.requestLog = [];
    return () => env.emulator.state.requestLog;
  };

  /** Nothing written, nothing polluted, and the server still answers. */
  async function expectNothingChanged(what: string): Promise<void> {
    expect(await snapshot(env.app), what).toEqual(baseline);
    expect(PROTOTYPES(), what).toEqual(prototypes);
    expect((await env.app.client().get('/healthz')).status, what).toBe(200);
  }

  /** A callback redirect: always relative, into the SPA's /tasks pages. */
  const SPA_REDIRECT = /^\/tasks(\/[0-9a-f-]{36})?\?sfdc=(connected|error&code=[a-z0-9_]{1,64})$/;

  type Undo = (res: RawResponse) => Promise<void>;
  const forgetState: Undo = async (res) => {
    expect(res.status).toBe(200);
    const url = new URL(res.json.url);
    expect(url.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/); // a trusted host: the emulator's login or sandbox host
    await env.app.query('DELETE FROM sfdc_oauth_states WHERE state_hash = $1', [createHash('sha256').update(url.searchParams.get('state')!).digest('hex')]);
  };
  const notConnected: Undo = async (res) => {
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: false, code: 'salesforce_not_connected' });
  };
  const HOSTS = ['production', 'sandbox', 'custom', '127.0.0.1', 'https://127.0.0.1', 'acme.my.salesforce.com', 'http://127.0.0.1:1/x', '127.0.0.1@evil.example', 'evil.example#.127.0.0.1'];

  const endpoints: [string, () => Caller, () => string, string[], () => fc.Arbitrary<unknown>, Undo][] = [
    ['POST /api/tasks/:id/sfdc/authorize', () => user, () => `/api/tasks/${idleId}/sfdc/authorize`, ['environment', 'domain'], () => fc.constantFrom(...HOSTS), forgetState],
    ['POST /api/tasks/:id/sfdc/authorize with an API token', () => service, () => `/api/tasks/${idleId}/sfdc/authorize`, ['environment', 'domain'], () => fc.constantFrom(...HOSTS), forgetState],
    ['POST /api/tasks/:id/sfdc/test', () => user, () => `/api/tasks/${idleId}/sfdc/test`, ['id'], () => fc.constant(idleId), notConnected],
    ['POST /sfdc/test', () => user, () => '/sfdc/test', ['id'], () => fc.constantFrom(idleId, idleId.toUpperCase(), ` ${idleId}`), notConnected],
    ['POST /sfdc/test with an API token', () => service, () => '/sfdc/test', ['id'], () => fc.constantFrom(idleId, idleId.toUpperCase()), notConnected],
  ];

  test.each(endpoints)('when %s gets arbitrary bodies, then a 4xx envelope or a deserved success, never a 500, nothing written and nothing sent to Salesforce', async (_name, caller, path, keys, plausible, undo) => {
    await fc.assert(
      fc.asyncProperty(badBodies(keys, plausible()), async (bad) => {
        const upstream = watchUpstream();
        const res = await rawRequest(caller(), 'POST', path(), bad);
        const what = `POST ${path()} ${describeBody(bad)}`;
        if (res.status < 300) await undo(res);
        else expectRejected(res, what);
        expect(upstream(), what).toEqual([]);
        await expectNothingChanged(what);
      }),
      { numRuns: 30, examples: firstTried(keys) },
    );
  }, 60_000);

  test('when a Task id in a Salesforce route is garbage, then 404 (400 for a malformed escape) in the envelope, never 500, and nothing reaches Salesforce', async () => {
    const call = fc.record({
      route: fc.constantFrom('POST /sfdc/authorize', 'POST /sfdc/test', 'GET /sfdc', 'DELETE /sfdc', 'GET /sfdc/events', 'GET /sfdc/proxy/services/data/v62.0/limits', 'POST /sfdc/proxy/services/data/v62.0/sobjects/Account'),
      segment: garbageSegment,
      viaToken: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(call, async ({ route, segment, viaToken }) => {
        const [method, rest] = route.split(' ');
        const upstream = watchUpstream();
        const body = method === 'POST' ? '{"environment":"production","Name":"x"}' : undefined;
        const res = await rawRequest(viaToken ? service : user, method, `/api/tasks/${segment}${rest}`, { body, headers: body ? { 'content-type': 'application/json' } : {} });
        const what = `${method} /api/tasks/${segment.slice(0, 200)}${rest}`;
        expectRejected(res, what, method);
        expect(decodable(segment) ? [404] : [400, 404], what).toContain(res.status); // a malformed escape may be a 400; an id never
        expect(upstream(), what).toEqual([]);
        await expectNothingChanged(what);
      }),
      { numRuns: 50, examples: [[{ route: 'GET /sfdc/proxy/services/data/v62.0/limits', segment: '%', viaToken: true }]] },
    );
  }, 60_000);

  /** Path pieces that probe the proxy's path rules: dots, encoded slashes and dots, backslashes, schemes, bad escapes. */
  const piece = fc.oneof(
    fc.constantFrom('services', 'data', 'v62.0', 'limits', 'sobjects', 'Account', 'query', 'oauth2', 'userinfo', 'revoke', 'id', '00D5g00000PRODAEAQ', '..', '.', '', '%2e', '%2E%2e', '%2f', '%5C', '\\', '%00', '%', '%zz', '%ED%A0%80', 'http:', 'https:', '//evil.example', '@evil.example', ';', '%252e', '#'),
    oddString.map(encodeLoosely),
    fc.stringMatching(/^[!-~]{0,12}$/).filter((s) => !/[/?]/.test(s)),
  );

  test('when the proxy gets arbitrary paths, queries, methods and bodies, then bad paths answer 400, never 500, and only services/… reaches Salesforce', async () => {
    const call = fc.record({
      method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
      path: fc.oneof(
        fc.tuple(fc.boolean(), fc.array(piece, { maxLength: 6 })).map(([underServices, pieces]) => (underServices ? ['services', ...pieces] : pieces).join('/')),
        fc.tuple(fc.constantFrom('services/data/v62.0/limits', 'services/data/v62.0/query', 'services/data/v62.0/sobjects/Account', 'services/oauth2/userinfo'), fc.array(piece, { maxLength: 2 })).map(([real, pieces]) => [real, ...pieces].join('/')),
      ),
      query: fc.oneof(fc.constant(''), fc.array(fc.tuple(piece, piece), { maxLength: 4 }).map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`)),
      body: fc.option(fc.record({ text: fc.oneof(anyJson.map((v) => JSON.stringify(v)), oddString), type: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded') }), { nil: undefined }),
      viaToken: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(call, async ({ method, path, query, body, viaToken }) => {
        const upstream = watchUpstream();
        const url = `/api/tasks/${connectedId}/sfdc/proxy/${path}${query}`;
        const res = await rawRequest(viaToken ? service : user, method, url, { body: body?.text, headers: body ? { 'content-type': body.type } : {} });
        const what = `${method} ${url.slice(0, 300)} ${body ? `${body.type} ${body.text.slice(0, 80)}` : ''} → ${res.status} ${res.text.slice(0, 200)}`;
        const sentUpstream = upstream();

        for (const sent of sentUpstream) {
          expect(sent.host, what).toBe('na1'); // the Task's instance, nothing else
          expect(sent.path, what).toMatch(/^\/services\//);
          expect(sent.path.split('/').filter((s) => /^(\.|%2e){1,2}$/i.test(s)), what).toEqual([]); // no dot segment, plain or encoded
        }
        const ours = typeof res.json?.error === 'object' && res.json.error !== null;
        if (ours && res.status < 500) expect(sentUpstream, what).toEqual([]); // refused before any call out
        if (res.status >= 500) {
          expect(res.text, what).not.toContain('internal_error');
          expect(sentUpstream.map((u) => u.status), what).toContain(res.status); // only Salesforce's own 5xx, passed through
        }
        const refusedAsCsrf = body !== undefined && !viaToken && body.type !== 'application/json' && body.text.length > 0;
        const plainlyBad = !path.startsWith('services/') || path.split('/').some((s) => s === '' || s === '.' || s === '..');
        if (plainlyBad && method !== 'OPTIONS' && !refusedAsCsrf) expect(res.status, what).toBe(400);
        await expectNothingChanged(what);
      }),
      { numRuns: 80, examples: [[{ method: 'GET', path: 'services/%zz', query: '', body: undefined, viaToken: true }]] },
    );
  }, 60_000);

  /** A query string of callback-ish and hostile parameters, with raw and malformed escapes. */
  const callbackParams = fc.array(
    fc.tuple(
      fc.constantFrom('code', 'state', 'error', 'error_description', 'state[]', 'error[a]', '__proto__', 'constructor', 'sfdc', ''),
      fc.oneof(oddString.map(encodeLoosely), fc.stringMatching(/^[!-~]{0,20}$/).filter((s) => !/[&#]/.test(s)), fc.constantFrom('%', '%zz', 'https://evil.example', '//evil.example', '/\\evil.example', 'access_denied', 'a/../../x')),
    ),
    { maxLength: 5 },
  ).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));

  test('when the OAuth callback gets arbitrary query strings, then a 302 to a relative /tasks page, never 500, and nothing changes', async () => {
    await fc.assert(
      fc.asyncProperty(callbackParams, fc.boolean(), async (query, signedIn) => {
        const upstream = watchUpstream();
        const res = await rawRequest(signedIn ? user : env.app.client(), 'GET', `/sfdc/oauth/callback?${query}`);
        const what = `GET /sfdc/oauth/callback?${query.slice(0, 300)} (${signedIn ? 'signed in' : 'anonymous'}) → ${res.status} ${res.location ?? res.text.slice(0, 200)}`;
        expect(res.status, what).toBe(302);
        expect(res.location, what).toMatch(SPA_REDIRECT);
        expect(upstream(), what).toEqual([]);
        await expectNothingChanged(what);
      }),
      { numRuns: 50 },
    );
  }, 60_000);

  test('when a genuine state comes back with an arbitrary code or error, then a 302 back to its Task, never 500, and the Task stays unconnected', async () => {
    await fc.assert(
      fc.asyncProperty(callbackParams, fc.boolean(), async (others, stateFirst) => {
        const authorize = await user.post(`/api/tasks/${idleId}/sfdc/authorize`, { environment: 'production' });
        const state = new URL(authorize.json.url).searchParams.get('state')!;
        const upstream = watchUpstream();
        const query = stateFirst ? `state=${state}&${others}` : `${others}&state=${state}`;
        const res = await rawRequest(user, 'GET', `/sfdc/oauth/callback?${query}`);
        const what = `GET /sfdc/oauth/callback?${query.slice(0, 300)} → ${res.status} ${res.location ?? res.text.slice(0, 200)}`;
        await env.app.query('DELETE FROM sfdc_oauth_states WHERE state_hash = $1', [createHash('sha256').update(state).digest('hex')]); // left when `state` came twice

        expect(res.status, what).toBe(302);
        expect(res.location, what).toMatch(SPA_REDIRECT);
        for (const sent of upstream()) expect(`${sent.host} ${sent.path}`, what).toMatch(/^login \/services\/oauth2\/token$/); // at most the code exchange
        await expectNothingChanged(what);
      }),
      { numRuns: 25 },
    );
  }, 60_000);
});
