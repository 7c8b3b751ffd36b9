import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';

const WINDOW_MS = 15 * 60 * 1000;

function tooManyAttempts(): RequestHandler {
  return (_req, res) => {
    res.status(429).json({ error: { code: 'too_many_requests', message: 'Too many failed sign-in attempts; try again later' } });
  };
}

export interface LoginRateLimitOptions {
  /** Per account and client address: slows guessing one password. */
  perAccount: number;
  /** Per client address: slows spraying many accounts. */
  perIp: number;
  /**
   * Per account whatever the address: the client address is only as trustworthy as the proxies
   * in front (with `trust proxy` a client can name any address in X-Forwarded-For), and a botnet
   * has many. Higher than `perAccount`, so one attacker cannot lock a user out as cheaply.
   */
  perAccountAnyAddress: number;
}

/** Failed sign-ins are limited per window as the options say. Successful sign-ins do not count. */
export function createLoginRateLimit(options: LoginRateLimitOptions): RequestHandler[] {
  const common = { windowMs: WINDOW_MS, skipSuccessfulRequests: true, standardHeaders: 'draft-8' as const, legacyHeaders: false, handler: tooManyAttempts() };
  return [
    rateLimit({ ...common, limit: options.perIp, keyGenerator: (req) => ipKeyGenerator(req.ip ?? '') }),
    rateLimit({
      ...common,
      limit: options.perAccount,
      keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}|${accountKey(req)}`,
    }),
    rateLimit({ ...common, limit: options.perAccountAnyAddress, keyGenerator: accountKey }),
  ];
}

/**
 * The account as sign-in will look it up (trimmed, lower-cased), so padding or case cannot make
 * one account many keys. The body is not validated yet here: anything but a string email counts
 * under "no email".
 */
function accountKey(req: Request): string {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().slice(0, 254).toLowerCase() : '';
}
