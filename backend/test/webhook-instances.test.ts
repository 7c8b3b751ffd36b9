import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { mainEnv, startMain } from './helpers/main-process';
import { startTestApp, type TestApp } from './helpers/test-app';
import { TestClient } from './helpers/test-client';
import { createTestDatabase } from './helpers/test-database';
import { WebhookReceiver } from './helpers/webhook-receiver';

describe('webhooks with three instances on one database', () => {
  let instances: TestApp[];
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    const first = await startTestApp();
    instances = [first, await startTestApp({ instanceOf: first }), await startTestApp({ instanceOf: first })];
  });
  afterAll(async () => {
    // The first instance owns the database and drops it when it stops: it goes last, once no other is using it.
    for (const instance of [...(instances ?? [])].reverse()) await instance.stop();
    await receiver.stop();
  });

  test('when twelve events are raised across three instances, then each is delivered exactly once', async () => {
    // Arrange
    const user = await instances[0].signUp();
    const { webhook, secret } = (await user.post('/api/webhooks', { url: receiver.url, events: ['connection.connected'] })).json;

    // Act: the same browser (cookie) on each instance in turn.
    for (let i = 0; i < 12; i++) {
      const browser = Object.assign(new TestClient(instances[i % 3].url), { cookies: user.cookies });
      expect((await browser.post(`/api/webhooks/${webhook.id}/test`, {})).status).toBe(202);
    }
    await vi.waitFor(() => expect(receiver.received.length).toBeGreaterThanOrEqual(12), { timeout: 10_000, interval: 50 });
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // time for a duplicate to show up, if any

    // Assert
    const ids = receiver.verified(secret).map((r) => r.id);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
  });
});

describe('an app killed while a delivery waits for its retry', () => {
  test('when SIGKILL lands between two attempts, then the restarted app delivers it, with the same webhook-id', async () => {
    const receiver = await WebhookReceiver.start();
    const database = await createTestDatabase();
    const env = await mainEnv(database.url, { SFDC_CONNECTED_APP_KEY: 'not-used-here', SFDC_CONNECTED_APP_SECRET: 'not-used-here', WEBHOOK_RETRY_SCHEDULE: '4' });
    const first = await startMain(env);
    try {
      // Arrange: the first attempt fails; the retry waits 4 s in the job queue.
      receiver.answers = [500, 200];
      const browser = new TestClient(first.url);
      await browser.post('/api/auth/register', { email: 'webhook-kill@example.com', password: 'killed between attempts' });
      const { webhook, secret } = (await browser.post('/api/webhooks', { url: receiver.url, events: ['connection.connected'] })).json;
      await browser.post(`/api/webhooks/${webhook.id}/test`, {});
      await vi.waitFor(() => expect(receiver.received).toHaveLength(1), { timeout: 10_000, interval: 50 });
      // The failed attempt is recorded and its retry queued: now the delivery waits (a kill before
      // that is the other case, an attempt cut short, which the queue's expiry retries later).
      await vi.waitFor(
        async () => expect((await browser.get(`/api/webhooks/${webhook.id}/deliveries`)).json.deliveries[0]).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: expect.any(String) }),
        {
          timeout: 5_000,
          interval: 50,
        },
      );

      // Act
      first.child.kill('SIGKILL');
      const second = await startMain({ ...env, PORT: '0' });
      try {
        await vi.waitFor(() => expect(receiver.received).toHaveLength(2), { timeout: 30_000, interval: 100 });
        const again = Object.assign(new TestClient(second.url), { cookies: browser.cookies });
        await vi.waitFor(async () => expect((await again.get(`/api/webhooks/${webhook.id}/deliveries`)).json.deliveries[0].status).toBe('succeeded'), { timeout: 5_000, interval: 100 });

        // Assert
        const [delivery] = (await again.get(`/api/webhooks/${webhook.id}/deliveries`)).json.deliveries;
        expect(delivery).toMatchObject({ attempts: 2, status: 'succeeded' });
        expect(receiver.verified(secret).map((r) => r.id)).toEqual([delivery.event_id, delivery.event_id]);
        expect(receiver.received[1].at - receiver.received[0].at).toBeGreaterThanOrEqual(4_000);
      } finally {
        await second.stop();
      }
    } finally {
      if (first.child.exitCode === null && first.child.signalCode === null) await first.stop();
      await receiver.stop();
      await database.drop();
    }
  }, 60_000);
});
