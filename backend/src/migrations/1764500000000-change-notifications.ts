import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Row changes that in-process caches must hear about, on every instance and whatever made
 * them (the app, another instance, an operator's SQL): `pg_notify('tasks_salesforce_changes',
 * '<table>:<id>')` after a Task's connection changes or a Task, API token or user is deleted.
 */
export class ChangeNotifications1764500000000 implements MigrationInterface {
  name = 'ChangeNotifications1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION tasks_salesforce_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('tasks_salesforce_changes', TG_TABLE_NAME || ':' || OLD.id::text);
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER tasks_changed AFTER UPDATE OF sfdc, user_id OR DELETE ON tasks FOR EACH ROW EXECUTE FUNCTION tasks_salesforce_notify_change()`);
    await db.query(`CREATE TRIGGER api_tokens_changed AFTER UPDATE OF token_hash, user_id OR DELETE ON api_tokens FOR EACH ROW EXECUTE FUNCTION tasks_salesforce_notify_change()`);
    await db.query(`CREATE TRIGGER users_changed AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION tasks_salesforce_notify_change()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER users_changed ON users`);
    await db.query(`DROP TRIGGER api_tokens_changed ON api_tokens`);
    await db.query(`DROP TRIGGER tasks_changed ON tasks`);
    await db.query(`DROP FUNCTION tasks_salesforce_notify_change()`);
  }
}
