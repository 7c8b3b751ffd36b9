import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { control, consent, emulatorEnv } from 'salesforce-emulator/testing';
import { startMain, type MainProcess } from './helpers/main-process';
import { expectConnected, useTestEmulator } from './helpers/salesforce-kit';
import { TestClient } from './helpers/test-client';
import { createTestDatabase } from './helpers/test-database';
import { findFreePort } from '../src/platform/free-port';

/** NODE_ENV=production as the container runs it: behind a TLS proxy, a real Connected App, DATABASE_URL. */
describe('production mode', () => {
  const { emulator } = useTestEmulator({ app: false, resetEmulator: false }); // the app is src/main.ts, started here
  let database: { url: string; drop(): Promise<void> };
  let app: MainProcess;
  let browser: TestClient;
  beforeAll(async () => {
    database = await createTestDatabase();
    const port = await findFreePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    emulator.app.redirectUris.push(`${publicUrl}/sfdc/oauth/callback`);
    app = await startMain({
      NODE_ENV: 'production',
      PORT: String(port),
      PUBLIC_URL: publicUrl,
      DATABASE_URL: database.url,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ...emulatorEnv(emulator),
      TRUST_PROXY: '1',
    });
    // As a TLS-terminating proxy would say; without it a Secure cookie is never set over http.
    browser = new TestClient(app.url, { 'x-forwarded-proto': 'https' });
  });
  afterAll(async () => {
    await app?.stop();
    await database.drop();
  });

  test('when a user signs in, then the session cookie is __Host-sid: Secure, HttpOnly, SameSite=Lax, Path=/, no Domain; and the built-in emulator is not mounted', async () => {
    const res = await browser.post('/api/auth/register', { email: 'prod@example.com', password: 'production password' });
    const config = await browser.get('/api/config');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-sid='));

    expect(res.headers.getSetCookie().filter((c) => c.startsWith('sid='))).toEqual([]);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\/(;|$)/);
    expect(cookie).not.toMatch(/Domain=/i);
    expect(config.status).toBe(200); // the cookie signs the browser in
    expect(config.json.salesforce.uses_emulator).toBe(false);
    expect(app.output()).not.toContain('built-in Salesforce emulator');
  });

  test('when a user signs out, then the __Host-sid cookie is cleared with the attributes a browser needs to accept it', async () => {
    const user = new TestClient(app.url, { 'x-forwarded-proto': 'https' });
    await user.post('/api/auth/register', { email: 'leaving@example.com', password: 'production password' });

    const res = await user.post('/api/auth/logout');

    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie().find((c) => c.startsWith('__Host-sid='))).toMatch(/^__Host-sid=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax$/);
    expect((await user.get('/api/auth/me')).status).toBe(401);
  });

  test('when SIGTERM arrives during a request, then the request finishes, new connections are refused, and the process exits 0', async () => {
    const task = (await browser.post('/api/tasks', { name: 'shutdown' })).json.task;
    const callback = await consent((await browser.post(`/api/tasks/${task.id}/sfdc/authorize`, { environment: 'production' })).json.url);
    expectConnected((await browser.get(callback.pathname + callback.search)).headers.get('location'), task.id);
    await control(emulator, '/delay', { ms: 1500, target: 'api' });

    const inFlight = browser.get(`/api/tasks/${task.id}/sfdc/proxy/services/data/v62.0/limits`);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the call is now waiting on Salesforce
    const exited = app.stop('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await fetch(`${app.url}/healthz`).then(
      (r) => r.status,
      (err: Error) => err.name,
    );

    expect((await inFlight).status).toBe(200);
    expect(refused).toBe('TypeError'); // fetch failed: nothing accepts connections any more
    expect(await exited).toBe(0);
    expect(app.output()).toContain('"msg":"stopped"');
  });
});
