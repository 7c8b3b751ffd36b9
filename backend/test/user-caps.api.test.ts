import { describe, expect, test } from 'vitest';
import { MAX_PENDING_STATES_PER_USER } from '../src/salesforce/oauth-state-store';
import { MAX_TASKS_PER_USER } from '../src/tasks/task-service';
import { MAX_API_TOKENS_PER_USER } from '../src/tokens/api-token-service';
import { useTestEmulator } from './helpers/salesforce-kit';
import type { TestClient } from './helpers/test-client';

describe('per-user caps', () => {
  const env = useTestEmulator();

  async function userId(user: TestClient): Promise<string> {
    return (await user.get('/api/auth/me')).json.user.id;
  }

  /** Fills the user's Tasks up to `count` straight in the database (thousands through HTTP would be slow). */
  async function seedTasks(id: string, count: number): Promise<void> {
    await env.app.query(`INSERT INTO tasks (user_id, name) SELECT $1, 'seeded ' || g FROM generate_series(1, $2::int) g`, [id, count]);
  }

  test('when a user has one Task short of the limit, then one more is created and the next answers 409 task_limit_reached', async () => {
    const user = await env.app.signUp();
    const other = await env.app.signUp();
    const id = await userId(user);
    await seedTasks(id, MAX_TASKS_PER_USER - 1);

    const last = await user.post('/api/tasks', { name: 'The last one' });
    const refused = await user.post('/api/tasks', { name: 'One too many' });
    const othersTask = await other.post('/api/tasks', { name: 'Another account' });

    expect(last.status).toBe(201);
    expect(refused.status).toBe(409);
    expect(refused.json).toEqual({ error: { code: 'task_limit_reached', message: `You have reached the limit of ${MAX_TASKS_PER_USER} Tasks per account` } });
    expect((await env.app.query('SELECT count(*)::int AS n FROM tasks WHERE user_id = $1', [id]))[0].n).toBe(MAX_TASKS_PER_USER);
    expect(othersTask.status).toBe(201); // the cap is per account
  });

  test('when several Tasks are created at once at the limit, then exactly one gets in', async () => {
    const user = await env.app.signUp();
    const id = await userId(user);
    await seedTasks(id, MAX_TASKS_PER_USER - 1);

    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => user.post('/api/tasks', { name: `Racing ${i}` })));

    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect((await env.app.query('SELECT count(*)::int AS n FROM tasks WHERE user_id = $1', [id]))[0].n).toBe(MAX_TASKS_PER_USER);
  });

  test('when a user has one API token short of the limit, then one more is created, the next answers 409 api_token_limit_reached, and deleting one makes room', async () => {
    const user = await env.app.signUp();
    const id = await userId(user);
    await env.app.query(
      `INSERT INTO api_tokens (user_id, name, token_hash)
       SELECT $1::uuid, 'seeded ' || g, encode(sha256(convert_to($1::text || ':' || g, 'UTF8')), 'hex') FROM generate_series(1, $2::int) g`,
      [id, MAX_API_TOKENS_PER_USER - 1],
    );

    const last = await user.post('/api/tokens', { name: 'The last one' });
    const refused = await user.post('/api/tokens', { name: 'One too many' });
    const deleted = await user.delete(`/api/tokens/${last.json.api_token.id}`);
    const again = await user.post('/api/tokens', { name: 'In its place' });

    expect(last.status).toBe(201);
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('api_token_limit_reached');
    expect(refused.json.error.message).toContain(`limit of ${MAX_API_TOKENS_PER_USER} API tokens`);
    expect(refused.text).not.toContain('tsk_');
    expect(deleted.status).toBe(204);
    expect(again.status).toBe(201);
    expect((await env.app.query('SELECT count(*)::int AS n FROM api_tokens WHERE user_id = $1', [id]))[0].n).toBe(MAX_API_TOKENS_PER_USER);
  });

  test('when a user starts 21 Salesforce authorizations, then the 21st answers 429 too_many_pending_authorizations, and expired ones do not count', async () => {
    const user = await env.app.signUp();
    const other = await env.app.signUp();
    const id = await userId(user);
    const task = (await user.post('/api/tasks', { name: 'Connect me' })).json.task;
    const othersTask = (await other.post('/api/tasks', { name: 'Connect me too' })).json.task;
    const authorize = (client: TestClient, taskId: string) => client.post(`/api/tasks/${taskId}/sfdc/authorize`, { environment: 'production' });

    const statuses: number[] = [];
    for (let i = 0; i < MAX_PENDING_STATES_PER_USER; i++) statuses.push((await authorize(user, task.id)).status);
    const refused = await authorize(user, task.id);
    const othersAuthorize = await authorize(other, othersTask.id);
    const pending = (await env.app.query('SELECT count(*)::int AS n FROM sfdc_oauth_states WHERE user_id = $1', [id]))[0].n;
    // One of them runs out: its slot is free again.
    await env.app.query(
      `UPDATE sfdc_oauth_states SET expires_at = now() - interval '1 second'
        WHERE state_hash = (SELECT state_hash FROM sfdc_oauth_states WHERE user_id = $1 LIMIT 1)`,
      [id],
    );
    const afterExpiry = await authorize(user, task.id);

    expect(statuses).toEqual(Array(MAX_PENDING_STATES_PER_USER).fill(200));
    expect(refused.status).toBe(429);
    expect(refused.json.error.code).toBe('too_many_pending_authorizations');
    expect(refused.json.error.message).toEqual(expect.any(String));
    expect(pending).toBe(MAX_PENDING_STATES_PER_USER);
    expect(othersAuthorize.status).toBe(200); // the cap is per account
    expect(afterExpiry.status).toBe(200);
  });
});
