import { describe, expect, test } from 'vitest';
import { consent, control } from 'salesforce-emulator/testing';
import { connectedTask, useTestEmulator } from './helpers/salesforce-kit';

/** Attacks a browser or a stranger can mount, each refused. */
describe('attacks', () => {
  const env = useTestEmulator();

  test('when a state-changing request comes from a foreign origin, then 403 cross_site_request and nothing changes', async () => {
    const user = await env.app.signUp();
    const task = (await user.post('/api/tasks', { name: 'target' })).json.task;

    const foreign = await user.request('DELETE', `/api/tasks/${task.id}`, { headers: { origin: 'https://evil.example' } });
    const crossSite = await user.request('POST', '/api/tasks', { json: { name: 'planted' }, headers: { 'sec-fetch-site': 'cross-site' } });
    const ownOrigin = await user.request('POST', '/api/tasks', { json: { name: 'mine' }, headers: { origin: env.app.url, 'sec-fetch-site': 'same-origin' } });
    const names = (await user.get('/api/tasks')).json.tasks.map((t: { name: string }) => t.name);

    expect([foreign.status, foreign.json.error.code]).toEqual([403, 'cross_site_request']);
    expect([crossSite.status, crossSite.json.error.code]).toEqual([403, 'cross_site_request']);
    expect(ownOrigin.status).toBe(201);
    expect(names.sort()).toEqual(['mine', 'target']);
  });

  test('when a cross-site form posts without a JSON body, then it is refused before any route runs', async () => {
    const user = await env.app.signUp();

    const form = await user.request('POST', '/api/tokens', { body: 'name=stolen', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const textPlain = await user.request('POST', '/api/tokens', { body: '{"name":"stolen"}', headers: { 'content-type': 'text/plain' } });

    expect(form.status).toBe(415);
    expect(textPlain.status).toBe(415);
    expect((await user.get('/api/tokens')).json.tokens).toEqual([]);
  });

  test('when a service with an API token sends any origin, then it is not treated as a browser', async () => {
    const user = await env.app.signUp();
    const service = env.app.client().withToken((await user.post('/api/tokens', { name: 'svc' })).json.token);

    const res = await service.request('POST', '/api/tasks', { json: { name: 'from a service' }, headers: { origin: 'https://integration.example' } });

    expect(res.status).toBe(201);
  });

  test('when the callback carries a crafted error or state, then it only ever redirects inside the app', async () => {
    const user = await env.app.signUp();
    const task = (await user.post('/api/tasks', { name: 'redirects' })).json.task;
    const callback = await consent((await user.post(`/api/tasks/${task.id}/sfdc/authorize`, { environment: 'production' })).json.url, { decision: 'deny' });
    const state = callback.searchParams.get('state')!;

    const crafted = await user.get(`/sfdc/oauth/callback?state=${encodeURIComponent(state)}&error=${encodeURIComponent('https://evil.example/')}`);
    const noState = await user.get(`/sfdc/oauth/callback?error=access_denied&returnUrl=${encodeURIComponent('//evil.example')}`);

    expect(crafted.headers.get('location')).toBe(`/tasks/${task.id}?sfdc=error&code=authorization_failed`);
    expect(noState.headers.get('location')).toBe('/tasks?sfdc=error&code=invalid_state');
  });

  test('when a proxied query smuggles CR/LF, then no header is injected into the call to Salesforce', async () => {
    const { user, task } = await connectedTask(env.app);

    const res = await user.get(`/api/tasks/${task.id}/sfdc/proxy/services/data/v62.0/query?q=SELECT%20Id%20FROM%20Account%0D%0AX-Injected:%201`);
    const call = env.emulator.state.requestLog.find((r) => r.endpoint === 'rest:query')!;

    expect(res.status).toBe(400); // Salesforce's MALFORMED_QUERY, passed through
    expect(call.headerNames).not.toContain('x-injected');
  });

  test('when an API token is revoked while a call is in flight, then that call may finish but the next one is refused', async () => {
    const { user, task } = await connectedTask(env.app);
    const { token, api_token } = (await user.post('/api/tokens', { name: 'revoked mid-call' })).json;
    const service = env.app.client().withToken(token);
    const proxied = `/api/tasks/${task.id}/sfdc/proxy/services/data/v62.0/limits`;
    expect((await service.get(proxied)).status).toBe(200);
    await control(env.emulator, '/delay', { ms: 500, target: 'api' });

    const inFlight = service.get(proxied);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await user.delete(`/api/tokens/${api_token.id}`);
    const next = await service.get(proxied);

    expect((await inFlight).status).toBe(200);
    expect(next.status).toBe(401);
  });

  test('when a stranger guesses Task ids, then every answer is 404, never 403', async () => {
    const { task } = await connectedTask(env.app);
    const stranger = await env.app.signUp();

    const answers = await Promise.all([
      stranger.get(`/api/tasks/${task.id}`),
      stranger.get(`/api/tasks/${task.id}/sfdc/events`),
      stranger.post(`/api/tasks/${task.id}/sfdc/test`, {}),
      stranger.request('PUT', `/api/tasks/${task.id}/sfdc/proxy/services/data/v62.0/sobjects/Account/x`, { json: {} }),
    ]);

    expect(answers.map((r) => r.status)).toEqual([404, 404, 404, 404]);
  });
});
