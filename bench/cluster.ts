import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDatabase } from '../backend/src/platform/embedded-database';
import { findFreePort } from '../backend/src/platform/free-port';
import { createLogger } from '../backend/src/platform/logger';
import { TEST_CLIENT } from 'salesforce-emulator/testing';
import { spawnQuiet, waitForOk, type Spawned } from './processes';

/** How `npm start` and the Dockerfile run the app: with a heap limit sized to it (see the Dockerfile). */
export const APP_NODE_FLAGS = ['--max-old-space-size=256'];

export interface Cluster {
  databaseUrl: string;
  emulatorBase: number;
  /** The emulator's hosts: login = base, na1 (the production instance) = base + 2. */
  emulatorLoginUrl: string;
  emulatorInstanceUrl: string;
  /** PUBLIC_URL shared by every app instance (the first one's address). */
  publicUrl: string;
  appEnv(port: number): Record<string, string>;
  /** Starts `node [nodeArgs] backend/dist/main.js` (nodeArgs: e.g. `--cpu-prof`). */
  startApp(options?: { nodeArgs?: string[] }): Promise<{ url: string; pid: number; stop(): Promise<void> }>;
  stop(): Promise<void>;
}

/**
 * What the bench measures against, every part its own process: PostgreSQL (embedded), the
 * Salesforce emulator, and app instances as `node backend/dist/main.js` runs them.
 */
export async function startCluster(): Promise<Cluster> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'tasks-salesforce-bench-'));
  await chmod(folder, 0o755);
  const database = await startEmbeddedDatabase({
    directory: path.join(folder, 'postgres'),
    password: randomBytes(12).toString('hex'),
    database: 'bench',
    persistent: false,
    logger: createLogger('silent'),
  });
  const emulatorBase = 20_000 + Math.floor(Math.random() * 20_000);
  const firstAppPort = await findFreePort();
  const publicUrl = `http://127.0.0.1:${firstAppPort}`;
  const clientSecret = randomBytes(16).toString('hex');
  // prettier-ignore
  const emulator = spawnQuiet(process.execPath, [
    'emulator/bin/salesforce-emulator.js',
    '--port', String(emulatorBase), '--client-id', TEST_CLIENT.clientId, '--client-secret', clientSecret,
    '--redirect-uri', `${publicUrl}/sfdc/oauth/callback`, '--redirect-uri', TEST_CLIENT.redirectUri,
  ], {});
  await waitForOk(`http://127.0.0.1:${emulatorBase}/__emulator/`);
  // The bench makes far more calls than an org's daily API allowance (15,000 by default), which the
  // emulator enforces like Salesforce: lift it, or the phases would measure 403 REQUEST_LIMIT_EXCEEDED.
  const lifted = await fetch(`http://127.0.0.1:${emulatorBase}/__emulator/api-limit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ daily: 100_000_000 }),
  });
  if (!lifted.ok) throw new Error(`raising the emulator's API limit answered ${lifted.status}`);
  // The runner's own direct calls (phase a) use TEST_CLIENT; its secret must match the emulator's.
  (TEST_CLIENT as { clientSecret: string }).clientSecret = clientSecret;

  const secrets = { SESSION_SECRET: randomBytes(32).toString('hex'), TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
  const apps: Spawned[] = [];
  let nextPort: number | undefined = firstAppPort;
  const appEnv = (port: number) => ({
    PORT: String(port),
    PUBLIC_URL: publicUrl,
    DATABASE_URL: database.url,
    DATA_DIR: folder,
    LOG_LEVEL: 'info',
    SFDC_LOGIN_URL: `http://127.0.0.1:${emulatorBase}`,
    SFDC_SANDBOX_LOGIN_URL: `http://127.0.0.1:${emulatorBase + 1}`,
    SFDC_TRUSTED_HOSTS: '127.0.0.1',
    SFDC_CONNECTED_APP_KEY: TEST_CLIENT.clientId,
    SFDC_CONNECTED_APP_SECRET: clientSecret,
    // Hourly: phase (h) makes its connections due itself; no other check runs during the bench.
    SFDC_HEALTH_CHECK_INTERVAL: '3600',
    ...secrets,
  });

  return {
    databaseUrl: database.url,
    emulatorBase,
    emulatorLoginUrl: `http://127.0.0.1:${emulatorBase}`,
    emulatorInstanceUrl: `http://127.0.0.1:${emulatorBase + 2}`,
    publicUrl,
    appEnv,
    async startApp(options = {}) {
      const port: number = nextPort ?? (await findFreePort());
      nextPort = undefined;
      const app = spawnQuiet(process.execPath, [...APP_NODE_FLAGS, ...(options.nodeArgs ?? []), 'backend/dist/main.js'], appEnv(port));
      apps.push(app);
      const url = `http://127.0.0.1:${port}`;
      await waitForOk(`${url}/healthz`);
      return { url, pid: app.child.pid!, stop: () => app.stop() };
    },
    async stop() {
      await Promise.all(apps.map((app) => app.stop()));
      await emulator.stop();
      await database.stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
