import http from 'node:http';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { encodeCursor, keysetAt } from '../backend/src/platform/keyset-cursor';
import { escapeLike, findTaskPage, type TaskFilter } from '../backend/src/tasks/task-list-query';
import { BenchBrowser } from './browser';

export interface PagingOptions {
  /** A running app (`node backend/dist/main.js`) on `databaseUrl`, migrated. */
  appUrl: string;
  /** The app's database: the Tasks are inserted and the queries explained through it. */
  databaseUrl: string;
  /** Tasks of the one bench user (default 100,000). */
  tasks?: number;
  /** Timed requests per case (default 50), after 5 untimed. */
  requests?: number;
  /** Keep the bench user and its Tasks afterwards (default: deleted). */
  keep?: boolean;
}

export interface Percentiles {
  p50: number;
  p95: number;
}

export interface PagingCase {
  name: string;
  /** The request timed, e.g. `/api/tasks?limit=50&q=sync`. */
  path: string;
  /** Tasks on the page (50 unless the matches run out). */
  rows: number;
  /** For a search: how many of the user's Tasks match. */
  matches?: number;
  /** The whole request over a keep-alive connection, as a client sees it. */
  httpMs: Percentiles;
  /** The app's own query function (findTaskPage: one or, for a sparse search, two statements) on one connection, round trips included. */
  sqlMs: Percentiles;
  /** PostgreSQL's execution time of those statements (EXPLAIN ANALYZE, summed), the median of 5. */
  executionMs: number;
}

export interface PagingFigures {
  tasks: number;
  /** The one INSERT … SELECT generate_series (indexes included), and ANALYZE. */
  insertMs: number;
  cases: PagingCase[];
}

const DEFAULT_TASKS = 100_000;
const DEFAULT_REQUESTS = 50;
const WARM_UP = 5;
const LIMIT = 50;

/**
 * Keyset paging and search of `GET /api/tasks` with one user holding 100,000 Tasks (far past the
 * app's 10,000-per-account cap, which only `POST /api/tasks` enforces): the first page, a page
 * 90% deep by cursor, and searches for a common word, a rare one, one that matches nothing and
 * two common words that are rarely together. Names are made of three words from small lists and
 * a number (`Weekly campaign sync #4242`), one second apart.
 */
export async function measurePaging(options: PagingOptions): Promise<PagingFigures> {
  const count = options.tasks ?? DEFAULT_TASKS;
  const requests = options.requests ?? DEFAULT_REQUESTS;
  const browser = new BenchBrowser(options.appUrl);
  await browser.post('/api/auth/register', { email: `bench-paging-${Date.now()}@example.com`, password: 'bench password 123' });
  const userId = ((await (await browser.get('/api/auth/me')).json()) as { user: { id: string } }).user.id;
  const db = new Client({ connectionString: options.databaseUrl });
  await db.connect();
  try {
    const insertMs = await insertTasks(db, userId, count);
    const deep = await cursorAt(db, userId, Math.floor(count * 0.9));
    const cases: { name: string; filter: TaskFilter; cursor?: string }[] = [
      { name: 'first page', filter: {} },
      { name: 'deep page (90%) by cursor', filter: {}, cursor: deep },
      { name: 'search, a common word', filter: { q: 'sync' } },
      { name: 'search, a rare number', filter: { q: '#777' } },
      { name: 'search, no match', filter: { q: 'zzz' } },
      // The index's hard case: every word is common, together they are not (1 in 42, too few for a page in order).
      { name: 'search, common words, rarely together', filter: { q: 'campaign sync' } },
    ];
    const figures: PagingCase[] = [];
    for (const c of cases) {
      const query = new URLSearchParams({ limit: String(LIMIT), ...(c.filter.q ? { q: c.filter.q } : {}), ...(c.cursor ? { cursor: c.cursor } : {}) });
      const path = `/api/tasks?${query}`;
      const { timings: http, rows } = await timeRequests(options.appUrl + path, browser.cookie, requests);
      const sql = await timeServiceQuery(db, userId, c.filter, c.cursor, requests);
      const matches = c.filter.q ? await countMatches(db, userId, c.filter.q) : undefined;
      figures.push({ name: c.name, path, rows, matches, httpMs: percentiles(http), sqlMs: percentiles(sql.timings), executionMs: await executionTime(db, sql.statements) });
    }
    return { tasks: count, insertMs, cases: figures };
  } finally {
    if (!options.keep) await db.query('DELETE FROM users WHERE id = $1', [userId]); // its Tasks go with it
    await db.end();
  }
}

