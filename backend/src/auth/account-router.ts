import { Router, type Request, type Response } from 'express';
import { ChangePassword, DeleteAccount, type BrowserSessionListResponse } from '../contract';
import { NotFoundError } from '../platform/errors';
import { parse } from '../platform/validation';
import { WrongPasswordError, type AccountService } from './account-service';
import type { BrowserSessions } from './browser-sessions';
import { currentUser, requireUser } from './current-user';
import type { LoginRateLimitOptions } from './login-rate-limit';
import { createPasswordCheckRateLimit, noteWrongPassword } from './password-check-rate-limit';
import { sessionCookieName } from './session-middleware';
import { startSession } from './sign-in-session';

export interface AccountRouterDeps {
  account: AccountService;
  browserSessions: BrowserSessions;
  /** Wrong passwords here are limited per account to `perAccount` (10) per 15 minutes, as failed sign-ins are per account and address. */
  loginRateLimit: LoginRateLimitOptions;
  config: { session: { secureCookie: boolean } };
}

/**
 * `/api/auth/password`, `/api/auth/account` and `/api/auth/sessions`: the signed-in person's own
 * account. Session only: app.ts refuses API tokens on `/api/auth` (but `GET /me`).
 */
export function createAccountRouter({ account, browserSessions, loginRateLimit, config }: AccountRouterDeps): Router {
  const router = Router();
  const passwordCheckLimit = createPasswordCheckRateLimit({ perAccount: loginRateLimit.perAccount });

  /** Checks the password the person typed again; a wrong one counts towards the limit above. */
  async function confirmPassword(req: Request, res: Response, password: string): Promise<void> {
    if (await account.hasPassword(currentUser(req).id, password)) return;
    noteWrongPassword(res);
    throw new WrongPasswordError();
  }

  router.patch('/password', requireUser, passwordCheckLimit, async (req, res) => {
    const body = parse(ChangePassword, req.body);
    await confirmPassword(req, res, body.current_password);
    const user = currentUser(req);
    // This browser moves to a new session id (a copied cookie dies with the old password), then every other session ends.
    await startSession(req, user, { createdAt: req.session.createdAt, userAgent: req.session.userAgent });
    await account.changePassword(user.id, body.new_password, req.sessionID);
    res.status(204).end();
  });

  router.delete('/account', requireUser, passwordCheckLimit, async (req, res) => {
    const { password } = parse(DeleteAccount, req.body);
    await confirmPassword(req, res, password);
    await account.deleteAccount(currentUser(req).id);
    await endThisSession(req, res, config.session.secureCookie);
    res.status(204).end();
  });

  router.get('/sessions', requireUser, async (req, res) => {
    res.json({ sessions: await browserSessions.list(currentUser(req).id, req.sessionID) } satisfies BrowserSessionListResponse);
  });

  router.delete('/sessions/:sessionId', requireUser, async (req, res) => {
    const ended = await browserSessions.end(currentUser(req).id, String(req.params.sessionId));
    if (!ended) throw new NotFoundError('session_not_found', 'No such signed-in browser');
    if (ended === req.sessionID) await endThisSession(req, res, config.session.secureCookie); // signing this browser out is a logout
    res.status(204).end();
  });

  return router;
}

/**
 * Forgets this request's session and clears the cookie. Not `req.logout()`: that saves the session
 * (re-inserting a row just deleted) before regenerating it; destroying it leaves nothing to save.
 */
async function endThisSession(req: Request, res: Response, secureCookie: boolean): Promise<void> {
  await new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
  res.clearCookie(sessionCookieName(secureCookie), { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookie });
}
