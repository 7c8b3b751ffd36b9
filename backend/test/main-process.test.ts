import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runMain, startMain } from './helpers/main-process';
import { TestClient } from './helpers/test-client';
import { createTestDatabase } from './helpers/test-database';

describe('the process (npm start)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tasks-salesforce-main-'));
    await chmod(dataDir, 0o755); // as root, the embedded PostgreSQL runs as `postgres`
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  test('when no DATABASE_URL is set, then it runs its own PostgreSQL under DATA_DIR, stops it cleanly on SIGTERM, and keeps data and sessions across a restart', async () => {
    const first = await startMain({ DATA_DIR: dataDir });
    const browser = new TestClient(first.url);
    const registered = await browser.post('/api/auth/register', { email: 'restart@example.com', password: 'survives restarts' });
    await browser.post('/api/tasks', { name: 'still here' });
    const secretsFile = await readFile(path.join(dataDir, 'secrets.json'), 'utf8');
    const emulatorLogin = /"loginUrl":"([^"]+)"[^\n]*built-in Salesforce emulator/.exec(first.output())?.[1];
    const consentPage = await fetch(
      `${emulatorLogin}/services/oauth2/authorize?response_type=code&client_id=emulator-consumer-key&redirect_uri=${encodeURIComponent('http://localhost:0/sfdc/oauth/callback')}`,
    );

    const firstExit = await first.stop('SIGTERM');
    const pidFileAfterStop = existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'));
    const second = await startMain({ DATA_DIR: dataDir });
    const again = new TestClient(second.url);
    again.cookies.set('sid', browser.cookies.get('sid')!);
    const me = await again.get('/api/auth/me');
    const tasks = await again.get('/api/tasks');
    const secondExit = await second.stop('SIGINT');

    expect(registered.status).toBe(201);
    expect(emulatorLogin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/); // no Connected App configured: the emulator stands in
    expect(consentPage.status).toBe(200); // and accepts the app's own callback URL
    expect(firstExit).toBe(0);
    expect(pidFileAfterStop).toBe(false); // PostgreSQL shut down, not abandoned
    expect(existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(me.status).toBe(200);
    expect(me.json.user.email).toBe('restart@example.com');
    expect(tasks.json.tasks.map((t: { name: string }) => t.name)).toEqual(['still here']);
    expect(secondExit).toBe(0);
    expect(await readFile(path.join(dataDir, 'secrets.json'), 'utf8')).toBe(secretsFile);
    expect(first.output() + second.output()).not.toContain(JSON.parse(secretsFile).SESSION_SECRET);
  });

  test('when production is missing a secret, then start-up stops naming the variable and never its value', async () => {
    const sessionSecret = 'production-session-secret-that-must-not-leak';

    const run = runMain({ NODE_ENV: 'production', SESSION_SECRET: sessionSecret, TOKEN_ENCRYPTION_KEY: 'not base64 at all!', SFDC_CONNECTED_APP_KEY: 'key-value-1' });
    const code = await run.exited;

    expect(code).toBe(1);
    expect(run.output()).toContain('TOKEN_ENCRYPTION_KEY');
    expect(run.output()).toContain('SFDC_CONNECTED_APP_SECRET: is required in production');
    expect(run.output()).not.toContain(sessionSecret);
    expect(run.output()).not.toContain('not base64 at all!');
    expect(run.output()).not.toContain('key-value-1');
  });
});

describe('the emulator is loaded only when no Connected App is configured', () => {
  const EMULATOR_DIR = path.resolve(__dirname, '..', '..', 'emulator') + path.sep;
  let probe: string;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    // Loaded before the app: at exit it counts the modules in Node's module cache that live in emulator/.
    probe = path.join(await mkdtemp(path.join(os.tmpdir(), 'tasks-salesforce-probe-')), 'count-emulator-modules.cjs');
    await writeFile(
      probe,
      `process.on('exit', () => {
  const loaded = Object.keys(require.cache).filter((file) => file.startsWith(${JSON.stringify(EMULATOR_DIR)})).length;
  require('node:fs').writeSync(2, 'emulator modules loaded: ' + loaded + '\\n');
});\n`,
    );
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
    await rm(path.dirname(probe), { recursive: true, force: true });
  });

  async function modulesLoaded(env: Record<string, string>): Promise<number> {
    const app = await startMain({
      DATABASE_URL: database.url,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      NODE_OPTIONS: `--require ${probe}`,
      DATA_DIR: path.dirname(probe),
      ...env,
    });
    expect((await new TestClient(app.url).get('/healthz')).status).toBe(200);
    expect(await app.stop('SIGTERM')).toBe(0);
    const count = /emulator modules loaded: (\d+)/.exec(app.output())?.[1];
    expect(count, app.output()).toBeDefined();
    return Number(count);
  }

  test('when a Connected App is configured, then not one emulator module is loaded', async () => {
    expect(await modulesLoaded({ SFDC_CONNECTED_APP_KEY: 'a-real-consumer-key', SFDC_CONNECTED_APP_SECRET: 'a-real-consumer-secret' })).toBe(0);
  });

  test('when none is configured, then the emulator is loaded (so the probe above can see it)', async () => {
    expect(await modulesLoaded({})).toBeGreaterThan(0);
  });
});
