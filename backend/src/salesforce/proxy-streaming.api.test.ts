import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { control } from 'salesforce-emulator/testing';
import { connectedTask, useTestEmulator } from '../../test/helpers/salesforce-kit';
import type { TestClient } from '../../test/helpers/test-client';

/** Large answers stream through the proxy: byte for byte, and a caller who leaves stops the download at Salesforce. */
describe('the Salesforce proxy streams large answers', () => {
  const { emulator, app } = useTestEmulator({ resetEmulator: false });
  let service: TestClient;
  let taskId: string;
  beforeAll(async () => {
    const connected = await connectedTask(app);
    taskId = connected.task.id;
    service = app.client().withToken((await connected.user.post('/api/tokens', { name: 'downloads' })).json.token);
  });

  const newFile = async (size: number) => (await control(emulator, '/files', { size })).json as { id: string; size: number; sha256: string; path: string };
  const downloads = async (id: string) => (await control(emulator, `/files/${id}`)).json.downloads;

  test('when a service downloads a 50 MB file, then it arrives byte-identical, with its length and type', async () => {
    const file = await newFile(50 * 1024 * 1024);

    const res = await service.open(`/api/tasks/${taskId}/sfdc/proxy/${file.path}`);
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      size += chunk.length;
    }

    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(file.size));
    expect(res.headers.get('content-type')).toBe('application/octetstream');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(size).toBe(file.size);
    expect(hash.digest('hex')).toBe(file.sha256);
    await expect.poll(() => downloads(file.id)).toEqual({ started: 1, completed: 1, aborted: 0 });
  });

  test('when the caller disconnects mid-download, then the proxy closes its request to Salesforce too, and the app stays up', async () => {
    const file = await newFile(200 * 1024 * 1024);
    const caller = new AbortController();

    const res = await service.open(`/api/tasks/${taskId}/sfdc/proxy/${file.path}`, { signal: caller.signal });
    let size = 0;
    await expect(
      (async () => {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          size += chunk.length;
          if (size > 2 * 1024 * 1024) caller.abort();
        }
      })(),
    ).rejects.toThrow();

    expect(res.status).toBe(200);
    await expect.poll(() => downloads(file.id), { timeout: 5_000 }).toEqual({ started: 1, completed: 0, aborted: 1 });
    expect((await service.get(`/api/tasks/${taskId}/sfdc/proxy/services/data/v62.0/limits`)).status).toBe(200);
  });
});
