import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import type { RequestHandler } from 'express';
import type { Pool } from 'pg';
import type { Logger } from '../platform/logger';
import { TtlCache } from '../platform/ttl-cache';
import type { ChangeFeed } from '../platform/change-feed';
import { cacheSessionReads } from './session-cache';

/**
 * The session cookie's name. Over https (production) it carries the `__Host-` prefix, which
 * browsers accept only when Secure, Path=/ and without Domain: a sibling subdomain cannot plant
 * or overwrite it (session fixation through a cookie set on the parent domain).
 */
export function sessionCookieName(secureCookie: boolean): string {
  return secureCookie ? '__Host-sid' : 'sid';
}
const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** A session's sliding expiry is rewritten at most this often (per process), not on every request. */
const TOUCH_INTERVAL_MS = 5 * 60 * 1000;

export type SessionStore = InstanceType<ReturnType<typeof connectPgSimple>>;

/** Sessions live in PostgreSQL (the `session` table from the migrations), so they survive restarts and work on every instance. */
export function createSessionStore(pool: Pool, logger: Logger, changes: ChangeFeed): SessionStore {
  const PgStore = connectPgSimple(session);
  const store = new PgStore({
    pool,
    tableName: 'session',
    createTableIfMissing: false,
    pruneSessionInterval: 15 * 60,
    // Its own errors (a prune racing shutdown, a lost connection) go to our log, not stderr.
    errorLog: (...args: unknown[]) => logger.warn({ err: args.find((a) => a instanceof Error) }, 'session store error'),
  });
  throttleTouches(store);
  cacheSessionReads(store, changes);
  return store;
}

/**
 * express-session "touches" the store on every request to slide the expiry, which here is an
 * UPDATE per request. A week-long session loses nothing if that happens every few minutes.
 */
function throttleTouches(store: SessionStore): void {
  const lastTouched = new TtlCache<string, true>({ ttlMs: TOUCH_INTERVAL_MS, maxEntries: 100_000 });
  const touch = store.touch.bind(store);
  store.touch = (sid, sess, callback) => {
    if (lastTouched.get(sid)) return callback?.();
    lastTouched.set(sid, true);
    touch(sid, sess, callback);
  };
}

export function createSessionMiddleware(deps: { store: SessionStore; secret: string; secureCookie: boolean }): RequestHandler {
  return session({
    name: sessionCookieName(deps.secureCookie),
    store: deps.store,
    secret: deps.secret,
    resave: false,
    saveUninitialized: false, // no cookie, no row, until someone signs in
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: deps.secureCookie, maxAge: SESSION_TTL_MS, path: '/' },
  });
}
