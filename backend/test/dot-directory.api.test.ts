import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useTestEmulator } from './helpers/salesforce-kit';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * A clone may live under a dot-directory (`~/.work/app`): files must be served no matter what the
 * folders above the served directory are called.
 */
describe('served from a folder under a dot-directory', () => {
  const { emulator } = useTestEmulator({ app: false, resetEmulator: false }); // for the consent page's stylesheet
  let app: TestApp;
  let tempDir: string;
  let frontendDir: string;

  beforeAll(async () => {
    tempDir = await mkdtemp(path.join(os.tmpdir(), 'tasks-salesforce-dot-'));
    frontendDir = path.join(tempDir, '.hidden', 'browser');
    await mkdir(frontendDir, { recursive: true });
    await writeFile(path.join(frontendDir, 'index.html'), '<!doctype html><title>SPA under a dot-directory</title><app-root></app-root>');
    await writeFile(path.join(frontendDir, 'main-ABCDEFGH.js'), 'console.log("bundle")');
    app = await startTestApp({ frontendDir });
  });
  afterAll(async () => {
    await app?.stop();
    await rm(tempDir, { recursive: true, force: true });
  });

  test('when the frontend build sits under a dot-directory, then GET / answers index.html', async () => {
    const res = await app.client().get('/', { headers: { accept: 'text/html' } });

    expect(frontendDir).toContain(`${path.sep}.hidden${path.sep}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('SPA under a dot-directory');
  });

  test('when the browser deep-links to an app route, then the SPA fallback answers index.html', async () => {
    const res = await app.client().get('/tasks/123', { headers: { accept: 'text/html' } });

    expect(res.status).toBe(200);
    expect(res.text).toContain('SPA under a dot-directory');
  });

  test('when the browser asks for a hashed bundle, then it answers 200', async () => {
    const res = await app.client().get('/main-ABCDEFGH.js');

    expect(res.status).toBe(200);
    expect(res.text).toContain('bundle');
  });

  test('when the consent page asks for its stylesheet, then the emulator answers it as CSS', async () => {
    const res = await fetch(`${emulator.loginUrl}/emulator-assets/slds.css`);

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/css/);
    expect((await res.text()).length).toBeGreaterThan(1000);
  });
});
