import type { DataSource } from 'typeorm';
import { API_USAGE_WARNING_RATIO, type ApiUsage } from '../contract';
import type { ChangeFeed } from '../platform/change-feed';
import type { Logger } from '../platform/logger';
import type { CredentialStore } from './credential-store';

/** A connection's usage is written at most this often (and on shutdown), never once per call. */
const WRITE_INTERVAL_MS = 60_000;
const LIMIT_INFO = /api-usage=(\d+)\/(\d+)/;

/**
 * How much of its org's daily API allowance each connection has used, from Salesforce's own
 * `Sforce-Limit-Info: api-usage=used/limit` on every answer. Kept in memory (the API shows the
 * latest value at once) and written to `tasks.sfdc.api_usage` at most once a minute per Task;
 * when a write crosses 80%, an `api_usage_high` event (and its webhook) is recorded, once.
 */
/** What an answer said, and when (a number: the hot path formats no date). */
interface Observed {
  used: number;
  limit: number;
  atMs: number;
}

export class ApiUsageTracker {
  private readonly latest = new Map<string, Observed>();
  private readonly writtenAt = new Map<string, number>();
  private readonly pending = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly deps: { dataSource: DataSource; credentials: CredentialStore; changes: ChangeFeed; logger: Logger }) {
    this.timer = setInterval(() => void this.writeDue(), WRITE_INTERVAL_MS / 4).unref();
  }

  /** Reads the header of one Salesforce answer for a Task. */
  observe(taskId: string, limitInfo: string | undefined): void {
    const match = limitInfo ? LIMIT_INFO.exec(limitInfo) : null;
    if (!match) return;
    this.latest.set(taskId, { used: Number(match[1]), limit: Number(match[2]), atMs: Date.now() });
    this.pending.add(taskId);
    const last = this.writtenAt.get(taskId);
    if (last === undefined || Date.now() - last >= WRITE_INTERVAL_MS) void this.write(taskId);
  }

  /** The latest usage this instance saw, newer than what is stored. */
  current(taskId: string): ApiUsage | undefined {
    const observed = this.latest.get(taskId);
    return observed && toApiUsage(observed);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.pending].map((taskId) => this.write(taskId)));
  }

  private async writeDue(): Promise<void> {
    const now = Date.now();
    await Promise.all([...this.pending].filter((taskId) => now - (this.writtenAt.get(taskId) ?? 0) >= WRITE_INTERVAL_MS).map((taskId) => this.write(taskId)));
  }

  private async write(taskId: string): Promise<void> {
    const observed = this.latest.get(taskId);
    if (!observed) return;
    const usage = toApiUsage(observed);
    this.writtenAt.set(taskId, Date.now());
    this.pending.delete(taskId);
    try {
      await this.deps.dataSource.transaction(async (db) => {
        const [rows]: [{ before: { used?: number; limit?: number } | null }[], number] = await db.query(
          `UPDATE tasks t SET sfdc = t.sfdc || jsonb_build_object('api_usage', $2::jsonb)
           FROM (SELECT id, sfdc->'api_usage' AS before FROM tasks WHERE id = $1 AND sfdc IS NOT NULL FOR UPDATE) old
           WHERE t.id = old.id RETURNING old.before`,
          [taskId, usage],
        );
        if (!rows.length) return;
        const before = rows[0].before;
        const wasHigh = before?.limit ? (before.used ?? 0) / before.limit >= API_USAGE_WARNING_RATIO : false;
        const isHigh = usage.limit > 0 && usage.used / usage.limit >= API_USAGE_WARNING_RATIO;
        if (isHigh && !wasHigh)
          await this.deps.credentials.recordEvent(
            taskId,
            'api_usage_high',
            { used: usage.used, limit: usage.limit, reason: `The org has used ${usage.used} of its ${usage.limit} API requests today` },
            db,
          );
      });
      this.deps.changes.announce('tasks', taskId);
    } catch (err) {
      this.pending.add(taskId); // tried again on the next round
      this.deps.logger.warn({ err, taskId }, 'recording salesforce api usage failed');
    }
  }
}

function toApiUsage({ used, limit, atMs }: Observed): ApiUsage {
  return { used, limit, at: new Date(atMs).toISOString() };
}
