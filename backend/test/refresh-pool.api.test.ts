import type { Pool } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { describe, expect, test, vi } from 'vitest';
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
    // Salesforce keeps five connections per user per app: twelve Tasks as three Salesforce users.
    const signIns = [...Array(5).fill({ username: 'ada@acme.example' }), ...Array(5).fill({ username: 'grace@acme.example' }), { environment: 'sandbox' }, { environment: 'sandbox' }];
    for (const [i, signIn] of signIns.entries()) {
      const task = (await user.post('/api/tasks', { name: `slow ${i}` })).json.task;
      await connectTask(user, task.id, signIn);
      taskIds.push(task.id);
    }
    const pool = (app.deps.dataSource.driver as PostgresDriver).master as Pool;
    await control(emulator, '/delay', { ms: TOKEN_DELAY_MS, target: 'token' });
    await control(emulator, '/expire-access-tokens', {});
    // Act: the proxied calls all start refreshing; once all twelve wait on Salesforce, the UI keeps reading.
    const proxied = Promise.all(taskIds.map((id) => service.get(`/api/tasks/${id}/sfdc/proxy/services/data/v62.0/limits`)));
    await vi.waitFor(() => expect(emulator.state.refreshesInFlight.size).toBe(TASKS), { timeout: TOKEN_DELAY_MS - 500, interval: 10 });
    // While they wait on Salesforce, how many pooled connections are checked out, and does anyone queue for one?
    let mostInUse = 0;
    let mostWaiting = 0;
    const sample = () => {
      mostInUse = Math.max(mostInUse, pool.totalCount - pool.idleCount);
      mostWaiting = Math.max(mostWaiting, pool.waitingCount);
    };
    const sampler = setInterval(sample, 5);
    const meanwhile = [];
    for (let i = 0; i < 10; i++) meanwhile.push(await user.get('/api/tasks'), await app.client().get('/healthz'));
    const stillRefreshing = emulator.state.refreshesInFlight.size;
    clearInterval(sampler);
    const answers = await proxied;

    // Assert
    expect(stillRefreshing).toBe(TASKS); // the UI's requests all ran while every refresh waited on Salesforce
    expect(meanwhile.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(answers.map((r) => r.status)).toEqual(Array(TASKS).fill(200));
    expect(mostWaiting).toBe(0);
    expect(mostInUse).toBeLessThanOrEqual(2); // the UI's own query (and the session store's); none held by a refresh
    expect(emulator.state.callCounts.get('token:refresh_token')).toBe(TASKS);
  });
});
