import { control } from 'salesforce-emulator/testing';
import { describe, expect, test } from 'vitest';
import { useTestEmulator } from '../../test/helpers/salesforce-kit';
import { startTestApp } from '../../test/helpers/test-app';
import type { TestClient } from '../../test/helpers/test-client';

const PROXIED = 'services/data/v62.0/limits';

describe('server-to-server connections (OAuth 2.0 JWT bearer)', () => {
  const env = useTestEmulator();
  const grants = () => env.emulator.state.callCounts.get('token:jwt_bearer') ?? 0;

  async function connectAsIntegrationUser(user: TestClient, username = 'grace@acme.example') {
    const task = (await user.post('/api/tasks', { name: 'Integration' })).json.task;
    const res = await user.post(`/api/tasks/${task.id}/sfdc/connect-jwt`, { environment: 'production', username });
    return { task, res };
  }

  test('when a Task connects as an integration user, then it is stored without a refresh token, offered in the config, and calls work', async () => {
    // Arrange
    const user = await env.app.signUp();

    // Act
    const { task, res } = await connectAsIntegrationUser(user);
    const proxied = await user.get(`/api/tasks/${task.id}/sfdc/proxy/${PROXIED}`);
    const [{ sfdc }] = await env.app.query('SELECT sfdc FROM tasks WHERE id = $1', [task.id]);

    // Assert
    expect(res.status, res.text).toBe(200);
    expect(res.json.sfdc).toMatchObject({ status: 'connected', connection_type: 'jwt_bearer', identity: { username: 'grace@acme.example' } });
    expect(sfdc.refresh_token).toBeUndefined();
    expect(sfdc.access_token).toMatch(/^v2\./);
    expect(proxied.status).toBe(200);
    expect(grants()).toBe(1);
    expect((await user.get('/api/config')).json.salesforce.jwt_bearer).toBe(true);
    expect((await user.get(`/api/tasks/${task.id}/sfdc/events`)).json.events.map((e: { kind: string }) => e.kind)).toEqual(['connected']);
  });

  test('when the access token expires under 100 calls over two instances, then exactly one new assertion is minted and every call succeeds', async () => {
    // Arrange
    const second = await startTestApp({ salesforce: env.emulator, instanceOf: env.app });
    try {
      const user = await env.app.signUp();
      const { task } = await connectAsIntegrationUser(user);
      const token = (await user.post('/api/tokens', { name: 'svc' })).json.token;
      const services = [env.app.client().withToken(token), second.client().withToken(token)];
      await control(env.emulator, '/delay', { ms: 300, target: 'token' });
      await control(env.emulator, '/expire-access-tokens', {});
      const before = grants();

      // Act
      const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => services[i % 2].get(`/api/tasks/${task.id}/sfdc/proxy/${PROXIED}`)));

      // Assert
      expect(answers.map((r) => r.status)).toEqual(Array(100).fill(200));
      expect(grants() - before).toBe(1);
      expect(env.emulator.state.callCounts.get('token:refresh_token') ?? 0).toBe(0);
    } finally {
      await second.stop();
    }
  });

  test('when the user is removed from the pre-authorized list, then the next mint fails and the Task needs a reconnect, with the reason in words', async () => {
    // Arrange
    const user = await env.app.signUp();
    const { task } = await connectAsIntegrationUser(user);
    await control(env.emulator, '/jwt-preauthorized', { username: 'grace@acme.example', authorized: false });
    await control(env.emulator, '/expire-access-tokens', {});

    // Act
    const proxied = await user.get(`/api/tasks/${task.id}/sfdc/proxy/${PROXIED}`);
    const requestsAfter = env.emulator.state.requestLog.length;
    const again = await user.get(`/api/tasks/${task.id}/sfdc/proxy/${PROXIED}`);

    // Assert
    const summary = (await user.get(`/api/tasks/${task.id}/sfdc`)).json.sfdc;
    expect(proxied.json.error.code).toBe('salesforce_reconnect_needed');
    expect(summary).toMatchObject({ status: 'reconnect_needed', connection_type: 'jwt_bearer' });
    expect(summary.status_reason).toMatch(/hasn't been pre-authorized for this app/);
    expect(summary.status_reason).not.toMatch(/invalid_grant/);
    expect(again.json.error.code).toBe('salesforce_reconnect_needed');
    expect(env.emulator.state.requestLog.length).toBe(requestsAfter); // nothing more reaches Salesforce
  });

  test('when Salesforce refuses the integration user at connect, then 400 salesforce_jwt_refused in words, and nothing is stored', async () => {
    const user = await env.app.signUp();
    await control(env.emulator, '/jwt-preauthorized', { username: 'ada@acme.example', authorized: false });

    const notApproved = await connectAsIntegrationUser(user, 'ada@acme.example');
    const unknown = await connectAsIntegrationUser(user, 'nobody@acme.example');
    const badHost = await user.post(`/api/tasks/${notApproved.task.id}/sfdc/connect-jwt`, { environment: 'custom', domain: 'evil.salesforce.com:8443', username: 'grace@acme.example' });

    expect([notApproved.res.status, notApproved.res.json.error.code]).toEqual([400, 'salesforce_jwt_refused']);
    expect(notApproved.res.json.error.message).toMatch(/pre-authorized.*profile or a permission set/);
    expect(notApproved.res.json.error.details).toEqual({ salesforce_error: 'invalid_grant', salesforce_description: "user hasn't approved this consumer" });
    expect([unknown.res.status, unknown.res.json.error.code]).toEqual([400, 'salesforce_jwt_refused']);
    expect([badHost.status, badHost.json.error.code]).toEqual([400, 'untrusted_salesforce_host']);
    expect((await env.app.query('SELECT sfdc FROM tasks WHERE id = ANY($1)', [[notApproved.task.id, unknown.task.id]])).map((r) => r.sfdc)).toEqual([null, null]);
  });

  test('when a JWT bearer connection is disconnected, then its access token is revoked at Salesforce', async () => {
    const user = await env.app.signUp();
    const { task } = await connectAsIntegrationUser(user);
    const [{ sfdc }] = await env.app.query('SELECT sfdc FROM tasks WHERE id = $1', [task.id]);
    const accessToken = env.app.deps.credentials.toCredentials(task.id, sfdc).accessToken;

    const res = await user.delete(`/api/tasks/${task.id}/sfdc`);
    const afterwards = await fetch(`${env.emulator.origins.na1}/${PROXIED}`, { headers: { authorization: `Bearer ${accessToken}` } });

    expect(res.status).toBe(204);
    expect(afterwards.status).toBe(401);
    expect((await user.get(`/api/tasks/${task.id}/sfdc/events`)).json.events[0]).toMatchObject({ kind: 'disconnected', detail: { revoked: true } });
  });
});
