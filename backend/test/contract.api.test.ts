import { describe, expect, test } from 'vitest';
import type { z } from 'zod';
import { control } from 'salesforce-emulator/testing';
import * as contract from '../src/contract';
import { connectedTask, useTestEmulator } from './helpers/salesforce-kit';
import type { TestResponse } from './helpers/test-client';

/**
 * The SPA compiles against the contract's types and never checks an answer at run time, so the
 * schemas must describe exactly what the real endpoints send: each answer below is parsed with its
 * schema (strict: a field the schema does not name fails too), and every nullable field is seen
 * both empty and filled.
 */
describe('the API answers what its contract says', () => {
  const env = useTestEmulator();

  /** The answer's body, parsed with `schema`; fails on the status or on any field that does not fit. */
  function parsed<S extends z.ZodType>(schema: S, res: TestResponse, status = 200): z.output<S> {
    expect(res.status, res.text).toBe(status);
    const result = schema.safeParse(res.json);
    expect(result.error?.issues, JSON.stringify(res.json)).toBeUndefined();
    return result.data!;
  }

  const expireAccessTokens = async () => expect((await control(env.emulator, '/expire-access-tokens', {})).status).toBe(200);

  test('when a user signs up, signs in and asks who they are, then each answer is a UserResponse', async () => {
    const client = env.app.client();
    const credentials: contract.Registration = { email: 'Contract@Example.com', password: 'correct horse battery' };

    const registered = parsed(contract.UserResponse, await client.post('/api/auth/register', credentials), 201);
    const signedIn = parsed(contract.UserResponse, await env.app.client().post('/api/auth/login', credentials));
    const me = parsed(contract.UserResponse, await client.get('/api/auth/me'));

    expect(registered.user.email).toBe('contract@example.com');
    expect(signedIn).toEqual(registered);
    expect(me).toEqual(registered);
  });

  test('when the SPA asks for its configuration, then the answer is a ClientConfig', async () => {
    const user = await env.app.signUp();

    const config = parsed(contract.ClientConfig, await user.get('/api/config'));

    expect(config.salesforce).toEqual({ uses_emulator: false, api_version: env.app.deps.config.salesforce.apiVersion, jwt_bearer: true }); // a test emulator is not the built-in one
  });

  test('when Tasks are created, edited, listed and read, then each answer is a Task (sfdc null until connected)', async () => {
    const user = await env.app.signUp();
    const create: contract.CreateTask = { name: '  Nightly sync ', description: 'Accounts' };
    const update: contract.UpdateTask = { description: '' };

    const created = parsed(contract.TaskResponse, await user.post('/api/tasks', create), 201).task;
    const updated = parsed(contract.TaskResponse, await user.patch(`/api/tasks/${created.id}`, update)).task;
    const read = parsed(contract.TaskResponse, await user.get(`/api/tasks/${created.id}`)).task;
    const list = parsed(contract.TaskListResponse, await user.get('/api/tasks')).tasks;

    expect(created).toMatchObject({ name: 'Nightly sync', description: 'Accounts', sfdc: null });
    expect(updated.description).toBe('');
    expect(read).toEqual(updated);
    expect(list).toEqual([updated]);
  });

  test('when a Task is connected, tested with a refresh and listed, then the summary has every field filled', async () => {
    const { user, task } = await connectedTask(env.app);
    await expireAccessTokens(); // so the test refreshes, and refreshed_at is set

    const tested = parsed(contract.ConnectionTestResult, await user.post(`/api/tasks/${task.id}/sfdc/test`, {}));
    const summary = parsed(contract.SalesforceConnectionResponse, await user.get(`/api/tasks/${task.id}/sfdc`)).sfdc;
    const listed = parsed(contract.TaskListResponse, await user.get('/api/tasks')).tasks;

    expect(tested).toMatchObject({ status: true, refreshed: true, identity: { username: 'ada@acme.example' } });
    expect(summary).toMatchObject({ status: 'connected', environment: 'production', identity: { username: 'ada@acme.example' } });
    expect(summary?.refreshed_at).toEqual(expect.any(String));
    expect(summary?.last_test).toEqual({ status: true, message: tested.message, code: null, refreshed: true, at: tested.tested_at });
    expect(tested.sfdc).toEqual(summary);
    expect(listed.map((t) => t.sfdc)).toEqual([summary]);
  });

  test('when Salesforce revoked the grant, then the failed test, the summary and the history still fit (reason and code filled)', async () => {
    const { user, task } = await connectedTask(env.app);
    await control(env.emulator, '/revoke-refresh-tokens', {});
    await expireAccessTokens();

    const tested = parsed(contract.ConnectionTestResult, await user.post(`/api/tasks/${task.id}/sfdc/test`, {}));
    const events = parsed(contract.ConnectionEventListResponse, await user.get(`/api/tasks/${task.id}/sfdc/events`)).events;

    expect(tested).toMatchObject({ status: false, code: 'salesforce_reconnect_needed' });
    expect(tested).not.toHaveProperty('identity');
    expect(tested.sfdc).toMatchObject({ status: 'reconnect_needed', status_reason: expect.any(String) });
    expect(events.map((e) => e.kind)).toEqual(['tested', 'reconnect_needed', 'connected']);
  });

  test('when a Task is not connected, then both test routes answer a ConnectionTestResult with sfdc null', async () => {
    const user = await env.app.signUp();
    const task = (await user.post('/api/tasks', { name: 'idle' })).json.task;

    const perTask = parsed(contract.ConnectionTestResult, await user.post(`/api/tasks/${task.id}/sfdc/test`, {}));
    const original = parsed(contract.ConnectionTestResult, await user.post('/sfdc/test', { id: task.id }));
    const summary = parsed(contract.SalesforceConnectionResponse, await user.get(`/api/tasks/${task.id}/sfdc`));

    expect(perTask).toMatchObject({ status: false, code: 'salesforce_not_connected', sfdc: null });
    expect(original).toMatchObject({ status: false, code: 'salesforce_not_connected', sfdc: null });
    expect(summary).toEqual({ sfdc: null });
  });

  test('when a connection is authorized and later disconnected, then the authorize answer and the whole history fit', async () => {
    const { user, task } = await connectedTask(env.app);
    const authorize: contract.AuthorizeSalesforce = { environment: 'sandbox' };

    const started = parsed(contract.AuthorizeResponse, await user.post(`/api/tasks/${task.id}/sfdc/authorize`, authorize));
    await user.post(`/api/tasks/${task.id}/sfdc/test`, {});
    expect((await user.delete(`/api/tasks/${task.id}/sfdc`)).status).toBe(204);
    const events = parsed(contract.ConnectionEventListResponse, await user.get(`/api/tasks/${task.id}/sfdc/events`)).events;

    expect(new URL(started.url).searchParams.get('state')).toEqual(expect.any(String));
    expect(events.map((e) => e.kind)).toEqual(['disconnected', 'tested', 'connected']);
  });

  test('when API tokens are created, used and listed, then the answers are CreatedApiToken and ApiTokenListResponse (last_used_at both ways)', async () => {
    const user = await env.app.signUp();
    const request: contract.CreateApiToken = { name: 'Nightly sync' };

    const created = parsed(contract.CreatedApiToken, await user.post('/api/tokens', request), 201);
    const unused = parsed(contract.ApiTokenListResponse, await user.get('/api/tokens')).tokens;
    parsed(contract.TaskListResponse, await env.app.client().withToken(created.token).get('/api/tasks'));
    let used: contract.ApiToken[] = [];
    // The use is recorded off the request's path, so it shows a moment later.
    await expect.poll(async () => (used = parsed(contract.ApiTokenListResponse, await user.get('/api/tokens')).tokens)[0].last_used_at).not.toBeNull();

    expect(unused).toEqual([created.api_token]);
    expect(used).toEqual([{ ...created.api_token, last_used_at: expect.any(String), calls: 1 }]);
  });

  test('when a request fails, then the answer is an ApiErrorBody, with details where validation failed', async () => {
    const user = await env.app.signUp();

    const missing = parsed(contract.ApiErrorBody, await user.get('/api/tasks/00000000-0000-4000-8000-000000000000'), 404);
    const invalid = parsed(contract.ApiErrorBody, await user.post('/api/tasks', { name: '' }), 400);

    expect(missing.error.code).toBe('task_not_found');
    expect(invalid.error).toMatchObject({ code: 'invalid_request', details: { issues: [expect.objectContaining({ path: 'name' })] } });
  });
});
