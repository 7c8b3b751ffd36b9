import type { DataSource } from 'typeorm';
import type { TaskHealthFilter } from '../contract';
import { keysetAt, toPage, type Keyset } from '../platform/keyset-cursor';
import type { Task } from './task-entity';

export interface TaskFilter {
  /** Only Tasks whose connection is in one of these states. */
  health?: TaskHealthFilter[];
  /** Only these Tasks (an API token limited to some). */
  ids?: string[];
  /** Only Tasks whose name contains this, whatever the case; `%` and `_` are plain characters. */
  q?: string;
}

export interface PageRequest {
  limit: number;
  /** The previous page's last row; none: the first page. */
  after?: Keyset;
}

/**
 * How many of the next rows (newest first) a search reads in order before it asks the trigram
 * index instead. A word in one name of 20 fills a page from these (about 1 ms for 1,000 rows,
 * ILIKE being most of it); a rarer one is found through the index, whose cost grows with the
 * matches, not with the user's Tasks (measured with bench/paging.ts).
 */
const SEARCH_WALK_ROWS = 1000;

/** Connections stored before health checks existed have no health yet: their status speaks for it. */
const HEALTH_STATE = `CASE WHEN sfdc IS NULL THEN 'not_connected'
  WHEN sfdc->>'status' = 'reconnect_needed' THEN 'reconnect_needed'
  ELSE coalesce(sfdc->'health'->>'state', 'healthy') END`;

const COLUMNS = 'id, user_id, name, description, sfdc, created_at, updated_at';
const NEWEST_FIRST = 'ORDER BY created_at DESC, id DESC';

interface TaskRow {
  id: string;
  user_id: string;
  name: string;
  description: string;
  sfdc: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  cursor_at: string;
}

/**
 * One page of the user's Tasks, newest first, keyset-paged on (created_at, id), which the index
 * `tasks_user_id_created_at_id_idx` serves in order. A search (`q`) first reads the next rows in
 * that order; when they hold too few matches for a page, it asks the (user_id, name) trigram
 * index, so neither a common nor a rare word reads all of a user's Tasks.
 */
export async function findTaskPage(db: DataSource, userId: string, filter: TaskFilter, page: PageRequest): Promise<{ tasks: Task[]; nextCursor: string | null }> {
  const params: unknown[] = [userId];
  const bind = (value: unknown) => `$${params.push(value)}`;
  const where = ['user_id = $1'];
  if (page.after) where.push(`(created_at, id) < (${bind(page.after.at)}::timestamptz, ${bind(page.after.id)}::uuid)`);
  if (filter.health) where.push(`${HEALTH_STATE} = ANY(${bind(filter.health)}::text[])`);
  if (filter.ids) where.push(`id = ANY(${bind(filter.ids)}::uuid[])`);
  const conditions = where.join(' AND ');
  const take = page.limit + 1; // one more than asked: it says whether there is a next page

  let rows: TaskRow[];
  if (!filter.q) {
    rows = await db.query(`SELECT ${COLUMNS}, ${keysetAt('created_at')} AS cursor_at FROM tasks WHERE ${conditions} ${NEWEST_FIRST} LIMIT ${take}`, params);
  } else {
    const name = `name ILIKE ${bind(`%${escapeLike(filter.q)}%`)}`;
    rows = await db.query(
      `SELECT ${COLUMNS}, ${keysetAt('created_at')} AS cursor_at
       FROM (SELECT ${COLUMNS} FROM tasks WHERE ${conditions} ${NEWEST_FIRST} LIMIT ${SEARCH_WALK_ROWS}) walk
       WHERE ${name} ${NEWEST_FIRST} LIMIT ${take}`,
      params,
    );
    if (rows.length < take) {
      // Too few matches among the next rows: ask the index. A materialized CTE keeps the planner
      // from walking every row in order again (it cannot tell how rare a word is for one user).
      // Without three letters or digits in a row, trigrams cannot help: read in order.
      rows = hasTrigram(filter.q)
        ? await db.query(
            `WITH matches AS MATERIALIZED (SELECT ${COLUMNS} FROM tasks WHERE ${conditions} AND ${name})
             SELECT *, ${keysetAt('created_at')} AS cursor_at FROM matches ${NEWEST_FIRST} LIMIT ${take}`,
            params,
          )
        : await db.query(`SELECT ${COLUMNS}, ${keysetAt('created_at')} AS cursor_at FROM tasks WHERE ${conditions} AND ${name} ${NEWEST_FIRST} LIMIT ${take}`, params);
    }
  }
  const { rows: pageRows, nextCursor } = toPage(rows, page.limit);
  return { tasks: pageRows.map(toTask), nextCursor };
}

/** `%`, `_` and the escape character itself match literally (backslash is LIKE's default escape). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/** pg_trgm indexes runs of letters and digits; a pattern needs three in a row to narrow the search. */
function hasTrigram(text: string): boolean {
  return /[\p{L}\p{N}]{3}/u.test(text);
}

function toTask(row: TaskRow): Task {
  return { id: row.id, userId: row.user_id, name: row.name, description: row.description, sfdc: row.sfdc, createdAt: row.created_at, updatedAt: row.updated_at };
}
