import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createDependencies, type Dependencies } from '../../src/dependencies';
import { createLogger } from '../../src/platform/logger';
import type { Emulator } from 'salesforce-emulator';
import { findFreePort } from '../../src/platform/free-port';
import { emulatorEnv, TEST_JWT_PRIVATE_KEY } from 'salesforce-emulator/testing';
import type { Resolver } from '../../src/webhooks/url-policy';
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
  /** The environment it was configured from (secrets included, for a second instance). */
  env: Record<string, string>;
  deps: Dependencies;
  /** Every log line the app wrote, as raw JSON text. */
  logs: string[];
  client(): TestClient;
  /** Registers a new user and answers a client signed in as them. */
  signUp(email?: string, password?: string): Promise<TestClient & { email: string; password: string }>;
  query<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
  databaseUrl: string;
  /** Drops the app's database under it, as if PostgreSQL went away. */
  dropDatabase(): Promise<void>;
  stop(): Promise<void>;
}

/** The real app on port 0 over its own fresh database, logging into memory. */
export interface TestAppOptions {
  env?: Record<string, string>;
  frontendDir?: string;
  /** Point the app's Salesforce settings at this emulator (and register the app's callback with it). */
  salesforce?: Emulator;
  /** Timeout of calls to Salesforce (default 3 s in tests). */
  salesforceTimeoutMs?: number;
  /** The largest answer the proxy streams (default 2 GB). */
  proxyResponseLimitBytes?: number;
  /** How webhook hosts resolve (DNS answers a test controls). */
  resolveHost?: Resolver;
  /** Share another test app's database (a second instance). */
  databaseUrl?: string;
  /** Another instance of this app: the same database and the same secrets (sessions and tokens valid on both). */
  instanceOf?: TestApp;
  /**
   * Sign-ups allowed per address and hour. Test files register many users from 127.0.0.1, so
   * 10,000 unless set; `'app default'` keeps the limit the app itself starts with.
   */
  registrationRateLimit?: { perHour: number } | 'app default';
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const sharedUrl = options.instanceOf?.databaseUrl ?? options.databaseUrl;
  const database = sharedUrl ? { url: sharedUrl, drop: async () => {} } : await createTestDatabase();
  // Instances behind one load balancer share its public URL (so the OAuth redirect URI) and the secrets.
  const shared: Record<string, string> = options.instanceOf
    ? { PUBLIC_URL: options.instanceOf.env.PUBLIC_URL, SESSION_SECRET: options.instanceOf.env.SESSION_SECRET, TOKEN_ENCRYPTION_KEY: options.instanceOf.env.TOKEN_ENCRYPTION_KEY }
    : {};
  const port = await findFreePort();
  // The emulator's test kit registers the certificate of TEST_JWT_PRIVATE_KEY: the app signs JWT bearer assertions with it.
  const salesforceEnv = options.salesforce ? { ...emulatorEnv(options.salesforce), SFDC_JWT_PRIVATE_KEY: TEST_JWT_PRIVATE_KEY } : {};
  const env = testEnvironment({ PUBLIC_URL: `http://127.0.0.1:${port}`, ...salesforceEnv, ...shared, ...options.env });
  const config = loadConfig(env);
  if (options.salesforce && !options.salesforce.app.redirectUris.includes(config.salesforce.redirectUri)) {
    options.salesforce.app.redirectUris.push(config.salesforce.redirectUri);
  }
  const logs: string[] = [];
  const logger = createLogger(config.log.level, { write: (line: string) => void logs.push(line) });
  const deps = await createDependencies(config, {
    databaseUrl: database.url,
    logger,
    frontendDir: options.frontendDir,
    resolveHost: options.resolveHost,
    salesforceTimeoutMs: options.salesforceTimeoutMs ?? 3_000,
    proxyResponseLimitBytes: options.proxyResponseLimitBytes,
    registrationRateLimit: options.registrationRateLimit === 'app default' ? undefined : (options.registrationRateLimit ?? { perHour: 10_000 }),
  });
  const server: Server = await new Promise((resolve) => {
    const listening = createApp(deps).listen(port, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let users = 0;

  return {
    url,
    env,
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
    databaseUrl: database.url,
    dropDatabase: () => database.drop(),
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await deps.close().catch(() => undefined); // the pool may be gone already after dropDatabase()
      await database.drop();
    },
  };
}
