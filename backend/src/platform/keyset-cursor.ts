import { z } from 'zod';

/**
 * A position in a list sorted newest first by (timestamp, id): the last row of a page. The next
 * page is every row strictly after it, `(at, id) < (cursor.at, cursor.id)`, so rows inserted
 * meanwhile (newer) never shift a page, and nothing older is skipped or repeated.
 */
export interface Keyset {
  /** The row's timestamp to the microsecond, UTC (`2025-01-31T12:00:00.123456Z`), as `keysetAt()` writes it. */
  at: string;
  id: string;
}

/**
 * The timestamp column as the cursor carries it. PostgreSQL keeps microseconds and a JS Date only
 * milliseconds: a cursor read through Date would sit before rows of the same millisecond and skip them.
 */
export function keysetAt(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** The opaque form: base64url of JSON. Not signed: it only says where to start, and every query still filters by owner. */
export function encodeCursor(keyset: Keyset): string {
  return Buffer.from(JSON.stringify([keyset.at, keyset.id])).toString('base64url');
}

const MICROSECOND_UTC = /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** A real moment (no 30 February): PostgreSQL would answer an out-of-range one with an error, a 500. */
function isRealMoment(text: string): boolean {
  if (!MICROSECOND_UTC.test(text)) return false;
  const seconds = text.slice(0, 19); // Date keeps milliseconds only; the rest is checked above
  const date = new Date(`${seconds}Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(seconds);
}

const NOT_A_CURSOR = "is not a cursor the API gave out: pass back a page's next_cursor as it came";

/**
 * The `cursor` query parameter, decoded and checked: anything but a cursor `encodeCursor` could
 * have written for an id of this shape fails validation (a 400), so no garbage reaches SQL.
 */
export function keysetCursor(id: z.ZodType<string>) {
  const Decoded = z.tuple([z.string().refine(isRealMoment), id]);
  return z
    .string()
    .max(200)
    .transform((text, ctx): Keyset => {
      const decoded = Decoded.safeParse(parseJson(Buffer.from(text, 'base64url').toString('utf8')));
      if (decoded.success) return { at: decoded.data[0], id: decoded.data[1] };
      ctx.issues.push({ code: 'custom', message: NOT_A_CURSOR, input: text });
      return z.NEVER;
    });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A uuid as PostgreSQL reads one (any version), for cursors over uuid keys. */
export const UuidKey = z.guid();
/** A bigserial id, within bigint: a larger number would be a PostgreSQL error, not a 400. One check: zod runs every check of a string, even after one failed. */
export const BigintKey = z.string().refine((digits) => /^\d{1,19}$/.test(digits) && BigInt(digits) <= 9_223_372_036_854_775_807n);

/**
 * One page from rows fetched with `LIMIT limit + 1`: the extra row only says there is more. Each
 * row carries its keyset (`cursor_at` from `keysetAt()`, and `id`).
 */
export function toPage<Row extends { id: string; cursor_at: string }>(rows: Row[], limit: number): { rows: Row[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > limit && last ? encodeCursor({ at: last.cursor_at, id: last.id }) : null };
}
