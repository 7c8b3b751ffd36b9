import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { connect, control, refreshGrant, startTestEmulator } from '../testing/kit';
import { grantToken, restCall, restQuery } from '../testing/rest-kit';
import type { Emulator } from '../server';

const LIMIT_EXCEEDED = [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }];

/** `api-usage=<used>/<limit>` from a REST answer, as numbers. */
function usage(res: { headers: Headers }): { used: number; limit: number } {
  const match = /^api-usage=(\d+)\/(\d+)$/.exec(res.headers.get('sforce-limit-info') ?? '');
  if (!match) throw new Error(`no Sforce-Limit-Info: ${res.headers.get('sforce-limit-info')}`);
  return { used: Number(match[1]), limit: Number(match[2]) };
}

describe('REST API: the daily API request allowance', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.state.reset());

  const orgState = async (key: string) => (await control(emulator, '/')).json.orgs.find((org: { key: string }) => org.key === key);

  test('when 50 REST calls are made, successes and errors alike, then Sforce-Limit-Info rises by exactly 50', async () => {
    const token = grantToken(emulator);
    const before = usage(await restCall(emulator, token, '/v62.0/limits'));
    const calls = [
      ...Array.from({ length: 20 }, () => restQuery(emulator, token, 'SELECT Id FROM Account')),
      ...Array.from({ length: 10 }, () => restCall(emulator, token, '/v62.0/sobjects/Nope')), // 404
      ...Array.from({ length: 10 }, () => restQuery(emulator, token, 'SELECT FROM')), // 400 MALFORMED_QUERY
      ...Array.from({ length: 5 }, () => restCall(emulator, token, '/v62.0/sobjects/Account', { method: 'PUT' })), // 405
      ...Array.from({ length: 5 }, () => restCall(emulator, token, '/v62.0/sobjects/Account', { method: 'POST', rawBody: '{', contentType: 'application/json' })), // 400 JSON_PARSER_ERROR
    ];

    const results = await Promise.all(calls);
    const after = usage(await restCall(emulator, token, '/v62.0/limits'));

    expect(new Set(results.map((r) => r.status))).toEqual(new Set([200, 404, 400, 405]));
    for (const res of results) expect(usage(res).limit).toBe(15000);
    expect(after.used - before.used).toBe(51); // the 50 calls and this /limits call
    expect(new Set(results.map((r) => usage(r).used)).size).toBe(50);
    expect(emulator.state.orgByKey('production')!.apiUsage).toBe(after.used);
  });

  test('when calls go to OAuth, the identity URL, userinfo, the versions list or with a bad session, then none is counted', async () => {
    const tokens = await connect(emulator);
    const auth = { authorization: `Bearer ${tokens.access_token}` };

    await fetch(tokens.id, { headers: auth });
    await fetch(`${tokens.instance_url}/services/oauth2/userinfo`, { headers: auth });
    await refreshGrant(emulator, tokens.refresh_token);
    await restCall(emulator, undefined, '/');
    const unauthorized = await restCall(emulator, 'not-a-token', '/v62.0/limits');
    const first = await restCall(emulator, tokens.access_token, '/v62.0/limits');

    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('sforce-limit-info')).toBeNull();
    expect(first.headers.get('sforce-limit-info')).toBe('api-usage=1/15000');
    expect(first.json.DailyApiRequests).toEqual({ Max: 15000, Remaining: 14999 });
  });

  test('when the control API sets the limit and the count, then the header, /limits and GET / follow them', async () => {
    const token = grantToken(emulator);

    const set = await control(emulator, '/api-limit', { daily: 1000, used: 400, org: 'production' });
    const limits = await restCall(emulator, token, '/v62.0/limits');
    const shown = await orgState('production');

    expect(set.status).toBe(200);
    expect(set.json).toEqual({ orgs: [{ key: 'production', id: '00D5g00000PRODAEAQ', apiDailyLimit: 1000, apiUsage: 400 }] });
    expect(limits.headers.get('sforce-limit-info')).toBe('api-usage=401/1000');
    expect(limits.json.DailyApiRequests).toEqual({ Max: 1000, Remaining: 599 });
    expect(shown).toMatchObject({ apiDailyLimit: 1000, apiUsage: 401 });
  });

  test('when only the limit is set, then the count is kept', async () => {
    const token = grantToken(emulator);
    await restCall(emulator, token, '/v62.0/limits');
    await restCall(emulator, token, '/v62.0/limits');

    const set = await control(emulator, '/api-limit', { daily: 50 });
    const next = await restCall(emulator, token, '/v62.0/limits');

    expect(set.json.orgs.find((o: { key: string }) => o.key === 'production')).toMatchObject({ apiDailyLimit: 50, apiUsage: 2 });
    expect(next.headers.get('sforce-limit-info')).toBe('api-usage=3/50');
  });

  test('when the limit is reached, then the next REST call is 403 REQUEST_LIMIT_EXCEEDED with the header, uncounted, while identity and OAuth keep working', async () => {
    const tokens = await connect(emulator);
    const auth = { authorization: `Bearer ${tokens.access_token}` };
    await control(emulator, '/api-limit', { daily: 3, used: 0 });

    const allowed = [await restCall(emulator, tokens.access_token, '/v62.0/limits')];
    allowed.push(await restQuery(emulator, tokens.access_token, 'SELECT Id FROM Contact'));
    allowed.push(await restCall(emulator, tokens.access_token, '/v62.0/limits'));
    const refused = await restCall(emulator, tokens.access_token, '/v62.0/limits');
    const refusedWrite = await restCall(emulator, tokens.access_token, '/v62.0/sobjects/Account', { method: 'POST', body: { Name: 'Over the limit' } });
    const identity = await fetch(tokens.id, { headers: auth });
    const userinfo = await fetch(`${tokens.instance_url}/services/oauth2/userinfo`, { headers: auth });
    const refreshed = await refreshGrant(emulator, tokens.refresh_token);
    const withNewToken = await restCall(emulator, refreshed.json.access_token, '/v62.0/query?q=SELECT+Id+FROM+Account');

    expect(allowed.map((r) => [r.status, r.headers.get('sforce-limit-info')])).toEqual([
      [200, 'api-usage=1/3'],
      [200, 'api-usage=2/3'],
      [200, 'api-usage=3/3'],
    ]);
    expect(allowed[2].json.DailyApiRequests).toEqual({ Max: 3, Remaining: 0 });
    for (const res of [refused, refusedWrite, withNewToken]) {
      expect(res.status).toBe(403);
      expect(res.json).toEqual(LIMIT_EXCEEDED);
      expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
      expect(res.headers.get('sforce-limit-info')).toBe('api-usage=3/3');
    }
    expect(emulator.state.orgByKey('production')!.records.get('Account')!.size).toBe(4); // the refused insert wrote nothing
    expect(identity.status).toBe(200);
    expect(userinfo.status).toBe(200);
    expect(refreshed.status).toBe(200);
    expect(await orgState('production')).toMatchObject({ apiDailyLimit: 3, apiUsage: 3 });
  });

  test('when the limit is lowered below the count or raised above it, then calls are refused or allowed again', async () => {
    const token = grantToken(emulator);

    await control(emulator, '/api-limit', { daily: 10, used: 25 });
    const over = await restCall(emulator, token, '/v62.0/limits');
    await control(emulator, '/api-limit', { daily: 30 });
    const again = await restCall(emulator, token, '/v62.0/limits');

    expect(over.status).toBe(403);
    expect(over.headers.get('sforce-limit-info')).toBe('api-usage=25/10');
    expect(again.status).toBe(200);
    expect(again.headers.get('sforce-limit-info')).toBe('api-usage=26/30');
    expect(again.json.DailyApiRequests).toEqual({ Max: 30, Remaining: 4 });
  });

  test('when one org reaches its limit, then the other org keeps its own count and limit', async () => {
    const production = grantToken(emulator, 'production');
    const sandbox = grantToken(emulator, 'sandbox');

    const set = await control(emulator, '/api-limit', { daily: 5, used: 5, org: 'sandbox' });
    const sandboxCall = await restCall(emulator, sandbox, '/v62.0/limits', { host: 'cs1' });
    const productionCall = await restCall(emulator, production, '/v62.0/limits');
    const byId = await control(emulator, '/api-limit', { daily: 7, org: '00D5g00000PRODAEAQ' });
    const byShortId = await control(emulator, '/api-limit', { daily: 8, org: '00D5g00000PRODA' });

    expect(set.json.orgs).toEqual([{ key: 'sandbox', id: '00D5g00000SBOXAEAQ', apiDailyLimit: 5, apiUsage: 5 }]);
    expect(sandboxCall.status).toBe(403);
    expect(sandboxCall.headers.get('sforce-limit-info')).toBe('api-usage=5/5');
    expect(productionCall.status).toBe(200);
    expect(productionCall.headers.get('sforce-limit-info')).toBe('api-usage=1/15000');
    expect(byId.json.orgs).toEqual([{ key: 'production', id: '00D5g00000PRODAEAQ', apiDailyLimit: 7, apiUsage: 1 }]);
    expect(byShortId.json.orgs).toEqual([{ key: 'production', id: '00D5g00000PRODAEAQ', apiDailyLimit: 8, apiUsage: 1 }]);
    expect(await orgState('sandbox')).toMatchObject({ apiDailyLimit: 5, apiUsage: 5 });
  });

  test('when no org is named, then both orgs get the limit and the count', async () => {
    const set = await control(emulator, '/api-limit', { daily: 100, used: 10 });

    expect(set.json.orgs).toEqual([
      { key: 'production', id: '00D5g00000PRODAEAQ', apiDailyLimit: 100, apiUsage: 10 },
      { key: 'sandbox', id: '00D5g00000SBOXAEAQ', apiDailyLimit: 100, apiUsage: 10 },
    ]);
    expect((await restCall(emulator, grantToken(emulator, 'sandbox'), '/v62.0/limits', { host: 'cs1' })).headers.get('sforce-limit-info')).toBe('api-usage=11/100');
  });

  test('when the body is out of range or names an unknown org, then 400 or 404 and nothing changes', async () => {
    const bodies = [{}, { daily: 0 }, { daily: 100_000_001 }, { daily: 1.5 }, { daily: 10, used: -1 }, { daily: 10, used: 100_000_001 }, { daily: 10, extra: true }];

    const invalid = await Promise.all(bodies.map((body) => control(emulator, '/api-limit', body)));
    const unknown = await control(emulator, '/api-limit', { daily: 10, org: 'staging' });
    const largest = await control(emulator, '/api-limit', { daily: 100_000_000, used: 100_000_000, org: 'production' });

    for (const res of invalid) expect([res.status, res.json.error]).toEqual([400, 'invalid_request']);
    expect([unknown.status, unknown.json]).toEqual([404, { error: 'unknown_org' }]);
    expect(largest.status).toBe(200);
    expect(await orgState('sandbox')).toMatchObject({ apiDailyLimit: 15000, apiUsage: 0 });
  });

  test('when the emulator is reset, then every org is back to 15,000 a day and nothing used', async () => {
    const token = grantToken(emulator);
    await control(emulator, '/api-limit', { daily: 2, used: 2 });
    expect((await restCall(emulator, token, '/v62.0/limits')).status).toBe(403);

    await control(emulator, '/reset', {});
    const after = await restCall(emulator, grantToken(emulator), '/v62.0/limits');
    const orgs = (await control(emulator, '/')).json.orgs;

    expect(orgs.map((o: { apiDailyLimit: number; apiUsage: number }) => [o.apiDailyLimit, o.apiUsage])).toEqual([
      [15000, 1],
      [15000, 0],
    ]);
    expect(after.status).toBe(200);
    expect(after.headers.get('sforce-limit-info')).toBe('api-usage=1/15000');
    expect(after.json.DailyApiRequests).toEqual({ Max: 15000, Remaining: 14999 });
  });
});
