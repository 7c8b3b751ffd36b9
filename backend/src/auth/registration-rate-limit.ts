import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';

const WINDOW_MS = 60 * 60 * 1000;

export interface RegistrationRateLimitOptions {
  /** Sign-up requests allowed per client address and hour. */
  perHour: number;
}

/**
 * Every sign-up runs argon2id (19 MiB and tens of milliseconds of CPU, even for a taken email),
 * so an unthrottled caller could pin the CPU and fill the users table. Every request counts, not
 * only successful ones: a refused one costs the same hash. The default leaves room for a team
 * signing up together from one office address.
 */
export function createRegistrationRateLimit(options: RegistrationRateLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: options.perHour,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    handler: (_req, res) => {
      res.status(429).json({ error: { code: 'too_many_requests', message: 'Too many sign-ups from this address; try again later' } });
    },
  });
}
