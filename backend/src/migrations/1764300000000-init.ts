import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The first schema: accounts, Tasks, API tokens, the connection history and the session store's table. */
export class Init1764300000000 implements MigrationInterface {
  name = 'Init1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email varchar(254) NOT NULL,
        password_hash varchar NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Case-insensitive uniqueness, whatever case the address was typed in.
    await db.query(`CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email))`);

    await db.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name varchar(200) NOT NULL,
        description text NOT NULL DEFAULT '',
        sfdc jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX tasks_user_id_created_at_idx ON tasks (user_id, created_at DESC)`);

    await db.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name varchar(100) NOT NULL,
        token_hash char(64) NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz
      )`);
    await db.query(`CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id)`);

    await db.query(`
      CREATE TABLE sfdc_events (
        id bigserial PRIMARY KEY,
        task_id uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT now(),
        kind varchar(32) NOT NULL
          CHECK (kind IN ('connected', 'refreshed', 'refresh_failed', 'tested', 'disconnected', 'reconnect_needed')),
        detail jsonb NOT NULL DEFAULT '{}'
      )`);
    await db.query(`CREATE INDEX sfdc_events_task_id_at_idx ON sfdc_events (task_id, at DESC, id DESC)`);

    // The table connect-pg-simple expects (its own table.sql), made here so the schema has one owner.
    await db.query(`
      CREATE TABLE session (
        sid varchar NOT NULL PRIMARY KEY,
        sess json NOT NULL,
        expire timestamp(6) NOT NULL
      )`);
    await db.query(`CREATE INDEX session_expire_idx ON session (expire)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE session`);
    await db.query(`DROP TABLE sfdc_events`);
    await db.query(`DROP TABLE api_tokens`);
    await db.query(`DROP TABLE tasks`);
    await db.query(`DROP TABLE users`);
  }
}
