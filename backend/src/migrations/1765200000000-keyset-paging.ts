import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keyset paging and search of the Task list (`GET /api/tasks?limit&cursor&q`).
 *
 * - The list reads `ORDER BY created_at DESC, id DESC` after a cursor. The old index had no `id`,
 *   so Tasks sharing a `created_at` (one transaction's inserts share `now()`) had to be sorted
 *   first; the new one serves every page in order, whatever its depth, and replaces it.
 * - `q` is `name ILIKE '%…%'`, which no btree serves. A trigram GIN index over (user_id, name)
 *   finds one user's matches without reading other users' (btree_gin puts the uuid in a GIN).
 *   Both extensions ship with PostgreSQL (contrib) and are trusted: the database's owner may
 *   create them, no superuser needed.
 * - Connection events and webhook deliveries already have (parent, at DESC, id DESC) indexes.
 *
 * Built CONCURRENTLY, outside a transaction, so writes to Tasks go on meanwhile; an index a
 * failed earlier attempt left behind (invalid) is dropped first.
 */
export class KeysetPaging1765200000000 implements MigrationInterface {
  name = 'KeysetPaging1765200000000';
  transaction = false;

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX CONCURRENTLY IF EXISTS tasks_user_id_created_at_id_idx`);
    await db.query(`CREATE INDEX CONCURRENTLY tasks_user_id_created_at_id_idx ON tasks (user_id, created_at DESC, id DESC)`);
    await db.query(`DROP INDEX CONCURRENTLY IF EXISTS tasks_user_id_created_at_idx`);
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await db.query(`CREATE EXTENSION IF NOT EXISTS btree_gin`);
    await db.query(`DROP INDEX CONCURRENTLY IF EXISTS tasks_user_id_name_trgm_idx`);
    await db.query(`CREATE INDEX CONCURRENTLY tasks_user_id_name_trgm_idx ON tasks USING gin (user_id, name gin_trgm_ops)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX CONCURRENTLY IF EXISTS tasks_user_id_name_trgm_idx`);
    await db.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS tasks_user_id_created_at_idx ON tasks (user_id, created_at DESC)`);
    await db.query(`DROP INDEX CONCURRENTLY IF EXISTS tasks_user_id_created_at_id_idx`);
    // The extensions stay: something else may have come to use them.
  }
}
