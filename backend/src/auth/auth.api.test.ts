import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/test-app';

describe('accounts', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  test('when a user registers, then they are signed in until they log out', async () => {
    const client = app.client();

    const registered = await client.post('/api/auth/register', { email: 'Ada@Example.com', password: 'analytical engine' });
    const me = await client.get('/api/auth/me');
    const loggedOut = await client.post('/api/auth/logout', {});
    const meAfter = await client.get('/api/auth/me');

    expect(registered.status).toBe(201);
    expect(registered.json.user).toEqual({ id: expect.any(String), email: 'ada@example.com', created_at: expect.any(String) });
    expect(JSON.stringify(registered.json)).not.toContain('password');
    expect(me.status).toBe(200);
    expect(me.json.user.id).toBe(registered.json.user.id);
    expect(loggedOut.status).toBe(204);
    expect(meAfter.status).toBe(401);
    expect(meAfter.json).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
  });

  test('when the password is stored, then it is an argon2id hash, never the password', async () => {
    const user = await app.signUp('hash-check@example.com', 'plain text secret');

    const [row] = await app.query('SELECT password_hash FROM users WHERE email = $1', [user.email]);

    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain('plain text secret');
  });

  test('when logging in with the right or wrong password, then 200 with the user or 401 invalid_credentials', async () => {
    const user = await app.signUp('login@example.com', 'the right password');
    const client = app.client();

    const wrong = await client.post('/api/auth/login', { email: user.email, password: 'the wrong password' });
    const unknown = await client.post('/api/auth/login', { email: 'nobody@example.com', password: 'the right password' });
    const right = await client.post('/api/auth/login', { email: 'LOGIN@example.com', password: 'the right password' });

    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe('invalid_credentials');
    expect(unknown.status).toBe(401);
    expect(unknown.json).toEqual(wrong.json); // an unknown email looks exactly like a wrong password
    expect(right.status).toBe(200);
    expect(right.json.user.email).toBe('login@example.com');
    expect((await client.get('/api/auth/me')).status).toBe(200);
  });

  test('when an email is taken in any letter case, then registering again answers 409 email_taken', async () => {
    await app.signUp('taken@example.com');

    const res = await app.client().post('/api/auth/register', { email: 'TAKEN@example.com', password: 'another password' });

    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('email_taken');
    expect(await app.query(`SELECT 1 FROM users WHERE lower(email) = 'taken@example.com'`)).toHaveLength(1);
  });

  test('when signing in, then the session cookie is HttpOnly, SameSite=Lax, not Secure outside production, and its id changes', async () => {
    const user = await app.signUp('fixation@example.com', 'fixation password');
    const before = user.cookies.get('sid');

    const res = await user.post('/api/auth/login', { email: user.email, password: user.password });
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('sid='));
    const oldSession = app.client();
    oldSession.cookies.set('sid', before!);

    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/i);
    expect(user.cookies.get('sid')).not.toBe(before);
    expect((await user.get('/api/auth/me')).status).toBe(200);
    expect((await oldSession.get('/api/auth/me')).status).toBe(401); // the pre-login id is dead
  });

  test('when a session cookie is forged, then the request is anonymous', async () => {
    const client = app.client();
    client.cookies.set('sid', 's%3Aforged-session-id.forged-signature');

    const res = await client.get('/api/auth/me');

    expect(res.status).toBe(401);
  });

  test('when the user behind a session is deleted, then the session stops working at once', async () => {
    const user = await app.signUp('deleted@example.com');

    await app.query('DELETE FROM users WHERE email = $1', [user.email]);
    const res = await user.get('/api/auth/me');

    expect(res.status).toBe(401);
  });

  test('when a password is guessed again and again, then sign-in answers 429 and the right password waits too', async () => {
    const user = await app.signUp('brute@example.com', 'the real password');
    const attacker = app.client();

    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await attacker.post('/api/auth/login', { email: user.email, password: `guess ${i}` })).status);
    }
    const blocked = await attacker.post('/api/auth/login', { email: user.email, password: 'the real password' });

    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
    expect(blocked.status).toBe(429);
    expect(blocked.json.error.code).toBe('too_many_requests');
  });

  test('when requests carry passwords, cookies, tokens and query strings, then none of them reach the logs', async () => {
    const user = await app.signUp('logs@example.com', 'log-secret-password');
    const sid = user.cookies.get('sid')!;

    await user.post('/api/auth/login', { email: user.email, password: 'log-secret-password' });
    await user.get('/api/auth/me?code=query-secret-code&state=query-secret-state');
    await app.client().get('/api/tasks', { headers: { authorization: 'Bearer tsk_bearer-secret-value' } });
    const logs = app.logs.join('\n');

    expect(logs).toContain('/api/auth/me'); // the log is there, only without secrets
    for (const secret of ['log-secret-password', sid, decodeURIComponent(sid), 'query-secret', 'bearer-secret-value']) {
      expect(logs).not.toContain(secret);
    }
  });

  test('when a signed-in user makes requests in a row, then the session expiry is rewritten once, not on every request', async () => {
    const user = await app.signUp('touch@example.com');
    const sid = decodeURIComponent(user.cookies.get('sid')!).slice(2).split('.')[0];
    const expiry = async () => (await app.query('SELECT expire FROM session WHERE sid = $1', [sid]))[0].expire.getTime();

    await user.get('/api/auth/me');
    const afterFirst = await expiry();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the stored expiry has whole seconds
    await user.get('/api/auth/me');
    await user.get('/api/tasks');

    expect(await expiry()).toBe(afterFirst);
  });
});
