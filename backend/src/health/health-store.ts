import type { DataSource, EntityManager } from 'typeorm';
import { CONNECTION_HEALTH_STATES, type ConnectionEventKind, type ConnectionHealth, type ConnectionHealthState } from '../contract';
import type { ChangeFeed } from '../platform/change-feed';
import type { CheckSchedule } from '../salesforce/check-schedule';
import type { CredentialStore } from '../salesforce/credential-store';

/** A connection whose check is due, and since when. */
export interface DueCheck {
  taskId: string;
  dueAt: string;
}

export interface CheckedConnection {
  status: string;
  health: Partial<ConnectionHealth> | undefined;
  /** When the access token was last refreshed (or first issued). */
  lastRefreshAt: Date | undefined;
}

/**
 * The background checks' view of `tasks`: which connections are due (`health_check_due_at`, an
 * indexed column), and `tasks.sfdc.health`, what the API shows of them.
 */
export class HealthStore {
  constructor(private readonly deps: { dataSource: DataSource; credentials: CredentialStore; changes: ChangeFeed; schedule: CheckSchedule }) {}

  /** Connections that have no check scheduled (made before checks existed): due within one interval, spread out. */
  async scheduleUnscheduled(): Promise<number> {
    if (!this.deps.schedule.isOn) return 0;
    // One statement for them all, each at its own random moment of the window first() uses.
    const { fromMs, spreadMs } = this.deps.schedule.firstWindow();
    const [, count]: [unknown[], number] = await this.deps.dataSource.query(
      `UPDATE tasks SET health_check_due_at = now() + make_interval(secs => ($1 + $2 * random()) / 1000)
       WHERE health_check_due_at IS NULL AND sfdc->>'status' = 'connected'`,
      [fromMs, spreadMs],
    );
    return count;
  }

  /**
   * Takes up to `limit` due connections for checking: in one transaction, moves each one's due
   * time `leaseMs` ahead (so no other sweep takes it, and a check that is lost comes due again)
   * and lets `enqueue` insert their check jobs, which commit with it. Rows another sweep holds
   * are skipped, never waited for.
   */
  async claimDue(limit: number, leaseMs: number, enqueue: (due: DueCheck[], db: EntityManager) => Promise<void>): Promise<DueCheck[]> {
    return this.deps.dataSource.transaction(async (db) => {
      // An UPDATE … RETURNING answers [rows, count] through TypeORM.
      const [rows]: [{ id: string; due_at: Date }[], number] = await db.query(
        `UPDATE tasks t SET health_check_due_at = now() + make_interval(secs => $2)
         FROM (SELECT id, health_check_due_at FROM tasks WHERE health_check_due_at <= now() ORDER BY health_check_due_at LIMIT $1 FOR UPDATE SKIP LOCKED) due
         WHERE t.id = due.id
         RETURNING t.id, due.health_check_due_at AS due_at`,
        [limit, leaseMs / 1000],
      );
      const due = rows.map((row) => ({ taskId: row.id, dueAt: new Date(row.due_at).toISOString() }));
      if (due.length) await enqueue(due, db);
      return due;
    });
  }

  async read(taskId: string): Promise<CheckedConnection | undefined> {
    const rows: { sfdc: Record<string, unknown> | null }[] = await this.deps.dataSource.query('SELECT sfdc FROM tasks WHERE id = $1', [taskId]);
    const sfdc = rows[0]?.sfdc;
    if (!sfdc) return undefined;
    const lastRefresh = typeof sfdc.refreshed_at === 'string' ? sfdc.refreshed_at : typeof sfdc.connected_at === 'string' ? sfdc.connected_at : undefined;
    return { status: String(sfdc.status), health: (sfdc.health ?? undefined) as Partial<ConnectionHealth> | undefined, lastRefreshAt: lastRefresh ? new Date(lastRefresh) : undefined };
  }

  /**
   * Stores a check's outcome and when the next is due, with an event when the state changed. A
   * connection that meanwhile was disconnected or marked reconnect-needed is left as it is.
   */
  async record(taskId: string, health: ConnectionHealth, event?: { kind: ConnectionEventKind; detail: Record<string, unknown> }): Promise<void> {
    await this.deps.dataSource.transaction(async (db) => {
      const [rows] = await db.query(
        `UPDATE tasks SET sfdc = sfdc || jsonb_build_object('health', $2::jsonb), health_check_due_at = $3
         WHERE id = $1 AND sfdc->>'status' = 'connected' RETURNING id`,
        [taskId, health, health.next_check_at],
      );
      if (rows.length && event) await this.deps.credentials.recordEvent(taskId, event.kind, event.detail, db);
    });
    this.deps.changes.announce('tasks', taskId);
  }

  /**
   * Connected Tasks per health state, every state present (0 when none), in one pass over
   * `tasks`. As the Task list's filter does, a connection without health yet (stored before the
   * checks existed) counts by its status, and any unknown state counts as healthy.
   */
  async countByHealth(): Promise<Record<ConnectionHealthState, number>> {
    const rows: { state: ConnectionHealthState; count: number }[] = await this.deps.dataSource.query(
      `SELECT CASE WHEN sfdc->>'status' = 'reconnect_needed' OR sfdc->'health'->>'state' = 'reconnect_needed' THEN 'reconnect_needed'
                   WHEN sfdc->'health'->>'state' = 'degraded' THEN 'degraded'
                   ELSE 'healthy' END AS state,
              count(*)::int AS count
       FROM tasks WHERE sfdc IS NOT NULL GROUP BY 1`,
    );
    const counts = Object.fromEntries(CONNECTION_HEALTH_STATES.map((state) => [state, 0])) as Record<ConnectionHealthState, number>;
    for (const row of rows) counts[row.state] = row.count;
    return counts;
  }
}
