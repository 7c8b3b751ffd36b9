import { createHash } from 'node:crypto';
import type { SessionData, Store } from 'express-session';
import type { ChangeFeed } from '../platform/change-feed';
import { TtlCache } from '../platform/ttl-cache';

/** Even with every notification heard, a cached session is read again from the database this often. */
const SESSION_CACHE_TTL_MS = 60_000;

/**
 * Keeps the sessions this instance read in memory, so that a browser's calls (the proxy's above
 * all) do not read the session table each time. A cached session is dropped when its row is
 * rewritten or deleted, by whichever instance or SQL (the `session:<md5>` change notifications),
 * and at once when this process writes or destroys it; while the change feed is down nothing is
 * served from memory, since a sign-out elsewhere could go unheard.
 */
export function cacheSessionReads(store: Store, changes: ChangeFeed): void {
  const cache = new TtlCache<string, { json: string; expiresAt: number }>({ ttlMs: SESSION_CACHE_TTL_MS, maxEntries: 100_000 });
  let generation = 0;
  const forget = (sid: string) => {
    generation += 1;
    cache.delete(sessionCacheKey(sid));
  };
  changes.subscribe((change) => {
    generation += 1;
    if (change === 'reset') cache.clear();
    else if (change.table === 'session') cache.delete(change.id);
  });

  const get = store.get.bind(store);
  store.get = (sid, callback) => {
    const key = sessionCacheKey(sid);
    const cached = changes.isLive ? cache.get(key) : undefined;
    if (cached && cached.expiresAt > Date.now()) return callback(null, JSON.parse(cached.json) as SessionData); // a copy: express-session changes it
    const started = generation;
    get(sid, (err, session) => {
      if (!err && session && changes.isLive && started === generation) {
        cache.set(key, { json: JSON.stringify(session), expiresAt: session.cookie?.expires ? new Date(session.cookie.expires).getTime() : Infinity });
      }
      callback(err, session);
    });
  };
  const set = store.set.bind(store);
  store.set = (sid, session, callback) => {
    forget(sid);
    set(sid, session, callback);
  };
  const destroy = store.destroy.bind(store);
  store.destroy = (sid, callback) => {
    forget(sid);
    destroy(sid, callback);
  };
}

/** The cache's key for a session id: the md5 PostgreSQL's notifications carry (never the id itself). */
export function sessionCacheKey(sid: string): string {
  return createHash('md5').update(sid).digest('hex');
}
