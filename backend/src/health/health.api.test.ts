import { control } from 'salesforce-emulator/testing';
import { describe, expect, test, vi } from 'vitest';
import { connectTask, connectedTask, useTestEmulator } from '../../test/helpers/salesforce-kit';
import { startTestApp } from '../../test/helpers/test-app';
import type { TestClient } from '../../test/helpers/test-client';

const PROXIED = 'services/data/v62.0/limits';
const summary = async (user: TestClient, taskId: string) => (await user.get(`/api/tasks/${taskId}/sfdc`)).json.sfdc;
const eventKinds = async (user: TestClient, taskId: string) => ((await user.get(`/api/tasks/${taskId}/sfdc/events`)).json.events as { kind: string }[]).map((e) => e.kind);

describe('background health checks on the job queue', () => {
  // Every second, and a keep-alive refresh once the last refresh is 3 s old.
  const env = useTestEmulator({ app: { env: { SFDC_HEALTH_CHECK_INTERVAL: '1', SFDC_KEEPALIVE_REFRESH_AFTER: '3' } } });
  const calls = (endpoint: string) => env.emulator.state.requestLog.filter((r) => r.endpoint === endpoint);

  test('when a Task is connected, then it is checked at the identity URL with no call from anyone, and its health says when', async () => {
    // Arrange
    const { user, task } = await connectedTask(env.app);
    const identityCallsAtConnect = calls('identity').length; // the callback's own identity fetch

    // Act: nobody calls anything; the job queue does.
    await vi.waitFor(async () => expect((await summary(user, task.id)).health.checked_at).not.toBeNull(), { timeout: 8_000, interval: 100 });

    // Assert
    const health = (await summary(user, task.id)).health;
    expect(calls('identity').length).toBeGreaterThan(identityCallsAtConnect);
    expect(health).toMatchObject({ state: 'healthy', reason: null, failures: 0 });
    expect(new Date(health.next_check_at).getTime()).toBeGreaterThan(new Date(health.checked_at).getTime());
    expect(await eventKinds(user, task.id)).toEqual(['connected']); // a passing check is not an event
  });

  test('when the last refresh is older than SFDC_KEEPALIVE_REFRESH_AFTER, then a check refreshes first, and not before', async () => {
    // Arrange
    const { user, task } = await connectedTask(env.app);
    const connectedAt = new Date((await summary(user, task.id)).connected_at).getTime();
    const firstCheck = await vi.waitFor(
      async () => {
        const connection = await summary(user, task.id);
        expect(connection.health.checked_at).not.toBeNull();
        return connection;
      },
      { timeout: 8_000, interval: 50 },
    );

    // Act
    const refreshed = await vi.waitFor(
      async () => {
        const connection = await summary(user, task.id);
        expect(connection.refreshed_at).not.toBeNull();
        return connection;
      },
      { timeout: 12_000, interval: 100 },
    );

    // Assert
    expect(firstCheck.refreshed_at).toBeNull(); // checked before the keep-alive was due: no refresh
    expect(new Date(refreshed.refreshed_at).getTime() - connectedAt).toBeGreaterThanOrEqual(3_000); // not before it was due
    expect(await eventKinds(user, task.id)).toContain('refreshed');
    expect((await user.get(`/api/tasks/${task.id}/sfdc/proxy/${PROXIED}`)).status).toBe(200);
  });
});

describe('keep-alive refreshes with refresh-token rotation', () => {
  // Every check refreshes (keep-alive after 0 s); the scheduler stays out of the way (hourly) and the test runs the checks itself.
  const env = useTestEmulator({ app: { env: { SFDC_HEALTH_CHECK_INTERVAL: '3600', SFDC_KEEPALIVE_REFRESH_AFTER: '0' } } });
  const check = (taskId: string) => env.app.deps.healthChecker.check(taskId);

  test('when rotation is on, then the connection survives a hundred keep-alive refreshes', async () => {
    // Arrange
    const { user, task } = await connectedTask(env.app);
    await control(env.emulator, '/rotation', { enabled: true });

    // Act
    for (let i = 0; i < 100; i++) expect((await check(task.id))?.state).toBe('healthy');

    // Assert
    const families = [...env.emulator.state.families.values()];
    expect(env.emulator.state.callCounts.get('token:refresh_token')).toBe(100);
    expect(families.filter((f) => !f.isRevoked)).toHaveLength(1);
    expect((await user.get(`/api/tasks/${task.id}/sfdc/proxy/${PROXIED}`)).status).toBe(200);
  });
});

