import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the daily retention job, which deletes connection events and finished webhook
 * deliveries by age: without them each of its batches would scan the whole table. Built
 * CONCURRENTLY, outside a transaction, so that writes to these (possibly large) tables go on
 * meanwhile; an index a failed earlier attempt left behind (invalid) is dropped first.
 */
export class RetentionIndexes1765100000000 implements MigrationInterface {
  name = 'RetentionIndexes1765100000000';
  transaction = false;

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX CONCURRENTLY IF EXISTS sfdc_events_at_idx`);
    await db.query(`CREATE INDEX CONCURRENTLY sfdc_events_at_idx ON sfdc_events (at)`);
    await db.query(`DROP INDEX CONCURRENTLY IF EXISTS webhook_deliveries_finished_created_at_idx`);
    await db.query(`CREATE INDEX CONCURRENTLY webhook_deliveries_finished_created_at_idx ON webhook_deliveries (created_at) WHERE status <> 'pending'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX CONCURRENTLY IF EXISTS webhook_deliveries_finished_created_at_idx`);
    await db.query(`DROP INDEX CONCURRENTLY IF EXISTS sfdc_events_at_idx`);
  }
}
