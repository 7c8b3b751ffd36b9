import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface DevSecrets {
  SESSION_SECRET: string;
  TOKEN_ENCRYPTION_KEY: string;
  /** Password of the embedded PostgreSQL superuser; fixed at initdb, so it must outlive restarts. */
  EMBEDDED_DATABASE_PASSWORD: string;
}

/**
 * Development only: secrets generated on first start and kept in `<dataDir>/secrets.json`
 * (mode 600), so sessions and encrypted tokens survive restarts. Production must set its own.
 */
export async function loadOrCreateDevSecrets(dataDir: string): Promise<DevSecrets> {
  const file = path.join(dataDir, 'secrets.json');
  const existing = await readFile(file, 'utf8').then(
    (text) => JSON.parse(text) as Partial<DevSecrets>,
    () => ({}) as Partial<DevSecrets>,
  );
  const secrets: DevSecrets = {
    SESSION_SECRET: existing.SESSION_SECRET ?? randomBytes(32).toString('base64url'),
    TOKEN_ENCRYPTION_KEY: existing.TOKEN_ENCRYPTION_KEY ?? randomBytes(32).toString('base64'),
    EMBEDDED_DATABASE_PASSWORD: existing.EMBEDDED_DATABASE_PASSWORD ?? randomBytes(18).toString('base64url'),
  };
  if (JSON.stringify(existing) !== JSON.stringify(secrets)) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  }
  return secrets;
}
