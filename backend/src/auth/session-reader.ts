import { parse as parseCookies } from 'cookie';
import { unsign } from 'cookie-signature';
import type { RequestHandler } from 'express';
import type { SessionData } from 'express-session';
import type { AuthService } from './auth-service';
import type { SessionStore } from './session-middleware';

/**
 * The signed-in user of a session cookie, for the Salesforce proxy (the hot path): the same
 * checks as express-session and passport together (the cookie's signature, a live session in the
 * store, a user that still exists), without what a proxied call does not need (a session object
 * to change and save, re-signing the cookie on every answer, passport's per-request set-up).
 *
 * The session's expiry still slides (the store's throttled touch); the cookie's own Max-Age is
 * renewed by the app's other answers (the SPA calls them whenever it loads a page).
 */
export function createSessionReader(deps: { store: SessionStore; auth: AuthService; secret: string; cookieName: string }): RequestHandler {
  return (req, _res, next) => {
    if (req.authMethod === 'api_token') return next();
    const sid = sessionIdOf(req.headers.cookie, deps.cookieName, deps.secret);
    if (!sid) return next(); // no session: requireUser answers 401
    deps.store.get(sid, (err, session) => {
      if (err) return next(err);
      const userId = (session as (SessionData & { passport?: { user?: unknown } }) | null | undefined)?.passport?.user;
      if (!session || typeof userId !== 'string') return next();
      slideExpiry(deps.store, sid, session);
      deps.auth.findById(userId).then((user) => {
        if (user) {
          req.user = user;
          req.authMethod = 'session';
        }
        next();
      }, next);
    });
  };
}

/** The session id of a signed cookie (`s:<id>.<signature>`), or undefined when absent, unsigned or forged. */
function sessionIdOf(header: string | undefined, name: string, secret: string): string | undefined {
  if (!header) return undefined;
  const raw = parseCookies(header)[name];
  if (!raw?.startsWith('s:')) return undefined;
  return unsign(raw.slice(2), secret) || undefined;
}

/**
 * As express-session's rolling cookie does on every answer: the row's expiry moves to now + the
 * lifetime (the store writes it at most every few minutes). `session` is this request's own copy
 * (the store and its cache hand out a fresh one each time), so it is updated in place.
 */
function slideExpiry(store: SessionStore, sid: string, session: SessionData): void {
  const lifetimeMs = session.cookie?.originalMaxAge;
  if (!lifetimeMs) return;
  session.cookie.expires = new Date(Date.now() + lifetimeMs);
  store.touch(sid, session, () => undefined);
}
