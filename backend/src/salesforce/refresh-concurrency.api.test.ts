import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { control, refreshGrant } from 'salesforce-emulator/testing';
import { connectedTask, useTestEmulator } from '../../test/helpers/salesforce-kit';
import { startTestApp, type TestApp } from '../../test/helpers/test-app';
import type { TestClient } from '../../test/helpers/test-client';

const LIMITS = 'services/data/v62.0/limits';

describe('refreshing an access token once, however many callers notice it expired', () => {
  const env = useTestEmulator();

  const refreshes = () => env.emulator.state.callCounts.get('token:refresh_token') ?? 0;
  const proxy = (taskId: string, path: string) => `/api/tasks/${taskId}/sfdc/proxy/${path}`;
  const expireTokens = async () => expect((await control(env.emulator, '/expire-access-tokens', {})).status).toBe(200);
  const events = async (user: TestClient, taskId: string) => (await user.get(`/api/tasks/${taskId}/sfdc/events`)).json.events as { kind: string }[];
  /** A connected Task and an API-token client for it (no session rows written per call). */
  async function connectedService(on: TestApp = env.app) {
    const { user, task } = await connectedTask(on);
    const token = (await user.post('/api/tokens', { name: 'service' })).json.token as string;
    return { user, task, token, service: on.client().withToken(token) };
  }

  test('when 100 proxied calls meet the same expired token at once, then exactly one refresh reaches Salesforce and all 100 answer 200', async () => {
    // Arrange
    const { user, task, service } = await connectedService();
    await control(env.emulator, '/delay', { ms: 300, target: 'token' }); // keep the refresh open while the others arrive
    await expireTokens();

    // Act
    const answers = await Promise.all(Array.from({ length: 100 }, () => service.get(proxy(task.id, LIMITS))));

    // Assert
    expect(answers.map((r) => r.status)).toEqual(Array(100).fill(200));
    expect(refreshes()).toBe(1);
    expect(env.emulator.state.requestLog.filter((r) => r.endpoint === 'token:refresh_token').map((r) => r.status)).toEqual([200]);
    expect((await events(user, task.id)).filter((e) => e.kind === 'refreshed')).toHaveLength(1);
  });

  test('when two app instances on one database each get 50 calls on an expired token, then exactly one refresh reaches Salesforce', async () => {
    // Arrange: a second instance of the app (its own in-process single-flight) sharing the database and the encryption key
    const key = randomBytes(32).toString('base64');
    const first = await startTestApp({ salesforce: env.emulator, env: { TOKEN_ENCRYPTION_KEY: key } });
    const second = await startTestApp({ salesforce: env.emulator, databaseUrl: first.databaseUrl, env: { TOKEN_ENCRYPTION_KEY: key } });
    try {
      const { user, task, token, service } = await connectedService(first);
      const otherService = second.client().withToken(token);
      await control(env.emulator, '/delay', { ms: 300, target: 'token' });
      await expireTokens();

      // Act
      const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? service : otherService).get(proxy(task.id, LIMITS))));

      // Assert
      expect(answers.map((r) => r.status)).toEqual(Array(100).fill(200));
      expect(refreshes()).toBe(1);
      expect(env.emulator.state.requestLog.filter((r) => r.endpoint === 'token:refresh_token').map((r) => r.status)).toEqual([200]);
      expect((await events(user, task.id)).filter((e) => e.kind === 'refreshed')).toHaveLength(1);
    } finally {
      await second.stop();
      await first.stop();
    }
  });

  test('when someone else is refreshing the same refresh token, then the app backs off, re-reads, retries and the proxied call succeeds', async () => {
    // Arrange
    const { user, task, service } = await connectedService();
    const refreshToken = [...env.emulator.state.families.values()][0].refreshToken!;
    await control(env.emulator, '/delay', { ms: 400, target: 'token' });
    await expireTokens();

    // Act: a refresh from outside the app is in flight at Salesforce when the app needs its own
    const outside = refreshGrant(env.emulator, refreshToken);
    while (env.emulator.state.refreshesInFlight.size === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const proxied = await service.get(proxy(task.id, LIMITS));
    const outsideAnswer = await outside;

    // Assert
    const refreshLog = env.emulator.state.requestLog.filter((r) => r.endpoint === 'token:refresh_token').map((r) => r.status);
    const kinds = (await events(user, task.id)).map((e) => e.kind);
    expect(outsideAnswer.status).toBe(200);
    expect(proxied.status).toBe(200);
    expect(refreshLog).toContain(400); // "token request is already being processed" at least once
    expect(refreshLog.at(-1)).toBe(200); // then the app's own refresh went through
    expect(refreshLog.filter((s) => s === 200)).toHaveLength(2); // the outsider's and the app's
    expect(kinds).toContain('refreshed');
    expect(kinds).not.toContain('reconnect_needed');
    expect(kinds).not.toContain('refresh_failed');
    expect((await user.get(`/api/tasks/${task.id}/sfdc`)).json.sfdc).toMatchObject({ status: 'connected', status_reason: null });
  });
});
