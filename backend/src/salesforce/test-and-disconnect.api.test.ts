import { describe, expect, test } from 'vitest';
import { connectedTask, useTestEmulator } from '../../test/helpers/salesforce-kit';
import { startTestEmulator } from 'salesforce-emulator/testing';
import { startTestApp } from '../../test/helpers/test-app';

describe('testing and disconnecting a connection', () => {
  const env = useTestEmulator();

  test('when a connected Task is tested, then the identity answers, the result is kept on the Task (and answered with it) and a tested event is recorded', async () => {
    const { user, task } = await connectedTask(env.app);

    const res = await user.post(`/api/tasks/${task.id}/sfdc/test`, {});
    const summary = (await user.get(`/api/tasks/${task.id}/sfdc`)).json.sfdc;
    const events = (await user.get(`/api/tasks/${task.id}/sfdc/events`)).json.events;

    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      status: true,
      message: 'Connected to Salesforce as ada@acme.example',
      code: null,
      refreshed: false,
      identity: { username: 'ada@acme.example', display_name: 'Ada Lovelace', organization_id: '00D5g00000PRODAEAQ', user_id: '0055g00000ADAUSRAQ' },
      tested_at: expect.any(String),
    });
    expect(summary.last_test).toEqual({ status: true, message: res.json.message, code: null, refreshed: false, at: res.json.tested_at });
    expect(res.json.sfdc).toEqual(summary); // the connection as stored after the test: the page need not reload the Task
    expect(events.map((e: { kind: string }) => e.kind)).toEqual(['tested', 'connected']);
    expect(events[0].detail).toEqual({ status: true, refreshed: false });
    expect(env.emulator.state.requestLog.filter((r) => r.endpoint === 'identity').at(-1)!.headerNames).toContain('authorization'); // a header, never ?oauth_token=
  });

  test('when a Task is not connected, then the test answers status false in the original shape', async () => {
    const user = await env.app.signUp();
    const task = (await user.post('/api/tasks', { name: 'plain' })).json.task;

    const res = await user.post(`/api/tasks/${task.id}/sfdc/test`, {});
    const original = await user.post('/sfdc/test', { id: task.id });

    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: false, code: 'salesforce_not_connected', message: expect.any(String), sfdc: null });
    expect(original.json).toMatchObject({ status: false, code: 'salesforce_not_connected', sfdc: null });
  });

  test('when a Task is disconnected, then its refresh token is revoked at Salesforce, sfdc is cleared and an event says so', async () => {
    const { user, task } = await connectedTask(env.app);
    const family = [...env.emulator.state.families.values()][0];

    const res = await user.delete(`/api/tasks/${task.id}/sfdc`);
    const again = await user.delete(`/api/tasks/${task.id}/sfdc`);
    const events = (await user.get(`/api/tasks/${task.id}/sfdc/events`)).json.events;

    expect(res.status).toBe(204);
    expect(again.status).toBe(204);
    expect(family.isRevoked).toBe(true);
    expect(env.emulator.state.callCounts.get('revoke')).toBe(1);
    expect((await user.get(`/api/tasks/${task.id}`)).json.task.sfdc).toBeNull();
    expect(events[0]).toMatchObject({ kind: 'disconnected', detail: { revoked: true } });
    expect((await user.get(`/api/tasks/${task.id}/sfdc/proxy/services/data/v62.0/limits`)).json.error.code).toBe('salesforce_not_connected');
  });

  test('when Salesforce cannot be reached, then the test answers status false with salesforce_unavailable, and disconnect still clears', async () => {
    const other = await startTestEmulator();
    const otherApp = await startTestApp({ salesforce: other, databaseUrl: env.app.databaseUrl });
    const { user, task } = await connectedTask(otherApp);
    await other.stop(); // nothing listens there any more

    const res = await user.post(`/api/tasks/${task.id}/sfdc/test`, {});
    const disconnected = await user.delete(`/api/tasks/${task.id}/sfdc`);
    await otherApp.stop();

    expect(res.json).toMatchObject({ status: false, code: 'salesforce_unavailable' });
    expect(res.json.message).toMatch(/could not be reached \(GET http:\/\/127\.0\.0\.1:\d+\/id\/00D5g00000PRODAEAQ\/0055g00000ADAUSRAQ\)/);
    expect(disconnected.status).toBe(204);
    expect((await env.app.query('SELECT sfdc FROM tasks WHERE id = $1', [task.id]))[0].sfdc).toBeNull();
  });
});

describe('POST /sfdc/test for services', () => {
  const env = useTestEmulator({ resetEmulator: false });

  test('when a service calls the original route with an API token, then it tests its own Task and gets 404 for others', async () => {
    const { user, task } = await connectedTask(env.app);
    const stranger = await env.app.signUp();
    const service = env.app.client().withToken((await user.post('/api/tokens', { name: 'svc' })).json.token);
    const strangerService = env.app.client().withToken((await stranger.post('/api/tokens', { name: 'svc' })).json.token);

    const own = await service.post('/sfdc/test', { id: task.id });
    const foreign = await strangerService.post('/sfdc/test', { id: task.id });
    const anonymous = await env.app.client().post('/sfdc/test', { id: task.id });

    expect(own.json).toMatchObject({ status: true, identity: { username: 'ada@acme.example' } });
    expect(foreign.status).toBe(404);
    expect(anonymous.status).toBe(401);
  });
});
