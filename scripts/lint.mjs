#!/usr/bin/env node
// `npm run lint`: every `lint:*` step of package.json in turn (ESLint, Prettier, tsc, import cycles, the OpenAPI document).
// Each `&&`-separated command of a step runs on its own, so one failing project does not hide the
// next one's problems; a summary closes the run, and any failure makes the exit code 1.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(import.meta.dirname, '..');
const STEPS = ['lint:eslint', 'lint:format', 'lint:types', 'lint:cycles', 'lint:openapi'];
const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
// As `npm run` does: the workspace's binaries first on PATH.
const env = { ...process.env, PATH: [path.join(ROOT, 'node_modules', '.bin'), process.env.PATH].join(path.delimiter) };

const results = [];
for (const step of STEPS) {
  for (const command of scripts[step].split(' && ')) {
    console.log(`\n> ${step}: ${command}`);
    const started = Date.now();
    const { status, signal } = spawnSync(command, { cwd: ROOT, env, shell: true, stdio: 'inherit' });
    results.push({ step, command, ok: status === 0, seconds: (Date.now() - started) / 1000, code: status ?? signal });
  }
}

console.log('\nLint summary');
for (const r of results) console.log(`  ${r.ok ? 'ok    ' : 'FAILED'} ${r.step.padEnd(12)} ${r.command} (${r.seconds.toFixed(1)} s${r.ok ? '' : `, exit ${r.code}`})`);
const failed = results.filter((r) => !r.ok).length;
console.log(failed ? `${failed} of ${results.length} lint commands failed` : `all ${results.length} lint commands passed`);
process.exit(failed ? 1 : 0);
