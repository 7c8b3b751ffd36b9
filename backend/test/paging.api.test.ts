import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TaskListResponse } from '../src/contract';
import { startTestApp, type TestApp } from './helpers/test-app';
import type { TestClient } from './helpers/test-client';

/**
 * Keyset paging of the Task list and its search. Rows are inserted by SQL where a test needs
 * hundreds of them or needs ties: Tasks sharing a `created_at`, and neighbours a few microseconds
 * apart (a cursor read through a millisecond Date would skip those).
 */
describe('GET /api/tasks: pages and search', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  const userIdOf = async (user: TestClient) => (await user.get('/api/auth/me')).json.user.id as string;

  /** `count` Tasks named `<prefix> <n>`, in threes sharing a created_at, 7 µs between the threes. */
  async function insertTasks(userId: string, count: number, prefix = 'Task'): Promise<void> {
    await app.query(
      `INSERT INTO tasks (user_id, name, created_at)
       SELECT $1, $2 || ' ' || g, now() - interval '1 hour' - (g / 3) * interval '7 microseconds' FROM generate_series(1, $3) g`,
      [userId, prefix, count],
    );
  }

  /** The user's Task ids in the list's order, as PostgreSQL sorts them. */
  const expectedOrder = async (userId: string) => (await app.query<{ id: string }>('SELECT id FROM tasks WHERE user_id = $1 ORDER BY created_at DESC, id DESC', [userId])).map((row) => row.id);

  /** Every page from the first, following next_cursor; `between` runs after each page. */
  async function walk(client: TestClient, path: string, between?: (page: number) => Promise<void>): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const res = await client.get(cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path);
      expect(res.status, res.text).toBe(200);
      expect(() => TaskListResponse.parse(res.json)).not.toThrow();
      ids.push(...res.json.tasks.map((task: { id: string }) => task.id));
      cursor = res.json.next_cursor;
      pages += 1;
      await between?.(pages);
    } while (cursor);
    return { ids, pages };
  }

  test('when 250 Tasks are walked 50 at a time, then five pages hold exactly the 250, newest first, and the last says there is no more', async () => {
    // Arrange
    const user = await app.signUp();
    const userId = await userIdOf(user);
    await insertTasks(userId, 250);

    // Act
    const { ids, pages } = await walk(user, '/api/tasks?limit=50');

    // Assert
    expect(pages).toBe(5);
    expect(new Set(ids).size).toBe(250);
    expect(ids).toEqual(await expectedOrder(userId));
  });

  test('when Tasks are created between pages, then the walk neither repeats nor skips an older Task', async () => {
    // Arrange
    const user = await app.signUp();
    const userId = await userIdOf(user);
    await insertTasks(userId, 250);
    const before = await expectedOrder(userId);

    // Act: after each page, three new Tasks through the API (newer than every listed one)
    const { ids } = await walk(user, '/api/tasks?limit=50', async (page) => {
      for (let i = 0; i < 3; i++) expect((await user.post('/api/tasks', { name: `Added during page ${page}` })).status).toBe(201);
    });

    // Assert
    expect(ids).toEqual(before);
    expect((await user.get('/api/tasks?limit=200')).json.tasks.slice(0, 15).every((t: { name: string }) => t.name.startsWith('Added during'))).toBe(true);
  });

  test('when no limit is given, then a page holds 50; limit=200 holds 200', async () => {
    const user = await app.signUp();
    await insertTasks(await userIdOf(user), 250);

    const byDefault = await user.get('/api/tasks');
    const largest = await user.get('/api/tasks?limit=200');

    expect(byDefault.json.tasks).toHaveLength(50);
    expect(byDefault.json.next_cursor).toEqual(expect.any(String));
    expect(largest.json.tasks).toHaveLength(200);
  });

  test.each(['0', '201', 'fifty', '1.5', '', '-1'])('when limit is %j, then 400 invalid_request names limit', async (limit) => {
    const user = await app.signUp();

    const res = await user.get(`/api/tasks?limit=${encodeURIComponent(limit)}`);

    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'invalid_request', details: { issues: [expect.objectContaining({ path: 'limit' })] } });
  });

  const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
  const FORGED: [string, string][] = [
    ['not base64 JSON', 'garbled!!'],
    ['an object', b64({ at: '2025-01-01T00:00:00.000000Z', id: '3f0c9a52-8d1e-4b7a-9c2f-5e6d7a8b9c0d' })],
    ['30 February', b64(['2025-02-30T00:00:00.000000Z', '3f0c9a52-8d1e-4b7a-9c2f-5e6d7a8b9c0d'])],
    ['milliseconds only', b64(['2025-01-01T00:00:00.000Z', '3f0c9a52-8d1e-4b7a-9c2f-5e6d7a8b9c0d'])],
    ['an id that is no uuid', b64(['2025-01-01T00:00:00.000000Z', "1' OR '1'='1"])],
    ['an events cursor (a bigint id)', b64(['2025-01-01T00:00:00.000000Z', '42'])],
    ['too long', 'A'.repeat(201)],
  ];
  test.each(FORGED)('when the cursor is forged (%s), then 400 invalid_request names cursor, never a 500', async (_, cursor) => {
    const user = await app.signUp();

    const res = await user.get(`/api/tasks?cursor=${encodeURIComponent(cursor)}`);

    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'invalid_request', details: { issues: [expect.objectContaining({ path: 'cursor' })] } });
  });

  test('when names hold the search in any case, then q lists only those, and % and _ match only themselves', async () => {
    // Arrange
    const user = await app.signUp();
    const names = ['Nightly SYNC of accounts', 'weekly sync', 'Contact export', '100% done', '100 percent', 'a_b', 'axb', 'back\\slash'];
    for (const name of names) await user.post('/api/tasks', { name });
    const search = async (q: string) => ((await user.get(`/api/tasks?q=${encodeURIComponent(q)}`)).json.tasks as { name: string }[]).map((t) => t.name).sort();

    // Act
    const [sync, percent, underscore, backslash, blank] = await Promise.all([search('Sync'), search('0%'), search('a_b'), search('\\'), search('   ')]);

    // Assert
    expect(sync).toEqual(['Nightly SYNC of accounts', 'weekly sync']);
    expect(percent).toEqual(['100% done']);
    expect(underscore).toEqual(['a_b']);
    expect(backslash).toEqual(['back\\slash']);
    expect(blank).toHaveLength(names.length); // a blank search is no search
  });

  test('when the matches are rare and old, behind thousands of newer Tasks, then the search still pages through all of them in order', async () => {
    // Arrange: five old "Rare gem" Tasks and one "x%y", then 2,500 newer ones that do not match
    const user = await app.signUp();
    const userId = await userIdOf(user);
    await insertTasks(userId, 5, 'Rare gem');
    await insertTasks(userId, 1, 'x%y');
    await app.query(`INSERT INTO tasks (user_id, name) SELECT $1, 'Filler ' || g FROM generate_series(1, 2500) g`, [userId]);
    const gems = (await expectedOrder(userId)).slice(-5); // the oldest five (x%y came a moment later)

    // Act
    const trigram = await walk(user, '/api/tasks?q=GEM&limit=2');
    const short = await walk(user, `/api/tasks?q=${encodeURIComponent('x%')}&limit=2`);

    // Assert
    expect(trigram).toEqual({ ids: gems, pages: 3 });
    expect(short.ids).toHaveLength(1);
  });

  test('when health and q filter the list, then paging walks exactly the Tasks that pass both, in order', async () => {
    // Arrange: every third of 30 Tasks needs reconnecting
    const user = await app.signUp();
    const userId = await userIdOf(user);
    await insertTasks(userId, 30);
    await app.query(`UPDATE tasks SET sfdc = '{"status": "reconnect_needed"}' WHERE user_id = $1 AND substring(name from 6)::int % 3 = 0`, [userId]);
    const broken = await app.query<{ id: string; name: string }>(`SELECT id, name FROM tasks WHERE user_id = $1 AND sfdc IS NOT NULL ORDER BY created_at DESC, id DESC`, [userId]);

    // Act
    const attention = await walk(user, '/api/tasks?health=degraded,reconnect_needed&limit=3');
    const attentionNamed2 = await walk(user, '/api/tasks?health=reconnect_needed&q=task%202&limit=1');

    // Assert
    expect(attention).toEqual({ ids: broken.map((t) => t.id), pages: 4 });
    expect(attentionNamed2.ids).toEqual(broken.filter((t) => t.name.startsWith('Task 2')).map((t) => t.id));
  });

  test("when another user's cursor is used, or their Tasks interleave in time, then only the caller's own Tasks are listed", async () => {
    // Arrange
    const [ann, bob] = [await app.signUp(), await app.signUp()];
    const [annId, bobId] = [await userIdOf(ann), await userIdOf(bob)];
    await insertTasks(annId, 60, 'Ann');
    await insertTasks(bobId, 60, 'Bob');
    const bobsCursor = (await bob.get('/api/tasks?limit=10')).json.next_cursor;

    // Act
    const annWalk = await walk(ann, '/api/tasks?limit=25');
    const annFromBobsCursor = await ann.get(`/api/tasks?limit=200&cursor=${encodeURIComponent(bobsCursor)}`);
    const annSearchingBob = await ann.get('/api/tasks?q=Bob');

    // Assert
    expect(annWalk.ids).toEqual(await expectedOrder(annId));
    expect(annFromBobsCursor.status).toBe(200);
    expect(annFromBobsCursor.json.tasks.length).toBeGreaterThan(0);
    expect(annFromBobsCursor.json.tasks.every((t: { name: string }) => t.name.startsWith('Ann'))).toBe(true);
    expect(annSearchingBob.json).toEqual({ tasks: [], next_cursor: null });
  });

  test('when an API token is limited to three Tasks, then paging lists exactly those three, in order', async () => {
    // Arrange
    const user = await app.signUp();
    const userId = await userIdOf(user);
    await insertTasks(userId, 100);
    const all = await expectedOrder(userId);
    const allowed = [all[3], all[50], all[97]];
    const created = await user.post('/api/tokens', { name: 'three only', scopes: ['tasks:read'], task_ids: allowed });
    expect(created.status, created.text).toBe(201);
    const service = app.client().withToken(created.json.token);

    // Act
    const { ids, pages } = await walk(service, '/api/tasks?limit=2');
    const searched = await service.get('/api/tasks?q=Task');

    // Assert
    expect(ids).toEqual(allowed);
    expect(pages).toBe(2);
    expect(searched.json.tasks.map((t: { id: string }) => t.id)).toEqual(allowed);
  });
});
