import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { connect, control, refreshGrant, startTestEmulator } from '../testing/kit';
import type { Emulator } from '../server';

const INVALID_SESSION = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];

describe('emulator: control API', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.state.reset());

  const limits = (tokens: Record<string, string>, host = tokens.instance_url) => fetch(`${host}/services/data/v62.0/limits`, { headers: { authorization: `Bearer ${tokens.access_token}` } });

  test('when access tokens are expired, then REST answers 401 INVALID_SESSION_ID and a refresh brings a working one', async () => {
    const tokens = await connect(emulator);
    expect((await limits(tokens)).status).toBe(200);

    const expired = await control(emulator, '/expire-access-tokens', {});
    const rejected = await limits(tokens);
    const refreshed = await refreshGrant(emulator, tokens.refresh_token);

    expect(expired.json.expired).toBe(1);
    expect(rejected.status).toBe(401);
    expect(await rejected.json()).toEqual(INVALID_SESSION);
    expect((await limits({ ...tokens, access_token: refreshed.json.access_token })).status).toBe(200);
  });

  test('when one user’s tokens are expired, then other users keep theirs', async () => {
    const ada = await connect(emulator, { username: 'ada@acme.example' });
    const grace = await connect(emulator, { username: 'grace@acme.example' });

    await control(emulator, '/expire-access-tokens', { username: 'grace@acme.example' });

    expect((await limits(ada)).status).toBe(200);
    expect((await limits(grace)).status).toBe(401);
  });

  test('when refresh tokens are revoked, then refreshing is invalid_grant and their access tokens die', async () => {
    const tokens = await connect(emulator);

    const revoked = await control(emulator, '/revoke-refresh-tokens', {});
    const refresh = await refreshGrant(emulator, tokens.refresh_token);

    expect(revoked.json.revoked).toBe(1);
    expect(refresh.json).toEqual({ error: 'invalid_grant', error_description: 'expired access/refresh token' });
    expect((await limits(tokens)).status).toBe(401);
  });

  test('when faults are armed, then the next N API calls answer them exactly, then calls succeed again', async () => {
    const tokens = await connect(emulator);

    await control(emulator, '/faults', { kind: 'request_limit', count: 2 });
    const limited = [await limits(tokens), await fetch(tokens.id, { headers: { authorization: `Bearer ${tokens.access_token}` } })];
    await control(emulator, '/faults', { kind: 'session_blocked', count: 1 });
    const blocked = await limits(tokens);
    await control(emulator, '/faults', { kind: 'unavailable', count: 1 });
    const unavailable = await limits(tokens);
    const healthy = await limits(tokens);

    for (const res of limited) {
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    }
    expect(blocked.status).toBe(401);
    expect(await blocked.json()).toEqual([{ message: 'This session is not valid for use with the REST API', errorCode: 'INVALID_SESSION_ID' }]);
    expect(unavailable.status).toBe(503);
    expect(healthy.status).toBe(200);
  });

  test('when a fault targets the token endpoint, then refreshes answer 503 and API calls are untouched', async () => {
    const tokens = await connect(emulator);

    await control(emulator, '/faults', { kind: 'unavailable', count: 1, target: 'token' });
    const refresh = await refreshGrant(emulator, tokens.refresh_token);

    expect(refresh.status).toBe(503);
    expect((await limits(tokens)).status).toBe(200);
    expect((await refreshGrant(emulator, tokens.refresh_token)).status).toBe(200);
  });

  test('when a delay is set, then API calls take at least that long', async () => {
    const tokens = await connect(emulator);
    await control(emulator, '/delay', { ms: 250, target: 'api' });

    const started = Date.now();
    const res = await limits(tokens);

    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  test('when the instance moves, then the next refresh answers the new instance_url and the org is served there', async () => {
    const tokens = await connect(emulator);

    const moved = await control(emulator, '/move-instance', { org: 'production' });
    const beforeRefresh = await refreshGrant(emulator, tokens.refresh_token);

    expect(moved.json.movesTo).toBe(emulator.origins.na2);
    expect(beforeRefresh.json.instance_url).toBe(emulator.origins.na2);
    expect((await limits({ ...tokens, access_token: beforeRefresh.json.access_token }, emulator.origins.na2)).status).toBe(200);
    expect((await refreshGrant(emulator, tokens.refresh_token)).json.instance_url).toBe(emulator.origins.na2);
  });

  test('when a user is deactivated, then their refresh is "authentication failure" and their sessions end', async () => {
    const tokens = await connect(emulator);

    await control(emulator, '/users/deactivate', { username: 'ada@acme.example' });
    const refresh = await refreshGrant(emulator, tokens.refresh_token);

    expect(refresh.json).toEqual({ error: 'invalid_grant', error_description: 'authentication failure' });
    expect((await limits(tokens)).status).toBe(401);
  });

  test('when calls are made, then counts per endpoint and a request log without secrets can be read', async () => {
    const tokens = await connect(emulator);
    await refreshGrant(emulator, tokens.refresh_token);
    await fetch(`${tokens.id}?oauth_token=${encodeURIComponent(tokens.access_token)}`);
    await limits(tokens);

    const calls = await control(emulator, '/calls');
    const requests = await control(emulator, '/requests');
    const log = JSON.stringify(requests.json);

    expect(calls.json.counts).toMatchObject({ authorize: 1, 'authorize:decision': 1, 'token:authorization_code': 1, 'token:refresh_token': 1, identity: 1, 'rest:limits': 1 });
    expect(requests.json.requests.find((r: { endpoint: string }) => r.endpoint === 'token:refresh_token')).toMatchObject({
      method: 'POST',
      path: '/services/oauth2/token',
      status: 200,
      host: 'login',
      grantType: 'refresh_token',
    });
    expect(requests.json.requests.find((r: { endpoint: string }) => r.endpoint === 'rest:limits').path).toBe('/services/data/v62.0/limits');
    for (const secret of [tokens.access_token, tokens.refresh_token, 'test-consumer-secret']) expect(log).not.toContain(secret);
    expect(log).not.toContain('oauth_token');
  });

  test('when the state is read or reset, then orgs, hosts and settings are described and tokens are gone after reset', async () => {
    const tokens = await connect(emulator);

    const described = await control(emulator, '/');
    await control(emulator, '/reset', {});
    const after = await limits(tokens);

    expect(described.json.orgs.map((o: { key: string }) => o.key)).toEqual(['production', 'sandbox']);
    expect(described.json.orgs[0]).toMatchObject({ loginUrl: emulator.loginUrl, instanceUrl: emulator.origins.na1 });
    expect(described.json.orgs[1]).toMatchObject({ loginUrl: emulator.sandboxLoginUrl, instanceUrl: emulator.origins.cs1, isSandbox: true });
    expect(JSON.stringify(described.json)).not.toContain(tokens.access_token);
    expect(after.status).toBe(401);
  });

  test('when the control API gets bad input, then 400 with the issues', async () => {
    const res = await control(emulator, '/faults', { kind: 'meteor_strike', count: -1 });

    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_request');
  });

  test('when a web page POSTs like fetch(..., {mode: "no-cors"}), then it is refused and nothing is revoked', async () => {
    const tokens = await connect(emulator);
    const revoke = `${emulator.controlUrl}/revoke-refresh-tokens`;

    const fromPage = await send(revoke, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'http://evil.invalid', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' },
      body: '{}',
    });
    const plainText = await send(revoke, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    const noType = await send(revoke, { method: 'POST' });
    const bodylessReset = await send(`${emulator.controlUrl}/reset`, { method: 'POST' });
    const refresh = await refreshGrant(emulator, tokens.refresh_token);

    expect(fromPage).toEqual({ status: 403, json: { error: 'cross_site_request' } });
    expect(plainText).toEqual({ status: 415, json: { error: 'unsupported_media_type' } });
    expect(noType).toEqual({ status: 415, json: { error: 'unsupported_media_type' } });
    expect(bodylessReset).toEqual({ status: 415, json: { error: 'unsupported_media_type' } });
    expect(refresh.status).toBe(200);
    expect((await limits(tokens)).status).toBe(200);
  });

  test('when a JSON call comes from a foreign Origin or a cross-site fetch, then 403 and nothing changes', async () => {
    const tokens = await connect(emulator);
    const json = { 'content-type': 'application/json' };

    const foreign = await send(`${emulator.controlUrl}/revoke-refresh-tokens`, { method: 'POST', headers: { ...json, origin: 'http://evil.invalid' }, body: '{}' });
    const nullOrigin = await send(`${emulator.controlUrl}/expire-access-tokens`, { method: 'POST', headers: { ...json, origin: 'null' }, body: '{}' });
    const crossSite = await send(`${emulator.controlUrl}/expire-access-tokens`, { method: 'POST', headers: { ...json, 'sec-fetch-site': 'cross-site' }, body: '{}' });
    const read = await send(`${emulator.controlUrl}/`, { headers: { origin: 'http://evil.invalid' } });

    for (const res of [foreign, nullOrigin, crossSite, read]) expect(res).toEqual({ status: 403, json: { error: 'cross_site_request' } });
    expect((await limits(tokens)).status).toBe(200);
    expect((await refreshGrant(emulator, tokens.refresh_token)).status).toBe(200);
  });

  test('when the Host is not this server on loopback (DNS rebinding), then 403 for reads and writes alike', async () => {
    const tokens = await connect(emulator);
    const port = new URL(emulator.loginUrl).port;
    const naPort = new URL(emulator.origins.na1).port;

    const responses = [
      await send(`${emulator.controlUrl}/`, { headers: { host: 'evil.invalid' } }),
      await send(`${emulator.controlUrl}/`, { headers: { host: `evil.invalid:${port}` } }),
      await send(`${emulator.controlUrl}/calls`, { headers: { host: `127.0.0.1:${naPort}` } }),
      await send(`${emulator.origins.na1}/__emulator/`, { headers: { host: `127.0.0.1:${port}` } }),
      await send(`${emulator.controlUrl}/revoke-refresh-tokens`, { method: 'POST', headers: { host: `evil.invalid:${port}`, 'content-type': 'application/json' }, body: '{}' }),
    ];

    for (const res of responses) expect(res).toEqual({ status: 403, json: { error: 'invalid_host' } });
    expect((await refreshGrant(emulator, tokens.refresh_token)).status).toBe(200);
  });

  test('when a same-origin JSON call names the emulator as 127.0.0.1, localhost or [::1], then it works', async () => {
    const tokens = await connect(emulator);
    const port = new URL(emulator.loginUrl).port;
    const json = { 'content-type': 'application/json' };

    const sameOrigin = await send(`${emulator.controlUrl}/expire-access-tokens`, { method: 'POST', headers: { ...json, origin: emulator.loginUrl, 'sec-fetch-site': 'same-origin' }, body: '{}' });
    const otherHost = await send(`${emulator.controlUrl}/rotation`, { method: 'POST', headers: { ...json, origin: emulator.origins.na1 }, body: '{"enabled":false}' });
    const viaLocalhost = await send(`${emulator.controlUrl}/`, { headers: { host: `localhost:${port}`, origin: `http://localhost:${port}` } });
    const viaIpv6 = await send(`${emulator.controlUrl}/calls`, { headers: { host: `[::1]:${port}` } });
    const bodylessJson = await send(`${emulator.controlUrl}/reset`, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' } });
    const clearFaults = await send(`${emulator.controlUrl}/faults`, { method: 'DELETE', headers: json });

    expect(sameOrigin).toEqual({ status: 200, json: { expired: 1 } });
    expect(otherHost).toEqual({ status: 200, json: { rotation: false } });
    expect(viaLocalhost.status).toBe(200);
    expect(viaLocalhost.json.hosts).toEqual(emulator.origins);
    expect(viaIpv6.status).toBe(200);
    expect(bodylessJson).toEqual({ status: 200, json: { reset: true } });
    expect(clearFaults).toEqual({ status: 200, json: { faults: [] } });
    expect((await limits(tokens)).status).toBe(401);
  });
});

/** A raw HTTP call: unlike fetch, node:http may set any Host header. */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
