import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp } from './app';
import { ConfigError, loadConfig, type Environment } from './config';
import { createDependencies, type Dependencies } from './dependencies';
import type { Emulator } from 'salesforce-emulator';
import { startEmbeddedEmulator } from './platform/embedded-emulator';
import { loadOrCreateDevSecrets } from './platform/dev-secrets';
import { chooseClusterDirectory, startEmbeddedDatabase, type EmbeddedDatabase } from './platform/embedded-database';
import { createLogger, type Logger } from './platform/logger';

/** The repository root: this file runs from backend/src (tsx) or backend/dist (node). */
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SHUTDOWN_GRACE_MS = 10_000;

/** The process entry: the only file that reads process.env, listens and handles signals. */
async function main(): Promise<void> {
  const isProduction = process.env.NODE_ENV === 'production';
  const dataDir = path.resolve(process.env.DATA_DIR ?? path.join(REPO_ROOT, '.data'));
  const devSecrets = isProduction ? undefined : await loadOrCreateDevSecrets(dataDir);
  const env: Environment = devSecrets ? { SESSION_SECRET: devSecrets.SESSION_SECRET, TOKEN_ENCRYPTION_KEY: devSecrets.TOKEN_ENCRYPTION_KEY, ...process.env } : process.env;
  let config = loadConfig(env);
  const logger = createLogger(config.log.level);

  let emulator: Emulator | undefined;
  if (!config.salesforce.clientId) ({ emulator, config } = await startEmbeddedEmulator(config, logger));

  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.db.url;
  if (!databaseUrl) {
    const { directory, isFallback } = chooseClusterDirectory(dataDir);
    if (isFallback) logger.warn({ directory }, 'the postgres user cannot reach .data/ from here; keeping the embedded database in the system temp folder');
    const password = devSecrets?.EMBEDDED_DATABASE_PASSWORD ?? (await loadOrCreateDevSecrets(dataDir)).EMBEDDED_DATABASE_PASSWORD;
    embedded = await startEmbeddedDatabase({ directory, password, database: 'tasks_salesforce', persistent: true, logger });
    databaseUrl = embedded.url;
    logger.info({ directory }, 'embedded PostgreSQL started');
  }

  const deps = await createDependencies(config, {
    databaseUrl,
    logger,
    frontendDir: path.join(REPO_ROOT, 'frontend', 'dist', 'web', 'browser'),
  });
  const server = createApp(deps).listen(config.http.port, () => {
    const { port } = server.address() as AddressInfo; // PORT=0 picks a free port (tests)
    logger.info({ url: config.http.publicUrl, port }, 'Tasks ⇄ Salesforce is listening');
  });
  handleSignals({ server, deps, embedded, emulator, logger });
}

/** SIGINT/SIGTERM: stop accepting, let in-flight requests finish (bounded), close the pool, stop PostgreSQL. */
function handleSignals(ctx: { server: Server; deps: Dependencies; embedded?: EmbeddedDatabase; emulator?: Emulator; logger: Logger }): void {
  let isStopping = false;
  const stop = async (reason: string, exitCode: number) => {
    if (isStopping) return;
    isStopping = true;
    ctx.logger.info({ reason }, 'shutting down');
    const forced = setTimeout(() => ctx.server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    await new Promise<void>((resolve) => ctx.server.close(() => resolve()));
    ctx.server.closeIdleConnections();
    clearTimeout(forced);
    await ctx.emulator?.stop();
    await ctx.deps.close().catch((err: unknown) => ctx.logger.error({ err }, 'closing the database failed'));
    await ctx.embedded?.stop().catch((err: unknown) => ctx.logger.error({ err }, 'stopping PostgreSQL failed'));
    ctx.logger.info('stopped');
    process.exit(exitCode);
  };
  process.once('SIGTERM', () => void stop('SIGTERM', 0));
  process.once('SIGINT', () => void stop('SIGINT', 0));
  process.on('unhandledRejection', (err) => {
    ctx.logger.fatal({ err }, 'unhandled rejection');
    void stop('crash', 1);
  });
}

main().catch((err: unknown) => {
  // Configuration errors name the variables only; anything else is a start-up failure.
  if (err instanceof ConfigError) console.error(err.message);
  else console.error('Start-up failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
