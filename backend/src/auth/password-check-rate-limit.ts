import type { RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';

const WINDOW_MS = 15 * 60 * 1000;

/**
 * Wrong passwords on the signed-in account's own routes (password change, account deletion) are
 * limited per account, as failed sign-ins are: a borrowed or stolen session must not become a
 * way to guess the password (and then sign in anywhere). Only a wrong password counts, never a
 * success or a refused new password.
 */
export function createPasswordCheckRateLimit(options: { perAccount: number }): RequestHandler {
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: options.perAccount,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => !wasWrongPassword(res),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Mounted behind requireUser: every caller here has a user.
    keyGenerator: (req) => `user:${req.user?.id ?? ''}`,
    handler: (_req, res) => {
      res.status(429).json({ error: { code: 'too_many_requests', message: 'Too many wrong passwords; try again later' } });
    },
  });
}

/** Marks the answer as a wrong password, for the limit above to count. */
export function noteWrongPassword(res: Response): void {
  res.locals.wrongPassword = true;
}

function wasWrongPassword(res: Response): boolean {
  return res.locals.wrongPassword === true;
}
