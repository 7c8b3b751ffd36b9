import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { connectedTask, useTestEmulator } from './helpers/salesforce-kit';
import type { TestClient } from './helpers/test-client';

import {
  snapshot,
  oddString,
  anyJson,
  badBodies,
  firstTried,
  encodeLoosely,
  decodable,
  garbageSegment,
  type RawResponse,
  type Caller,
  rawRequest,
  expectRejected,
  describeBody,
  PROTOTYPES,
} from './helpers/property-kit';

// Property-based bad input (fast-check) for the Salesforce endpoints: authorize, test, the OAuth
// callback and the proxy, against the built-in emulator. The generators and invariants are those
// of property-input.api.test.ts (kept in step with it): a 4xx envelope or a deserved success,
// never a 500, no row changed, the server still answering; and nothing but `services/…` ever
// reaching Salesforce.

describe('bad input on every Salesforce endpoint (property-based)', () => {
  const env = useTestEmulator({ resetEmulator: false }); // one connection for the whole file
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

  test.each(endpoints)(
    'when %s gets arbitrary bodies, then a 4xx envelope or a deserved success, never a 500, nothing written and nothing sent to Salesforce',
    async (_name, caller, path, keys, plausible, undo) => {
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
    },
    60_000,
  );

  test('when a Task id in a Salesforce route is garbage, then 404 (400 for a malformed escape) in the envelope, never 500, and nothing reaches Salesforce', async () => {
    const call = fc.record({
      route: fc.constantFrom(
        'POST /sfdc/authorize',
        'POST /sfdc/test',
        'GET /sfdc',
        'DELETE /sfdc',
        'GET /sfdc/events',
        'GET /sfdc/proxy/services/data/v62.0/limits',
        'POST /sfdc/proxy/services/data/v62.0/sobjects/Account',
      ),
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
    fc.constantFrom(
      'services',
      'data',
      'v62.0',
      'limits',
      'sobjects',
      'Account',
      'query',
      'oauth2',
      'userinfo',
      'revoke',
      'id',
      '00D5g00000PRODAEAQ',
      '..',
      '.',
      '',
      '%2e',
      '%2E%2e',
      '%2f',
      '%5C',
      '\\',
      '%00',
      '%',
      '%zz',
      '%ED%A0%80',
      'http:',
      'https:',
      '//evil.example',
      '@evil.example',
      ';',
      '%252e',
      '#',
    ),
    oddString.map(encodeLoosely),
    fc.stringMatching(/^[!-~]{0,12}$/).filter((s) => !/[/?]/.test(s)),
  );

  test('when the proxy gets arbitrary paths, queries, methods and bodies, then bad paths answer 400, never 500, and only services/… reaches Salesforce', async () => {
    const call = fc.record({
      method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
      path: fc.oneof(
        fc.tuple(fc.boolean(), fc.array(piece, { maxLength: 6 })).map(([underServices, pieces]) => (underServices ? ['services', ...pieces] : pieces).join('/')),
        fc
          .tuple(fc.constantFrom('services/data/v62.0/limits', 'services/data/v62.0/query', 'services/data/v62.0/sobjects/Account', 'services/oauth2/userinfo'), fc.array(piece, { maxLength: 2 }))
          .map(([real, pieces]) => [real, ...pieces].join('/')),
      ),
      query: fc.oneof(
        fc.constant(''),
        fc.array(fc.tuple(piece, piece), { maxLength: 4 }).map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`),
      ),
      body: fc.option(
        fc.record({
          text: fc.oneof(
            anyJson.map((v) => JSON.stringify(v)),
            oddString,
          ),
          type: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
        }),
        { nil: undefined },
      ),
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
          expect(
            sent.path.split('/').filter((s) => /^(\.|%2e){1,2}$/i.test(s)),
            what,
          ).toEqual([]); // no dot segment, plain or encoded
        }
        const ours = typeof res.json?.error === 'object' && res.json.error !== null;
        if (ours && res.status < 500) expect(sentUpstream, what).toEqual([]); // refused before any call out
        if (res.status >= 500) {
          expect(res.text, what).not.toContain('internal_error');
          expect(
            sentUpstream.map((u) => u.status),
            what,
          ).toContain(res.status); // only Salesforce's own 5xx, passed through
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
  const callbackParams = fc
    .array(
      fc.tuple(
        fc.constantFrom('code', 'state', 'error', 'error_description', 'state[]', 'error[a]', '__proto__', 'constructor', 'sfdc', ''),
        fc.oneof(
          oddString.map(encodeLoosely),
          fc.stringMatching(/^[!-~]{0,20}$/).filter((s) => !/[&#]/.test(s)),
          fc.constantFrom('%', '%zz', 'https://evil.example', '//evil.example', '/\\evil.example', 'access_denied', 'a/../../x'),
        ),
      ),
      { maxLength: 5 },
    )
    .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));

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
