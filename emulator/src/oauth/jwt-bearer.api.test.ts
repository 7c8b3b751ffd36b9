import { generateKeyPairSync } from 'node:crypto';
import { Connection, OAuth2 } from 'jsforce';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { control, jwtAssertion, jwtBearerGrant, postForm, startTestEmulator, TEST_CLIENT } from '../testing/kit';
import { startEmulator, type Emulator } from '../server';
import { signTokenResponse } from './oauth-responses';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const GRACE = 'grace@acme.example';

describe('emulator: OAuth 2.0 JWT bearer flow', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.state.reset());

  const grant = async (claims: Partial<Parameters<typeof jwtAssertion>[0]> = {}, loginUrl = emulator.loginUrl) =>
    jwtBearerGrant(loginUrl, await jwtAssertion({ sub: GRACE, aud: emulator.loginUrl, ...claims }));

  test('when the assertion is good, then it answers an access token without a refresh token, signed like the other grants', async () => {
    const res = await grant();
    const body = res.json as Record<string, string>;

    expect(res.status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['access_token', 'id', 'instance_url', 'issued_at', 'scope', 'signature', 'token_type']);
    expect(body).toMatchObject({
      instance_url: emulator.origins.na1,
      id: `${emulator.loginUrl}/id/00D5g00000PRODAEAQ/0055g00000GRACEUAQ`,
      token_type: 'Bearer',
      scope: 'api id',
    });
    expect(body.access_token).toMatch(/^00D5g00000PRODA!/);
    expect(body.issued_at).toMatch(/^\d{13}$/);
    expect(body.signature).toBe(signTokenResponse(TEST_CLIENT.clientSecret, body.id, body.issued_at));
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect((await control(emulator, '/calls')).json.counts['token:jwt_bearer']).toBe(1);
  });

  test('when the access token is used, then REST and identity accept it, and it expires and revokes like the others', async () => {
    const { access_token: token, id } = (await grant()).json as Record<string, string>;
    const auth = { authorization: `Bearer ${token}` };

    const query = await fetch(`${emulator.origins.na1}/services/data/v62.0/query?q=${encodeURIComponent('SELECT Name FROM Account LIMIT 1')}`, { headers: auth });
    const identity = await fetch(id, { headers: auth });
    const identityBody = (await identity.json()) as Record<string, unknown>;
    await control(emulator, '/expire-access-tokens', { username: GRACE });
    const afterExpiry = await fetch(`${emulator.origins.na1}/services/data/v62.0/limits`, { headers: auth });

    const second = ((await grant()).json as Record<string, string>).access_token;
    const revoke = await postForm(`${emulator.loginUrl}/services/oauth2/revoke`, { token: second });
    const afterRevoke = await fetch(id, { headers: { authorization: `Bearer ${second}` } });
    const counts = (await control(emulator, '/calls')).json.counts;

    expect(query.status).toBe(200);
    expect(query.headers.get('sforce-limit-info')).toBe('api-usage=1/15000');
    expect(identity.status).toBe(200);
    expect(identityBody).toMatchObject({ username: GRACE, user_id: '0055g00000GRACEUAQ', organization_id: '00D5g00000PRODAEAQ' });
    expect(afterExpiry.status).toBe(401);
    expect(revoke.status).toBe(200);
    expect(afterRevoke.status).toBe(403);
    expect(counts['token:jwt_bearer']).toBe(2);
  });

  test('when the assertion comes to the sandbox or a My Domain host, then aud may be that host or the real login host', async () => {
    const sandbox = await grant({ sub: 'ada@acme.example.uat', aud: emulator.sandboxLoginUrl }, emulator.sandboxLoginUrl);
    const sandboxRealAud = await grant({ sub: 'ada@acme.example.uat', aud: 'https://test.salesforce.com' }, emulator.sandboxLoginUrl);
    const myDomain = await grant({ aud: emulator.origins.na1 }, emulator.origins.na1);
    const productionRealAud = await grant({ aud: 'https://login.salesforce.com' });
    const productionUserOnSandbox = await grant({ aud: emulator.sandboxLoginUrl }, emulator.sandboxLoginUrl);
    const productionAudOnSandbox = await grant({ sub: 'ada@acme.example.uat', aud: 'https://login.salesforce.com' }, emulator.sandboxLoginUrl);

    expect(sandbox.status).toBe(200);
    expect(sandbox.json).toMatchObject({ instance_url: emulator.origins.cs1, id: `${emulator.sandboxLoginUrl}/id/00D5g00000SBOXAEAQ/0055g00000SBXUSRAQ` });
    expect(sandboxRealAud.status).toBe(200);
    expect(myDomain.status).toBe(200);
    expect(productionRealAud.status).toBe(200);
    expect(productionUserOnSandbox.json).toEqual({ error: 'invalid_grant', error_description: 'authentication failure' });
    expect(productionAudOnSandbox.json).toEqual({ error: 'invalid_grant', error_description: 'audience is invalid' });
  });

  test('when the assertion is signed with another key, malformed, missing or tampered with, then it is an invalid assertion', async () => {
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
    const good = await jwtAssertion({ sub: GRACE, aud: emulator.loginUrl });
    const [header, payload, signature] = good.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const tamperedPayload = Buffer.from(JSON.stringify({ ...claims, sub: 'ada@acme.example' })).toString('base64url');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;

    const responses = [
      await grant({ privateKey: otherKey }),
      await jwtBearerGrant(emulator.loginUrl, 'not-a-jwt'),
      await postForm(`${emulator.loginUrl}/services/oauth2/token`, { grant_type: JWT_BEARER }),
      await jwtBearerGrant(emulator.loginUrl, `${header}.${tamperedPayload}.${signature}`),
      await jwtBearerGrant(emulator.loginUrl, unsigned),
    ];

    for (const res of responses) {
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: 'invalid_grant', error_description: 'invalid assertion' });
    }
  });

  test('when the Connected App has no certificate, then every assertion is an invalid assertion', async () => {
    const bare = await startEmulator({ port: 0, clientId: TEST_CLIENT.clientId, clientSecret: TEST_CLIENT.clientSecret, redirectUris: [TEST_CLIENT.redirectUri] });
    try {
      const res = await jwtBearerGrant(bare.loginUrl, await jwtAssertion({ sub: GRACE, aud: bare.loginUrl }));
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: 'invalid_grant', error_description: 'invalid assertion' });
      expect(bare.app.jwtCertificate).toBeUndefined();
    } finally {
      await bare.stop();
    }
  });

  test('when a claim is wrong, then it answers Salesforce’s error for that claim', async () => {
    const wrongIss = await grant({ iss: 'another-consumer-key' });
    const wrongAud = await grant({ aud: 'https://evil.example' });
    const sandboxAud = await grant({ aud: 'https://test.salesforce.com' });
    const expired = await grant({ expSeconds: -10 });
    const tooFar = await grant({ expSeconds: 3_600 });
    const unknownUser = await grant({ sub: 'nobody@acme.example' });

    expect(wrongIss.status).toBe(400);
    expect(wrongIss.json).toEqual({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
    expect(wrongAud.json).toEqual({ error: 'invalid_grant', error_description: 'audience is invalid' });
    expect(sandboxAud.json).toEqual({ error: 'invalid_grant', error_description: 'audience is invalid' });
    expect(expired.json).toEqual({ error: 'invalid_grant', error_description: 'expired authorization code' });
    expect(tooFar.json).toEqual({ error: 'invalid_grant', error_description: 'invalid assertion' });
    expect(unknownUser.json).toEqual({ error: 'invalid_grant', error_description: 'authentication failure' });
    for (const res of [wrongAud, sandboxAud, expired, tooFar, unknownUser]) expect(res.status).toBe(400);
  });

  test('when the user is deactivated, then it answers authentication failure, and again a token once reactivated', async () => {
    await control(emulator, '/users/deactivate', { username: GRACE });
    const inactive = await grant();
    await control(emulator, '/users/activate', { username: GRACE });
    const active = await grant();

    expect(inactive.status).toBe(400);
    expect(inactive.json).toEqual({ error: 'invalid_grant', error_description: 'authentication failure' });
    expect(active.status).toBe(200);
  });

  test('when the user is taken off the pre-authorized list, then it answers user hasn’t approved this consumer until added back; reset restores everyone', async () => {
    const initial = (await control(emulator, '/')).json.settings;
    const removed = await control(emulator, '/jwt-preauthorized', { username: GRACE, authorized: false });
    const refused = await grant();
    const added = await control(emulator, '/jwt-preauthorized', { username: GRACE, authorized: true });
    const accepted = await grant();
    await control(emulator, '/jwt-preauthorized', { username: GRACE, authorized: false });
    await control(emulator, '/reset', {});
    const afterReset = (await control(emulator, '/')).json.settings.jwtPreauthorized;
    const unknown = await control(emulator, '/jwt-preauthorized', { username: 'nobody@acme.example', authorized: true });

    expect(initial).toMatchObject({ jwtCertificateRegistered: true, jwtPreauthorized: ['ada@acme.example', GRACE, 'ada@acme.example.uat'] });
    expect(removed).toEqual({ status: 200, json: { username: GRACE, authorized: false, jwtPreauthorized: ['ada@acme.example', 'ada@acme.example.uat'] } });
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({ error: 'invalid_grant', error_description: "user hasn't approved this consumer" });
    expect(added.json.jwtPreauthorized).toContain(GRACE);
    expect(accepted.status).toBe(200);
    expect(afterReset).toEqual(['ada@acme.example', GRACE, 'ada@acme.example.uat']);
    expect(unknown).toEqual({ status: 404, json: { error: 'unknown_user' } });
  });

  test('when jsforce requests a token with the JWT bearer grant, then it connects and queries', async () => {
    const oauth2 = new OAuth2({ loginUrl: emulator.loginUrl, clientId: TEST_CLIENT.clientId, clientSecret: TEST_CLIENT.clientSecret });
    const assertion = await jwtAssertion({ sub: GRACE, aud: emulator.loginUrl });
    // jsforce 3.10.16 has no dedicated JWT method: requestToken (what Connection#authorize calls) posts any grant.
    const tokens = await oauth2.requestToken({ grant_type: JWT_BEARER, assertion });
    const conn = new Connection({ oauth2, version: '62.0' });
    const userInfo = await conn.authorize({ grant_type: JWT_BEARER, assertion: await jwtAssertion({ sub: GRACE, aud: emulator.loginUrl }) });
    const contacts = await conn.query<{ Name: string }>("SELECT Name FROM Contact WHERE LastName = 'Forbes'");
    const identity = await conn.identity();

    expect(tokens).toMatchObject({ instance_url: emulator.origins.na1, token_type: 'Bearer' });
    expect(tokens).not.toHaveProperty('refresh_token');
    expect(userInfo).toMatchObject({ id: '0055g00000GRACEUAQ', organizationId: '00D5g00000PRODAEAQ' });
    expect(conn.refreshToken).toBeUndefined();
    expect(contacts.records.map((r) => r.Name)).toEqual(['Sean Forbes']);
    expect(identity).toMatchObject({ username: GRACE });
  });
});
