import { randomUUID } from 'node:crypto';
import { control } from 'salesforce-emulator/testing';
import { afterAll, afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { connectedTask, useTestEmulator } from '../../test/helpers/salesforce-kit';
import { startTestApp, type TestApp } from '../../test/helpers/test-app';
import type { TestClient } from '../../test/helpers/test-client';
import { WebhookReceiver } from '../../test/helpers/webhook-receiver';
import { PROXY_ROUTE } from './http-metrics';

const METRICS_TOKEN = `metrics-${randomUUID()}`;
const LIMITS = 'services/data/v62.0/limits';
const MISSING_ACCOUNT = 'services/data/v62.0/sobjects/Account/001000000000404AAA';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text format, sample lines only: `name{a="x",b="y"} value`. */
function parseSamples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, name, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[name] = value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

/** The value of the one sample with this name and these labels (0 when absent, as a counter not yet counted). */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  expect(found.length, `${name} ${JSON.stringify(labels)}`).toBeLessThanOrEqual(1);
  return found[0]?.value ?? 0;
}

describe('GET /metrics', () => {
  const env = useTestEmulator({ app: { env: { METRICS_TOKEN, WEBHOOK_RETRY_SCHEDULE: '0.2' } } });
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterEach(() => receiver.stop());

  const metricsClient = () => env.app.client().withToken(METRICS_TOKEN);
  async function scrape(): Promise<Sample[]> {
    const res = await metricsClient().get('/metrics');
    expect(res.status, res.text).toBe(200);
    return parseSamples(res.text);
  }
  const proxy = (taskId: string, path: string) => `/api/tasks/${taskId}/sfdc/proxy/${path}`;
  const deliveryStatus = async (webhookId: string) => (await env.app.query<{ status: string }>('SELECT status FROM webhook_deliveries WHERE endpoint_id = $1', [webhookId]))[0]?.status;
  async function subscribe(user: TestClient, events = ['connection.connected']): Promise<string> {
    const res = await user.post('/api/webhooks', { url: receiver.url, events });
    expect(res.status, res.text).toBe(201);
    return res.json.webhook.id;
  }

  test('when proxied calls, a token refresh and a failed webhook delivery happen, then each is counted with its labels', async () => {
    // Arrange
    const { user, task } = await connectedTask(env.app);
    const webhookId = await subscribe(user);
    receiver.answers = [500, 500];
    const before = await scrape();

    // Act
    const ok = await user.get(proxy(task.id, LIMITS));
    const missing = await user.get(proxy(task.id, MISSING_ACCOUNT));
    const unauthenticated = await env.app.client().get(proxy(task.id, LIMITS)); // refused before the proxy's route
    expect((await control(env.emulator, '/expire-access-tokens', {})).status).toBe(200);
    const refreshed = await user.get(proxy(task.id, LIMITS));
    const notFound = await user.get(`/api/tasks/${randomUUID()}`);
    const webhookTest = await user.post(`/api/webhooks/${webhookId}/test`, {});
    await vi.waitFor(async () => expect(await deliveryStatus(webhookId)).toBe('failed'), { timeout: 10_000, interval: 50 });
    const after = await scrape();

    // Assert
    const delta = (name: string, labels: Record<string, string>) => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect([ok.status, missing.status, unauthenticated.status, refreshed.status, notFound.status, webhookTest.status]).toEqual([200, 404, 401, 200, 404, 202]);
    expect(delta('tasks_sfdc_proxy_requests_total', { status: '200' })).toBe(2);
    expect(delta('tasks_sfdc_proxy_requests_total', { status: '404' })).toBe(1);
    expect(delta('tasks_sfdc_proxy_requests_total', { status: '401' })).toBe(1);
    expect(delta('tasks_sfdc_refreshes_total', { outcome: 'refreshed' })).toBe(1);
    expect(delta('tasks_sfdc_refreshes_total', { outcome: 'failed' })).toBe(0);
    expect(delta('tasks_sfdc_webhook_deliveries_total', { outcome: 'retry' })).toBe(1);
    expect(delta('tasks_sfdc_webhook_deliveries_total', { outcome: 'failed' })).toBe(1);
    expect(delta('tasks_sfdc_webhook_deliveries_total', { outcome: 'delivered' })).toBe(0);
    expect(receiver.received).toHaveLength(2);
    // The histogram: route patterns, never paths; an error answered after the route matched keeps its pattern.
    expect(delta('http_request_duration_seconds_count', { route: PROXY_ROUTE, method: 'GET', status: '200' })).toBe(2);
    expect(delta('http_request_duration_seconds_count', { route: PROXY_ROUTE, method: 'GET', status: '401' })).toBe(1);
    expect(delta('http_request_duration_seconds_count', { route: '/api/tasks/:taskId', method: 'GET', status: '404' })).toBe(1);
    expect(delta('http_request_duration_seconds_count', { route: '/api/webhooks/:webhookId/test', method: 'POST', status: '202' })).toBe(1);
    expect(valueOf(after, 'http_request_duration_seconds_bucket', { route: PROXY_ROUTE, method: 'GET', status: '200', le: '+Inf' })).toBeGreaterThanOrEqual(2);
  });

  test('when scraped, then connections by health, job queue depths and the Node.js defaults are there, every health state included', async () => {
    // Arrange
    await connectedTask(env.app);

    // Act
    const samples = await scrape();

    // Assert
    const connections = samples.filter((s) => s.name === 'tasks_sfdc_connections');
    const queues = samples.filter((s) => s.name === 'tasks_sfdc_job_queue_depth').map((s) => s.labels.queue);
    expect(connections.map((s) => s.labels.health).sort()).toEqual(['degraded', 'healthy', 'reconnect_needed']);
    expect(valueOf(samples, 'tasks_sfdc_connections', { health: 'healthy' })).toBeGreaterThanOrEqual(1);
    expect(queues).toEqual(expect.arrayContaining(['webhook-delivery', 'data-retention', 'salesforce-health-check']));
    expect(queues.some((queue) => queue.startsWith('__pgboss__'))).toBe(false);
    expect(samples.some((s) => s.name === 'process_cpu_user_seconds_total')).toBe(true);
    expect(samples.some((s) => s.name === 'nodejs_heap_size_used_bytes')).toBe(true);
  });

  test('when the refresh token was revoked, then a refresh counts as refused and the connection as reconnect_needed', async () => {
    // Arrange
    const { user, task } = await connectedTask(env.app);
    const before = await scrape();
    await control(env.emulator, '/revoke-refresh-tokens', {});
    await control(env.emulator, '/expire-access-tokens', {});

    // Act
    const res = await user.get(proxy(task.id, LIMITS));
    const after = await scrape();

    // Assert
    expect(res.status).toBe(409);
    expect(valueOf(after, 'tasks_sfdc_refreshes_total', { outcome: 'refused' }) - valueOf(before, 'tasks_sfdc_refreshes_total', { outcome: 'refused' })).toBe(1);
    expect(valueOf(after, 'tasks_sfdc_proxy_requests_total', { status: '409' }) - valueOf(before, 'tasks_sfdc_proxy_requests_total', { status: '409' })).toBe(1);
    expect(valueOf(after, 'tasks_sfdc_connections', { health: 'reconnect_needed' }) - valueOf(before, 'tasks_sfdc_connections', { health: 'reconnect_needed' })).toBe(1);
  });

  test('when a Task, a user, an API token and odd paths pass through, then no label value anywhere carries a name, an email, a token, an id or a raw path', async () => {
    // Arrange
    const name = `Secret launch ${randomUUID()}`;
    const user = await env.app.signUp();
    const task = (await user.post('/api/tasks', { name })).json.task;
    const { task: connected, user: owner } = await connectedTask(env.app);
    const apiToken = (await owner.post('/api/tokens', { name: 'metrics probe' })).json.token as string;
    const accessToken = (await env.app.deps.credentials.getCredentials(connected.id)).accessToken;

    // Act
    await owner.withToken(apiToken).get(proxy(connected.id, `${LIMITS}?probe=${task.id}`));
    await owner.withToken(`${apiToken}x`).get(`/api/tasks/${connected.id}`);
    await user.get(`/api/tasks/${task.id}`);
    await user.get(`/api/tasks/${task.id}/no-such-thing/${encodeURIComponent(name)}`);
    await env.app.client().get(`/${task.id}/${encodeURIComponent(user.email)}`);
    await env.app.client().request('PROPFIND', `/api/tasks/${task.id}`);
    const text = (await metricsClient().get('/metrics')).text;

    // Assert
    const values = [...new Set(parseSamples(text).flatMap((s) => Object.values(s.labels)))];
    const secrets = [name, user.email, owner.email, apiToken, accessToken, task.id, connected.id];
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(values.filter((v) => /[0-9a-f]{8}-[0-9a-f]{4}-/i.test(v) || v.includes('@') || v.includes('tsk_') || v.includes('/services/'))).toEqual([]);
    expect(values).toContain('/api/tasks/:taskId');
    expect(values).toContain('unmatched');
    expect(values).toContain('other'); // PROPFIND: the method label is a fixed set too
  });

  test('when asked without the token, with a wrong one, another scheme, a session or an API token, then 401 in the envelope', async () => {
    // Arrange
    const user = await env.app.signUp();
    const apiToken = (await user.post('/api/tokens', { name: 'not for metrics' })).json.token as string;
    const wrong = `${METRICS_TOKEN.slice(0, -1)}${METRICS_TOKEN.endsWith('0') ? '1' : '0'}`; // same length, last character differs
    const client = env.app.client();

    // Act
    const answers = await Promise.all([
      client.get('/metrics'),
      client.withToken(wrong).get('/metrics'),
      client.withToken(`${METRICS_TOKEN} extra`).get('/metrics'),
      client.get('/metrics', { headers: { authorization: `Basic ${Buffer.from(`metrics:${METRICS_TOKEN}`).toString('base64')}` } }),
      user.get('/metrics'),
      client.withToken(apiToken).get('/metrics'),
    ]);

    // Assert
    for (const res of answers) {
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(res.text).not.toContain('tasks_sfdc');
    }
  });

  test('when scraped successfully, then the answer is the Prometheus text format, not cached, and not logged at info', async () => {
    // Arrange
    const logged = env.app.logs.length;

    // Act
    const res = await metricsClient().get('/metrics');
    const refused = await env.app.client().get('/metrics');

    // Assert
    const lines = env.app.logs.slice(logged).map((line) => JSON.parse(line) as { level: number; msg: string; req?: { path: string }; res?: { statusCode: number } });
    const accessLines = lines.filter((line) => line.msg === 'request completed' && line.req?.path === '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(refused.status).toBe(401);
    expect(accessLines.map((line) => line.res?.statusCode)).toEqual([401]); // the success was at debug
  });
});

describe('GET /metrics without METRICS_TOKEN', () => {
  let app: TestApp;
  afterAll(() => app?.stop());

  test('when METRICS_TOKEN is unset, then /metrics does not exist: 404 route_not_found like any unknown path, token or not', async () => {
    // Arrange
    app = await startTestApp();

    // Act
    const plain = await app.client().get('/metrics');
    const withToken = await app
      .client()
      .withToken(METRICS_TOKEN)
      .get('/metrics', { headers: { accept: 'text/html' } });

    // Assert
    for (const res of [plain, withToken]) {
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ error: { code: 'route_not_found', message: 'Not found' } });
    }
  });
});
