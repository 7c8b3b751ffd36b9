import type { Pool } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { AuthService } from './auth/auth-service';
import { createAuthenticator } from './auth/passport';
import { createSessionStore } from './auth/session-middleware';
import type { Config } from './config';
import { createDataSource, runMigrations } from './platform/data-source';
import type { Logger } from './platform/logger';
import { TaskService } from './tasks/task-service';
import { ApiTokenService } from './tokens/api-token-service';

export interface DependencyOptions {
  /** The database to use (DATABASE_URL, or the embedded PostgreSQL main.ts started). */
  databaseUrl: string;
  logger: Logger;
  /** The Angular build to serve at `/`; unset serves the API only. */
  frontendDir?: string;
  /** Failed sign-ins allowed per 15 minutes. */
  loginRateLimit?: { perAccount: number; perIp: number };
}

export type Dependencies = Awaited<ReturnType<typeof createDependencies>>;

/**
 * The composition root: the only place objects are built from configuration. Connects to the
 * database and applies pending migrations before anything can serve a request.
 */
export async function createDependencies(config: Config, options: DependencyOptions) {
  const { logger } = options;
  const dataSource = createDataSource(options.databaseUrl);
  await dataSource.initialize();
  await runMigrations(dataSource);

  // The session store shares TypeORM's pg pool rather than opening a second one.
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  const sessionStore = createSessionStore(pool);
  const auth = new AuthService({ dataSource });

  return {
    config,
    logger,
    dataSource,
    auth,
    passport: createAuthenticator(auth),
    sessionStore,
    tasks: new TaskService({ dataSource }),
    apiTokens: new ApiTokenService({ dataSource }),
    frontendDir: options.frontendDir,
    loginRateLimit: options.loginRateLimit ?? { perAccount: 10, perIp: 100 },
    async close(): Promise<void> {
      sessionStore.close();
      await dataSource.destroy();
    },
  };
}
