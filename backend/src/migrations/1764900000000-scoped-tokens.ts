import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API tokens carry what they may do (`scopes`), which Tasks they may see (`task_ids`, null: all),
 * when they stop working (`expires_at`, null: never) and how often they were used (`calls`,
 * written in batches). Existing tokens keep working as before with the four default scopes.
 * The history gains `api_usage_high`: a connection crossed 80% of its org's daily API requests.
 */
export class ScopedTokens1764900000000 implements MigrationInterface {
  name = 'ScopedTokens1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE api_tokens
        ADD COLUMN scopes text[] NOT NULL DEFAULT ARRAY['tasks:read', 'tasks:write', 'salesforce:test', 'salesforce:proxy'],
        ADD COLUMN task_ids uuid[],
        ADD COLUMN expires_at timestamptz,
        ADD COLUMN calls bigint NOT NULL DEFAULT 0`);
    await db.query(`ALTER TABLE sfdc_events DROP CONSTRAINT sfdc_events_kind_check`);
    await db.query(
      `ALTER TABLE sfdc_events ADD CONSTRAINT sfdc_events_kind_check
         CHECK (kind IN ('connected', 'refreshed', 'refresh_failed', 'tested', 'disconnected', 'reconnect_needed', 'health_degraded', 'health_recovered', 'evicted', 'api_usage_high'))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM sfdc_events WHERE kind = 'api_usage_high'`);
    await db.query(`ALTER TABLE sfdc_events DROP CONSTRAINT sfdc_events_kind_check`);
    await db.query(
      `ALTER TABLE sfdc_events ADD CONSTRAINT sfdc_events_kind_check
         CHECK (kind IN ('connected', 'refreshed', 'refresh_failed', 'tested', 'disconnected', 'reconnect_needed', 'health_degraded', 'health_recovered', 'evicted'))`,
    );
    await db.query(`ALTER TABLE api_tokens DROP COLUMN calls, DROP COLUMN expires_at, DROP COLUMN task_ids, DROP COLUMN scopes`);
  }
}
