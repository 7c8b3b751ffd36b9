import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

describe('the production image (Dockerfile)', () => {
  test('when the runtime stage is assembled, then it copies the backend and the SPA builds only, never the emulator workspace', async () => {
    const dockerfile = await readFile(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    const copied = [...runtime.matchAll(/^COPY\s+(?:--\S+\s+)*(.+)$/gm)].map((m) => m[1].split(/\s+/).slice(0, -1)).flat();

    expect(copied.length).toBeGreaterThan(0);
    expect(copied.filter((source) => /emulator/.test(source) || source === '.' || source === '/app' || source === '/app/')).toEqual([]);
    expect(copied).toContain('/app/backend/dist');
  });
});
