import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface AppUnderTest {
  url: string;
  /** The built-in emulator's control API (`npm start` runs it when no Connected App is configured). */
  emulatorControlUrl: string;
  stop(): Promise<void>;
}

/**
 * The app as `npm start` runs it (the production build of both workspaces, embedded PostgreSQL,
 * the built-in Salesforce emulator), on a free port with a throwaway data folder. It runs from a
 * path under a dot-directory (`<tmp>/.checkout/app`, a link to this repository), as a clone in
 * `~/.work/app` would: files it serves must not depend on what the folders above it are called.
 */
export async function startAppUnderTest(): Promise<AppUnderTest> {
  await run('npm', ['run', 'build'], 'building both workspaces');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tasks-salesforce-e2e-'));
  await chmod(dataDir, 0o755); // as root, the embedded PostgreSQL runs as `postgres`
  const dotDirectory = path.join(dataDir, '.checkout');
  await mkdir(dotDirectory);
  await chmod(dotDirectory, 0o755);
  const checkout = path.join(dotDirectory, 'app');
  await symlink(REPO_ROOT, checkout, 'dir');
  const port = await freePort();
  // Keep the link in every path (__dirname, the frontend build, node_modules) instead of resolving it.
  const child = spawn(
    process.execPath,
    [
      '--preserve-symlinks',
      '--preserve-symlinks-main',
      path.join(checkout, 'backend', 'dist', 'main.js'),
    ],
    {
      cwd: checkout,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/root',
        PORT: String(port),
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const controlUrl = await waitFor(
    child,
    () => {
      if (!/is listening/.test(output)) return undefined;
      return /"controlUrl":"([^"]+)"/.exec(output)?.[1];
    },
    () => output,
  );

  return {
    url: `http://localhost:${port}`,
    emulatorControlUrl: controlUrl,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** POSTs to the emulator's control API (expire tokens, revoke refresh tokens, …). */
export async function controlEmulator(
  app: AppUnderTest,
  action: string,
  body: unknown = {},
): Promise<unknown> {
  const res = await fetch(`${app.emulatorControlUrl}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`emulator control ${action} answered ${res.status}`);
  return res.json();
}

function run(command: string, args: string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${what} failed:\n${output}`)),
    );
  });
}

function waitFor<T>(
  child: ChildProcess,
  probe: () => T | undefined,
  output: () => string,
  timeoutMs = 60_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the app did not start:\n${output()}`)),
      timeoutMs,
    );
    const check = () => {
      const value = probe();
      if (value !== undefined) {
        clearTimeout(timer);
        resolve(value);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`the app exited (${code}):\n${output()}`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
