import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { BrowserSession } from '../contract';
import type { ChangeFeed } from '../platform/change-feed';
import { sessionCacheKey } from './session-cache';

type Db = DataSource | EntityManager;

/** The session rows of one user: connect-pg-simple keeps passport's user id at `sess.passport.user` (indexed, see migration `session-user-index`). */
const OF_USER = `(sess->'passport'->>'user') = $1`;

interface SessionRow {
  sid: string;
  sess: { cookie?: { originalMaxAge?: number | null }; createdAt?: unknown; userAgent?: unknown };
  expire: Date;
}

/**
 * A user's signed-in browsers, read from and ended in the session store's own table. Browsers are
 * named to the user by an HMAC of the session id, so a listing (or a log of it) never hands out a
 * value that could be replayed as a cookie.
 */
export class BrowserSessions {
  constructor(private readonly deps: { dataSource: DataSource; secret: string; changes: ChangeFeed }) {}

  /** The user's live sessions, the caller's first, then the most recently used. */
  async list(userId: string, currentSid: string | undefined): Promise<BrowserSession[]> {
    const rows = await this.rows(userId);
    return rows
      .map((row) => toBrowserSession(row, this.publicId(row.sid), row.sid === currentSid))
      .sort((a, b) => Number(b.current) - Number(a.current) || b.last_seen_at.localeCompare(a.last_seen_at));
  }

  /** Ends the user's session named by `publicId`; answers the session id it ended, or undefined when none of theirs has that name. */
  async end(userId: string, publicId: string): Promise<string | undefined> {
    const wanted = Buffer.from(publicId);
    const match = (await this.rows(userId)).find((row) => {
      const candidate = Buffer.from(this.publicId(row.sid));
      return candidate.length === wanted.length && timingSafeEqual(candidate, wanted);
    });
    if (!match) return undefined;
    const [ended]: [{ sid: string }[], number] = await this.deps.dataSource.query(`DELETE FROM session WHERE sid = $2 AND ${OF_USER} RETURNING sid`, [userId, match.sid]);
    this.forget(ended);
    return match.sid;
  }

  /** Ends every session of the user but `keepSid` (all of them when it is undefined). */
  async endAllBut(db: Db, userId: string, keepSid: string | undefined): Promise<number> {
    const [ended, count]: [{ sid: string }[], number] = await db.query(`DELETE FROM session WHERE ${OF_USER} AND sid IS DISTINCT FROM $2 RETURNING sid`, [userId, keepSid ?? null]);
    this.forget(ended);
    return count;
  }

  /**
   * This instance's session cache drops ended sessions at once; the others hear PostgreSQL's
   * notification (which also clears anything read here again before a surrounding transaction commits).
   */
  private forget(ended: { sid: string }[]): void {
    for (const { sid } of ended) this.deps.changes.announce('session', sessionCacheKey(sid));
  }

  private rows(userId: string): Promise<SessionRow[]> {
    // `expire` is a timestamp without time zone written by to_timestamp() in this server's zone: read it back the same way.
    return this.deps.dataSource.query(`SELECT sid, sess, expire::timestamptz AS expire FROM session WHERE ${OF_USER} AND expire > now()`, [userId]);
  }

  private publicId(sid: string): string {
    return createHmac('sha256', this.deps.secret).update(`browser-session:${sid}`).digest('base64url').slice(0, 32);
  }
}

function toBrowserSession(row: SessionRow, id: string, current: boolean): BrowserSession {
  // The store slides `expire` to (last request + lifetime) whenever it writes or touches the row
  // (at most every few minutes), so the last request is `expire - lifetime`: no extra write needed.
  const lifetimeMs = row.sess.cookie?.originalMaxAge ?? 0;
  const lastSeen = new Date(Math.min(row.expire.getTime() - lifetimeMs, Date.now())); // the store rounds `expire` up to the second
  return {
    id,
    created_at: typeof row.sess.createdAt === 'string' ? row.sess.createdAt : null,
    last_seen_at: lastSeen.toISOString(),
    expires_at: row.expire.toISOString(),
    user_agent: typeof row.sess.userAgent === 'string' ? row.sess.userAgent : null,
    current,
  };
}
