import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../backend/src/platform/free-port';
import { REPO_ROOT, residentMegabytes, waitForOk } from './processes';

export interface StartupFigures {
  /** `npm start` as the first start after `npm install`: builds all three workspaces, initialises PostgreSQL, serves `GET /`. */
  npmStartColdMs: number;
  /** `npm start` again, nothing changed: until `GET /` answers 200. */
  warmStartMs: number;
  /** What runs after the warm `npm start`: every process of its tree (PostgreSQL's aside), with its memory. */
  processes: { command: string; rssMb: number }[];
  /** The serving node process's resident memory 5 s after start, idle. */
  restingRssMb: number;
}

/** Phase (f): start-up time and memory at rest, as a newcomer runs the app (embedded PostgreSQL and emulator). */
export async function measureStartup(): Promise<StartupFigures> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tasks-salesforce-bench-start-'));
  await chmod(dataDir, 0o755);
  try {
    // As after `npm install`: no build has run, so `npm start` builds everything.
    for (const workspace of ['emulator', 'frontend', 'backend']) rmSync(path.join(REPO_ROOT, workspace, 'dist', '.build-fingerprint'), { force: true });
    const cold = await timedNpmStart(dataDir);
    await cold.stop();
    const warm = await timedNpmStart(dataDir);
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const processes = processTree(warm.child.pid!).filter((p) => !/postgres/.test(p.command));
    const server = processes.find((p) => /start\.mjs|main\.js/.test(p.command));
    await warm.stop();
    return { npmStartColdMs: cold.ms, warmStartMs: warm.ms, processes: processes.map(({ command, rssMb }) => ({ command, rssMb })), restingRssMb: server?.rssMb ?? NaN };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** `npm start` on a data folder, timed until `GET /` answers 200. */
async function timedNpmStart(dataDir: string): Promise<{ ms: number; child: ChildProcess; stop(): Promise<void> }> {
  const port = await findFreePort();
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', DATA_DIR: dataDir, PORT: String(port) };
  const started = performance.now();
  const child = spawn('npm', ['start'], { cwd: REPO_ROOT, env, stdio: 'ignore', detached: true });
  await waitForOk(`http://127.0.0.1:${port}/`, 300_000);
  const ms = Math.round(performance.now() - started);
  return {
    ms,
    child,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(-child.pid!, 'SIGTERM'); // the whole group, as Ctrl-C in a terminal
        await exited;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000)); // let PostgreSQL finish stopping
    },
  };
}

/** A process and its descendants (Linux /proc), each with its command line and resident memory. */
function processTree(rootPid: number): { pid: number; command: string; rssMb: number }[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || !existsSync(`/proc/${entry}/stat`)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const tree: { pid: number; command: string; rssMb: number }[] = [];
  const visit = (pid: number) => {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      tree.push({ pid, command, rssMb: residentMegabytes(pid) });
    } catch {
      return;
    }
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(rootPid);
  return tree;
}
