import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed-in browsers are cached in memory on each instance (a proxied call with a session cookie
 * must not cost two database reads): a session row that is deleted (sign-out, password change,
 * account deletion, expiry) or rewritten (its data or its expiry) announces itself like the other cached rows, as
 * `session:<md5 of its id>`. The id itself is a credential, so it is never sent.
 */
export class SessionNotifications1765300000000 implements MigrationInterface {
  name = 'SessionNotifications1765300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION tasks_salesforce_notify_session() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('tasks_salesforce_changes', 'session:' || md5(OLD.sid));
        RETURN NULL;
      END $$`);
    // `expire` too: a session ended by moving its expiry (an operator's SQL) must not live on in a
    // cache. The app itself slides it at most every few minutes per session, so this stays rare.
    await db.query(`CREATE TRIGGER session_changed AFTER UPDATE OF sess, expire OR DELETE ON session FOR EACH ROW EXECUTE FUNCTION tasks_salesforce_notify_session()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER session_changed ON session`);
    await db.query(`DROP FUNCTION tasks_salesforce_notify_session()`);
  }
}
