import { Client } from 'pg';
import type { Logger } from './logger';

export const CHANGE_CHANNEL = 'tasks_salesforce_changes';

/** A row that changed (`{table: 'tasks', id}`), or `reset`: notifications may have been missed, forget everything. */
export type Change = { table: string; id: string } | 'reset';

/**
 * LISTENs on a dedicated connection for the row changes the migrations' triggers announce, so
 * that caches on every instance drop what changed. While the connection is down the feed is
 * not live and caches must not serve: a missed notification would leave a revoked token usable.
 */
export class ChangeFeed {
  private client: Client | undefined;
  private readonly listeners = new Set<(change: Change) => void>();
  private live = false;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly deps: { databaseUrl: string; logger: Logger }) {}

  get isLive(): boolean {
    return this.live;
  }

  subscribe(listener: (change: Change) => void): void {
    this.listeners.add(listener);
  }

  /**
   * A change this process just made: caches here drop it at once, without waiting for the
   * notification's round trip (other instances hear it from PostgreSQL).
   */
  announce(table: string, id: string): void {
    this.emit({ table, id });
  }

  async start(): Promise<void> {
    const client = new Client({ connectionString: this.deps.databaseUrl });
    client.on('notification', (message) => {
      const [table, id] = String(message.payload ?? '').split(':');
      if (table && id) this.emit({ table, id });
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
      this.client = client;
      this.live = true;
    } catch (err) {
      this.lost(client, err);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.live = false;
    clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
  }

  private lost(client: Client, err?: unknown): void {
    if (this.client && this.client !== client) return;
    const wasLive = this.live;
    this.live = false;
    this.client = undefined;
    this.emit('reset');
    client.end().catch(() => undefined);
    if (this.stopped) return;
    if (wasLive) this.deps.logger.warn({ err }, 'change feed lost; caches off until it is back');
    this.retry = setTimeout(() => void this.start(), 1000).unref();
  }

  private emit(change: Change): void {
    for (const listener of this.listeners) listener(change);
  }
}
