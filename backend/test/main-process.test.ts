import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { runMain, startMain } from './main-process';
import { TestClient } from './test-client';

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

describe('the standalone emulator (npm run emulator)', () => {
  test('when started with --port, then its hosts listen from that port and its control API answers', async () => {
    // Below Linux's ephemeral range (32768+), where outgoing connections of other tests may hold a port.
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/emulator/run-emulator.ts', '--port', String(port)], { cwd: path.resolve(__dirname, '..'), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk)); // a start-up failure shows in the assertion
    try {
      await vi.waitFor(() => expect(output).toContain('Point the app at it'), { timeout: 20_000, interval: 100 });

      const described = (await (await fetch(`http://127.0.0.1:${port}/__emulator/`)).json()) as any;
      const versions = await fetch(`http://127.0.0.1:${port + 2}/services/data/`);

      expect(output).toContain(`production login  http://127.0.0.1:${port}`);
      expect(described.hosts).toMatchObject({ login: `http://127.0.0.1:${port}`, test: `http://127.0.0.1:${port + 1}`, na1: `http://127.0.0.1:${port + 2}` });
      expect(versions.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
