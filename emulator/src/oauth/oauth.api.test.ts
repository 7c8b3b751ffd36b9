import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { authorizeUrl, connect, consent, control, pkcePair, postForm, refreshGrant, startTestEmulator, TEST_CLIENT } from '../testing/kit';
import type { Emulator } from '../server';

describe('emulator: OAuth 2.0 web server flow', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.state.reset());

  test('when the client id or callback is not the Connected App’s, then authorize shows an error page and never redirects', async () => {
    const badClient = await fetch(authorizeUrl(emulator.loginUrl, { client_id: 'someone-else' }), { redirect: 'manual' });
    const badCallback = await fetch(authorizeUrl(emulator.loginUrl, { redirect_uri: 'https://evil.example/cb' }), { redirect: 'manual' });

    expect(badClient.status).toBe(400);
    expect(await badClient.text()).toContain('invalid_client_id');
    expect(badCallback.status).toBe(400);
    expect(await badCallback.text()).toContain('redirect_uri_mismatch');
    expect(badCallback.headers.get('location')).toBeNull();
  });

  test('when response_type is not code, then it redirects back with unsupported_response_type and the state', async () => {
    const res = await fetch(authorizeUrl(emulator.loginUrl, { response_type: 'token', state: 's1' }), { redirect: 'manual' });
    const location = new URL(res.headers.get('location')!);

    expect(res.status).toBe(302);
    expect(location.searchParams.get('error')).toBe('unsupported_response_type');
    expect(location.searchParams.get('state')).toBe('s1');
  });

  test('when the user opens authorize, then an SLDS consent page without scripts offers Allow and Deny', async () => {
    const res = await fetch(authorizeUrl(emulator.loginUrl, { state: 'xyz' }));
    const html = await res.text();

    expect(res.status).toBe(200);
    expect(html).toContain('/emulator-assets/slds.css');
    expect(html).toContain('slds-button_brand');
    expect(html).toContain('value="allow"');
    expect(html).toContain('value="deny"');
    expect(html).toContain('ada@acme.example');
    expect(html).not.toContain('<script');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect((await fetch(`${emulator.loginUrl}/emulator-assets/slds.css`)).status).toBe(200);
  });

  test('when the user allows, then it redirects with a single-use code holding URL-special characters and echoes state', async () => {
    const callback = await consent(authorizeUrl(emulator.loginUrl, { state: 'state/with+special=chars' }));
    const code = callback.searchParams.get('code')!;

    expect(callback.origin + callback.pathname).toBe(TEST_CLIENT.redirectUri);
    expect(callback.searchParams.get('state')).toBe('state/with+special=chars');
    expect(code).toMatch(/[+]/);
    expect(code).toMatch(/=$/);
  });

  test('when the user denies, then it redirects with access_denied and the documented description', async () => {
    const callback = await consent(authorizeUrl(emulator.loginUrl, { state: 'abc' }), { decision: 'deny' });

    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('error_description')).toBe('end-user denied authorization');
    expect(callback.searchParams.get('state')).toBe('abc');
    expect(callback.searchParams.get('code')).toBeNull();
  });

  test('when the code is exchanged, then the response is Salesforce’s: fields, ms issued_at, a valid signature, no-store', async () => {
    const { verifier, challenge } = pkcePair();
    const callback = await consent(authorizeUrl(emulator.loginUrl, { code_challenge: challenge, code_challenge_method: 'S256' }));

    const res = await postForm(`${emulator.loginUrl}/services/oauth2/token`, {
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code')!,
      client_id: TEST_CLIENT.clientId,
      client_secret: TEST_CLIENT.clientSecret,
      redirect_uri: TEST_CLIENT.redirectUri,
      code_verifier: verifier,
    });
    const body = res.json;

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(body)).toEqual(['access_token', 'refresh_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at']);
    expect(body.access_token).toMatch(/^00D5g00000PRODA!AR/);
    expect(body.scope).toBe('api refresh_token id');
    expect(body.instance_url).toBe(emulator.origins.na1);
    expect(body.id).toBe(`${emulator.loginUrl}/id/00D5g00000PRODAEAQ/0055g00000ADAUSRAQ`);
    expect(body.token_type).toBe('Bearer');
    expect(body.issued_at).toMatch(/^\d{13}$/);
    expect(Math.abs(Number(body.issued_at) - Date.now())).toBeLessThan(60_000);
    expect(body.signature).toBe(
      createHmac('sha256', TEST_CLIENT.clientSecret)
        .update(body.id + body.issued_at)
        .digest('base64'),
    );
    expect(body).not.toHaveProperty('expires_in');
  });

  test('when a code is used twice, then the second exchange is invalid_grant "expired authorization code"', async () => {
    const { verifier, challenge } = pkcePair();
    const code = (await consent(authorizeUrl(emulator.loginUrl, { code_challenge: challenge }))).searchParams.get('code')!;
    const exchange = () =>
      postForm(`${emulator.loginUrl}/services/oauth2/token`, {
        grant_type: 'authorization_code',
        code,
        client_id: TEST_CLIENT.clientId,
        client_secret: TEST_CLIENT.clientSecret,
        redirect_uri: TEST_CLIENT.redirectUri,
        code_verifier: verifier,
      });

    const first = await exchange();
    const second = await exchange();

    expect(first.status).toBe(200);
    expect(second.status).toBe(400);
    expect(second.json).toEqual({ error: 'invalid_grant', error_description: 'expired authorization code' });
  });

  test('when PKCE, the secret, the client id or the callback is wrong, then each gets Salesforce’s error', async () => {
    const attempt = async (overrides: Record<string, string | undefined>) => {
      const { verifier, challenge } = pkcePair();
      const code = (await consent(authorizeUrl(emulator.loginUrl, { code_challenge: challenge }))).searchParams.get('code')!;
      const form: Record<string, string | undefined> = {
        grant_type: 'authorization_code',
        code,
        client_id: TEST_CLIENT.clientId,
        client_secret: TEST_CLIENT.clientSecret,
        redirect_uri: TEST_CLIENT.redirectUri,
        code_verifier: verifier,
        ...overrides,
      };
      return postForm(`${emulator.loginUrl}/services/oauth2/token`, Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined)) as Record<string, string>);
    };

    const noVerifier = await attempt({ code_verifier: undefined });
    const wrongVerifier = await attempt({ code_verifier: pkcePair().verifier });
    const wrongSecret = await attempt({ client_secret: 'guess' });
    const wrongClient = await attempt({ client_id: 'other-app' });
    const wrongCallback = await attempt({ redirect_uri: 'http://127.0.0.1:9/other' });

    expect([noVerifier.status, noVerifier.json.error]).toEqual([400, 'invalid_grant']);
    expect([wrongVerifier.status, wrongVerifier.json.error]).toEqual([400, 'invalid_request']);
    expect(wrongSecret.json).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });
    expect(wrongClient.json).toEqual({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
    expect([wrongCallback.status, wrongCallback.json.error]).toEqual([400, 'invalid_grant']);
  });

  test('when the token endpoint gets JSON instead of a form, then 400 invalid_request', async () => {
    const res = await fetch(`${emulator.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: 'x', client_id: TEST_CLIENT.clientId, client_secret: TEST_CLIENT.clientSecret }),
    });

    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error).toBe('invalid_request');
  });

  test('when the scope has no refresh_token, then no refresh token is issued', async () => {
    const body = await connect(emulator, { scope: 'api id' });

    expect(body.refresh_token).toBeUndefined();
    expect(body.scope).toBe('api id');
  });

  test('when refreshing without rotation, then a new access token comes back with no refresh_token and a valid signature', async () => {
    const first = await connect(emulator);

    const res = await refreshGrant(emulator, first.refresh_token);

    expect(res.status).toBe(200);
    expect(Object.keys(res.json)).toEqual(['access_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at']);
    expect(res.json.access_token).not.toBe(first.access_token);
    expect(res.json.signature).toBe(
      createHmac('sha256', TEST_CLIENT.clientSecret)
        .update(res.json.id + res.json.issued_at)
        .digest('base64'),
    );
    expect((await refreshGrant(emulator, first.refresh_token)).status).toBe(200); // reusable without rotation
  });

  test('when rotation is on, then each refresh returns a new refresh token, and reusing an old one revokes the whole family', async () => {
    const first = await connect(emulator);
    await control(emulator, '/rotation', { enabled: true });

    const second = await refreshGrant(emulator, first.refresh_token);
    const third = await refreshGrant(emulator, second.json.refresh_token);
    const replay = await refreshGrant(emulator, first.refresh_token);
    const newestAfterReplay = await refreshGrant(emulator, third.json.refresh_token);
    const identity = await fetch(third.json.id, { headers: { authorization: `Bearer ${third.json.access_token}` } });

    expect(second.json.refresh_token).toEqual(expect.any(String));
    expect(second.json.refresh_token).not.toBe(first.refresh_token);
    expect(third.json.refresh_token).not.toBe(second.json.refresh_token);
    expect(replay.json).toEqual({ error: 'invalid_grant', error_description: 'expired access/refresh token' });
    expect(newestAfterReplay.json).toEqual({ error: 'invalid_grant', error_description: 'expired access/refresh token' });
    expect(identity.status).toBe(403);
  });

  test('when a refresh token is refreshed twice at once, then the second gets "token request is already being processed"', async () => {
    const { refresh_token } = await connect(emulator);
    await control(emulator, '/delay', { ms: 300, target: 'token' });

    const answers = await Promise.all([refreshGrant(emulator, refresh_token), refreshGrant(emulator, refresh_token)]);

    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
    expect(answers.find((a) => a.status === 400)!.json).toEqual({ error: 'invalid_grant', error_description: 'token request is already being processed' });
  });

  test('when a refresh token is revoked, then it and its access tokens stop working; an unknown token is invalid_token', async () => {
    const tokens = await connect(emulator);

    const revoked = await postForm(`${emulator.loginUrl}/services/oauth2/revoke`, { token: tokens.refresh_token });
    const refresh = await refreshGrant(emulator, tokens.refresh_token);
    const identity = await fetch(tokens.id, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    const unknown = await postForm(`${emulator.loginUrl}/services/oauth2/revoke`, { token: 'nope' });

    expect(revoked.status).toBe(200);
    expect(revoked.text).toBe('');
    expect(refresh.json.error).toBe('invalid_grant');
    expect(identity.status).toBe(403);
    expect([unknown.status, unknown.json.error]).toEqual([400, 'invalid_token']);
  });

  test('when an access token is revoked, then only it stops working', async () => {
    const tokens = await connect(emulator);

    await postForm(`${emulator.loginUrl}/services/oauth2/revoke`, { token: tokens.access_token });

    expect((await fetch(tokens.id, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(403);
    expect((await refreshGrant(emulator, tokens.refresh_token)).status).toBe(200);
  });

  test('when tokens are introspected, then live ones are active with the documented fields and dead ones are not', async () => {
    const tokens = await connect(emulator);
    const introspect = (token: string, auth = TEST_CLIENT.clientSecret) =>
      postForm(
        `${emulator.origins.na1}/services/oauth2/introspect`,
        { token, token_type_hint: 'access_token' },
        { authorization: `Basic ${Buffer.from(`${TEST_CLIENT.clientId}:${auth}`).toString('base64')}` },
      );

    const live = await introspect(tokens.access_token);
    const refresh = await introspect(tokens.refresh_token);
    await control(emulator, '/expire-access-tokens', {});
    const expired = await introspect(tokens.access_token);
    const badClient = await introspect(tokens.access_token, 'wrong');

    expect(live.json).toMatchObject({ active: true, scope: 'api refresh_token id', client_id: TEST_CLIENT.clientId, username: 'ada@acme.example', sub: tokens.id, token_type: 'access_token' });
    expect(live.json.exp - live.json.iat).toBe(7200);
    expect(refresh.json).toMatchObject({ active: true, token_type: 'refresh_token' });
    expect(expired.json).toEqual({ active: false });
    expect(badClient.json.error).toBe('invalid_client');
  });

  test('when a sandbox user authorizes on the sandbox login host, then the sandbox org, its instance and identity come back', async () => {
    const tokens = await connect(emulator, { loginUrl: emulator.sandboxLoginUrl });
    const atProductionHost = await refreshGrant(emulator, tokens.refresh_token, emulator.loginUrl);

    expect(tokens.instance_url).toBe(emulator.origins.cs1);
    expect(tokens.id).toBe(`${emulator.sandboxLoginUrl}/id/00D5g00000SBOXAEAQ/0055g00000SBXUSRAQ`);
    expect(atProductionHost.json.error).toBe('invalid_grant');
    expect((await refreshGrant(emulator, tokens.refresh_token, emulator.sandboxLoginUrl)).status).toBe(200);
  });

  test('when the org’s My Domain (its instance host) is the login host, then the flow works there too', async () => {
    const tokens = await connect(emulator, { loginUrl: emulator.origins.na1 });

    expect(tokens.instance_url).toBe(emulator.origins.na1);
    expect((await refreshGrant(emulator, tokens.refresh_token, emulator.origins.na1)).status).toBe(200);
  });
});
