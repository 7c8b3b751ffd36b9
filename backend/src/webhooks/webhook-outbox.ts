import type { EntityManager } from 'typeorm';
import { toSalesforceConnection, type ConnectionEventKind, type WebhookEventType, type WebhookPayload } from '../contract';
import { JobQueue } from '../platform/job-queue';
import type { WebhookStore } from './webhook-store';

export const DELIVERY_QUEUE = 'webhook-delivery';

/** The webhook each connection event becomes (events without one, such as `tested`, send none). */
const TYPE_OF: Partial<Record<ConnectionEventKind, WebhookEventType>> = {
  connected: 'connection.connected',
  refreshed: 'connection.refreshed',
  health_degraded: 'connection.degraded',
  health_recovered: 'connection.recovered',
  reconnect_needed: 'connection.reconnect_needed',
  evicted: 'connection.reconnect_needed',
  disconnected: 'connection.disconnected',
  api_usage_high: 'connection.api_usage_high',
};

/**
 * The transactional outbox: called inside the transaction that records a connection event, it
 * writes one delivery row per subscribed endpoint of the Task's owner and queues its job, so a
 * change and its webhooks commit together or not at all.
 */
export class WebhookOutbox {
  constructor(private readonly deps: { store: WebhookStore; queue: JobQueue }) {}

  async onConnectionEvent(db: EntityManager, taskId: string, kind: ConnectionEventKind, detail: Record<string, unknown>): Promise<void> {
    const type = TYPE_OF[kind];
    if (!type) return;
    const rows: { user_id: string; name: string; sfdc: Record<string, unknown> | null }[] = await db.query('SELECT user_id, name, sfdc FROM tasks WHERE id = $1', [taskId]);
    const task = rows[0];
    if (!task) return;
    const endpoints = await this.deps.store.subscribers(db, task.user_id, type);
    if (!endpoints.length) return;
    const reason = typeof detail.reason === 'string' ? detail.reason : undefined;
    const payload: WebhookPayload = {
      type,
      timestamp: new Date().toISOString(),
      data: { task_id: taskId, task_name: task.name, connection: toSalesforceConnection(task.sfdc), ...(reason ? { reason } : {}) },
    };
    await this.enqueue(db, await this.deps.store.insertDeliveries(db, endpoints, type, payload));
  }

  /** `webhook.test` to one endpoint, on request. */
  async queueTest(db: EntityManager, endpointId: string): Promise<string> {
    const payload: WebhookPayload = { type: 'webhook.test', timestamp: new Date().toISOString(), data: { task_id: null, task_name: null, connection: null } };
    const [id] = await this.deps.store.insertDeliveries(db, [{ id: endpointId }], 'webhook.test', payload);
    await this.enqueue(db, [id]);
    return id;
  }

  /** Queues attempts of deliveries, now or after `afterSeconds`, in the caller's transaction. */
  async enqueue(db: EntityManager, deliveryIds: string[], afterSeconds = 0): Promise<void> {
    if (!deliveryIds.length) return;
    const startAfter = new Date(Date.now() + afterSeconds * 1000).toISOString();
    await this.deps.queue.boss.insert(
      deliveryIds.map((deliveryId) => ({ name: DELIVERY_QUEUE, data: { deliveryId }, startAfter })),
      { db: JobQueue.inTransaction(db) },
    );
  }
}
