import type { Request } from 'express';

declare module 'express-session' {
  interface SessionData {
    /** When this browser signed in (ISO 8601), for the list of signed-in browsers. */
    createdAt: string;
    /** The browser's User-Agent at sign-in, shortened, so a person can tell their browsers apart. */
    userAgent: string;
  }
}

const USER_AGENT_MAX_LENGTH = 300;

/**
 * Signs `user` in on a new session id: `req.login` regenerates the session (passport 0.6+), which
 * defeats session fixation. The session notes when and from which browser, or keeps what
 * `carried` says (a password change moves the same browser to a new id).
 */
export async function startSession(req: Request, user: Express.User, carried?: { createdAt?: string; userAgent?: string }): Promise<void> {
  await new Promise<void>((resolve, reject) => req.login(user, (err) => (err ? reject(err) : resolve())));
  req.session.createdAt = carried?.createdAt ?? new Date().toISOString();
  const userAgent = carried ? carried.userAgent : req.get('user-agent')?.slice(0, USER_AGENT_MAX_LENGTH);
  if (userAgent) req.session.userAgent = userAgent;
}
