import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { TestApp } from './test-app';

/** Generators, invariants and a raw HTTP caller shared by the property-based input tests. */

/** Everything a bad request could have changed, to compare before and after. */
export async function snapshot(app: TestApp) {
  return app.query(`
    SELECT (SELECT json_agg(u ORDER BY u.id) FROM (SELECT id, email, password_hash FROM users) u) AS users,
           -- api_usage is the bookkeeping of calls that did reach Salesforce, written off their path: not a change a bad request made.
           (SELECT json_agg(jsonb_set(to_jsonb(t), '{sfdc}', coalesce(t.sfdc - 'api_usage', 'null'::jsonb)) ORDER BY t.id) FROM tasks t) AS tasks,
           (SELECT json_agg(k ORDER BY k.id) FROM (SELECT id, user_id, name, token_hash FROM api_tokens) k) AS tokens,
           (SELECT json_agg(s ORDER BY s.state_hash) FROM (SELECT state_hash, user_id, task_id FROM sfdc_oauth_states) s) AS states`);
}

// ---- Generators ----------------------------------------------------------------------------

export const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
export const oddChar = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  loneSurrogate,
  fc.constantFrom('\u0000', '\u202e', '\ufeff', '\u200b', '\u0301', '😀', '\r\n', '"', '\\', '%', "'", ' '),
);
export const oddString = fc.string({ unit: oddChar, maxLength: 30 });
/** ~100 KB of a repeated odd pattern (it may end in half a surrogate pair). */
export const hugeString = fc
  .tuple(fc.string({ unit: oddChar, minLength: 1, maxLength: 4 }), fc.integer({ min: 90_000, max: 110_000 }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));
export const anyJson = fc.jsonValue({ maxDepth: 4 });
export const DANGEROUS_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'isAdmin', 'toJSON'];
/** Objects whose own keys shadow Object.prototype (fc.dictionary makes `__proto__` an own key, so JSON.stringify keeps it). */
export const hostileObject = fc.dictionary(fc.constantFrom(...DANGEROUS_KEYS), anyJson, { minKeys: 1, maxKeys: 3 });
export const fieldValue = fc.oneof(
  { arbitrary: anyJson, weight: 3 },
  { arbitrary: oddString, weight: 4 },
  { arbitrary: hostileObject, weight: 1 },
  { arbitrary: fc.emailAddress(), weight: 1 },
  { arbitrary: hugeString, weight: 1 },
);

/** A JSON object as raw text, so a `__proto__` key stays an own key of the parsed body. */
export const objectText = (pairs: [string, unknown][]) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;

/** Thousands of levels of nesting as text, under the field a route reads (or at the top). */
export function nestedText(key: string | null, depth: number, shape: 'array' | 'object'): string {
  const deep = shape === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  return key === null ? deep : `{${JSON.stringify(key)}:${deep}}`;
}

export const JUNK = ['{', '}', '[', ']', ',', ':', '"', '\\', "'", '\u0000', 'x', 'NaN', '\ufeff', '/*', '\ud800'];
export function mutate(text: string, { at, kind, junk }: { at: number; kind: string; junk: string }): string {
  const i = at % (text.length + 1);
  if (kind === 'truncate') return text.slice(0, i);
  if (kind === 'delete') return text.slice(0, i) + text.slice(i + 1);
  if (kind === 'replace') return text.slice(0, i) + junk + text.slice(i + 1);
  return text.slice(0, i) + junk + text.slice(i);
}

export const WRONG_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=zz',
  'application/xml',
  'application/vnd.api+json',
  'application/json; charset=utf-16',
  'application/json; charset=koi8-r',
  'application/jsonx',
  '*/*',
  '',
];

export interface BadBody {
  /** Raw bytes (a Buffer goes without any content type). */
  body: string | Buffer;
  headers: Record<string, string>;
}