describe('health checks: what they find and what they say', () => {
  // The scheduler stays out of the way (hourly); each test runs the check itself, as a job would.
  const env = useTestEmulator({ app: { env: { SFDC_HEALTH_CHECK_INTERVAL: '3600' } } });
  const check = (taskId: string) => env.app.deps.healthChecker.check(taskId);

  test.each([
    { what: 'the refresh token was revoked', act: () => control(env.emulator, '/revoke-refresh-tokens', {}), reason: /expired after going unused for too long, or an admin revoked/ },
    { what: 'the Salesforce user was deactivated', act: () => control(env.emulator, '/users/deactivate', { username: 'ada@acme.example' }), reason: /user may have been deactivated/ },
    {
      what: 'the refresh token went unused past its idle lifetime',
      act: async () => {
        await control(env.emulator, '/refresh-token-idle-lifetime', { seconds: 1 });
        await new Promise((resolve) => setTimeout(resolve, 1_300));
        await control(env.emulator, '/expire-access-tokens', {}); // so the check must refresh
      },
      reason: /expired after going unused/,
    },
  ])('when $what, then the check marks reconnect_needed with a reason in words, and nothing reaches Salesforce after', async ({ act, reason }) => {
    // Arrange
    const { user, task } = await connectedTask(env.app);
    await act();

    // Act
    const health = await check(task.id);
    const requestsAfter = env.emulator.state.requestLog.length;
    const again = await check(task.id);
    const proxied = await user.get(`/api/tasks/${task.id}/sfdc/proxy/${PROXIED}`);

    // Assert
    const connection = await summary(user, task.id);
    expect(health).toMatchObject({ state: 'reconnect_needed', reason: expect.stringMatching(reason) });
    expect(connection).toMatchObject({ status: 'reconnect_needed', health: { state: 'reconnect_needed', reason: expect.stringMatching(reason), next_check_at: null } });
    expect(connection.health.reason).not.toMatch(/invalid_grant|invalid_client/);
    expect(await eventKinds(user, task.id)).toEqual(['reconnect_needed', 'connected']);
    expect(again).toBeUndefined();
    expect(proxied.json.error.code).toBe('salesforce_reconnect_needed');
    expect(env.emulator.state.requestLog.length).toBe(requestsAfter);
    expect((await env.app.query('SELECT health_check_due_at FROM tasks WHERE id = $1', [task.id]))[0].health_check_due_at).toBeNull();
  });

  test('when Salesforce answers 503 twice and then recovers, then degraded (one event), checked again sooner, then healthy with a recovery event', async () => {
    // Arrange
    const { user, task } = await connectedTask(env.app);
    await control(env.emulator, '/faults', { kind: 'unavailable', count: 2, target: 'api' });

    // Act
    const first = await check(task.id);
    const second = await check(task.id);
    const third = await check(task.id);

    // Assert
    expect(first).toMatchObject({ state: 'degraded', failures: 1, reason: expect.stringMatching(/server error \(HTTP 503\)/) });
    expect(second).toMatchObject({ state: 'degraded', failures: 2 });
    // Retried within minutes (backing off), not at the hourly interval.
    expect(new Date(first!.next_check_at!).getTime() - new Date(first!.checked_at!).getTime()).toBeLessThan(5 * 60_000);
    expect(third).toMatchObject({ state: 'healthy', failures: 0, reason: null });
    expect(await eventKinds(user, task.id)).toEqual(['health_recovered', 'health_degraded', 'connected']);
    expect((await summary(user, task.id)).status).toBe('connected');
  });

  test('when a sixth Task connects as the same Salesforce user, then the oldest is marked evicted, naming the sixth, and the other five still work', async () => {
    // Arrange
    const user = await env.app.signUp();
    const tasks: { id: string; name: string }[] = [];
    const locations: string[] = [];

    // Act
    for (const name of ['Quarterly sync', 'Two', 'Three', 'Four', 'Five', 'The sixth']) {
      const task = (await user.post('/api/tasks', { name })).json.task;
      locations.push((await connectTask(user, task.id, { username: 'grace@acme.example' })).location);
      tasks.push(task);
    }

    // Assert
    const [oldest, ...rest] = tasks;
    const evicted = await summary(user, oldest.id);
    const events = (await user.get(`/api/tasks/${oldest.id}/sfdc/events`)).json.events;
    expect(locations[5]).toBe(`/tasks/${rest[4].id}?sfdc=connected&evicted=${oldest.id}`);
    expect(locations.slice(0, 5).every((l) => !l.includes('evicted'))).toBe(true);
    expect(evicted).toMatchObject({ status: 'reconnect_needed', health: { state: 'reconnect_needed' } });
    expect(evicted.health.reason).toMatch(/the Task 'The sixth' connected as the same Salesforce user/);
    expect(evicted.health.reason).toMatch(/five|5 connections/);
    expect(events[0]).toMatchObject({ kind: 'evicted', detail: { by_task_id: rest[4].id } });
    for (const task of rest) expect((await user.get(`/api/tasks/${task.id}/sfdc/proxy/${PROXIED}`)).status, task.name).toBe(200);
    // Salesforce itself revoked the oldest: its refresh token is dead there too.
    expect([...env.emulator.state.families.values()].filter((f) => f.userId === '0055g00000GRACEUAQ' && !f.isRevoked)).toHaveLength(5);
  });

  test('when connections made before health checks existed meet an instance starting, then each gets a check due within one interval, spread out', async () => {
    // Arrange: two connections as a database from before this version holds them (no check scheduled).
    const first = await connectedTask(env.app);
    const second = await connectedTask(env.app, { username: 'grace@acme.example' });
    const ids = [first.task.id, second.task.id];
    await env.app.query('UPDATE tasks SET health_check_due_at = NULL WHERE id = ANY($1)', [ids]);

    // Act: another instance starts (start-up schedules them).
    const started = Date.now();
    const instance = await startTestApp({ salesforce: env.emulator, instanceOf: env.app, env: { SFDC_HEALTH_CHECK_INTERVAL: '3600' } });
    await instance.stop();

    // Assert
    const due = (await env.app.query('SELECT health_check_due_at FROM tasks WHERE id = ANY($1)', [ids])).map((r) => new Date(r.health_check_due_at).getTime() - started);
    for (const ms of due) {
      expect(ms).toBeGreaterThanOrEqual(360_000 - 1_000); // not all at once at start-up
      expect(ms).toBeLessThanOrEqual(3_600_000 + 60_000);
    }
  });

  test('when the list is filtered by health, then only Tasks in those states come back, and a bad filter is a 400', async () => {
    // Arrange
    const user = await env.app.signUp();
    const idle = (await user.post('/api/tasks', { name: 'not connected' })).json.task;
    const ok = (await user.post('/api/tasks', { name: 'healthy' })).json.task;
    const dead = (await user.post('/api/tasks', { name: 'dead' })).json.task;
    await connectTask(user, ok.id, { environment: 'sandbox' });
    await connectTask(user, dead.id);
    await control(env.emulator, '/revoke-refresh-tokens', { username: 'ada@acme.example' });
    await check(dead.id);

    // Act
    const names = async (query: string) => ((await user.get(`/api/tasks${query}`)).json.tasks as { name: string }[]).map((t) => t.name);

    // Assert
    expect(await names('?health=reconnect_needed,degraded')).toEqual(['dead']);
    expect(await names('?health=healthy')).toEqual(['healthy']);
    expect(await names('?health=not_connected')).toEqual(['not connected']);
    expect(await names('')).toEqual(['dead', 'healthy', 'not connected']);
    expect((await user.get('/api/tasks?health=broken')).status).toBe(400);
    expect(idle.id).toBeDefined();
  });
});
