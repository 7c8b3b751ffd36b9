import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConnectionEventListResponse, WebhookDeliveryListResponse } from '../src/contract';
import { startTestApp, type TestApp } from './helpers/test-app';
import type { TestClient } from './helpers/test-client';

/**
 * Keyset paging of a connection's history and of a webhook's deliveries. Their rows are inserted
 * by SQL (the app would need hundreds of real connections and sends for the same), in threes
 * sharing a timestamp and a few microseconds apart, as one transaction's events are.
 */
describe('GET …/sfdc/events and …/deliveries: pages', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  const lists = {
    events: { schema: ConnectionEventListResponse, table: 'sfdc_events', parent: 'task_id', at: 'at' },
    deliveries: { schema: WebhookDeliveryListResponse, table: 'webhook_deliveries', parent: 'endpoint_id', at: 'created_at' },
  } as const;
  type ListKey = keyof typeof lists;

  async function walk(client: TestClient, path: string, key: ListKey, between?: () => Promise<void>): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await client.get(cursor ? `${path}&cursor=${encodeURIComponent(cursor)}` : path);
      expect(res.status, res.text).toBe(200);
      expect(() => lists[key].schema.parse(res.json)).not.toThrow();
      ids.push(...res.json[key].map((row: { id: string }) => row.id));
      cursor = res.json.next_cursor;
      await between?.();
    } while (cursor);
    return ids;
  }

  const expectedOrder = async (key: ListKey, parentId: string) => {
    const { table, parent, at } = lists[key];
    // Qualified: a bare `id` in ORDER BY would be the text output column, which sorts 10 before 9.
    return (await app.query<{ id: string }>(`SELECT r.id::text AS id FROM ${table} r WHERE r.${parent} = $1 ORDER BY r.${at} DESC, r.id DESC`, [parentId])).map((row) => row.id);
  };

  async function insertEvents(taskId: string, count: number, at = "now() - interval '1 hour'"): Promise<void> {
    await app.query(`INSERT INTO sfdc_events (task_id, kind, detail, at) SELECT $1, 'tested', '{}', ${at} - (g / 3) * interval '7 microseconds' FROM generate_series(1, $2) g`, [taskId, count]);
  }

  async function insertDeliveries(endpointId: string, count: number, at = "now() - interval '1 hour'"): Promise<void> {
    const payload = { type: 'webhook.test', timestamp: new Date().toISOString(), data: { task_id: null, task_name: null, connection: null } };
    await app.query(
      `INSERT INTO webhook_deliveries (endpoint_id, event_id, type, payload, status, attempts, last_status_code, created_at, delivered_at)
       SELECT $1, 'msg_' || g, 'webhook.test', $2, 'succeeded', 1, 200, ${at} - (g / 3) * interval '7 microseconds', now() FROM generate_series(1, $3) g`,
      [endpointId, payload, count],
    );
  }

  async function userWithTask() {
    const user = await app.signUp();
    const task = (await user.post('/api/tasks', { name: 'With a long history' })).json.task as { id: string };
    return { user, task };
  }

  async function userWithWebhook() {
    const user = await app.signUp();
    const created = await user.post('/api/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['webhook.test'] });
    expect(created.status, created.text).toBe(201);
    return { user, webhookId: created.json.webhook.id as string };
  }

  test('when 250 events are walked 50 at a time while new ones are recorded, then the walk holds exactly the 250 older ones, newest first', async () => {
    // Arrange
    const { user, task } = await userWithTask();
    await insertEvents(task.id, 250);
    const before = await expectedOrder('events', task.id);

    // Act
    const ids = await walk(user, `/api/tasks/${task.id}/sfdc/events?limit=50`, 'events', () => insertEvents(task.id, 2, 'now()'));

    // Assert
    expect(new Set(ids).size).toBe(250);
    expect(ids).toEqual(before);
  });

  test('when 250 deliveries are walked 50 at a time while new ones are queued, then the walk holds exactly the 250 older ones, newest first', async () => {
    // Arrange
    const { user, webhookId } = await userWithWebhook();
    await insertDeliveries(webhookId, 250);
    const before = await expectedOrder('deliveries', webhookId);

    // Act
    const ids = await walk(user, `/api/webhooks/${webhookId}/deliveries?limit=50`, 'deliveries', () => insertDeliveries(webhookId, 2, 'now()'));

    // Assert
    expect(new Set(ids).size).toBe(250);
    expect(ids).toEqual(before);
  });

  test('when no limit is given, then a page of the history or of the deliveries holds 50', async () => {
    const { user, task } = await userWithTask();
    const { user: owner, webhookId } = await userWithWebhook();
    await insertEvents(task.id, 60);
    await insertDeliveries(webhookId, 60);

    const events = await user.get(`/api/tasks/${task.id}/sfdc/events`);
    const deliveries = await owner.get(`/api/webhooks/${webhookId}/deliveries`);

    expect(events.json.events).toHaveLength(50);
    expect(events.json.next_cursor).toEqual(expect.any(String));
    expect(deliveries.json.deliveries).toHaveLength(50);
    expect(deliveries.json.next_cursor).toEqual(expect.any(String));
  });

  test("when a cursor is forged, garbled or another list's, or limit is out of range, then 400 invalid_request, never a 500", async () => {
    // Arrange
    const { user, task } = await userWithTask();
    const { user: owner, webhookId } = await userWithWebhook();
    await insertEvents(task.id, 3);
    await insertDeliveries(webhookId, 3);
    const eventsCursor = (await user.get(`/api/tasks/${task.id}/sfdc/events?limit=1`)).json.next_cursor;
    const deliveriesCursor = (await owner.get(`/api/webhooks/${webhookId}/deliveries?limit=1`)).json.next_cursor;
    const huge = Buffer.from(JSON.stringify(['2025-01-01T00:00:00.000000Z', '99999999999999999999'])).toString('base64url');
    const events = (query: string) => user.get(`/api/tasks/${task.id}/sfdc/events?${query}`);
    const deliveries = (query: string) => owner.get(`/api/webhooks/${webhookId}/deliveries?${query}`);

    // Act
    const answers = await Promise.all([
      events(`cursor=${deliveriesCursor}`), // a uuid key where a bigint belongs
      events(`cursor=${huge}`), // beyond bigint
      events('cursor=%E2%9C%93garbage'),
      events('limit=0'),
      deliveries(`cursor=${eventsCursor}`),
      deliveries('cursor=e30'), // base64url of {}
      deliveries('limit=201'),
    ]);

    // Assert
    for (const res of answers) {
      expect(res.status, res.text).toBe(400);
      expect(res.json.error.code).toBe('invalid_request');
    }
  });

  test("when another user's history or deliveries are paged, even with a valid cursor, then 404 as for a missing one", async () => {
    // Arrange
    const { user: ann, task } = await userWithTask();
    const { user: bob, webhookId } = await userWithWebhook();
    await insertEvents(task.id, 3);
    const annsCursor = (await ann.get(`/api/tasks/${task.id}/sfdc/events?limit=1`)).json.next_cursor;

    // Act
    const bobReadingAnn = await bob.get(`/api/tasks/${task.id}/sfdc/events?limit=1&cursor=${annsCursor}`);
    const annReadingBob = await ann.get(`/api/webhooks/${webhookId}/deliveries?limit=0`); // 404 before 400

    // Assert
    expect(bobReadingAnn.status).toBe(404);
    expect(bobReadingAnn.json.error.code).toBe('task_not_found');
    expect(annReadingBob.status).toBe(404);
    expect(annReadingBob.json.error.code).toBe('webhook_not_found');
  });
});
