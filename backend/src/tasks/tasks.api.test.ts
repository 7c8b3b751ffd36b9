import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/test-app';

describe('Tasks', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  test('when a user creates, reads, edits and deletes a Task, then each answer shows the stored Task', async () => {
    const user = await app.signUp();

    const created = await user.post('/api/tasks', { name: '  Sync accounts  ', description: 'Nightly import' });
    const id = created.json.task.id;
    const read = await user.get(`/api/tasks/${id}`);
    const edited = await user.patch(`/api/tasks/${id}`, { description: 'Hourly import' });
    const listed = await user.get('/api/tasks');
    const deleted = await user.delete(`/api/tasks/${id}`);
    const gone = await user.get(`/api/tasks/${id}`);

    expect(created.status).toBe(201);
    expect(created.json.task).toEqual({
      id: expect.any(String),
      name: 'Sync accounts',
      description: 'Nightly import',
      sfdc: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(read.json.task).toEqual(created.json.task);
    expect(edited.status).toBe(200);
    expect(edited.json.task).toMatchObject({ name: 'Sync accounts', description: 'Hourly import' });
    expect(listed.json.tasks.map((t: { id: string }) => t.id)).toEqual([id]);
    expect(deleted.status).toBe(204);
    expect(gone.status).toBe(404);
    expect(gone.json.error.code).toBe('task_not_found');
  });

  test('when a user lists Tasks, then they see only their own, newest first', async () => {
    const ann = await app.signUp();
    const bob = await app.signUp();
    await ann.post('/api/tasks', { name: 'first' });
    await ann.post('/api/tasks', { name: 'second' });
    await bob.post('/api/tasks', { name: 'bob only' });

    const res = await ann.get('/api/tasks');

    expect(res.json.tasks.map((t: { name: string }) => t.name)).toEqual(['second', 'first']);
  });

  test("when user B touches user A's Task on any route, then every answer is the same 404 as a missing Task and nothing changes", async () => {
    const a = await app.signUp();
    const b = await app.signUp();
    const task = (await a.post('/api/tasks', { name: 'private', description: 'secret plans' })).json.task;
    const missing = '00000000-0000-4000-8000-000000000000';

    const answers = await Promise.all([
      b.get(`/api/tasks/${task.id}`),
      b.patch(`/api/tasks/${task.id}`, { name: 'hijacked' }),
      b.patch(`/api/tasks/${task.id}`, { unknown: 'field' }),
      b.delete(`/api/tasks/${task.id}`),
    ]);
    const missingAnswer = await b.get(`/api/tasks/${missing}`);

    for (const res of answers) {
      expect(res.status).toBe(404);
      expect(res.json).toEqual(missingAnswer.json);
    }
    expect((await b.get('/api/tasks')).json.tasks).toEqual([]);
    expect((await a.get(`/api/tasks/${task.id}`)).json.task).toMatchObject({ name: 'private', description: 'secret plans' });
  });

  test('when the Task id is not a UUID, then it answers 404 task_not_found', async () => {
    const user = await app.signUp();

    const res = await user.get('/api/tasks/not-a-uuid');

    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('task_not_found');
  });

  test('when nobody is signed in, then every Task route answers 401', async () => {
    const anonymous = app.client();
    const [before] = await app.query('SELECT count(*)::int AS n FROM tasks');

    const answers = await Promise.all([anonymous.get('/api/tasks'), anonymous.post('/api/tasks', { name: 'x' }), anonymous.get('/api/tasks/00000000-0000-4000-8000-000000000000')]);

    expect(answers.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(await app.query('SELECT count(*)::int AS n FROM tasks')).toEqual([before]);
  });

  test('when a Task is deleted, then its user-facing history goes with it', async () => {
    const user = await app.signUp();
    const task = (await user.post('/api/tasks', { name: 'with history' })).json.task;
    await app.query(`INSERT INTO sfdc_events (task_id, kind, detail) VALUES ($1, 'tested', '{}')`, [task.id]);

    await user.delete(`/api/tasks/${task.id}`);

    expect(await app.query('SELECT 1 FROM sfdc_events WHERE task_id = $1', [task.id])).toHaveLength(0);
  });
});
