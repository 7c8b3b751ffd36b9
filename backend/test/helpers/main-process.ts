import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../../src/platform/free-port';

export interface MainProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const BACKEND = path.resolve(__dirname, '..', '..');

/** Runs `src/main.ts` as `npm start` would (a separate process), with only the given environment. */
export function runMain(env: Record<string, string>): { child: ChildProcess; output(): string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
    cwd: BACKEND,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Starts the entry point on a free port and waits for its "listening" log line. */
export async function startMain(env: Record<string, string>, timeoutMs = 45_000): Promise<MainProcess> {
  const run = runMain({ PORT: '0', LOG_LEVEL: 'info', ...env });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`main did not start:\n${run.output()}`)), timeoutMs);
    const check = () => {
      const match = /"port":(\d+)[^\n]*is listening/.exec(run.output());
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    run.child.stdout!.on('data', check);
    void run.exited.then(() => reject(new Error(`main exited early:\n${run.output()}`)));
  });
  return {
    child: run.child,
    url: `http://127.0.0.1:${port}`,
    output: run.output,
    async stop(signal = 'SIGTERM') {
      run.child.kill(signal);
      return run.exited;
    },
  };
}

/**
 * The environment of a `src/main.ts` process (or several, as instances of one deployment) on a
 * test database: a free port with its PUBLIC_URL, fresh secrets, no data folder of the checkout;
 * `extra` adds or overrides variables (a Salesforce emulator's, the feature's settings).
 */
export async function mainEnv(databaseUrl: string, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const port = await findFreePort();
  return {
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: databaseUrl,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    DATA_DIR: os.tmpdir(),
    ...extra,
  };
}
