import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { connectedTask, useTestEmulator } from '../../test/helpers/salesforce-kit';
import type { TestClient } from '../../test/helpers/test-client';
import { SLOW_REQUEST_MS } from '../platform/logger';

const LIMITS = 'services/data/v62.0/limits';

describe('the Salesforce proxy for other services', () => {
  const { emulator, app } = useTestEmulator({ resetEmulator: false }); // one connection for the whole file
  let user: TestClient;
  let service: TestClient;
  let taskId: string;
  beforeAll(async () => {
    const connected = await connectedTask(app);
    user = connected.user;
    taskId = connected.task.id;
    service = app.client().withToken((await user.post('/api/tokens', { name: 'svc' })).json.token);
  });
  beforeEach(() => {
    emulator.state.requestLog = [];
  });

  const proxy = (path: string) => `/api/tasks/${taskId}/sfdc/proxy/${path}`;

  test('when a service queries through the proxy, then it gets Salesforce’s status, content type, limit header and body', async () => {
    const res = await service.get(proxy(`services/data/v62.0/query?q=${encodeURIComponent("SELECT Name FROM Account WHERE Name LIKE 'Edge%'")}`));

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(res.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/15000$/);
    expect(res.json).toMatchObject({ totalSize: 1, done: true, records: [{ Name: 'Edge Communications' }] });
  });

  test('when Salesforce answers an error of its own, then its status and body pass through', async () => {
    const res = await service.get(proxy('services/data/v62.0/query?q=SELEKT%20Id'));

    expect(res.status).toBe(400);
    expect(res.json[0].errorCode).toBe('MALFORMED_QUERY');
  });

  test('when a body is sent, then it arrives byte for byte with the same method', async () => {
    const created = await service.request('POST', proxy('services/data/v62.0/sobjects/Account'), { body: '{"Name":"Proxied Ünïcode Co"}', headers: { 'content-type': 'application/json' } });
    const id = created.json.id;
    const patched = await service.request('PATCH', proxy(`services/data/v62.0/sobjects/Account/${id}`), { json: { Industry: 'Energy' } });
    const read = await service.get(proxy(`services/data/v62.0/sobjects/Account/${id}?fields=Name,Industry`));
    const deleted = await service.delete(proxy(`services/data/v62.0/sobjects/Account/${id}`));

    expect(created.status).toBe(201);
    expect(patched.status).toBe(204);
    expect(read.json).toMatchObject({ Name: 'Proxied Ünïcode Co', Industry: 'Energy' });
    expect(deleted.status).toBe(204);
  });

  test('when the caller sends cookies and its own Authorization, then neither reaches Salesforce', async () => {
    const res = await user.get(proxy(LIMITS), { headers: { 'x-custom-secret': 'nope', 'sforce-query-options': 'batchSize=200' } });
    const forwarded = emulator.state.requestLog.find((r) => r.endpoint === 'rest:limits')!;

    expect(res.status).toBe(200); // Salesforce accepted the app's token, not the caller's cookie
    expect(forwarded.headerNames).not.toContain('cookie');
    expect(forwarded.headerNames).not.toContain('x-custom-secret');
    expect(forwarded.headerNames).toContain('sforce-query-options');
    expect(forwarded.headerNames).toContain('authorization');
  });

  test('when the path leaves services/, climbs with dot segments or names another host, then 400 and nothing is sent', async () => {
    const attacks = [
      'id/00D5g00000PRODAEAQ/0055g00000ADAUSRAQ',
      'services/../id/00D5g00000PRODAEAQ/0055g00000ADAUSRAQ',
      'services/data/%2e%2e/%2e%2e/id',
      'services/data%2F..%2F..%2Fid',
      'services%5c..%5cid',
      'http://evil.example/services/data',
      'https:%2F%2Fevil.example/services',
      'services//evil.example/data',
      '%2Fservices/data',
      'services/data/v62.0/%0d%0aX-Injected:%201',
      'services/..;/id/00D5g00000PRODAEAQ/0055g00000ADAUSRAQ',
      'services/data;jsessionid=x/v62.0/limits',
      'services/data/v62.0/limits%3Bx',
    ];

    for (const path of attacks) {
      const res = await service.get(proxy(path));
      expect(res.status, path).toBe(400);
      expect(res.json.error.code, path).toBe('invalid_request');
    }
    expect(emulator.state.requestLog).toEqual([]);
  });

  test('when a browser session sends a non-JSON body, then 415 (CSRF), while a service may send any type', async () => {
    const fromBrowser = await user.request('POST', proxy('services/data/v62.0/sobjects/Account'), { body: 'Name=Form', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const fromService = await service.request('POST', proxy('services/data/v62.0/sobjects/Account'), { body: 'Name=Form', headers: { 'content-type': 'application/x-www-form-urlencoded' } });

    expect(fromBrowser.status).toBe(415);
    expect(fromService.status).toBe(415); // Salesforce's own answer to a form body, passed through
    expect(fromService.json[0]).toHaveProperty('errorCode');
  });

  test('when the Task is not connected, then 409 salesforce_not_connected', async () => {
    const task = (await user.post('/api/tasks', { name: 'unconnected' })).json.task;

    const res = await service.get(`/api/tasks/${task.id}/sfdc/proxy/${LIMITS}`);

    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('salesforce_not_connected');
  });

  test('when anything is proxied, tested or listed, then no token appears in any answer or log line', async () => {
    const answers = [
      await service.get(proxy(LIMITS)),
      await user.post(`/api/tasks/${taskId}/sfdc/test`, {}),
      await user.get(`/api/tasks/${taskId}`),
      await user.get(`/api/tasks/${taskId}/sfdc/events`),
    ];
    const secrets = [...emulator.state.accessTokens.keys(), ...[...emulator.state.families.values()].map((f) => f.refreshToken!), emulator.app.clientSecret];

    for (const secret of secrets) {
      for (const res of answers) expect(res.text).not.toContain(secret);
      expect(app.logs.join('\n')).not.toContain(secret);
    }
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
  });
  test('when a proxied call succeeds, then it logs at debug (the hot path), but a slow one logs at info, marked slow', async () => {
    const before = app.logs.length;

    await service.get(proxy(LIMITS));
    emulator.state.settings.delays.api = SLOW_REQUEST_MS + 100;
    const slow = await service.get(proxy(LIMITS)).finally(() => (emulator.state.settings.delays.api = 0));

    const lines = app.logs
      .slice(before)
      .map((line) => JSON.parse(line) as { msg: string; req?: { path: string }; res?: { statusCode: number }; slow?: boolean; responseTime: number })
      .filter((line) => line.msg === 'request completed' && line.req?.path.includes('/sfdc/proxy/'));
    expect(slow.status).toBe(200);
    expect(lines).toEqual([expect.objectContaining({ res: { statusCode: 200 }, slow: true })]);
    expect(lines[0].responseTime).toBeGreaterThanOrEqual(SLOW_REQUEST_MS);
  });
});
