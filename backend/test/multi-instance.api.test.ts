import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { consent, control } from 'salesforce-emulator/testing';
import { expectConnected, useTestEmulator } from './helpers/salesforce-kit';
import { startTestApp, type TestApp } from './helpers/test-app';
import { TestClient } from './helpers/test-client';

/**
 * Three instances of the app on one PostgreSQL, as behind a load balancer: whichever instance
 * a request lands on, the user's session, the OAuth flow and the single refresh hold.
 */
describe('many instances on one database', () => {
  const { emulator } = useTestEmulator({ app: false, resetEmulator: false }); // three instances of the app, started here
  let instances: TestApp[];
  beforeAll(async () => {
    const first = await startTestApp({ salesforce: emulator });
    instances = [first, await startTestApp({ salesforce: emulator, instanceOf: first }), await startTestApp({ salesforce: emulator, instanceOf: first })];
  });
  afterAll(async () => {
    // The first instance owns the database and drops it when it stops: it goes last, once no other is using it.
    for (const instance of [...(instances ?? [])].reverse()) await instance.stop();
  });

  /** The same browser (cookie jar) talking to another instance. */
  const on = (instance: TestApp, browser: TestClient) => Object.assign(new TestClient(instance.url), { cookies: browser.cookies });

  test('when a user signs in on one instance, then the session is valid on every instance, and so is signing out', async () => {
    const browser = await instances[0].signUp();

    const seen = await Promise.all(instances.map((instance) => on(instance, browser).get('/api/auth/me')));
    const copy = new Map(browser.cookies); // the cookie as it was, replayed after the sign-out
    await on(instances[1], browser).post('/api/auth/logout', {});
    const afterLogout = await on(instances[1], browser).get('/api/auth/me');

    expect(seen.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(seen.map((r) => r.json.user.id)).size).toBe(1);
    expect(afterLogout.status).toBe(401);
    // The others held the session in memory: PostgreSQL's notification of the deleted row ends it there (within milliseconds).
    for (const instance of instances) {
      await expect.poll(async () => (await Object.assign(new TestClient(instance.url), { cookies: new Map(copy) }).get('/api/auth/me')).status, { timeout: 2_000 }).toBe(401);
    }
  });

  test('when a user changes their password on one instance, then their other browser is signed out on every instance', async () => {
    const browser = await instances[0].signUp();
    const other = new TestClient(instances[0].url);
    await other.post('/api/auth/login', { email: browser.email, password: browser.password });
    const before = await Promise.all(instances.map((instance) => on(instance, other).get('/api/auth/me'))); // every instance caches it

    const changed = await on(instances[2], browser).patch('/api/auth/password', { current_password: browser.password, new_password: 'a brand new password 123' });

    expect(before.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(changed.status).toBe(204);
    expect((await on(instances[2], other).get('/api/auth/me')).status).toBe(401); // where it happened: at once
    for (const instance of instances) await expect.poll(async () => (await on(instance, other).get('/api/auth/me')).status, { timeout: 2_000 }).toBe(401);
    expect((await on(instances[1], browser).get('/api/auth/me')).status).toBe(200);
  });

  test('when the OAuth callback lands on another instance than the authorize, then the Task is connected', async () => {
    const browser = await instances[0].signUp();
    const task = (await browser.post('/api/tasks', { name: 'load balanced' })).json.task;

    const authorize = await browser.post(`/api/tasks/${task.id}/sfdc/authorize`, { environment: 'production' });
    const callback = await consent(authorize.json.url);
    const landed = await on(instances[2], browser).get(callback.pathname + callback.search);
    const summary = await on(instances[1], browser).get(`/api/tasks/${task.id}/sfdc`);

    expectConnected(landed.headers.get('location'), task.id);
    expect(summary.json.sfdc).toMatchObject({ status: 'connected', identity: { username: 'ada@acme.example' } });
  });

  test('when 90 calls on an expired token are spread over three instances, then one refresh reaches Salesforce and every call succeeds', async () => {
    const browser = await instances[0].signUp();
    const task = (await browser.post('/api/tasks', { name: 'storm' })).json.task;
    const callback = await consent((await browser.post(`/api/tasks/${task.id}/sfdc/authorize`, { environment: 'production' })).json.url);
    await browser.get(callback.pathname + callback.search);
    const token = (await browser.post('/api/tokens', { name: 'svc' })).json.token;
    const services = instances.map((instance) => instance.client().withToken(token));
    await control(emulator, '/delay', { ms: 200, target: 'token' }); // make the callers overlap for real
    await control(emulator, '/expire-access-tokens', {});
    const refreshesBefore = emulator.state.callCounts.get('token:refresh_token') ?? 0;

    const answers = await Promise.all(Array.from({ length: 90 }, (_, i) => services[i % 3].get(`/api/tasks/${task.id}/sfdc/proxy/services/data/v62.0/limits`)));

    expect(answers.map((r) => r.status)).toEqual(Array(90).fill(200));
    expect((emulator.state.callCounts.get('token:refresh_token') ?? 0) - refreshesBefore).toBe(1);
    await control(emulator, '/delay', { ms: 0, target: 'token' });
  });

  test('when an API token is deleted on one instance, then another instance that had it cached refuses it within moments', async () => {
    const browser = await instances[0].signUp();
    const { token, api_token } = (await browser.post('/api/tokens', { name: 'cached elsewhere' })).json;
    const elsewhere = instances[2].client().withToken(token);
    expect((await elsewhere.get('/api/tasks')).status).toBe(200); // now cached on instance 2

    await browser.delete(`/api/tokens/${api_token.id}`);

    await vi.waitFor(async () => expect((await elsewhere.get('/api/tasks')).status).toBe(401), { timeout: 2_000, interval: 20 });
  });

  test('when a connected Task is deleted on one instance, then another instance stops proxying for it', async () => {
    const browser = await instances[0].signUp();
    const task = (await browser.post('/api/tasks', { name: 'deleted elsewhere' })).json.task;
    const callback = await consent((await browser.post(`/api/tasks/${task.id}/sfdc/authorize`, { environment: 'production' })).json.url);
    await browser.get(callback.pathname + callback.search);
    const service = instances[1].client().withToken((await browser.post('/api/tokens', { name: 'svc' })).json.token);
    const proxied = `/api/tasks/${task.id}/sfdc/proxy/services/data/v62.0/limits`;
    expect((await service.get(proxied)).status).toBe(200); // the session is cached on instance 1

    await browser.delete(`/api/tasks/${task.id}`);

    await vi.waitFor(async () => expect((await service.get(proxied)).status).toBe(404), { timeout: 2_000, interval: 20 });
  });

  test('when the change feed’s connection is cut, then caches stop serving until it is back, and a deletion meanwhile still holds', async () => {
    const browser = await instances[0].signUp();
    const { token, api_token } = (await browser.post('/api/tokens', { name: 'feed cut' })).json;
    const service = instances[1].client().withToken(token);
    expect((await service.get('/api/tasks')).status).toBe(200);

    await instances[0].query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN %' AND datname = current_database()`);
    await vi.waitFor(() => expect(instances[1].deps.changes.isLive).toBe(false), { timeout: 2_000, interval: 10 });
    await instances[0].query('DELETE FROM api_tokens WHERE id = $1', [api_token.id]);
    const whileDown = await service.get('/api/tasks');
    await vi.waitFor(() => expect(instances[1].deps.changes.isLive).toBe(true), { timeout: 5_000, interval: 50 });

    expect(whileDown.status).toBe(401); // not served from a cache that cannot hear deletions
    expect((await service.get('/api/tasks')).status).toBe(401);
  });
});
