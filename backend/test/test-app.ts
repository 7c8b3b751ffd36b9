import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createDependencies, type Dependencies } from '../src/dependencies';
import { createLogger } from '../src/platform/logger';
import { TestClient } from './test-client';
import { createTestDatabase } from './test-database';

/** Environment every test app starts from; a test may add or override variables. */
export function testEnvironment(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    SESSION_SECRET: randomBytes(32).toString('hex'),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'info',
    ...overrides,
  };
}

export interface TestApp {
  url: string;
  deps: Dependencies;
  /** Every log line the app wrote, as raw JSON text. */
  logs: string[];
  client(): TestClient;
  /** Registers a new user and answers a client signed in as them. */
  signUp(email?: string, password?: string): Promise<TestClient & { email: string; password: string }>;
  query<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Drops the app's database under it, as if PostgreSQL went away. */
  dropDatabase(): Promise<void>;
  stop(): Promise<void>;
}

/** The real app on port 0 over its own fresh database, logging into memory. */
export async function startTestApp(options: { env?: Record<string, string>; frontendDir?: string } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig(testEnvironment(options.env));
  const logs: string[] = [];
  const logger = createLogger(config.log.level, { write: (line: string) => void logs.push(line) });
  const deps = await createDependencies(config, { databaseUrl: database.url, logger, frontendDir: options.frontendDir });
  const server: Server = await new Promise((resolve) => {
    const listening = createApp(deps).listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let users = 0;

  return {
    url,
    deps,
    logs,
    client: () => new TestClient(url),
    async signUp(email = `user${++users}-${randomBytes(3).toString('hex')}@example.com`, password = 'correct horse battery') {
      const client = new TestClient(url);
      const res = await client.post('/api/auth/register', { email, password });
      expect(res.status, res.text).toBe(201);
      return Object.assign(client, { email, password });
    },
    query: (sql, params) => deps.dataSource.query(sql, params),
    dropDatabase: () => database.drop(),
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await deps.close().catch(() => undefined); // the pool may be gone already after dropDatabase()
      await database.drop();
    },
  };
}
