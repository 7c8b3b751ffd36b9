import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { EmulatorContext } from '../context';
import { sendOAuthError } from './oauth-responses';

/** client_id/client_secret from the form body, or HTTP Basic (introspect). */
function clientCredentials(req: Request): { clientId?: string; clientSecret?: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const [clientId, ...rest] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    return { clientId, clientSecret: rest.join(':') };
  }
  const body = (req.body ?? {}) as Record<string, unknown>;
  return {
    clientId: typeof body.client_id === 'string' ? body.client_id : undefined,
    clientSecret: typeof body.client_secret === 'string' ? body.client_secret : undefined,
  };
}

/** Checks the Connected App's key and secret; answers Salesforce's error and returns false when wrong. */
export function authenticateClient(ctx: EmulatorContext, req: Request, res: Response): boolean {
  const { clientId, clientSecret } = clientCredentials(req);
  if (clientId !== ctx.app.clientId) {
    sendOAuthError(res, 'invalid_client_id', 'client identifier invalid');
    return false;
  }
  if (!clientSecret || !safeEqual(clientSecret, ctx.app.clientSecret)) {
    sendOAuthError(res, 'invalid_client', 'invalid client credentials');
    return false;
  }
  return true;
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
