import { describe, expect, test } from 'vitest';
import { consent, control } from 'salesforce-emulator/testing';
import { connectTask, connectedTask, expectConnected, useTestEmulator } from '../../test/helpers/salesforce-kit';

describe('connecting a Task to Salesforce (OAuth web server flow)', () => {
  const env = useTestEmulator();

  const storedSfdc = async (taskId: string) => (await env.app.query('SELECT sfdc FROM tasks WHERE id = $1', [taskId]))[0].sfdc;

  test('when the user asks to connect, then the authorize URL carries every parameter the flow needs', async () => {
    const user = await env.app.signUp();
    const task = (await user.post('/api/tasks', { name: 't' })).json.task;

    const res = await user.post(`/api/tasks/${task.id}/sfdc/authorize`, { environment: 'production' });
    const url = new URL(res.json.url);
    const params = Object.fromEntries(url.searchParams);

    expect(res.status).toBe(200);
    expect(url.origin + url.pathname).toBe(`${env.emulator.loginUrl}/services/oauth2/authorize`);
    expect(params).toEqual({
      response_type: 'code',
      client_id: env.emulator.app.clientId,
      redirect_uri: `${env.app.url}/sfdc/oauth/callback`,
      scope: 'api refresh_token id',
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge_method: 'S256',
    });
    const [stateRow] = await env.app.query('SELECT state_hash, code_verifier FROM sfdc_oauth_states WHERE task_id = $1', [task.id]);
    expect(stateRow.state_hash).not.toBe(params.state); // only a hash is stored
    expect(stateRow.code_verifier).toMatch(/^v2\./); // the verifier is encrypted, bound to its state
  });

  test('when the user allows on the consent page, then the connection is stored with encrypted tokens, identity and a connected event', async () => {
    const { user, task } = await connectedTask(env.app);

    const sfdc = await storedSfdc(task.id);
    const summary = await user.get(`/api/tasks/${task.id}/sfdc`);
    const events = await user.get(`/api/tasks/${task.id}/sfdc/events`);

    expect(sfdc).toMatchObject({
      instance_url: env.emulator.origins.na1,
      id: `${env.emulator.loginUrl}/id/00D5g00000PRODAEAQ/0055g00000ADAUSRAQ`,
      token_type: 'Bearer',
      scope: 'api refresh_token id',
      issued_at: expect.stringMatching(/^\d{13}$/),
      signature: expect.any(String),
      login_url: env.emulator.loginUrl,
      environment: 'production',
      status: 'connected',
      identity: expect.objectContaining({ username: 'ada@acme.example', organization_id: '00D5g00000PRODAEAQ' }),
    });
    expect(sfdc.access_token).toMatch(/^v2\./);
    expect(sfdc.refresh_token).toMatch(/^v2\./);
    expect(JSON.stringify(sfdc)).not.toMatch(/00D5g00000PRODA!/); // no plaintext access token anywhere
    expect(summary.json.sfdc).toMatchObject({
      status: 'connected',
      environment: 'production',
      instance_url: env.emulator.origins.na1,
      identity: { username: 'ada@acme.example', display_name: 'Ada Lovelace', organization_id: '00D5g00000PRODAEAQ', user_id: '0055g00000ADAUSRAQ' },
    });
    expect(JSON.stringify(summary.json)).not.toMatch(/token|v1\./);
    expect(events.json.events.map((e: { kind: string }) => e.kind)).toEqual(['connected']);
  });

  test('when the user denies, then the browser goes back with sfdc=error&code=access_denied and nothing is stored', async () => {
    const user = await env.app.signUp();
    const task = (await user.post('/api/tasks', { name: 't' })).json.task;

    const { location } = await connectTask(user, task.id, { decision: 'deny' });

    expect(location).toBe(`/tasks/${task.id}?sfdc=error&code=access_denied`);
    expect(await storedSfdc(task.id)).toBeNull();
  });

  test('when the state is tampered, replayed, expired or another user’s, then the callback refuses and stores nothing', async () => {
    const owner = await env.app.signUp();
    const stranger = await env.app.signUp();
    const task = (await owner.post('/api/tasks', { name: 't' })).json.task;
    const authorize = async () => consent((await owner.post(`/api/tasks/${task.id}/sfdc/authorize`, { environment: 'production' })).json.url);
    const withState = (callback: URL, state: string) => `${callback.pathname}?code=${encodeURIComponent(callback.searchParams.get('code')!)}&state=${encodeURIComponent(state)}`;

    const tampered = await authorize();
    const tamperedAnswer = await owner.get(withState(tampered, tampered.searchParams.get('state')! + 'x'));
    const strangers = await authorize();
    const strangerAnswer = await stranger.get(strangers.pathname + strangers.search);
    const anonymousAnswer = await env.app.client().get(strangers.pathname + strangers.search);
    const expired = await authorize();
    await env.app.query(`UPDATE sfdc_oauth_states SET expires_at = now() - interval '1 second'`);
    const expiredAnswer = await owner.get(expired.pathname + expired.search);
    const missingAnswer = await owner.get(`/sfdc/oauth/callback?code=abc`);

    for (const res of [tamperedAnswer, strangerAnswer, anonymousAnswer, expiredAnswer, missingAnswer]) {
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/tasks?sfdc=error&code=invalid_state');
    }
    expect(await storedSfdc(task.id)).toBeNull();
    expect(env.emulator.state.callCounts.get('token:authorization_code') ?? 0).toBe(0); // refused before the code was touched
  });

  test('when a valid callback is replayed, then the second one is refused and the connection is unchanged', async () => {
    const user = await env.app.signUp();
    const task = (await user.post('/api/tasks', { name: 't' })).json.task;
    const callback = await consent((await user.post(`/api/tasks/${task.id}/sfdc/authorize`, { environment: 'production' })).json.url);

    const first = await user.get(callback.pathname + callback.search);
    const stored = await storedSfdc(task.id);
    const replay = await user.get(callback.pathname + callback.search);

    expectConnected(first.headers.get('location'), task.id);
    expect(replay.headers.get('location')).toBe('/tasks?sfdc=error&code=invalid_state');
    expect(await storedSfdc(task.id)).toEqual(stored);
  });

  test('when connecting to a sandbox or a trusted My Domain, then the code is exchanged at that host', async () => {
    const user = await env.app.signUp();
    const sandboxTask = (await user.post('/api/tasks', { name: 'sandbox' })).json.task;
    const domainTask = (await user.post('/api/tasks', { name: 'my domain' })).json.task;

    const sandbox = await connectTask(user, sandboxTask.id, { environment: 'sandbox' });
    const myDomain = await connectTask(user, domainTask.id, { environment: 'custom', domain: env.emulator.origins.na1 });
    const tokenHosts = env.emulator.state.requestLog.filter((r) => r.endpoint === 'token:authorization_code').map((r) => r.host);

    expect(sandbox.authorizeUrl.origin).toBe(env.emulator.sandboxLoginUrl);
    expect(myDomain.authorizeUrl.origin).toBe(env.emulator.origins.na1);
    expect(tokenHosts).toEqual(['test', 'na1']);
    expect(await storedSfdc(sandboxTask.id)).toMatchObject({ environment: 'sandbox', login_url: env.emulator.sandboxLoginUrl, instance_url: env.emulator.origins.cs1 });
    expect(await storedSfdc(domainTask.id)).toMatchObject({ environment: 'custom', login_url: env.emulator.origins.na1 });
  });

  test('when the My Domain is not a trusted host or the environment is unknown, then 400 and no state is created', async () => {
    const user = await env.app.signUp();
    const task = (await user.post('/api/tasks', { name: 't' })).json.task;

    const answers = await Promise.all([
      user.post(`/api/tasks/${task.id}/sfdc/authorize`, { environment: 'custom', domain: 'evil.example.com' }),
      user.post(`/api/tasks/${task.id}/sfdc/authorize`, { environment: 'custom', domain: 'https://127.0.0.1:1@evil.example.com' }),
      user.post(`/api/tasks/${task.id}/sfdc/authorize`, { environment: 'custom', domain: `${env.emulator.origins.na1}/path?x=1` }),
      user.post(`/api/tasks/${task.id}/sfdc/authorize`, { environment: 'custom' }),
      user.post(`/api/tasks/${task.id}/sfdc/authorize`, { environment: 'https://evil.example.com' }),
    ]);

    expect(answers.map((r) => r.status)).toEqual([400, 400, 400, 400, 400]);
    expect(answers[0].json.error.code).toBe('untrusted_salesforce_host');
    expect(await env.app.query('SELECT 1 FROM sfdc_oauth_states WHERE task_id = $1', [task.id])).toHaveLength(0);
  });

  test('when a Task is reconnected, then the new connection replaces the old and the old refresh token is revoked', async () => {
    const { user, task } = await connectedTask(env.app);
    const oldRefreshToken = [...env.emulator.state.families.values()][0].refreshToken;

    const { location } = await connectTask(user, task.id, { username: 'grace@acme.example' });
    const families = [...env.emulator.state.families.values()];

    expectConnected(location, task.id);
    expect((await storedSfdc(task.id)).identity.username).toBe('grace@acme.example');
    expect(families.find((f) => f.refreshToken === oldRefreshToken)!.isRevoked).toBe(true);
    expect(families.filter((f) => !f.isRevoked)).toHaveLength(1);
  });

  test('when the token response’s signature does not verify, then nothing is stored', async () => {
    const user = await env.app.signUp();
    const task = (await user.post('/api/tasks', { name: 't' })).json.task;
    await control(env.emulator, '/tamper-signatures', { enabled: true });

    const { location } = await connectTask(user, task.id);

    expect(location).toBe(`/tasks/${task.id}?sfdc=error&code=invalid_token_response`);
    expect(await storedSfdc(task.id)).toBeNull();
    expect(env.emulator.state.callCounts.get('identity') ?? 0).toBe(0); // the unverified id URL never got the token
  });

  test("when user B touches user A's connection routes, then 404 on each and nothing is revealed or changed", async () => {
    const { task } = await connectedTask(env.app);
    const b = await env.app.signUp();

    const answers = await Promise.all([
      b.post(`/api/tasks/${task.id}/sfdc/authorize`, { environment: 'production' }),
      b.get(`/api/tasks/${task.id}/sfdc`),
      b.post(`/api/tasks/${task.id}/sfdc/test`, {}),
      b.delete(`/api/tasks/${task.id}/sfdc`),
      b.get(`/api/tasks/${task.id}/sfdc/events`),
      b.get(`/api/tasks/${task.id}/sfdc/proxy/services/data/v62.0/limits`),
      b.post('/sfdc/test', { id: task.id }),
    ]);

    expect(answers.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404, 404]);
    expect((await storedSfdc(task.id)).status).toBe('connected');
    await control(env.emulator, '/calls'); // the env.emulator saw no call from B
    expect(env.emulator.state.callCounts.get('identity') ?? 0).toBe(1); // only the connect's own identity fetch
  });
});
