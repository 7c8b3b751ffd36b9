import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The session store's rows by signed-in user (passport keeps the user id at `sess.passport.user`):
 * listing a user's browsers, and ending them all on a password change or an account deletion,
 * read the user's rows only instead of every session there is.
 */
export class SessionUserIndex1765030000000 implements MigrationInterface {
  name = 'SessionUserIndex1765030000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX session_user_idx ON session ((sess->'passport'->>'user'))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX session_user_idx`);
  }
}
