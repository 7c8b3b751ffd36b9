import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Webhook, WebhookDelivery, WebhookEventType, WebhookPayload } from '../contract';
import { ConflictError, NotFoundError } from '../platform/errors';
import { keysetAt, toPage, type Keyset } from '../platform/keyset-cursor';
import type { TokenCipher } from '../platform/token-cipher';

/** Endpoints one account may have. */
export const MAX_WEBHOOKS_PER_USER = 25;

type Db = DataSource | EntityManager;

interface EndpointRow {
  id: string;
  user_id: string;
  url: string;
  events: WebhookEventType[];
  secret: string;
  enabled: boolean;
  description: string;
  created_at: Date;
}

export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  type: WebhookEventType;
  payload: WebhookPayload;
  status: WebhookDelivery['status'];
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  created_at: Date;
  delivered_at: Date | null;
}

/** An endpoint with its secret decrypted, for signing. Lives in memory only. */
export interface EndpointForDelivery {
  id: string;
  userId: string;
  url: string;
  enabled: boolean;
  secret: string;
}

/** `webhook_endpoints` and `webhook_deliveries`: secrets encrypted at this boundary, each bound to its endpoint. */
export class WebhookStore {
  constructor(private readonly deps: { dataSource: DataSource; cipher: TokenCipher }) {}

  /** @throws ConflictError `webhook_limit_reached`. Answers the endpoint and its secret (shown once). */
  async create(userId: string, input: { url: string; events: WebhookEventType[]; description?: string }): Promise<{ webhook: Webhook; secret: string }> {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const row = await this.deps.dataSource.transaction(async (db) => {
      await db.query('SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE', [userId]);
      const [{ count }]: [{ count: number }] = await db.query('SELECT count(*)::int AS count FROM webhook_endpoints WHERE user_id = $1', [userId]);
      if (count >= MAX_WEBHOOKS_PER_USER) throw new ConflictError('webhook_limit_reached', `You have reached the limit of ${MAX_WEBHOOKS_PER_USER} webhook endpoints per account`);
      const [created]: EndpointRow[] = await db.query(`INSERT INTO webhook_endpoints (id, user_id, url, events, secret, description) VALUES (gen_random_uuid(), $1, $2, $3, '', $4) RETURNING *`, [
        userId,
        input.url,
        unique(input.events),
        input.description ?? '',
      ]);
      await db.query('UPDATE webhook_endpoints SET secret = $2 WHERE id = $1', [created.id, this.deps.cipher.encrypt(secret, boundTo(created.id))]);
      return created;
    });
    return { webhook: toWebhook(row), secret };
  }

  async list(userId: string): Promise<Webhook[]> {
    const rows: EndpointRow[] = await this.deps.dataSource.query('SELECT * FROM webhook_endpoints WHERE user_id = $1 ORDER BY created_at DESC, id DESC', [userId]);
    return rows.map(toWebhook);
  }

  /** @throws NotFoundError `webhook_not_found`, for another user's endpoint alike. */
  async get(userId: string, id: string): Promise<Webhook> {
    return toWebhook(await this.owned(userId, id));
  }

  async update(userId: string, id: string, changes: { url?: string; events?: WebhookEventType[]; description?: string; enabled?: boolean }): Promise<Webhook> {
    const current = await this.owned(userId, id);
    const [[row]]: [EndpointRow[], number] = await this.deps.dataSource.query(
      'UPDATE webhook_endpoints SET url = $3, events = $4, description = $5, enabled = $6 WHERE id = $1 AND user_id = $2 RETURNING *',
      [id, userId, changes.url ?? current.url, unique(changes.events ?? current.events), changes.description ?? current.description, changes.enabled ?? current.enabled],
    );
    if (!row) throw webhookNotFound();
    return toWebhook(row);
  }

  async delete(userId: string, id: string): Promise<void> {
    const [rows]: [{ id: string }[], number] = await this.deps.dataSource.query('DELETE FROM webhook_endpoints WHERE id = $1 AND user_id = $2 RETURNING id', [id, userId]);
    if (!rows.length) throw webhookNotFound();
  }

  /**
   * One page of the endpoint's deliveries, newest first, keyset-paged on (created_at, id) by
   * `webhook_deliveries_endpoint_id_idx`. @throws NotFoundError `webhook_not_found`
   */
  async listDeliveries(userId: string, endpointId: string, page: { limit: number; after?: Keyset }): Promise<{ deliveries: WebhookDelivery[]; nextCursor: string | null }> {
    await this.owned(userId, endpointId);
    const after = page.after ? 'AND (created_at, id) < ($3::timestamptz, $4::uuid)' : '';
    const rows: (DeliveryRow & { cursor_at: string })[] = await this.deps.dataSource.query(
      `SELECT *, ${keysetAt('created_at')} AS cursor_at FROM webhook_deliveries WHERE endpoint_id = $1 ${after} ORDER BY created_at DESC, id DESC LIMIT $2`,
      [endpointId, page.limit + 1, ...(page.after ? [page.after.at, page.after.id] : [])],
    );
    const { rows: listed, nextCursor } = toPage(rows, page.limit);
    return { deliveries: listed.map(toDelivery), nextCursor };
  }

