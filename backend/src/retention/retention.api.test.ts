import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/test-app';
import type { TestClient } from '../../test/helpers/test-client';
import { WebhookReceiver } from '../../test/helpers/webhook-receiver';
import { RETENTION_CRON, RETENTION_QUEUE } from './retention-jobs';

describe('retention: old connection events and finished webhook deliveries are deleted daily', () => {
  let app: TestApp;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    app = await startTestApp({ env: { EVENT_RETENTION_DAYS: '90', DELIVERY_RETENTION_DAYS: '30' } });
  });
  afterAll(async () => {
    await app.stop();
    await receiver.stop();
  });

  /** A Task and a webhook endpoint of a new user, to hang history on. */
  async function taskAndEndpoint(): Promise<{ user: TestClient; taskId: string; endpointId: string }> {
    const user = await app.signUp();
    const taskId = (await user.post('/api/tasks', { name: 'Kept for a while' })).json.task.id as string;
    const created = await user.post('/api/webhooks', { url: receiver.url, events: ['connection.connected'] });
    expect(created.status, created.text).toBe(201);
    return { user, taskId, endpointId: created.json.webhook.id };
  }

  /** `count` connection events, `ageDays` old. */
  async function addEvents(taskId: string, ageDays: number, count = 1): Promise<void> {
    await app.query(`INSERT INTO sfdc_events (task_id, kind, detail, at) SELECT $1, 'tested', '{}', now() - make_interval(days => $2) FROM generate_series(1, $3)`, [taskId, ageDays, count]);
  }

  /** One delivery in this state, created `ageDays` ago; answers its id. */
  async function addDelivery(endpointId: string, status: 'pending' | 'succeeded' | 'failed', ageDays: number): Promise<string> {
    const rows = await app.query<{ id: string }>(
      `INSERT INTO webhook_deliveries (endpoint_id, event_id, type, payload, status, attempts, created_at, next_attempt_at)
       VALUES ($1, 'msg_' || replace(gen_random_uuid()::text, '-', ''), 'webhook.test', '{}', $2::varchar, 1, now() - make_interval(days => $3),
               CASE WHEN $2::varchar = 'pending' THEN now() + interval '1 hour' END)
       RETURNING id`,
      [endpointId, status, ageDays],
    );
    return rows[0].id;
  }

  const eventAges = async (taskId: string) =>
    (await app.query<{ days: number }>(`SELECT floor(extract(epoch FROM now() - at) / 86400)::int AS days FROM sfdc_events WHERE task_id = $1 ORDER BY at`, [taskId])).map((r) => r.days);
  const deliveryIds = async (endpointId: string) => (await app.query<{ id: string }>('SELECT id FROM webhook_deliveries WHERE endpoint_id = $1', [endpointId])).map((r) => r.id).sort();
  const clearHistory = () => app.query(`DELETE FROM sfdc_events; DELETE FROM webhook_deliveries`);

  test('when the job runs, then events past 90 days and finished deliveries past 30 days are deleted in batches; newer ones and pending deliveries stay', async () => {
    // Arrange
    await clearHistory();
    const { taskId, endpointId } = await taskAndEndpoint();
    await addEvents(taskId, 200, 2_500); // more than two batches
    await addEvents(taskId, 91);
    await addEvents(taskId, 89);
    await addEvents(taskId, 0);
    await addDelivery(endpointId, 'succeeded', 45);
    await addDelivery(endpointId, 'failed', 31);
    const keptSucceeded = await addDelivery(endpointId, 'succeeded', 29);
    const keptFailed = await addDelivery(endpointId, 'failed', 1);
    const oldPending = await addDelivery(endpointId, 'pending', 60); // waiting for a retry (or redelivered): never deleted
    const logged = app.logs.length;

    // Act
    const result = await app.deps.retention.run();

    // Assert
    const line = app.logs
      .slice(logged)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => String(l.msg).startsWith('retention:'));
    expect(result).toEqual({ events: 2_501, deliveries: 2 });
    expect(await eventAges(taskId)).toEqual([89, 0]);
    expect(await deliveryIds(endpointId)).toEqual([keptSucceeded, keptFailed, oldPending].sort());
    expect(line).toMatchObject({ level: 30, events: 2_501, deliveries: 2, eventDays: 90, deliveryDays: 30 });
  });

  test('when the job runs again with nothing past its retention, then nothing is deleted and the run still says so', async () => {
    // Arrange
    await clearHistory();
    const { taskId, endpointId } = await taskAndEndpoint();
    await addEvents(taskId, 10);
    await addDelivery(endpointId, 'succeeded', 10);

    // Act
    const result = await app.deps.retention.run();

    // Assert
    expect(result).toEqual({ events: 0, deliveries: 0 });
    expect(await eventAges(taskId)).toEqual([10]);
    expect(await deliveryIds(endpointId)).toHaveLength(1);
  });

  test('when the schema is migrated, then both tables have a valid index on the age the job deletes by', async () => {
    const rows = await app.query<{ name: string; valid: boolean; definition: string }>(
      `SELECT c.relname AS name, i.indisvalid AS valid, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE c.relname IN ('sfdc_events_at_idx', 'webhook_deliveries_finished_created_at_idx') ORDER BY 1`,
    );

    expect(rows).toEqual([
      { name: 'sfdc_events_at_idx', valid: true, definition: expect.stringContaining('(at)') },
      { name: 'webhook_deliveries_finished_created_at_idx', valid: true, definition: expect.stringMatching(/\(created_at\) WHERE .*status.*<> 'pending'/) },
    ]);
  });

  test('when the app has started, then the job is scheduled once a day on the queue, one run at a time, and a queued run is worked', async () => {
    // Arrange
    const { boss } = app.deps.queue;
    await clearHistory();
    const { taskId } = await taskAndEndpoint();
    await addEvents(taskId, 120, 3);

    // Act
    const schedules = await boss.getSchedules();
    const queue = await boss.getQueue(RETENTION_QUEUE);
    const jobId = await boss.send(RETENTION_QUEUE, {});

    // Assert
    expect(schedules.filter((s) => s.name === RETENTION_QUEUE)).toEqual([expect.objectContaining({ cron: RETENTION_CRON, timezone: 'UTC' })]);
    expect(RETENTION_CRON.split(' ').slice(2)).toEqual(['*', '*', '*']); // a fixed minute and hour: daily
    expect(queue).toMatchObject({ name: RETENTION_QUEUE, policy: 'singleton' });
    await vi.waitFor(async () => expect((await boss.getJobById(RETENTION_QUEUE, jobId!))?.state).toBe('completed'), { timeout: 15_000, interval: 200 });
    expect(await eventAges(taskId)).toEqual([]);
  }, 20_000);
});