/** Bodies for a route that reads `keys`: wrong types, hostile keys, deep nesting, malformed JSON, wrong content types. */
export function badBodies(keys: string[], plausible: fc.Arbitrary<unknown> = fieldValue): fc.Arbitrary<BadBody> {
  const value = fc.oneof(fieldValue, plausible);
  const typed = fc.array(fc.tuple(fc.constantFrom(...keys), value), { maxLength: 4 });
  const hostile = fc.tuple(typed, fc.array(fc.tuple(fc.constantFrom(...DANGEROUS_KEYS), anyJson), { minLength: 1, maxLength: 3 })).map(([a, b]) => [...a, ...b]);
  const complete = fc.record(Object.fromEntries(keys.map((k) => [k, fc.oneof(oddString, plausible)]))); // right keys, right types, odd text
  const jsonText = fc.oneof(
    anyJson.map((v) => JSON.stringify(v)),
    complete.map((v) => JSON.stringify(v)),
    typed.map(objectText),
    hostile.map(objectText),
  );
  const deep = fc.tuple(fc.constantFrom<string | null>(null, '__proto__', ...keys), fc.integer({ min: 1_000, max: 100_000 }), fc.constantFrom('array' as const, 'object' as const));
  const mutation = fc.record({ at: fc.nat(), kind: fc.constantFrom('truncate', 'delete', 'replace', 'insert'), junk: fc.constantFrom(...JUNK) });
  const json = (body: string): BadBody => ({ body, headers: { 'content-type': 'application/json' } });
  return fc.oneof<fc.Arbitrary<BadBody>[]>(
    jsonText.map(json),
    deep.map((args) => json(nestedText(...args))),
    fc.tuple(jsonText, mutation).map(([text, m]) => json(mutate(text, m))),
    fc.tuple(jsonText, fc.constantFrom(...WRONG_TYPES)).map(([text, type]) => (type ? { body: text, headers: { 'content-type': type } } : { body: Buffer.from(text), headers: {} }) as BadBody),
    fc
      .tuple(jsonText, fc.constantFrom('gzip', 'deflate', 'br', 'x-unknown'))
      .map(([text, encoding]) => ({ body: text, headers: { 'content-type': 'application/json', 'content-encoding': encoding } })),
  );
}

/** Hostile bodies always tried first (fast-check `examples`): NUL, a `toString` that is no function, 10 000 levels. */
export function firstTried(keys: string[]): [BadBody][] {
  const texts = keys.flatMap((k) => [`{"${k}":"\\u0000"}`, `{"${k}":{"toString":1}}`, nestedText(k, 10_000, 'array')]);
  return texts.map((body) => [{ body, headers: { 'content-type': 'application/json' } }]);
}

/** Percent-encodes anything, lone surrogates included (as the invalid UTF-8 a careless client sends). */
export function encodeLoosely(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    out += c >= 0xd800 && c <= 0xdfff ? [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)].map((b) => `%${b.toString(16).toUpperCase()}`).join('') : encodeURIComponent(ch);
  }
  return out;
}

export const decodable = (segment: string) => {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
};

/** One raw path segment that is not a resource id: odd text, malformed percent-encoding, dots, long digits. */
export const garbageSegment = fc.oneof(
  fc.uuid(),
  oddString.filter((s) => s.length > 0).map(encodeLoosely),
  fc.stringMatching(/^[!-~]{1,60}$/).filter((s) => !/[/?#]/.test(s)),
  fc.constantFrom('%', '%zz', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%FF', '..', '%2e%2e', '%2F', '%00', '%25', "1'--", '9'.repeat(500)),
);

// ---- Requests and invariants ---------------------------------------------------------------

export interface RawResponse {
  status: number;
  location?: string;
  text: string;
  json: any;
}

/** Who calls: a TestClient's session cookie, or an API token. */
export interface Caller {
  baseUrl: string;
  cookies: Map<string, string>;
  authorization?: string;
}

/** A request with the path exactly as given (fetch would normalise dots and escapes). */
export function rawRequest(caller: Caller, method: string, path: string, options: { body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<RawResponse> {
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
export function expectRejected(res: RawResponse, what: string, method = 'POST'): void {
  const label = `${what} → ${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, label).toBeGreaterThanOrEqual(400);
  expect(res.status, label).toBeLessThan(500);
  if (method === 'HEAD') return;
  expect(Object.keys(res.json ?? {}), label).toEqual(['error']);
  expect(res.json.error, label).toMatchObject({ code: expect.stringMatching(/^[a-z][a-z0-9_]*$/), message: expect.any(String) });
}

export const describeBody = (b: BadBody) => `${JSON.stringify(b.headers)} ${String(b.body).slice(0, 120)}${b.body.length > 120 ? `… (${b.body.length})` : ''}`;
export const PROTOTYPES = () => [Object.prototype, Array.prototype, Function.prototype].map((p) => Object.getOwnPropertyNames(p).sort());
