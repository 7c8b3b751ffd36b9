import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app';

describe('sign-in limits behind a trusted proxy', () => {
  let app: TestApp;
  beforeAll(async () => {
    // Trusting one hop lets any direct client name its own address in X-Forwarded-For.
    app = await startTestApp({ env: { TRUST_PROXY: '1' } });
  });
  afterAll(() => app.stop());

  test('when one account gets failed sign-ins each from a new address, then it answers 429 after 30 while another account still answers 401', async () => {
    const victim = await app.signUp('victim@example.com', 'the victim password');
    const other = await app.signUp('bystander@example.com', 'the bystander password');
    const attacker = app.client();
    const from = (i: number) => ({ headers: { 'x-forwarded-for': `198.51.100.${i}` } });

    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      // The account's spelling varies too: padding and case must not make it a new account.
      const email = i % 2 ? victim.email.toUpperCase() : ` ${victim.email} `;
      statuses.push((await attacker.post('/api/auth/login', { email, password: `guess ${i}` }, from(i))).status);
    }
    const limited = await attacker.post('/api/auth/login', { email: victim.email, password: 'guess 30' }, from(30));
    const bystander = await attacker.post('/api/auth/login', { email: other.email, password: 'a wrong guess' }, from(31));

    expect(statuses).toEqual(Array(30).fill(401));
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ error: { code: 'too_many_requests', message: 'Too many failed sign-in attempts; try again later' } });
    expect(bystander.status).toBe(401);
    expect(bystander.json.error.code).toBe('invalid_credentials');
  });
});

describe('sign-up limit', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ registrationRateLimit: 'app default' });
  });
  afterAll(() => app.stop());

  test('when one address signs up 21 times within the hour, then the first 20 get 201 and the 21st 429 with no account created', async () => {
    const client = app.client();

    const statuses: number[] = [];
    for (let i = 1; i <= 20; i++) {
      statuses.push((await client.post('/api/auth/register', { email: `member${i}@example.com`, password: 'team password' })).status);
    }
    const refused = await client.post('/api/auth/register', { email: 'member21@example.com', password: 'team password' });

    expect(statuses).toEqual(Array(20).fill(201));
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual({ error: { code: 'too_many_requests', message: 'Too many sign-ups from this address; try again later' } });
    expect(await app.query(`SELECT 1 FROM users WHERE email = 'member21@example.com'`)).toHaveLength(0);
    expect(await app.query('SELECT 1 FROM users')).toHaveLength(20);
  });
});
