import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Every process as pid → {parent, command line}, from /proc (Linux). */
function processes(): Map<number, { ppid: number; command: string }> {
  const table = new Map<number, { ppid: number; command: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      table.set(Number(entry), { ppid, command });
    } catch {
      // it ended while we looked
    }
  }
  return table;
}

function descendants(pid: number): { pid: number; command: string }[] {
  const table = processes();
  const found: { pid: number; command: string }[] = [];
  const visit = (parent: number) => {
    for (const [child, info] of table) {
      if (info.ppid !== parent) continue;
      found.push({ pid: child, command: info.command });
      visit(child);
    }
  };
  visit(pid);
  return found;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForOk(url: string, timeoutMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      if ((await fetch(url)).status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > timeoutMs)
      throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * `npm start` as a newcomer runs it: it builds only what changed (nothing, here), one node process
 * serves under npm, and Ctrl-C (SIGINT to the terminal's process group) stops it and its PostgreSQL.
 */
describe('npm start', () => {
  let dataDir: string;
  before(async () => {
    const build = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stdout + build.stderr);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tasks-salesforce-npm-start-'));
    await chmod(dataDir, 0o755); // as root, the embedded PostgreSQL runs as `postgres`
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  test('with nothing changed, npm run build builds nothing', () => {
    const build = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, encoding: 'utf8' });

    assert.equal(build.status, 0, build.stderr);
    assert.match(build.stdout, /Nothing changed since the last build/);
    assert.doesNotMatch(build.stdout, /Building/);
  });

  test('serves GET / with one node process under npm, and Ctrl-C stops it and its PostgreSQL', async () => {
    const port = await freePort();
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      DATA_DIR: dataDir,
      PORT: String(port),
    };
    const npm = spawn('npm', ['start'], { cwd: REPO_ROOT, env, stdio: 'ignore', detached: true });
    const exited = new Promise<number | null>((resolve) => npm.once('exit', resolve));
    try {
      await waitForOk(`http://127.0.0.1:${port}/`, 120_000);

      const tree = descendants(npm.pid!).filter((p) => !/postgres/.test(p.command));
      const postgres = descendants(npm.pid!).filter((p) => /postgres -D/.test(p.command));
      assert.equal(
        tree.length,
        1,
        `one process under npm, with no shell or second npm between: ${JSON.stringify(tree)}`,
      );
      assert.match(tree[0].command, /^\S*node (--\S+ )*scripts\/start\.mjs$/);
      assert.equal(postgres.length, 1, 'its embedded PostgreSQL');

      process.kill(-npm.pid!, 'SIGINT'); // what Ctrl-C sends: the whole foreground process group
      assert.equal(await exited, 0);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(processes().has(postgres[0].pid), false, 'PostgreSQL stopped with it');
    } finally {
      if (npm.exitCode === null) process.kill(-npm.pid!, 'SIGKILL');
    }
  });
});
