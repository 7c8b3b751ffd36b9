import { describe, expect, test } from 'vitest';
import { BigintKey, encodeCursor, keysetCursor, toPage, UuidKey } from './keyset-cursor';

describe('keyset cursors', () => {
  const TaskCursor = keysetCursor(UuidKey);
  const EventCursor = keysetCursor(BigintKey);
  const at = '2026-01-31T12:00:00.123456Z';
  const id = '3f0c9a52-8d1e-4b7a-9c2f-5e6d7a8b9c0d';
  const raw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  test('when a position is encoded and parsed back, then it is the same to the microsecond, and the text is URL-safe', () => {
    const cursor = encodeCursor({ at, id });

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(TaskCursor.parse(cursor)).toEqual({ at, id });
    expect(EventCursor.parse(encodeCursor({ at, id: '9223372036854775807' }))).toEqual({ at, id: '9223372036854775807' });
  });

  test.each([
    ['not base64 JSON', '!!!'],
    ['JSON of another shape', raw({ at, id })],
    ['a date that does not exist', raw(['2026-02-30T00:00:00.000000Z', id])],
    ['milliseconds only', raw(['2026-01-31T12:00:00.123Z', id])],
    ['a time zone other than Z', raw(['2026-01-31T12:00:00.123456+01:00', id])],
    ['an id of the wrong kind', raw([at, '42'])],
    ['extra values', raw([at, id, 'more'])],
  ])('when a cursor is %s, then parsing fails with one message and no exception', (_, cursor) => {
    const result = TaskCursor.safeParse(cursor);

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([expect.stringMatching(/is not a cursor/)]);
  });

  test('when an event id is beyond bigint or not digits, then the event cursor fails instead of reaching PostgreSQL', () => {
    expect(EventCursor.safeParse(raw([at, '9223372036854775808'])).success).toBe(false);
    expect(EventCursor.safeParse(raw([at, id])).success).toBe(false);
  });

  test('when one row more than the limit came back, then the page holds the limit and its cursor points at its last row; otherwise no cursor', () => {
    const rows = [1, 2, 3].map((n) => ({ id: String(n), cursor_at: `2026-01-0${n}T00:00:00.000000Z` }));

    const full = toPage(rows, 2);
    const last = toPage(rows, 3);

    expect(full.rows.map((row) => row.id)).toEqual(['1', '2']);
    expect(EventCursor.parse(full.nextCursor)).toEqual({ at: '2026-01-02T00:00:00.000000Z', id: '2' });
    expect(last).toEqual({ rows, nextCursor: null });
  });
});
