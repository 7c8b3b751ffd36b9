import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app';

describe('HTTP basics: health, security headers, the SPA', () => {
  let app: TestApp;
  let frontendDir: string;

  beforeAll(async () => {
    frontendDir = await mkdtemp(path.join(os.tmpdir(), 'tasks-salesforce-spa-'));
    await writeFile(path.join(frontendDir, 'index.html'), '<!doctype html><title>SPA index</title><app-root></app-root>');
    await writeFile(path.join(frontendDir, 'main-ABCD1234.js'), 'console.log("bundle")');
    await mkdir(path.join(frontendDir, 'assets'));
    await writeFile(path.join(frontendDir, 'assets', 'logo.svg'), '<svg/>');
    app = await startTestApp({ frontendDir });
  });
  afterAll(async () => {
    await app.stop();
    await rm(frontendDir, { recursive: true, force: true });
  });

  test('when the database answers, then GET /healthz is 200', async () => {
    const res = await app.client().get('/healthz');

    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok' });
  });

  test('when any page is served, then helmet headers and a CSP without inline scripts are present', async () => {
    const res = await app.client().get('/tasks');
    const csp = res.headers.get('content-security-policy') ?? '';
    const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1];

    expect(scriptSrc).toBe("'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toContain('max-age=');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  test('when the browser asks for an app route, then index.html answers; API and OAuth paths never fall back to it', async () => {
    const client = app.client();

    const deepLink = await client.get('/tasks/00000000-0000-4000-8000-000000000000', { headers: { accept: 'text/html' } });
    const bundle = await client.get('/main-ABCD1234.js');
    const asset = await client.get('/assets/logo.svg');
    const api = await client.get('/api/unknown', { headers: { accept: 'text/html' } });
    const callback = await client.get('/sfdc/unknown', { headers: { accept: 'text/html' } });

    expect(deepLink.status).toBe(200);
    expect(deepLink.text).toContain('SPA index');
    expect(deepLink.headers.get('cache-control')).toBe('no-cache');
    expect(bundle.headers.get('cache-control')).toContain('immutable');
    expect(asset.status).toBe(200);
    expect(api.status).toBe(404);
    expect(api.json.error.code).toBe('route_not_found');
    expect(callback.status).toBe(404);
    expect(callback.json.error.code).toBe('route_not_found');
  });

  test('when the database goes away, then /healthz answers 503 in the envelope instead of hanging or crashing', async () => {
    await app.dropDatabase();

    const res = await app.client().get('/healthz');

    expect(res.status).toBe(503);
    expect(res.json.error.code).toBe('database_unavailable');
  });
});