async function insertTasks(db: Client, userId: string, count: number): Promise<number> {
  const started = performance.now();
  await db.query(
    `INSERT INTO tasks (user_id, name, description, created_at, updated_at)
     SELECT $1,
       (ARRAY['Nightly','Weekly','Daily','Hourly','Monthly'])[1 + g % 5] || ' ' ||
       (ARRAY['account','contact','lead','opportunity','case','quote','campaign'])[1 + (g / 5) % 7] || ' ' ||
       (ARRAY['sync','import','export','report','archive','cleanup'])[1 + (g / 35) % 6] || ' #' || g,
       '', now() - ($2 - g) * interval '1 second', now() - ($2 - g) * interval '1 second'
     FROM generate_series(1, $2) g`,
    [userId, count],
  );
  await db.query('ANALYZE tasks'); // as autovacuum soon would: the planner sees the new rows
  return Math.round(performance.now() - started);
}

async function countMatches(db: Client, userId: string, q: string): Promise<number> {
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM tasks WHERE user_id = $1 AND name ILIKE $2`, [userId, `%${escapeLike(q)}%`]);
  return rows[0].n;
}

/** The cursor a client would hold after reading `offset` Tasks. */
async function cursorAt(db: Client, userId: string, offset: number): Promise<string> {
  const { rows } = await db.query(`SELECT id, ${keysetAt('created_at')} AS at FROM tasks WHERE user_id = $1 ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`, [userId, offset - 1]);
  return encodeCursor({ at: rows[0].at, id: rows[0].id });
}

/** Sequential GETs over one keep-alive connection, timed with performance.now(). */
async function timeRequests(url: string, cookie: string, count: number): Promise<{ timings: number[]; rows: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const timings: number[] = [];
  let rows = 0;
  try {
    for (let i = 0; i < WARM_UP + count; i++) {
      const started = performance.now();
      const { status, body } = await get(url, cookie, agent);
      if (status !== 200) throw new Error(`GET ${url} answered ${status}: ${body.slice(0, 200)}`);
      if (i >= WARM_UP) timings.push(performance.now() - started);
      rows = (JSON.parse(body) as { tasks: unknown[] }).tasks.length;
    }
  } finally {
    agent.destroy();
  }
  return { timings, rows };
}

function get(url: string, cookie: string, agent: http.Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { cookie }, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

/** The app's query function on a plain connection, recording the statements it sends. */
async function timeServiceQuery(db: Client, userId: string, filter: TaskFilter, cursor: string | undefined, count: number) {
  const statements: { sql: string; params: unknown[] }[] = [];
  const recording = { query: async (sql: string, params: unknown[]) => (statements.push({ sql, params }), (await db.query(sql, params)).rows) };
  const after = cursor ? decodeCursor(cursor) : undefined;
  const timings: number[] = [];
  for (let i = 0; i < WARM_UP + count; i++) {
    statements.length = 0;
    const started = performance.now();
    await findTaskPage(recording as unknown as DataSource, userId, filter, { limit: LIMIT, after });
    if (i >= WARM_UP) timings.push(performance.now() - started);
  }
  return { timings, statements: [...statements] };
}

function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
  return { at, id };
}

async function executionTime(db: Client, statements: { sql: string; params: unknown[] }[]): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    let total = 0;
    for (const { sql, params } of statements) {
      const { rows } = await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
      total += (rows[0]['QUERY PLAN'] as { 'Execution Time': number }[])[0]['Execution Time'];
    }
    runs.push(total);
  }
  return round(percentile(runs, 0.5));
}

function percentiles(timings: number[]): Percentiles {
  return { p50: round(percentile(timings, 0.5)), p95: round(percentile(timings, 0.95)) };
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
