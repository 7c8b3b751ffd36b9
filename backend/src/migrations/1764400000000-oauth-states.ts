import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Short-lived, one-time OAuth `state` records, bound to a user and a Task: the `state` of the OAuth web server flow is kept server-side, never trusted from the browser. */
export class OAuthStates1764400000000 implements MigrationInterface {
  name = 'OAuthStates1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE sfdc_oauth_states (
        state_hash char(64) PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        task_id uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        environment varchar(16) NOT NULL,
        login_url varchar(2048) NOT NULL,
        code_verifier text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX sfdc_oauth_states_expires_at_idx ON sfdc_oauth_states (expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE sfdc_oauth_states`);
  }
}
