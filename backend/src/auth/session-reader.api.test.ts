import { beforeAll, describe, expect, test } from 'vitest';
import { connectedTask, useTestEmulator } from '../../test/helpers/salesforce-kit';
import { TestClient } from '../../test/helpers/test-client';

const LIMITS = 'services/data/v62.0/limits';

/**
 * The proxy reads session cookies with its own lean reader (not express-session and passport):
 * it must accept and refuse exactly what they do, and keep the session's expiry sliding.
 */
describe('session cookies on the Salesforce proxy', () => {
  const { app } = useTestEmulator({ resetEmulator: false });
  let user: Awaited<ReturnType<typeof connectedTask>>['user'];
  let taskId: string;
  beforeAll(async () => {
    const connected = await connectedTask(app);
    user = connected.user;
    taskId = connected.task.id;
  });

  const proxy = `/api/tasks/${'TASK'}/sfdc/proxy/${LIMITS}`;
  const proxyOf = (id: string) => proxy.replace('TASK', id);
  /** Another browser holding `cookie` for the session cookie's value. */
  const withCookie = (value: string) => Object.assign(new TestClient(app.url), { cookies: new Map([['sid', value]]) });
  const sid = () => user.cookies.get('sid')!;

  test('when the cookie is the signed-in browser’s, then the call goes through, answers no Set-Cookie, and is the session’s user', async () => {
    const res = await withCookie(sid()).get(proxyOf(taskId));

    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect((await withCookie(sid()).get('/api/auth/me')).status).toBe(200);
  });

  test('when the cookie is unsigned, forged, or names no session, then 401 like the rest of the API', async () => {
    const value = decodeURIComponent(sid()); // s:<id>.<signature>
    const [id, signature] = value.slice(2).split('.');
    const forged = [id, `s:${id}`, `s:${id}.${signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`, `s:someone-else.${signature}`, 'garbage', ''];

    const answers = await Promise.all(forged.map((cookie) => withCookie(encodeURIComponent(cookie)).get(proxyOf(taskId))));
    const api = await Promise.all(forged.map((cookie) => withCookie(encodeURIComponent(cookie)).get('/api/auth/me')));

    expect(answers.map((r) => r.status)).toEqual(forged.map(() => 401));
    expect(api.map((r) => r.status)).toEqual(forged.map(() => 401));
    expect(answers[0].json.error.code).toBe(api[0].json.error.code);
  });

  test('when the session expired in the store, or its user was deleted, then 401', async () => {
    const other = await connectedTask(app);
    const third = await connectedTask(app);
    expect((await other.user.get(proxyOf(other.task.id))).status).toBe(200); // both now cached
    expect((await third.user.get(proxyOf(third.task.id))).status).toBe(200);

    await app.query(`UPDATE session SET expire = now() - interval '1 minute' WHERE sid = $1`, [sessionIdOf(other.user.cookies.get('sid')!)]);
    await app.query('DELETE FROM users WHERE id = (SELECT user_id FROM tasks WHERE id = $1)', [third.task.id]);

    // Within the change feed's round trip (milliseconds).
    await expect.poll(async () => (await other.user.get(proxyOf(other.task.id))).status).toBe(401);
    await expect.poll(async () => (await third.user.get(proxyOf(third.task.id))).status).toBe(401);
  });

  test('when a browser only calls the proxy, then its session’s expiry still slides', async () => {
    const signedUp = await connectedTask(app);
    const browser = new TestClient(app.url);
    await browser.post('/api/auth/login', { email: signedUp.user.email, password: signedUp.user.password }); // a new session, never touched
    const id = sessionIdOf(browser.cookies.get('sid')!);
    await app.query(`UPDATE session SET expire = now() + interval '1 hour' WHERE sid = $1`, [id]);

    const res = await browser.get(proxyOf(signedUp.task.id));

    expect(res.status).toBe(200);
    await expect.poll(async () => Number((await app.query(`SELECT extract(epoch FROM expire::timestamptz - now()) / 86400 AS days FROM session WHERE sid = $1`, [id]))[0].days)).toBeGreaterThan(6.9); // the week-long lifetime again, from now
  });
});

/** The session id inside a signed cookie value (`s%3A<id>.<signature>`). */
function sessionIdOf(cookie: string): string {
  return decodeURIComponent(cookie).slice(2).split('.')[0];
}
