import { DataSource, type DataSourceOptions } from 'typeorm';

/** The app's entities and migrations (see src/schema.ts): platform/ knows no feature. */
export interface Schema {
  entities: NonNullable<DataSourceOptions['entities']>;
  migrations: NonNullable<DataSourceOptions['migrations']>;
}

/** TypeORM over pg. The schema comes from migrations only, never `synchronize`. */
export function createDataSource(url: string, schema: Schema): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: schema.entities,
    migrations: schema.migrations,
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
