import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../backend/src/platform/free-port';
import { REPO_ROOT, residentMegabytes, spawnQuiet, waitForOk } from './processes';

export interface StartupFigures {
  /** `npm start` on a fresh data folder until the first 200: builds both workspaces, initialises PostgreSQL. */
  npmStartColdMs: number;
  /** `node backend/dist/main.js` on that initialised folder until the first 200. */
  warmStartMs: number;
  /** The node process's resident memory 5 s after start, idle (PostgreSQL runs in its own processes). */
  restingRssMb: number;
}

/** Phase (f): start-up time and memory at rest, as a newcomer runs the app (embedded PostgreSQL and emulator). */
export async function measureStartup(): Promise<StartupFigures> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tasks-salesforce-bench-start-'));
  await chmod(dataDir, 0o755);
  try {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', DATA_DIR: dataDir };
    const coldPort = await findFreePort();
    const started = performance.now();
    const npmStart = spawn('npm', ['start'], { cwd: REPO_ROOT, env: { ...env, PORT: String(coldPort) }, stdio: 'ignore', detached: true });
    await waitForOk(`http://127.0.0.1:${coldPort}/healthz`, 300_000);
    const npmStartColdMs = performance.now() - started;
    process.kill(-npmStart.pid!, 'SIGTERM'); // the whole group: npm, sh, node
    await new Promise((resolve) => npmStart.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 1000)); // let PostgreSQL finish stopping

    const warmPort = await findFreePort();
    const warmStarted = performance.now();
    const warm = spawnQuiet(process.execPath, ['backend/dist/main.js'], { DATA_DIR: dataDir, PORT: String(warmPort) });
    await waitForOk(`http://127.0.0.1:${warmPort}/healthz`);
    const warmStartMs = performance.now() - warmStarted;
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const restingRssMb = residentMegabytes(warm.child.pid!);
    await warm.stop();
    return { npmStartColdMs: Math.round(npmStartColdMs), warmStartMs: Math.round(warmStartMs), restingRssMb };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
