import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';

const WINDOW_MS = 15 * 60 * 1000;

function tooManyAttempts(): RequestHandler {
  return (_req, res) => {
    res.status(429).json({ error: { code: 'too_many_requests', message: 'Too many failed sign-in attempts; try again later' } });
  };
}

/**
 * Failed sign-ins are limited per account and IP (slows guessing one password) and per IP
 * (slows spraying many accounts). Successful sign-ins do not count.
 */
export function createLoginRateLimit(options: { perAccount: number; perIp: number }): RequestHandler[] {
  const common = { windowMs: WINDOW_MS, skipSuccessfulRequests: true, standardHeaders: 'draft-8' as const, legacyHeaders: false, handler: tooManyAttempts() };
  return [
    rateLimit({ ...common, limit: options.perIp, keyGenerator: (req) => ipKeyGenerator(req.ip ?? '') }),
    rateLimit({
      ...common,
      limit: options.perAccount,
      // The body is not validated yet here: anything but a string email counts under "no email".
      keyGenerator: (req) => {
        const email = (req.body as { email?: unknown } | undefined)?.email;
        return `${ipKeyGenerator(req.ip ?? '')}|${typeof email === 'string' ? email.slice(0, 254).toLowerCase() : ''}`;
      },
    }),
  ];
}
