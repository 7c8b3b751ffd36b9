import { Connection, OAuth2 } from 'jsforce';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { consent, control, startTestEmulator, TEST_CLIENT } from './testing/kit';
import type { Emulator } from './server';

/**
 * jsforce, unmodified, is a real Salesforce client: if it and the emulator disagree, the
 * emulator is wrong (unless Salesforce's documentation says otherwise).
 */
describe('emulator conformance with jsforce', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.stop());

  test('when jsforce runs the web server flow with PKCE, then it authorizes, reads identity, queries, and refreshes by itself after expiry', async () => {
    const oauth2 = new OAuth2({
      loginUrl: emulator.loginUrl,
      clientId: TEST_CLIENT.clientId,
      clientSecret: TEST_CLIENT.clientSecret,
      redirectUri: TEST_CLIENT.redirectUri,
      useVerifier: true,
    });
    const conn = new Connection({ oauth2, version: '62.0' });
    const refreshes: string[] = [];
    conn.on('refresh', (accessToken: string) => refreshes.push(accessToken));

    // The browser part: jsforce's authorize URL, the consent page, Allow.
    const callback = await consent(oauth2.getAuthorizationUrl({ scope: 'api refresh_token id', state: 'jsforce-state' }));
    expect(callback.searchParams.get('state')).toBe('jsforce-state');
    const userInfo = await conn.authorize(callback.searchParams.get('code')!);

    const identity = await conn.identity();
    const accounts = await conn.query<{ Name: string }>('SELECT Id, Name FROM Account ORDER BY Name LIMIT 2');
    const firstAccessToken = conn.accessToken;

    await control(emulator, '/expire-access-tokens', {});
    const afterExpiry = await conn.query<{ Name: string }>("SELECT Name FROM Contact WHERE LastName = 'Gonzalez'");
    const counts = (await control(emulator, '/calls')).json.counts;

    expect(userInfo).toMatchObject({ id: '0055g00000ADAUSRAQ', organizationId: '00D5g00000PRODAEAQ' });
    expect(conn.instanceUrl).toBe(emulator.origins.na1);
    expect(identity).toMatchObject({ username: 'ada@acme.example', organization_id: '00D5g00000PRODAEAQ', display_name: 'Ada Lovelace' });
    expect(accounts.totalSize).toBe(2);
    expect(accounts.records.map((r) => r.Name)).toEqual(['Burlington Textiles Corp of America', 'Edge Communications']);
    expect(afterExpiry.records.map((r) => r.Name)).toEqual(['Rose Gonzalez']);
    expect(refreshes).toHaveLength(1);
    expect(conn.accessToken).not.toBe(firstAccessToken);
    expect(counts['token:refresh_token']).toBe(1);
  });

  test('when jsforce creates, reads, updates and deletes a record, then the emulator keeps it like Salesforce', async () => {
    const tokens = await (async () => {
      const oauth2 = new OAuth2({ loginUrl: emulator.loginUrl, clientId: TEST_CLIENT.clientId, clientSecret: TEST_CLIENT.clientSecret, redirectUri: TEST_CLIENT.redirectUri, useVerifier: true });
      const conn = new Connection({ oauth2, version: '62.0' });
      const callback = await consent(oauth2.getAuthorizationUrl({ scope: 'api refresh_token id' }));
      await conn.authorize(callback.searchParams.get('code')!);
      return conn;
    })();

    const created = await tokens.sobject('Account').create({ Name: 'jsforce Account', Industry: 'Technology' });
    const id = (created as { id: string }).id;
    const read = await tokens.sobject('Account').retrieve(id);
    await tokens.sobject('Account').update({ Id: id, Industry: 'Energy' });
    const updated = await tokens.sobject('Account').retrieve(id);
    await tokens.sobject('Account').destroy(id);
    const missing = await tokens
      .sobject('Account')
      .retrieve(id)
      .then(
        () => 'found',
        (err: { errorCode?: string }) => err.errorCode,
      );
    await tokens.logout(true); // revokes the refresh token at /services/oauth2/revoke

    expect(created).toMatchObject({ success: true });
    expect(id).toMatch(/^001/);
    expect(read).toMatchObject({ Name: 'jsforce Account', Industry: 'Technology' });
    expect(updated).toMatchObject({ Industry: 'Energy' });
    expect(missing).toBe('NOT_FOUND');
  });
});
