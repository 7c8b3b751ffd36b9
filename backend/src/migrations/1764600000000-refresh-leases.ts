import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A refresh no longer holds a database connection while it waits on Salesforce: an instance
 * takes a short lease on the Task's row (owner and expiry), calls Salesforce with no transaction
 * open, then stores the result only if the lease is still its own.
 *
 * Also: PKCE verifiers are now encrypted bound to their state (authenticated data), so pending
 * authorizations from before this version cannot be read; they live 10 minutes anyway.
 */
export class RefreshLeases1764600000000 implements MigrationInterface {
  name = 'RefreshLeases1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE tasks ADD COLUMN refresh_lease_owner varchar(64), ADD COLUMN refresh_lease_until timestamptz`);
    await db.query(`DELETE FROM sfdc_oauth_states`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE tasks DROP COLUMN refresh_lease_until, DROP COLUMN refresh_lease_owner`);
  }
}
