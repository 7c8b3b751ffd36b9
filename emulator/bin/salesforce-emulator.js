#!/usr/bin/env node
// `npx salesforce-emulator --port 4000`. In this repository (after `npm install`) it runs the
// TypeScript source through tsx, so it never runs a stale build; installed elsewhere, the build.
const fs = require('node:fs');
const path = require('node:path');

const source = path.join(__dirname, '..', 'src', 'cli.ts');
let canRunSource;
try {
  require.resolve('tsx/cjs');
  canRunSource = fs.existsSync(source);
} catch {
  canRunSource = false;
}
if (canRunSource) {
  require('tsx/cjs');
  require(source);
} else {
  require(path.join(__dirname, '..', 'dist', 'cli.js'));
}
