import { createHash } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { control, startTestEmulator } from '../testing/kit';
import { grantToken } from '../testing/rest-kit';
import type { Emulator } from '../server';

describe('REST API: file downloads (ContentVersion VersionData)', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.state.reset());

  const download = (token: string, path: string, host: 'na1' | 'cs1' = 'na1') => fetch(`${emulator.origins[host]}/${path}`, { headers: { authorization: `Bearer ${token}` } });

  test('when a 3 MB file is downloaded, then its bytes match the announced SHA-256 and length, and the download counts as completed', async () => {
    const file = (await control(emulator, '/files', { size: 3 * 1024 * 1024 + 17 })).json;

    const res = await download(grantToken(emulator), file.path);
    const bytes = Buffer.from(await res.arrayBuffer());

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octetstream');
    expect(res.headers.get('content-length')).toBe(String(file.size));
    expect(bytes.length).toBe(file.size);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
    await expect.poll(async () => (await control(emulator, `/files/${file.id}`)).json.downloads).toEqual({ started: 1, completed: 1, aborted: 0 });
  });

  test('when the client closes the connection mid-download, then the emulator counts it aborted and stops sending', async () => {
    const file = (await control(emulator, '/files', { size: 100 * 1024 * 1024 })).json;
    const token = grantToken(emulator);

    const received = await new Promise<number>((resolve, reject) => {
      const req = http.get(`${emulator.origins.na1}/${file.path}`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > 1024 * 1024) {
            req.destroy();
            resolve(size);
          }
        });
      });
      req.on('error', (err) => (err.message === 'socket hang up' ? undefined : reject(err)));
    });

    expect(received).toBeLessThan(file.size);
    await expect.poll(async () => (await control(emulator, `/files/${file.id}`)).json.downloads).toEqual({ started: 1, completed: 0, aborted: 1 });
  });

  test('when the file is unknown, or another org asks, then 404 NOT_FOUND; without a session 401', async () => {
    const file = (await control(emulator, '/files', { size: 10, org: 'production' })).json;

    const unknown = await download(grantToken(emulator), file.path.replace(file.id, '068000000000000AAA'));
    const otherOrg = await download(grantToken(emulator, 'sandbox'), file.path, 'cs1'); // the sandbox, on its own instance
    const anonymous = await fetch(`${emulator.origins.na1}/${file.path}`);

    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    expect(otherOrg.status).toBe(404);
    expect(anonymous.status).toBe(401);
  });
});
