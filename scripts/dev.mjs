#!/usr/bin/env node
// `npm run dev`: the backend with reload (tsx watch) on :3000 and the Angular dev server on :4200,
// which proxies /api, /sfdc and /healthz to the backend. Ctrl-C stops both.
import { spawn } from 'node:child_process';

const children = [spawn('npm', ['run', 'dev', '-w', 'backend'], { stdio: 'inherit' }), spawn('npm', ['start', '-w', 'frontend'], { stdio: 'inherit' })];
const stop = () => children.forEach((child) => child.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children)
  child.on('exit', (code) => {
    stop();
    process.exitCode = code ?? 1;
  });
