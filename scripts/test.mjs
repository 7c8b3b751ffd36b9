#!/usr/bin/env node
// `npm test`: every suite in turn (the emulator, backend unit + API on real PostgreSQL, frontend unit),
// streaming each one's output, then one closing line with the totals.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';

// Every `frontend/e2e/*.e2e.ts`, one after another (each starts its own app; in parallel they would fight over 2 cores).
const E2E_FILES = readdirSync('frontend/e2e')
  .filter((name) => name.endsWith('.e2e.ts'))
  .sort()
  .map((name) => `frontend/e2e/${name}`);

const SUITES = [
  { name: 'emulator', command: 'npm', args: ['test', '-w', 'emulator'] },
  { name: 'backend', command: 'npm', args: ['test', '-w', 'backend'] },
  { name: 'frontend', command: 'npm', args: ['test', '-w', 'frontend'] },
  // Real Chromium against the app as `npm start` runs it; skipped (and said so) without Chromium, except in CI.
  { name: 'e2e', command: process.execPath, args: ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...E2E_FILES] },
];

/** Reads vitest's summary line ("Tests  2 failed | 40 passed | 1 skipped (43)") or node:test's ("ℹ pass 8"). */
function countTests(output) {
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  const nodeCount = (word) => Number(new RegExp(`^\\S*\\s*${word} (\\d+)$`, 'm').exec(plain)?.[1] ?? NaN);
  if (!Number.isNaN(nodeCount('pass'))) return { passed: nodeCount('pass'), failed: nodeCount('fail'), skipped: nodeCount('skipped') };
  const line = [...plain.matchAll(/^\s*Tests\s+(.*)$/gm)].pop()?.[1] ?? '';
  const count = (word) => Number(new RegExp(`(\\d+) ${word}`).exec(line)?.[1] ?? 0);
  return { passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
}

function run(suite) {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(suite.command, suite.args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    child.on('close', (code) => {
      const counts = countTests(output);
      // A failed test fails its suite even if the runner exited 0 (an exit hook can override its code).
      resolve({ ...suite, code: code === 0 && counts.failed > 0 ? 1 : code, ...counts });
    });
  });
}

const results = [];
for (const suite of SUITES) results.push(await run(suite));

console.log('\nSummary');
for (const r of results) {
  console.log(`  ${r.name.padEnd(10)} ${r.code === 0 ? 'ok    ' : 'FAILED'} ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`);
}
const total = (key) => results.reduce((sum, r) => sum + r[key], 0);
const failedSuites = results.filter((r) => r.code !== 0).length;
// A suite that exits non-zero without a failed test (a crash, a compile error) still counts as a failure.
const failed = Math.max(total('failed'), failedSuites);
const skipped = total('skipped');
console.log(`${total('passed')} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failedSuites ? 1 : 0);
