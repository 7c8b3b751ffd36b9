import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { connectedTask, useTestEmulator } from './helpers/salesforce-kit';
import { startTestApp } from './helpers/test-app';

const LIMITS = 'services/data/v62.0/limits';

/** How tokens were sealed before they were bound to their Task (no additional authenticated data). */
function sealUnbound(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

describe('encrypted tokens are bound to their Task', () => {
  const { emulator, app } = useTestEmulator();

  test("when someone with database access copies a victim's sealed tokens into their own Task, then they do not decrypt there and nothing reaches Salesforce", async () => {
    // Arrange
    const victim = await connectedTask(app);
    const attacker = await app.signUp();
    const stolen = (await attacker.post('/api/tasks', { name: 'mine' })).json.task;
    await app.query('UPDATE tasks SET sfdc = (SELECT sfdc FROM tasks WHERE id = $1) WHERE id = $2', [victim.task.id, stolen.id]);
    const before = emulator.state.requestLog.length;

    // Act
    const proxied = await attacker.get(`/api/tasks/${stolen.id}/sfdc/proxy/${LIMITS}`);
    const tested = await attacker.post(`/api/tasks/${stolen.id}/sfdc/test`);

    // Assert
    expect(proxied.status).toBe(409);
    expect(proxied.json.error.code).toBe('salesforce_reconnect_needed');
    expect(tested.json).toMatchObject({ status: false, code: 'salesforce_reconnect_needed' });
    expect(emulator.state.requestLog.slice(before)).toEqual([]);
    expect((await victim.user.get(`/api/tasks/${victim.task.id}/sfdc/proxy/${LIMITS}`)).status).toBe(200); // the victim's own row still works
  });

  test('when rows still hold tokens sealed the old, unbound way, then the next start re-seals them bound to their Task and they keep working', async () => {
    // Arrange: a connection whose tokens are rewritten in the old format, as a database from before this version holds them.
    const { user, task } = await connectedTask(app);
    const key = Buffer.from(app.env.TOKEN_ENCRYPTION_KEY, 'base64');
    const session = app.deps.credentials.toCredentials(task.id, (await app.query('SELECT sfdc FROM tasks WHERE id = $1', [task.id]))[0].sfdc);
    await app.query(`UPDATE tasks SET sfdc = sfdc || jsonb_build_object('access_token', $2::text, 'refresh_token', $3::text) WHERE id = $1`, [
      task.id,
      sealUnbound(key, session.accessToken),
      sealUnbound(key, session.refreshToken!),
    ]);

    // Act: another instance starts on the same database (start-up re-seals).
    const restarted = await startTestApp({ salesforce: emulator, instanceOf: app });
    try {
      const [{ sfdc }] = await app.query('SELECT sfdc FROM tasks WHERE id = $1', [task.id]);
      const proxied = await restarted
        .client()
        .withToken((await user.post('/api/tokens', { name: 'svc' })).json.token)
        .get(`/api/tasks/${task.id}/sfdc/proxy/${LIMITS}`);

      // Assert
      expect(sfdc.access_token).toMatch(/^v2\./);
      expect(sfdc.refresh_token).toMatch(/^v2\./);
      expect(restarted.deps.credentials.toCredentials(task.id, sfdc)).toMatchObject({ accessToken: session.accessToken, refreshToken: session.refreshToken });
      expect(proxied.status).toBe(200);
      expect(restarted.logs.some((line) => line.includes('re-encrypted'))).toBe(true);
    } finally {
      await restarted.stop();
    }
  });
});
