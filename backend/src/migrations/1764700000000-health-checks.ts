import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Background health checks: when each connected Task's next check is due, as a column (not a
 * JSON field) so that finding the due ones among thousands is an index range scan. NULL: no
 * check is scheduled (not connected, reconnect needed, or checks off). Rows connected before this
 * version are scheduled at start-up, spread over one interval. The job queue's own tables live
 * in the `pgboss` schema, which the queue creates when it starts.
 */
export class HealthChecks1764700000000 implements MigrationInterface {
  name = 'HealthChecks1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE tasks ADD COLUMN health_check_due_at timestamptz`);
    await db.query(`CREATE INDEX tasks_health_check_due_at_idx ON tasks (health_check_due_at) WHERE health_check_due_at IS NOT NULL`);
    // The history gains the checks' changes of state and evictions.
    await db.query(`ALTER TABLE sfdc_events DROP CONSTRAINT sfdc_events_kind_check`);
    await db.query(
      `ALTER TABLE sfdc_events ADD CONSTRAINT sfdc_events_kind_check
         CHECK (kind IN ('connected', 'refreshed', 'refresh_failed', 'tested', 'disconnected', 'reconnect_needed', 'health_degraded', 'health_recovered', 'evicted'))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM sfdc_events WHERE kind IN ('health_degraded', 'health_recovered', 'evicted')`);
    await db.query(`ALTER TABLE sfdc_events DROP CONSTRAINT sfdc_events_kind_check`);
    await db.query(`ALTER TABLE sfdc_events ADD CONSTRAINT sfdc_events_kind_check CHECK (kind IN ('connected', 'refreshed', 'refresh_failed', 'tested', 'disconnected', 'reconnect_needed'))`);
    await db.query(`DROP INDEX tasks_health_check_due_at_idx`);
    await db.query(`ALTER TABLE tasks DROP COLUMN health_check_due_at`);
  }
}
