import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { connect, control, startTestEmulator } from '../testing/kit';
import type { Emulator } from '../server';

describe('emulator: identity URL and userinfo', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.state.reset());

  test('when the identity URL is called with a live bearer token, then 200 with the documented fields', async () => {
    const tokens = await connect(emulator);

    const res = await fetch(tokens.id, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    const body = (await res.json()) as any;

    expect(res.status).toBe(200);
    expect(body).toMatchObject({
      id: tokens.id,
      asserted_user: true,
      user_id: '0055g00000ADAUSRAQ',
      organization_id: '00D5g00000PRODAEAQ',
      username: 'ada@acme.example',
      display_name: 'Ada Lovelace',
      email: 'ada@acme.example',
      first_name: 'Ada',
      last_name: 'Lovelace',
      active: true,
      user_type: 'STANDARD',
      utcOffset: expect.any(Number),
    });
    expect(body.urls.rest).toBe(`${emulator.origins.na1}/services/data/v{version}/`);
    expect(body.photos).toHaveProperty('thumbnail');
  });

  test('when ?version=latest or the oauth_token parameter is used (as jsforce does), then it still answers', async () => {
    const tokens = await connect(emulator);

    const res = await fetch(`${tokens.id}?format=json&version=latest&oauth_token=${encodeURIComponent(tokens.access_token)}`);

    expect(res.status).toBe(200);
    expect(((await res.json()) as any).urls.rest).toBe(`${emulator.origins.na1}/services/data/v62.0/`);
  });

  test('when the token has expired, then 403 with the plain body Bad_OAuth_Token; with no token, Missing_OAuth_Token', async () => {
    const tokens = await connect(emulator);
    await control(emulator, '/expire-access-tokens', {});

    const expired = await fetch(tokens.id, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    const bogus = await fetch(tokens.id, { headers: { authorization: 'Bearer 00Dnotatoken' } });
    const missing = await fetch(tokens.id);

    expect(expired.status).toBe(403);
    expect(expired.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await expired.text()).toBe('Bad_OAuth_Token');
    expect([bogus.status, await bogus.text()]).toEqual([403, 'Bad_OAuth_Token']);
    expect([missing.status, await missing.text()]).toEqual([403, 'Missing_OAuth_Token']);
  });

  test('when a token of one org asks for another org’s identity, then it is refused', async () => {
    const production = await connect(emulator);
    const sandbox = await connect(emulator, { loginUrl: emulator.sandboxLoginUrl });

    const res = await fetch(sandbox.id.replace(emulator.sandboxLoginUrl, emulator.sandboxLoginUrl), { headers: { authorization: `Bearer ${production.access_token}` } });

    expect(res.status).toBe(403);
  });

  test('when the identity URL is called on the org’s instance host, then it answers the same', async () => {
    const tokens = await connect(emulator);

    const res = await fetch(tokens.id.replace(emulator.loginUrl, emulator.origins.na1), { headers: { authorization: `Bearer ${tokens.access_token}` } });

    expect(res.status).toBe(200);
  });

  test('when userinfo is called, then the OpenID Connect fields of the token’s user come back', async () => {
    const tokens = await connect(emulator, { username: 'grace@acme.example' });

    const res = await fetch(`${emulator.loginUrl}/services/oauth2/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    const expired = await (async () => {
      await control(emulator, '/expire-access-tokens', {});
      return fetch(`${emulator.loginUrl}/services/oauth2/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    })();

    expect(await res.json()).toMatchObject({ sub: tokens.id, preferred_username: 'grace@acme.example', organization_id: '00D5g00000PRODAEAQ', name: 'Grace Hopper' });
    expect([expired.status, await expired.text()]).toEqual([403, 'Bad_OAuth_Token']);
  });
});
