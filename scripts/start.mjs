#!/usr/bin/env node
// `npm start`: builds what changed since the last build (usually nothing), then serves from this
// very process (backend/dist/main.js): one node process, no npm or build tool left holding memory.
// Signals reach the app as they would with `node backend/dist/main.js`, which stops PostgreSQL cleanly.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildChanged, REPO_ROOT } from './build.mjs';

try {
  await buildChanged();
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
await import(pathToFileURL(path.join(REPO_ROOT, 'backend', 'dist', 'main.js')).href);
