import { DataSource } from 'typeorm';
import { ApiTokenEntity } from '../tokens/api-token-entity';
import { TaskEntity } from '../tasks/task-entity';
import { UserEntity } from '../auth/user-entity';
import { SfdcEventEntity } from '../salesforce/sfdc-event-entity';
import { Init1764300000000 } from '../migrations/1764300000000-init';
import { OAuthStates1764400000000 } from '../migrations/1764400000000-oauth-states';
import { ChangeNotifications1764500000000 } from '../migrations/1764500000000-change-notifications';
import { RefreshLeases1764600000000 } from '../migrations/1764600000000-refresh-leases';

/** Every migration, in order. Listed by hand so that tsc output, tsx and vitest all see the same set. */
export const MIGRATIONS = [Init1764300000000, OAuthStates1764400000000, ChangeNotifications1764500000000, RefreshLeases1764600000000];

/** TypeORM over pg. The schema comes from migrations only, never `synchronize`. */
export function createDataSource(url: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: [UserEntity, TaskEntity, ApiTokenEntity, SfdcEventEntity],
    migrations: MIGRATIONS,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+; creating uuid-ossp would need superuser rights.
    installExtensions: false,
    extra: { max: 10, connectionTimeoutMillis: 5_000 },
  });
}

/**
 * Runs pending migrations under an advisory lock, so that several instances starting at once
 * against one database take turns instead of racing on the same DDL.
 */
export async function runMigrations(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SELECT pg_advisory_lock(hashtext('tasks-salesforce:migrations'))`);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query(`SELECT pg_advisory_unlock(hashtext('tasks-salesforce:migrations'))`).catch(() => undefined);
    await runner.release();
  }
}
