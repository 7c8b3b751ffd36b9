import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../src/platform/embedded-database';
import { createLogger } from '../src/platform/logger';
import { consent, control, emulatorEnv, startTestEmulator } from 'salesforce-emulator/testing';
import { mainEnv, startMain } from './helpers/main-process';
import { startTestApp, type TestApp } from './helpers/test-app';
import { TestClient } from './helpers/test-client';
import { createTestDatabase, queryOnce } from './helpers/test-database';

describe('PostgreSQL restarted under traffic', () => {
  let folder: string;
  let database: EmbeddedDatabase;
  let app: TestApp;
  const password = randomBytes(12).toString('hex');
  const startDatabase = (port?: number) => startEmbeddedDatabase({ directory: path.join(folder, 'postgres'), password, database: 'app', persistent: true, logger: createLogger('silent'), port });

  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'tasks-salesforce-pg-restart-'));
    await chmod(folder, 0o755);
    database = await startDatabase();
    app = await startTestApp({ databaseUrl: database.url });
  });
  afterAll(async () => {
    await app?.stop();
    await database?.stop().catch(() => undefined);
    await rm(folder, { recursive: true, force: true });
  });

  test('when PostgreSQL stops and comes back, then requests fail cleanly with 503 meanwhile and the app recovers by itself', async () => {
    const user = await app.signUp();
    await user.post('/api/tasks', { name: 'survives the restart' });
    const service = app.client().withToken((await user.post('/api/tokens', { name: 'svc' })).json.token);

    await database.stop();
    const duringOutage = await Promise.all([user.get('/api/tasks'), user.post('/api/tasks', { name: 'lost?' }), app.client().get('/healthz'), service.get('/api/tasks')]);
    database = await startDatabase(database.port);
    await vi.waitFor(async () => expect((await app.client().get('/healthz')).status).toBe(200), { timeout: 15_000, interval: 200 });
    const afterwards = await user.get('/api/tasks');

    for (const res of duringOutage) {
      expect(res.status).toBe(503);
      expect(res.json.error.code).toBe('database_unavailable');
      expect(res.text).not.toMatch(/at .*\.js|ECONNREFUSED/); // no stack, no internals
    }
    expect(afterwards.status).toBe(200);
    expect(afterwards.json.tasks.map((t: { name: string }) => t.name)).toEqual(['survives the restart']);
    expect((await service.get('/api/tasks')).status).toBe(200);
  });
});

describe('an app process killed in the middle of a refresh', () => {
  // The killed process held the Task's refresh lease; the new process cannot know whether that refresh
  // reached Salesforce, so it waits the lease out (the HTTP deadline + 5 s, about 20 s here) before refreshing.
  test('when SIGKILL lands while the refresh is at Salesforce, then the row keeps the old tokens whole and a new process carries on once the lease expires', async () => {
    const emulator = await startTestEmulator();
    const database = await createTestDatabase();
    const env = await mainEnv(database.url, { ...emulatorEnv(emulator) });
    emulator.app.redirectUris.push(`${env.PUBLIC_URL}/sfdc/oauth/callback`);
    const first = await startMain(env);
    try {
      const browser = new TestClient(first.url);
      await browser.post('/api/auth/register', { email: 'killed@example.com', password: 'mid refresh kill' });
      const task = (await browser.post('/api/tasks', { name: 'kill' })).json.task;
      const callback = await consent((await browser.post(`/api/tasks/${task.id}/sfdc/authorize`, { environment: 'production' })).json.url);
      await browser.get(callback.pathname + callback.search);
      const token = (await browser.post('/api/tokens', { name: 'svc' })).json.token;
      const proxied = `/api/tasks/${task.id}/sfdc/proxy/services/data/v62.0/limits`;
      const row = async () =>
        (await queryOnce(database.url, `SELECT sfdc->>'access_token' AS access, sfdc->>'refresh_token' AS refresh, sfdc->>'status' AS status FROM tasks WHERE id = $1`, [task.id]))[0];
      const before = await row();
      await control(emulator, '/delay', { ms: 3000, target: 'token' });
      await control(emulator, '/expire-access-tokens', {});

      const doomed = new TestClient(first.url)
        .withToken(token)
        .get(proxied)
        .catch(() => undefined);
      await vi.waitFor(() => expect(emulator.state.refreshesInFlight.size).toBe(1), { timeout: 5_000, interval: 20 });
      first.child.kill('SIGKILL');
      await doomed;
      const afterKill = await row();
      await control(emulator, '/delay', { ms: 0, target: 'token' });
      const second = await startMain(env);
      try {
        const res = await new TestClient(second.url).withToken(token).get(proxied);

        expect(afterKill).toEqual(before); // the killed refresh stored nothing: old tokens, whole
        expect(res.status).toBe(200);
        expect((await row()).status).toBe('connected');
        expect((await row()).access).not.toBe(before.access); // the new process refreshed and stored
      } finally {
        await second.stop();
      }
    } finally {
      if (first.child.exitCode === null && first.child.signalCode === null) await first.stop();
      await emulator.stop();
      await database.drop();
    }
  }, 60_000);
});
