import { consent, control, emulatorEnv, startTestEmulator } from 'salesforce-emulator/testing';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { mainEnv, startMain } from './helpers/main-process';
import { connectTask, useTestEmulator } from './helpers/salesforce-kit';
import { startTestApp, type TestApp } from './helpers/test-app';
import { TestClient } from './helpers/test-client';
import { createTestDatabase, queryOnce } from './helpers/test-database';

const INTERVAL_S = 2;
const WINDOW_MS = 10_000;
/** Salesforce keeps five connections per user per app: fifteen Tasks as three Salesforce users. */
const SIGN_INS = [...Array(5).fill({ username: 'ada@acme.example' }), ...Array(5).fill({ username: 'grace@acme.example' }), ...Array(5).fill({ environment: 'sandbox' })];

/** The health checks' debug lines across instances: which Task, when, and by which instance. */
function checksIn(instances: TestApp[], since: number): { taskId: string; at: number; instance: number }[] {
  return instances.flatMap((instance, index) =>
    instance.logs
      .map((line) => JSON.parse(line) as { msg: string; taskId?: string; time: number })
      .filter((entry) => entry.msg === 'salesforce health check passed' && entry.time >= since)
      .map((entry) => ({ taskId: entry.taskId!, at: entry.time, instance: index })),
  );
}

describe('health checks with three instances on one database', () => {
  const { emulator } = useTestEmulator({ app: false, resetEmulator: false });
  let instances: TestApp[];
  beforeAll(async () => {
    const env = { SFDC_HEALTH_CHECK_INTERVAL: String(INTERVAL_S), LOG_LEVEL: 'debug' };
    const first = await startTestApp({ salesforce: emulator, env });
    instances = [first, await startTestApp({ salesforce: emulator, instanceOf: first, env }), await startTestApp({ salesforce: emulator, instanceOf: first, env })];
  });
  afterAll(async () => {
    // The first instance owns the database and drops it when it stops: it goes last, once no other is using it.
    for (const instance of [...(instances ?? [])].reverse()) await instance.stop();
  });

  test(`when 15 connections are checked every ${INTERVAL_S} s for ${WINDOW_MS / 1000} s, then each is checked about once per interval, never twice at once`, async () => {
    // Arrange
    const user = await instances[0].signUp();
    const taskIds: string[] = [];
    for (const [i, signIn] of SIGN_INS.entries()) {
      const task = (await user.post('/api/tasks', { name: `checked ${i}` })).json.task;
      await connectTask(user, task.id, signIn);
      taskIds.push(task.id);
    }
    const since = Date.now();

    // Act
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));

    // Assert
    const checks = checksIn(instances, since).filter((c) => taskIds.includes(c.taskId));
    const perTask = taskIds.map((id) =>
      checks
        .filter((c) => c.taskId === id)
        .map((c) => c.at)
        .sort((a, b) => a - b),
    );
    const expected = WINDOW_MS / 1000 / INTERVAL_S; // 5
    for (const times of perTask) {
      expect(times.length).toBeGreaterThanOrEqual(expected - 2);
      expect(times.length).toBeLessThanOrEqual(expected + 1);
      // Never checked twice at once (a duplicate would come milliseconds apart): checks are at least
      // half an interval apart, even when one catches up after waiting in the queue.
      for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThan(INTERVAL_S * 1000 * 0.45);
    }
    expect(new Set(checks.map((c) => c.instance)).size).toBeGreaterThan(1); // the work is shared
  });
});

describe('an instance killed in the middle of a health check', () => {
  test('when SIGKILL lands while a check waits on Salesforce, then another instance completes that round, and nothing is left locked', async () => {
    const emulator = await startTestEmulator();
    const database = await createTestDatabase();
    const env = await mainEnv(database.url, { ...emulatorEnv(emulator), SFDC_HEALTH_CHECK_INTERVAL: '1' });
    emulator.app.redirectUris.push(`${env.PUBLIC_URL}/sfdc/oauth/callback`);
    const first = await startMain(env);
    try {
      // Arrange: a connected Task whose identity URL answers slowly, so its check is caught mid-way.
      const browser = new TestClient(first.url);
      await browser.post('/api/auth/register', { email: 'killed-check@example.com', password: 'killed mid check' });
      const task = (await browser.post('/api/tasks', { name: 'checked' })).json.task;
      await control(emulator, '/delay', { ms: 4_000, target: 'api' });
      const callback = await consent((await browser.post(`/api/tasks/${task.id}/sfdc/authorize`, { environment: 'production' })).json.url);
      await browser.get(callback.pathname + callback.search);
      const jobs = (state: string) => queryOnce(database.url, `SELECT id FROM pgboss.job WHERE name = 'salesforce-health-check' AND state = $1`, [state]);
      await vi.waitFor(async () => expect(await jobs('active')).toHaveLength(1), { timeout: 15_000, interval: 100 });

      // Act
      first.child.kill('SIGKILL');
      await control(emulator, '/delay', { ms: 0, target: 'api' });
      const second = await startMain({ ...env, PORT: '0' });
      try {
        // The dead instance's job expires and is retried here; the check completes.
        const row = async () => (await queryOnce(database.url, `SELECT sfdc->'health' AS health, refresh_lease_owner, health_check_due_at FROM tasks WHERE id = $1`, [task.id]))[0];
        await vi.waitFor(async () => expect((await row()).health.checked_at).not.toBeNull(), { timeout: 80_000, interval: 250 });

        // Assert
        const after = await row();
        expect(after.health).toMatchObject({ state: 'healthy', failures: 0 });
        expect(after.refresh_lease_owner).toBeNull();
        expect(new Date(after.health_check_due_at).getTime()).toBeGreaterThan(Date.now() - 5_000);
        await vi.waitFor(async () => expect(await jobs('active')).toEqual([]), { timeout: 10_000, interval: 250 });
      } finally {
        await second.stop();
      }
    } finally {
      if (first.child.exitCode === null && first.child.signalCode === null) await first.stop();
      await emulator.stop();
      await database.drop();
    }
  }, 120_000);
});