  /** @throws NotFoundError `webhook_delivery_not_found` */
  async getDelivery(userId: string, endpointId: string, deliveryId: string): Promise<DeliveryRow> {
    await this.owned(userId, endpointId);
    const rows: DeliveryRow[] = await this.deps.dataSource.query('SELECT * FROM webhook_deliveries WHERE id = $1 AND endpoint_id = $2', [deliveryId, endpointId]);
    if (!rows.length) throw new NotFoundError('webhook_delivery_not_found', 'Delivery not found');
    return rows[0];
  }

  /** Inserts deliveries of one event to endpoints (in the caller's transaction), answering their ids. */
  async insertDeliveries(db: Db, endpoints: { id: string }[], type: WebhookEventType, payload: WebhookPayload): Promise<string[]> {
    const ids: string[] = [];
    for (const endpoint of endpoints) {
      const [row]: { id: string }[] = await db.query(
        `INSERT INTO webhook_deliveries (endpoint_id, event_id, type, payload, next_attempt_at) VALUES ($1, 'msg_' || replace(gen_random_uuid()::text, '-', ''), $2, $3, now()) RETURNING id`,
        [endpoint.id, type, payload],
      );
      ids.push(row.id);
    }
    return ids;
  }

  /** The user's enabled endpoints that subscribe to `type`. */
  async subscribers(db: Db, userId: string, type: WebhookEventType): Promise<{ id: string }[]> {
    return db.query('SELECT id FROM webhook_endpoints WHERE user_id = $1 AND enabled AND $2 = ANY(events)', [userId, type]);
  }

  async forDelivery(deliveryId: string): Promise<{ delivery: DeliveryRow; endpoint: EndpointForDelivery } | undefined> {
    const rows: (DeliveryRow & { e_user_id: string; e_url: string; e_enabled: boolean; e_secret: string })[] = await this.deps.dataSource.query(
      `SELECT d.*, e.user_id AS e_user_id, e.url AS e_url, e.enabled AS e_enabled, e.secret AS e_secret
       FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = $1`,
      [deliveryId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const { e_user_id, e_url, e_enabled, e_secret, ...delivery } = row;
    return { delivery, endpoint: { id: delivery.endpoint_id, userId: e_user_id, url: e_url, enabled: e_enabled, secret: this.deps.cipher.decrypt(e_secret, boundTo(delivery.endpoint_id)) } };
  }

  /** Records one attempt's outcome; `next` schedules another (in the same transaction, through `schedule`). */
  async recordAttempt(
    deliveryId: string,
    outcome: { status: WebhookDelivery['status']; statusCode: number | null; error: string | null; nextAttemptAt: Date | null; disableEndpoint?: boolean },
    schedule?: (db: EntityManager) => Promise<void>,
  ): Promise<void> {
    await this.deps.dataSource.transaction(async (db) => {
      const [rows]: [{ endpoint_id: string }[], number] = await db.query(
        `UPDATE webhook_deliveries SET status = $2::varchar, attempts = attempts + 1, last_status_code = $3, last_error = $4, next_attempt_at = $5,
           delivered_at = CASE WHEN $2::varchar = 'succeeded' THEN now() ELSE delivered_at END
         WHERE id = $1 RETURNING endpoint_id`,
        [deliveryId, outcome.status, outcome.statusCode, outcome.error?.slice(0, 500) ?? null, outcome.nextAttemptAt],
      );
      if (outcome.disableEndpoint && rows[0]) await db.query('UPDATE webhook_endpoints SET enabled = false WHERE id = $1', [rows[0].endpoint_id]);
      if (schedule && outcome.nextAttemptAt) await schedule(db);
    });
  }

  /** A redelivery: the same event (and `webhook-id`) goes out again now. */
  async reopen(db: Db, deliveryId: string): Promise<void> {
    await db.query(`UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now() WHERE id = $1`, [deliveryId]);
  }

  private async owned(userId: string, id: string): Promise<EndpointRow> {
    const rows: EndpointRow[] = await this.deps.dataSource.query('SELECT * FROM webhook_endpoints WHERE id = $1 AND user_id = $2', [id, userId]);
    if (!rows.length) throw webhookNotFound();
    return rows[0];
  }
}

export function webhookNotFound(): NotFoundError {
  return new NotFoundError('webhook_not_found', 'Webhook not found');
}

function boundTo(endpointId: string): string {
  return `webhook:${endpointId}`;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function toWebhook(row: EndpointRow): Webhook {
  return { id: row.id, url: row.url, events: row.events, enabled: row.enabled, description: row.description, created_at: new Date(row.created_at).toISOString() };
}

export function toDelivery(row: DeliveryRow): WebhookDelivery {
  const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);
  return {
    id: row.id,
    event_id: row.event_id,
    type: row.type,
    status: row.status,
    attempts: row.attempts,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    next_attempt_at: iso(row.next_attempt_at),
    created_at: new Date(row.created_at).toISOString(),
    delivered_at: iso(row.delivered_at),
    payload: row.payload,
  };
}
