import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, test, vi } from 'vitest';

/** The package's bin, as `npx salesforce-emulator` runs it. */
const BIN = path.resolve(__dirname, '..', 'bin', 'salesforce-emulator.js');

describe('the command line (npx salesforce-emulator)', () => {
  test('when started with --port, then its hosts listen from that port and its control API answers', async () => {
    // Below Linux's ephemeral range (32768+), where outgoing connections of other tests may hold a port.
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const child = spawn(process.execPath, [BIN, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
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
