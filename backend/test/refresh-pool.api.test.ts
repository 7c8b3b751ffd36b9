import type { Pool } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { describe, expect, test } from 'vitest';
import { control } from 'salesforce-emulator/testing';
import { connectTask, useTestEmulator } from './helpers/salesforce-kit';

const TASKS = 12;
const TOKEN_DELAY_MS = 3_000;

/**
 * A refresh waits on Salesforce with no database connection held: slow refreshes of many Tasks
 * at once must not exhaust the pool (10 connections), and every other request keeps answering.
 */
describe('slow refreshes and the database pool', () => {
  const { emulator, app } = useTestEmulator({ app: { salesforceTimeoutMs: 10_000 }, resetEmulator: false });

  test(`when ${TASKS} Tasks refresh at once against a token endpoint delayed ${TOKEN_DELAY_MS / 1000} s, then other requests keep answering and the pool never runs out`, async () => {
    // Arrange
    const user = await app.signUp();
    const token = (await user.post('/api/tokens', { name: 'svc' })).json.token as string;
    const service = app.client().withToken(token);
    const taskIds: string[] = [];
    for (let i = 0; i < TASKS; i++) {
      const task = (await user.post('/api/tasks', { name: `slow ${i}` })).json.task;
      await connectTask(user, task.id);
      taskIds.push(task.id);
    }
    const pool = (app.deps.dataSource.driver as PostgresDriver).master as Pool;
    await control(emulator, '/delay', { ms: TOKEN_DELAY_MS, target: 'token' });
    await control(emulator, '/expire-access-tokens', {});
    let mostWaiting = 0;
    const sampler = setInterval(() => (mostWaiting = Math.max(mostWaiting, pool.waitingCount)), 5);

    // Act: the proxied calls all start refreshing; meanwhile the UI keeps reading.
    const proxied = Promise.all(taskIds.map((id) => service.get(`/api/tasks/${id}/sfdc/proxy/services/data/v62.0/limits`)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refreshing = emulator.state.refreshesInFlight.size;
    const meanwhile = [];
    for (let i = 0; i < 20; i++) meanwhile.push(await user.get('/api/tasks'), await app.client().get('/healthz'));
    const answers = await proxied;
    clearInterval(sampler);

    // Assert
    expect(refreshing).toBe(TASKS); // they really were all at Salesforce at once
    expect(meanwhile.map((r) => r.status)).toEqual(Array(40).fill(200));
    expect(answers.map((r) => r.status)).toEqual(Array(TASKS).fill(200));
    expect(mostWaiting).toBe(0);
    expect(emulator.state.callCounts.get('token:refresh_token')).toBe(TASKS);
  });
});
