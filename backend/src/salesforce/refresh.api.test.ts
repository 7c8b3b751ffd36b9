import { describe, expect, test } from 'vitest';
import { control } from 'salesforce-emulator/testing';
import { connectTask, connectedTask, expectConnected, useTestEmulator } from '../../test/helpers/salesforce-kit';
import type { TestClient } from '../../test/helpers/test-client';

const LIMITS = 'services/data/v62.0/limits';
const ACCOUNTS = 'services/data/v62.0/sobjects/Account';
const ADA = 'ada@acme.example';

describe('refreshing a Task’s Salesforce access token', () => {
  const env = useTestEmulator();

  const storedSfdc = async (taskId: string) => (await env.app.query('SELECT sfdc FROM tasks WHERE id = $1', [taskId]))[0].sfdc;
  /** The stored tokens in plain text (through the app's own store), to compare with the emulator's. */
  const storedSession = async (taskId: string) => env.app.deps.credentials.toCredentials(taskId, await storedSfdc(taskId));
  const refreshes = () => env.emulator.state.callCounts.get('token:refresh_token') ?? 0;
  const logOf = (endpoint: string) => env.emulator.state.requestLog.filter((r) => r.endpoint === endpoint);
  const proxy = (taskId: string, path: string) => `/api/tasks/${taskId}/sfdc/proxy/${path}`;
  const expireTokens = async () => expect((await control(env.emulator, '/expire-access-tokens', {})).status).toBe(200);
  const events = async (user: TestClient, taskId: string) => (await user.get(`/api/tasks/${taskId}/sfdc/events`)).json.events as { kind: string; detail: Record<string, unknown> }[];
  const summary = async (user: TestClient, taskId: string) => (await user.get(`/api/tasks/${taskId}/sfdc`)).json.sfdc;

  test('when the access token has expired, then the connection test refreshes once, stores the new access token and keeps the refresh token', async () => {
    // Arrange
    const { user, task } = await connectedTask(env.app);
    const before = await storedSfdc(task.id);
    await expireTokens();

    // Act
    const res = await user.post(`/api/tasks/${task.id}/sfdc/test`, {});

    // Assert
    const after = await storedSfdc(task.id);
    const kinds = (await events(user, task.id)).map((e) => e.kind);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: true, code: null, refreshed: true, identity: { username: ADA }, tested_at: expect.any(String) });
    expect(refreshes()).toBe(1);
    expect(logOf('identity').map((r) => r.status)).toEqual([200, 403, 200]); // the callback's, the expired one, the retry
    expect(after.access_token).toMatch(/^v2\./);
    expect(after.access_token).not.toBe(before.access_token);
    expect(env.emulator.state.accessTokens.get((await storedSession(task.id)).accessToken)?.expiresAt).toBeGreaterThan(Date.now()); // the live one
    expect(after.refresh_token).toBe(before.refresh_token); // kept: the refresh response had none
    expect(after.refreshed_at).toEqual(expect.any(String));
    expect(kinds).toEqual(['tested', 'refreshed', 'connected']);
  });

  test('when the access token has expired, then a proxied REST call refreshes once and answers 200', async () => {
    // Arrange
    const { user, task } = await connectedTask(env.app);
    await expireTokens();

    // Act
    const res = await user.get(proxy(task.id, LIMITS));

    // Assert
    expect(res.status).toBe(200);
    expect(res.json).toHaveProperty('DailyApiRequests');
    expect(refreshes()).toBe(1);
    expect(logOf('rest:limits').map((r) => r.status)).toEqual([401, 200]);
  });

  test('when a proxied POST meets an expired token, then it is retried once as a POST with the same body and creates exactly one record', async () => {
    // Arrange
    const { user, task } = await connectedTask(env.app);
    const name = `Retried Co ${Date.now()}`;
    await expireTokens();

    // Act
    const created = await user.post(proxy(task.id, ACCOUNTS), { Name: name });

    // Assert
    const found = await user.get(proxy(task.id, `services/data/v62.0/query?q=${encodeURIComponent(`SELECT Id, Name FROM Account WHERE Name = '${name}'`)}`));
    // By endpoint: the log's `path` is the REST router's own (`/sobjects/Account`), without `/services/data/v62.0`.
    const posts = env.emulator.state.requestLog.filter((r) => r.method === 'POST' && r.endpoint === 'rest:sobject-create');
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ success: true, id: expect.stringMatching(/^001/) });
    expect(found.status).toBe(200);
    expect(found.json).toMatchObject({ totalSize: 1, records: [{ Id: created.json.id, Name: name }] });
    expect(posts.map((r) => r.status)).toEqual([401, 201]);
    expect(refreshes()).toBe(1);
  });

  test('when Salesforce answers REQUEST_LIMIT_EXCEEDED, then nothing is refreshed and the error is reported as is', async () => {
    // Arrange
    const { user, task } = await connectedTask(env.app);
    const before = await storedSfdc(task.id);
    await control(env.emulator, '/faults', { kind: 'request_limit', count: 2, target: 'api' });

    // Act
    const tested = await user.post(`/api/tasks/${task.id}/sfdc/test`, {});
    const proxied = await user.get(proxy(task.id, LIMITS));

    // Assert
    expect(tested.status).toBe(200);
    expect(tested.json).toMatchObject({ status: false, refreshed: false, code: 'salesforce_api_error' });
    expect(tested.json.message).toContain('REQUEST_LIMIT_EXCEEDED');
    expect(proxied.status).toBe(403);
    expect(proxied.json).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    expect(refreshes()).toBe(0);
    expect(await storedSfdc(task.id)).toMatchObject({ access_token: before.access_token, refresh_token: before.refresh_token, status: 'connected' });
  });

  test('when Salesforce says the session is not valid for the REST API, then nothing is refreshed and the proxy answers 502, never 401', async () => {
    // Arrange
    const { user, task } = await connectedTask(env.app);
    await control(env.emulator, '/faults', { kind: 'session_blocked', count: 2, target: 'api' });

    // Act
    const tested = await user.post(`/api/tasks/${task.id}/sfdc/test`, {});
    const proxied = await user.get(proxy(task.id, LIMITS));

    // Assert
    expect(tested.json).toMatchObject({ status: false, refreshed: false, code: 'salesforce_api_error' });
    expect(tested.json.message).toContain('INVALID_SESSION_ID');
    expect(proxied.status).toBe(502);
    expect(proxied.json.error.code).toBe('salesforce_api_error');
    expect(proxied.json.error.message).toContain('INVALID_SESSION_ID');
    expect(refreshes()).toBe(0);
    expect(logOf('rest:limits').map((r) => r.status)).toEqual([401]); // not retried either
  });

  test('when Salesforce answers 503, then the error is clear, nothing is refreshed and the stored tokens are unchanged', async () => {
    // Arrange
    const { user, task } = await connectedTask(env.app);
    const before = await storedSfdc(task.id);
    await control(env.emulator, '/faults', { kind: 'unavailable', count: 2, target: 'api' });

    // Act
    const tested = await user.post(`/api/tasks/${task.id}/sfdc/test`, {});
    const proxied = await user.get(proxy(task.id, LIMITS));

    // Assert
    expect(tested.json).toMatchObject({ status: false, refreshed: false, code: 'salesforce_api_error' });
    expect(tested.json.message).toMatch(/503 SERVER_UNAVAILABLE/);
    expect(proxied.status).toBe(503);
    expect(proxied.json[0].errorCode).toBe('SERVER_UNAVAILABLE');
    expect(refreshes()).toBe(0);
    expect(await storedSfdc(task.id)).toMatchObject({ access_token: before.access_token, refresh_token: before.refresh_token, status: 'connected', refreshed_at: null });
  });

  test('when Salesforce rotates refresh tokens, then each of three refreshes presents the newest one and the stored one follows', async () => {
    // Arrange
    const { user, task } = await connectedTask(env.app);
    await control(env.emulator, '/rotation', { enabled: true });
    const family = [...env.emulator.state.families.values()][0];
    const stored = [(await storedSfdc(task.id)).refresh_token];

    // Act
    const answers = [];
    for (let i = 0; i < 3; i++) {
      await expireTokens();
      answers.push(await user.get(proxy(task.id, LIMITS)));
      stored.push((await storedSfdc(task.id)).refresh_token);
    }

    // Assert
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(refreshes()).toBe(3);
    expect(logOf('token:refresh_token').map((r) => r.status)).toEqual([200, 200, 200]);
    expect(family.isRevoked).toBe(false); // a replayed (rotated-out) token would have revoked it
    expect(family.retiredRefreshTokens.size).toBe(3);
    expect(new Set(stored).size).toBe(4); // changed at every refresh
    expect((await storedSession(task.id)).refreshToken).toBe(family.refreshToken);
    expect((await events(user, task.id)).filter((e) => e.kind === 'refreshed').map((e) => e.detail.rotated)).toEqual([true, true, true]);
  });

  test('when the refresh token was revoked, then the Task needs a reconnect and nothing reaches Salesforce until the user reconnects', async () => {
    // Arrange
    const { user, task } = await connectedTask(env.app);
    await control(env.emulator, '/revoke-refresh-tokens', {});
    await expireTokens();
    const start = env.emulator.state.requestLog.length;

    // Act
    const tested = await user.post(`/api/tasks/${task.id}/sfdc/test`, {});
    const afterTest = await summary(user, task.id);
    const kinds = (await events(user, task.id)).map((e) => e.kind);
    const proxied = await user.get(proxy(task.id, LIMITS));
    const testedAgain = await user.post(`/api/tasks/${task.id}/sfdc/test`, {});
    const callsWhileDead = env.emulator.state.requestLog.length;
    const refreshesWhileDead = refreshes();
    const { location } = await connectTask(user, task.id);
    const afterReconnect = await user.get(proxy(task.id, LIMITS));
    const testedAfterReconnect = await user.post(`/api/tasks/${task.id}/sfdc/test`, {});

    // Assert
    expect(tested.json).toMatchObject({ status: false, refreshed: false, code: 'salesforce_reconnect_needed' });
    expect(afterTest).toMatchObject({ status: 'reconnect_needed', status_reason: expect.stringMatching(/refresh token expired after going unused/) });
    expect(tested.json.sfdc).toEqual(afterTest); // the answer already says reconnect-needed, with the stored failure as last_test
    expect(kinds).toContain('reconnect_needed');
    expect(proxied.status).toBe(409);
    expect(proxied.json.error.code).toBe('salesforce_reconnect_needed');
    expect(testedAgain.json).toMatchObject({ status: false, code: 'salesforce_reconnect_needed' });
    expect(refreshesWhileDead).toBe(1);
    expect(env.emulator.state.requestLog.slice(start, callsWhileDead).map((r) => `${r.endpoint} ${r.status}`)).toEqual(['identity 403', 'token:refresh_token 400']); // the proxy and the 2nd test never called out
    expectConnected(location, task.id);
    expect(await summary(user, task.id)).toMatchObject({ status: 'connected', status_reason: null });
    expect(afterReconnect.status).toBe(200);
    expect(testedAfterReconnect.json).toMatchObject({ status: true, code: null });
    expect(refreshes()).toBe(1);
  });

  test('when a refresh moves the org to another instance, then the retry and later calls go to the new host and instance_url is stored', async () => {
    // Arrange
    const { user, task } = await connectedTask(env.app);
    await control(env.emulator, '/move-instance', { org: 'production' });
    await expireTokens();

    // Act
    const retried = await user.get(proxy(task.id, LIMITS));
    const later = await user.get(proxy(task.id, 'services/data/v62.0/sobjects'));

    // Assert
    expect(retried.status).toBe(200);
    expect(later.status).toBe(200);
    expect(logOf('rest:limits').map((r) => `${r.status}@${r.host}`)).toEqual(['401@na1', '200@na2']);
    expect(logOf('rest:sobjects').map((r) => r.host)).toEqual(['na2']);
    expect((await storedSfdc(task.id)).instance_url).toBe(env.emulator.origins.na2);
    expect((await summary(user, task.id)).instance_url).toBe(env.emulator.origins.na2);
    expect((await events(user, task.id)).find((e) => e.kind === 'refreshed')?.detail).toMatchObject({ instance_url_changed: true });
  });

  test('when the Salesforce user was deactivated, then the refresh meets an authentication failure and the Task needs a reconnect', async () => {
    // Arrange
    const { user, task } = await connectedTask(env.app);
    expect((await control(env.emulator, '/users/deactivate', { username: ADA })).json).toMatchObject({ isActive: false });

    // Act
    const tested = await user.post(`/api/tasks/${task.id}/sfdc/test`, {});
    const proxied = await user.get(proxy(task.id, LIMITS));

    // Assert
    expect(tested.json).toMatchObject({ status: false, code: 'salesforce_reconnect_needed' });
    expect(tested.json.message).toMatch(/user may have been deactivated/);
    expect(await summary(user, task.id)).toMatchObject({ status: 'reconnect_needed', status_reason: expect.stringMatching(/user may have been deactivated/) });
    expect((await events(user, task.id)).map((e) => e.kind)).toContain('reconnect_needed');
    expect(proxied.status).toBe(409);
    expect(proxied.json.error.code).toBe('salesforce_reconnect_needed');
    expect(logOf('token:refresh_token').map((r) => r.status)).toEqual([400]);
  });

  test('when the original POST /sfdc/test {id} is called, then it refreshes and answers like the per-Task test, and 404 for another user’s Task', async () => {
    // Arrange
    const { user, task } = await connectedTask(env.app);
    const stranger = await env.app.signUp();
    await expireTokens();

    // Act
    const res = await user.post('/sfdc/test', { id: task.id });
    const strangers = await stranger.post('/sfdc/test', { id: task.id });

    // Assert
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: true, code: null, refreshed: true, identity: { username: ADA }, tested_at: expect.any(String) });
    expect((await summary(user, task.id)).last_test).toEqual({ status: true, message: res.json.message, code: null, refreshed: true, at: res.json.tested_at });
    expect((await events(user, task.id)).map((e) => e.kind)).toEqual(['tested', 'refreshed', 'connected']);
    expect(strangers.status).toBe(404);
    expect(strangers.json.error.code).toBe('task_not_found');
    expect(refreshes()).toBe(1);
    expect(logOf('identity')).toHaveLength(3); // connect, expired, retry: nothing for the stranger
  });
});
