import { control } from 'salesforce-emulator/testing';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { connectTask, connectedTask, useTestEmulator } from '../../test/helpers/salesforce-kit';
import { startTestApp, type TestApp } from '../../test/helpers/test-app';
import type { TestClient } from '../../test/helpers/test-client';
import { WebhookReceiver } from '../../test/helpers/webhook-receiver';
import { CreateWebhookResponse, WebhookDeliveryListResponse, WebhookListResponse, WebhookResponse } from '../contract';

const CONNECTION_EVENTS = ['connection.connected', 'connection.refreshed', 'connection.degraded', 'connection.recovered', 'connection.reconnect_needed', 'connection.disconnected'];

async function subscribe(user: TestClient, url: string, events = CONNECTION_EVENTS) {
  const res = await user.post('/api/webhooks', { url, events });
  expect(res.status, res.text).toBe(201);
  return res.json as { webhook: { id: string }; secret: string };
}

const deliveries = async (user: TestClient, webhookId: string) =>
  (await user.get(`/api/webhooks/${webhookId}/deliveries`)).json.deliveries as { id: string; status: string; attempts: number; event_id: string; last_error: string | null; type: string }[];

describe('webhooks: connection events, signed, durable and retried', () => {
  const env = useTestEmulator({ app: { env: { WEBHOOK_RETRY_SCHEDULE: '0.2,0.2,0.2' } } });
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterEach(() => receiver.stop());

  test('when a Task connects, is revoked, reconnects and disconnects, then the endpoint receives each change, signed, and nothing for another user', async () => {
    // Arrange
    const user = await env.app.signUp();
    const { webhook, secret } = await subscribe(user, receiver.url);
    const task = (await user.post('/api/tasks', { name: 'Nightly account sync' })).json.task;
    await connectedTask(env.app); // another user's Task: never sent to this endpoint

    // Act
    await connectTask(user, task.id);
    await control(env.emulator, '/revoke-refresh-tokens', {});
    await user.post(`/api/tasks/${task.id}/sfdc/test`, {});
    await connectTask(user, task.id);
    await user.delete(`/api/tasks/${task.id}/sfdc`);
    await vi.waitFor(() => expect(receiver.received).toHaveLength(4), { timeout: 10_000, interval: 50 });
    await new Promise((resolve) => setTimeout(resolve, 300)); // nothing more arrives

    // Assert
    const received = receiver.verified(secret); // throws unless every signature verifies
    const inOrder = receiver.received.map((r) => JSON.parse(r.body)).sort((a, b) => a.timestamp.localeCompare(b.timestamp));
    expect(inOrder.map((p) => p.type)).toEqual(['connection.connected', 'connection.reconnect_needed', 'connection.connected', 'connection.disconnected']);
    expect(received).toHaveLength(4);
    expect(received.every((r) => r.data.task_id === task.id)).toBe(true);
    expect(inOrder[1].data).toMatchObject({ task_name: 'Nightly account sync', connection: { status: 'reconnect_needed' }, reason: expect.stringMatching(/revoked/) });
    expect(inOrder[0].data.connection).toMatchObject({ status: 'connected', identity: { username: 'ada@acme.example' } });
    expect(inOrder[3].data.connection).toBeNull();
    expect(JSON.stringify(receiver.received)).not.toMatch(/access_token|refresh_token/);
    expect(new Set(received.map((r) => r.id)).size).toBe(4);
    expect((await deliveries(user, webhook.id)).map((d) => d.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
  });

  test('when the endpoint answers 500 twice then 200, then three attempts with one webhook-id, and the delivery succeeded with attempts 3', async () => {
    // Arrange
    const user = await env.app.signUp();
    const { webhook, secret } = await subscribe(user, receiver.url, ['connection.connected']);
    receiver.answers = [500, 500, 200];

    // Act
    const test = await user.post(`/api/webhooks/${webhook.id}/test`, {});
    await vi.waitFor(async () => expect((await deliveries(user, webhook.id))[0].status).toBe('succeeded'), { timeout: 10_000, interval: 50 });

    // Assert
    expect(test.status).toBe(202);
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(receiver.verified(secret).map((r) => r.type)).toEqual(['webhook.test', 'webhook.test', 'webhook.test']);
    expect((await deliveries(user, webhook.id))[0]).toMatchObject({ status: 'succeeded', attempts: 3, event_id: receiver.received[0].headers['webhook-id'] });
  });

  test('when every attempt fails, then the delivery ends failed and stays visible; a redelivery sends the same webhook-id again', async () => {
    // Arrange
    const user = await env.app.signUp();
    const { webhook } = await subscribe(user, receiver.url);
    receiver.answers = [503, 503, 503, 503];

    // Act
    await user.post(`/api/webhooks/${webhook.id}/test`, {});
    await vi.waitFor(async () => expect((await deliveries(user, webhook.id))[0].status).toBe('failed'), { timeout: 10_000, interval: 50 });
    const [failed] = await deliveries(user, webhook.id);
    const retried = await user.post(`/api/webhooks/${webhook.id}/deliveries/${failed.id}/retry`, {});
    await vi.waitFor(async () => expect((await deliveries(user, webhook.id))[0].status).toBe('succeeded'), { timeout: 10_000, interval: 50 });

    // Assert
    expect(failed).toMatchObject({ attempts: 4, last_error: expect.stringContaining('HTTP 503') });
    expect(retried.status).toBe(202);
    expect(receiver.received).toHaveLength(5);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
  });

  test('when the endpoint answers 410 Gone, then it is disabled and receives nothing more', async () => {
    // Arrange
    const user = await env.app.signUp();
    const { webhook } = await subscribe(user, receiver.url);
    receiver.answers = [410];

    // Act
    await user.post(`/api/webhooks/${webhook.id}/test`, {});
    await vi.waitFor(async () => expect((await deliveries(user, webhook.id))[0].status).toBe('failed'), { timeout: 10_000, interval: 50 });
    const task = (await user.post('/api/tasks', { name: 'after gone' })).json.task;
    await connectTask(user, task.id);
    await new Promise((resolve) => setTimeout(resolve, 500));

    // Assert
    expect((await user.get(`/api/webhooks/${webhook.id}`)).json.webhook.enabled).toBe(false);
    expect(receiver.received).toHaveLength(1);
  });

  test('when endpoints and deliveries are answered, then they match the contract the SPA is built on, and the secret is never answered again', async () => {
    const user = await env.app.signUp();
    const created = await user.post('/api/webhooks', { url: receiver.url, events: ['connection.connected', 'connection.connected'], description: ' CRM sync ' });
    await user.post(`/api/webhooks/${created.json.webhook.id}/test`, {});
    await vi.waitFor(async () => expect((await deliveries(user, created.json.webhook.id))[0]?.status).toBe('succeeded'), { timeout: 10_000, interval: 50 });

    const listed = await user.get('/api/webhooks');
    const patched = await user.patch(`/api/webhooks/${created.json.webhook.id}`, { enabled: false });
    const listedDeliveries = await user.get(`/api/webhooks/${created.json.webhook.id}/deliveries`);

    expect(CreateWebhookResponse.parse(created.json).webhook).toMatchObject({ events: ['connection.connected'], description: 'CRM sync', enabled: true });
    expect(WebhookListResponse.parse(listed.json).webhooks).toHaveLength(1);
    expect(WebhookResponse.parse(patched.json).webhook.enabled).toBe(false);
    expect(WebhookDeliveryListResponse.parse(listedDeliveries.json).deliveries[0].payload.type).toBe('webhook.test');
    for (const res of [listed, patched, listedDeliveries]) expect(res.text).not.toContain(created.json.secret);
    const [row] = await env.app.query('SELECT secret FROM webhook_endpoints WHERE id = $1', [created.json.webhook.id]);
    expect(row.secret).toMatch(/^v2\./); // encrypted at rest
  });

  test('when a user asks for another user’s webhook or its deliveries, then 404 as for a missing one', async () => {
    const owner = await env.app.signUp();
    const stranger = await env.app.signUp();
    const { webhook } = await subscribe(owner, receiver.url);

    const answers = [
      await stranger.get(`/api/webhooks/${webhook.id}`),
      await stranger.patch(`/api/webhooks/${webhook.id}`, { enabled: false }),
      await stranger.get(`/api/webhooks/${webhook.id}/deliveries`),
      await stranger.post(`/api/webhooks/${webhook.id}/test`, {}),
      await stranger.delete(`/api/webhooks/${webhook.id}`),
    ];

    expect(answers.map((r) => [r.status, r.json?.error?.code])).toEqual(answers.map(() => [404, 'webhook_not_found']));
    expect((await stranger.get('/api/webhooks')).json.webhooks).toEqual([]);
    expect((await owner.get(`/api/webhooks/${webhook.id}`)).json.webhook.enabled).toBe(true);
  });
});

describe('webhooks: where they may go (SSRF)', () => {
  let app: TestApp;
  let bystander: WebhookReceiver;
  /** DNS answers this test controls: a public address at first, then this machine. */
  let answer = '93.184.216.34';
  beforeEach(async () => {
    answer = '93.184.216.34';
    bystander = await WebhookReceiver.start('127.0.0.2'); // loopback, but outside the allowlist
    app = await startTestApp({ resolveHost: async (host) => (host === 'hooks.example.test' ? [{ address: answer, family: 4 }] : Promise.reject(new Error('ENOTFOUND'))) });
  });
  afterEach(async () => {
    await app.stop();
    await bystander.stop();
  });

  test('when a URL is loopback outside the allowlist, a name that does not resolve, or plain http to a public name, then 400 webhook_url_not_allowed and nothing is contacted', async () => {
    const user = await app.signUp();
    const port = new URL(bystander.url).port;

    const answers = await Promise.all(
      [
        `https://127.0.0.2:${port}/hook`,
        `http://127.0.0.2:${port}/hook`,
        'https://hooks.invalid/hook',
        'http://hooks.example.test/hook',
        'https://169.254.169.254/latest',
        'https://[::1]/hook',
        'https://user:pass@hooks.example.test/',
      ].map((url) => user.post('/api/webhooks', { url, events: ['connection.connected'] })),
    );

    expect(answers.map((r) => [r.status, r.json.error.code])).toEqual(answers.map(() => [400, 'webhook_url_not_allowed']));
    expect((await user.get('/api/webhooks')).json.webhooks).toEqual([]);
    expect(bystander.received).toEqual([]);
  });

  test('when a URL resolved to a public address at creation but to this machine later, then the delivery is refused and never connects', async () => {
    // Arrange
    const user = await app.signUp();
    const created = await user.post('/api/webhooks', { url: `https://hooks.example.test:${new URL(bystander.url).port}/hook`, events: ['connection.connected'] });
    answer = '127.0.0.2';

    // Act
    await user.post(`/api/webhooks/${created.json.webhook.id}/test`, {});
    await vi.waitFor(async () => expect((await deliveries(user, created.json.webhook.id))[0].status).toBe('failed'), { timeout: 10_000, interval: 50 });

    // Assert
    expect(created.status).toBe(201);
    expect((await deliveries(user, created.json.webhook.id))[0]).toMatchObject({ attempts: 1, last_error: expect.stringMatching(/public address/) });
    expect(bystander.received).toEqual([]);
  });
});

describe('webhooks: an endpoint that hangs', () => {
  const env = useTestEmulator({ app: { env: { WEBHOOK_RETRY_SCHEDULE: '0.2' } } });

  test('when the endpoint never answers, then the attempt times out at 10 s and is retried, and the app keeps serving meanwhile', async () => {
    // Arrange
    const receiver = await WebhookReceiver.start();
    try {
      receiver.answers = ['hang', 200];
      const user = await env.app.signUp();
      const { webhook } = await subscribe(user, receiver.url);

      // Act
      await user.post(`/api/webhooks/${webhook.id}/test`, {});
      await vi.waitFor(() => expect(receiver.received).toHaveLength(1), { timeout: 5_000, interval: 50 });
      const meanwhile = await Promise.all([user.get('/api/tasks'), env.app.client().get('/healthz')]);
      await vi.waitFor(async () => expect((await deliveries(user, webhook.id))[0].status).toBe('succeeded'), { timeout: 20_000, interval: 100 });

      // Assert
      expect(meanwhile.map((r) => r.status)).toEqual([200, 200]);
      expect(receiver.received).toHaveLength(2);
      expect(receiver.received[1].at - receiver.received[0].at).toBeGreaterThanOrEqual(10_000);
      expect(receiver.received[1].headers['webhook-id']).toBe(receiver.received[0].headers['webhook-id']);
      expect((await deliveries(user, webhook.id))[0].attempts).toBe(2);
    } finally {
      await receiver.stop();
    }
  }, 40_000);
});
