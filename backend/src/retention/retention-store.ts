import type { DataSource } from 'typeorm';

/** Rows one statement deletes: each batch is its own short transaction, so no lock is held for long. */
const BATCH_SIZE = 1_000;

/**
 * Deletes old history, batch after batch. Each batch locks only the rows it deletes and skips
 * rows someone else holds (`FOR UPDATE SKIP LOCKED`), so requests writing events and deliveries
 * never wait on it, and two runs at once (another instance) share the work instead of blocking.
 */
export class RetentionStore {
  constructor(private readonly deps: { dataSource: DataSource }) {}

  /** Connection events (`sfdc_events`) older than `days`; answers how many were deleted. */
  deleteEventsOlderThan(days: number, deadline: number): Promise<number> {
    return this.deleteInBatches(
      `DELETE FROM sfdc_events WHERE id IN (
         SELECT id FROM sfdc_events WHERE at < now() - make_interval(days => $1) LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      days,
      deadline,
    );
  }

  /**
   * Finished webhook deliveries (succeeded or failed) created more than `days` ago; a delivery
   * still `pending` (waiting for a retry, or redelivered) is never deleted, whatever its age.
   */
  deleteFinishedDeliveriesOlderThan(days: number, deadline: number): Promise<number> {
    return this.deleteInBatches(
      `DELETE FROM webhook_deliveries WHERE id IN (
         SELECT id FROM webhook_deliveries WHERE status <> 'pending' AND created_at < now() - make_interval(days => $1) LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      days,
      deadline,
    );
  }

  /** Repeats the statement until a batch comes back short, or past `deadline` (epoch ms): the next run takes the rest. */
  private async deleteInBatches(sql: string, days: number, deadline: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      // A DELETE answers [rows, count] through TypeORM.
      const [, count]: [unknown[], number] = await this.deps.dataSource.query(sql, [days, BATCH_SIZE]);
      deleted += count;
      if (count < BATCH_SIZE || Date.now() > deadline) return deleted;
    }
  }
}
