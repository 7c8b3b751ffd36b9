import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { SALESFORCE_HOST_PATTERNS, SALESFORCE_LOGIN_HOST_PATTERNS, loadConfig } from '../src/config';
import { pointConfigAtEmulator } from '../src/platform/embedded-emulator';
import { LoginHosts } from '../src/salesforce/login-hosts';
import { TrustedHosts } from '../src/salesforce/trusted-hosts';
import { control } from 'salesforce-emulator/testing';
import { connectedTask, useTestEmulator } from './helpers/salesforce-kit';
import { startTestApp, testEnvironment, type TestApp } from './helpers/test-app';

/** A local service that is not Salesforce (a cache, an admin port): it counts what reaches it. */
async function startBystander(): Promise<{ url: string; hits: () => number; stop(): Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits += 1;
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('login hosts: where the client secret and refresh tokens may go', () => {
  const { emulator } = useTestEmulator({ app: false, resetEmulator: false }); // each test starts its own apps
  let bystander: Awaited<ReturnType<typeof startBystander>>;
  const apps: TestApp[] = [];
  beforeAll(async () => {
    bystander = await startBystander();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.stop()));
  });
  afterAll(async () => {
    await bystander.stop();
  });

  /**
   * An app whose trusted (instance) hosts are as wide as an operator might set them (Salesforce's
   * domains and loopback on any port), with the default login hosts plus the emulator's.
   */
  async function appWithWideTrustedHosts(): Promise<TestApp> {
    const env = { SFDC_TRUSTED_HOSTS: `${SALESFORCE_HOST_PATTERNS},127.0.0.1`, SFDC_LOGIN_HOSTS: [SALESFORCE_LOGIN_HOST_PATTERNS, ...emulator.hostPatterns.login].join(',') };
    const app = await startTestApp({ salesforce: emulator, env });
    apps.push(app);
    return app;
  }

  /** Authorize, and if the app agreed, come back to the callback as a browser would, with a code: that is when the secret is posted. */
  async function tryToConnect(app: TestApp, domain: string) {
    const user = await app.signUp();
    const task = (await user.post('/api/tasks', { name: 'target' })).json.task;
    const authorize = await user.post(`/api/tasks/${task.id}/sfdc/authorize`, { environment: 'custom', domain });
    if (authorize.status === 200) {
      const state = new URL(authorize.json.url).searchParams.get('state')!;
      await user.get(`/sfdc/oauth/callback?code=stolen&state=${encodeURIComponent(state)}`);
    }
    return { authorize, states: await app.query('SELECT 1 FROM sfdc_oauth_states WHERE task_id = $1', [task.id]) };
  }

  test('when a My Domain names a *.salesforce.com host on another port or outside the login list, then 400 untrusted_salesforce_host and no state', async () => {
    const app = await appWithWideTrustedHosts();

    const attempts = await Promise.all(
      ['evil.salesforce.com:8443', 'evil.salesforce.com', 'acme.my.salesforce.com:8443', 'http://acme.my.salesforce.com', 'evil.force.com'].map((domain) => tryToConnect(app, domain)),
    );
    const accepted = await tryToConnect(app, 'acme.my.salesforce.com');

    expect(attempts.map((a) => [a.authorize.status, a.authorize.json.error?.code])).toEqual(attempts.map(() => [400, 'untrusted_salesforce_host']));
    expect(attempts.map((a) => a.states.length)).toEqual([0, 0, 0, 0, 0]);
    expect(attempts[0].authorize.json.error.message).toContain('SFDC_LOGIN_HOSTS');
    expect(accepted.authorize.status).toBe(200);
    expect(new URL(accepted.authorize.json.url).origin).toBe('https://acme.my.salesforce.com');
  });

  test('when a My Domain names another local port, then the authorize is refused and nothing ever reaches that port', async () => {
    const app = await appWithWideTrustedHosts();

    const attempt = await tryToConnect(app, bystander.url);

    expect(attempt.authorize.status).toBe(400);
    expect(attempt.authorize.json.error.code).toBe('untrusted_salesforce_host');
    expect(bystander.hits()).toBe(0);
  });

  test('when a stored connection names a login host outside the list, then its refresh token is never sent there', async () => {
    const app = await appWithWideTrustedHosts();
    const { user, task } = await connectedTask(app);
    // As if written by an older version that accepted any trusted host as a login host.
    await app.query(`UPDATE tasks SET sfdc = sfdc || jsonb_build_object('login_url', $2::text) WHERE id = $1`, [task.id, bystander.url]);
    app.deps.changes.announce('tasks', task.id);
    await control(emulator, '/expire-access-tokens', {});

    const proxied = await user.get(`/api/tasks/${task.id}/sfdc/proxy/services/data/v62.0/limits`);
    const disconnected = await user.delete(`/api/tasks/${task.id}/sfdc`);

    expect(proxied.status).toBeGreaterThanOrEqual(400);
    expect(proxied.text).not.toContain('access_token');
    expect(disconnected.status).toBe(204);
    expect(bystander.hits()).toBe(0);
  });

  test('when the built-in emulator stands in for Salesforce, then only its own ports are trusted, never loopback on any port', async () => {
    const config = pointConfigAtEmulator(loadConfig(testEnvironment()), emulator);
    const loginHosts = new LoginHosts(config.salesforce);
    const trusted = new TrustedHosts(config.salesforce.trustedHosts);

    expect(() => loginHosts.resolve('custom', 'http://127.0.0.1:6379')).toThrow(/not a trusted Salesforce host/);
    expect(() => loginHosts.resolve('custom', bystander.url)).toThrow(/not a trusted Salesforce host/);
    expect(() => loginHosts.resolve('custom', emulator.origins.na2)).toThrow(/not a trusted Salesforce host/);
    expect(loginHosts.resolve('custom', emulator.origins.na1)).toBe(emulator.origins.na1);
    expect(loginHosts.resolve('production')).toBe(emulator.loginUrl);
    expect(trusted.isTrusted('http://127.0.0.1:6379/')).toBe(false);
    expect(trusted.isTrusted(`${bystander.url}/services/data`)).toBe(false);
    expect(Object.values(emulator.origins).every((origin) => trusted.isTrusted(`${origin}/services/data`))).toBe(true);
  });
});
