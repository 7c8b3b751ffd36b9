#!/usr/bin/env node
// `npm run build`: builds the workspaces whose sources changed since their last build, in order
// (emulator, frontend, backend); `npm run build -- --force` builds all three. `npm start` calls
// buildChanged() before it serves, so a start with nothing changed builds nothing.
//
// A build is skipped when a fingerprint of its inputs matches the one written beside its output
// after the last successful build, and that output is still there. The fingerprint is of the
// inputs' contents, not their times (a fresh clone or a `git checkout` back and forth changes
// times, not code); a second one of their sizes and times only lets a start skip reading them.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Shared by every build: the installed dependencies and the base compiler settings. */
const COMMON_INPUTS = ['package-lock.json', 'tsconfig.base.json'];
const EMULATOR_INPUTS = ['emulator/src', 'emulator/package.json', 'emulator/tsconfig.json', 'emulator/tsconfig.build.json'];

/** Each workspace: what it is built from, what proves its output is there, and the command. */
const WORKSPACES = [
  { name: 'emulator', inputs: EMULATOR_INPUTS, output: 'emulator/dist', marker: 'emulator/dist/index.js' },
  {
    name: 'frontend',
    // The SPA compiles the backend's API contract in (its types and limits).
    inputs: [
      'frontend/src',
      'frontend/public',
      'frontend/slds-assets',
      'frontend/angular.json',
      'frontend/package.json',
      'frontend/tsconfig.json',
      'frontend/tsconfig.app.json',
      'backend/src/contract',
    ],
    output: 'frontend/dist',
    marker: 'frontend/dist/web/browser/index.html',
  },
  {
    name: 'backend',
    // It compiles against the emulator's types (the built-in Salesforce it starts without a Connected App).
    inputs: ['backend/src', 'backend/package.json', 'backend/tsconfig.json', 'backend/tsconfig.build.json', ...EMULATOR_INPUTS],
    output: 'backend/dist',
    marker: 'backend/dist/main.js',
  },
];

const FINGERPRINT_FILE = '.build-fingerprint';
const SKIPPED = /(^|\/)(node_modules|dist)(\/|$)|\.(spec|test)\.ts$/;

/** Builds what changed (or everything with `force`); answers the names of the workspaces it built. */
export async function buildChanged({ force = false, log = console.log } = {}) {
  const built = [];
  for (const workspace of WORKSPACES) {
    const files = [...COMMON_INPUTS, ...workspace.inputs].flatMap(filesUnder);
    const fingerprintPath = path.join(REPO_ROOT, workspace.output, FINGERPRINT_FILE);
    const last = readFingerprint(fingerprintPath);
    const stats = statsOf(files);
    if (!force && last && existsSync(path.join(REPO_ROOT, workspace.marker))) {
      if (last.stats === stats) continue;
      const contents = contentsOf(files);
      if (last.contents === contents) {
        writeFileSync(fingerprintPath, JSON.stringify({ stats, contents }) + '\n'); // touched, not changed
        continue;
      }
    }
    log(`Building ${workspace.name} …`);
    const started = performance.now();
    await run('npm', ['run', 'build', '-w', workspace.name]);
    writeFileSync(fingerprintPath, JSON.stringify({ stats: statsOf(files), contents: contentsOf(files) }) + '\n');
    log(`Built ${workspace.name} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    built.push(workspace.name);
  }
  return built;
}

/** A hash of the input files' paths and contents (tests excluded: they are not built). */
function contentsOf(files) {
  const hash = createHash('sha256');
  for (const file of files)
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(REPO_ROOT, file)))
      .update('\0');
  return hash.digest('hex');
}

/** A hash of the input files' paths, sizes and modification times: cheap, and changes whenever a file is written. */
function statsOf(files) {
  const hash = createHash('sha256');
  for (const file of files) {
    const { size, mtimeMs } = statSync(path.join(REPO_ROOT, file));
    hash.update(`${file}\0${size}\0${mtimeMs}\0`);
  }
  return hash.digest('hex');
}

function filesUnder(relative) {
  const absolute = path.join(REPO_ROOT, relative);
  if (!existsSync(absolute)) return [];
  if (!statSync(absolute).isDirectory()) return [relative];
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path
        .relative(REPO_ROOT, path.join(entry.parentPath ?? entry.path, entry.name))
        .split(path.sep)
        .join('/'),
    )
    .filter((file) => !SKIPPED.test(file))
    .sort();
}

function readFingerprint(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // never built, or by an older version of this script
  }
}

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`))));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const built = await buildChanged({ force: process.argv.includes('--force') }).catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
  if (!built.length) console.log('Nothing changed since the last build.');
}
