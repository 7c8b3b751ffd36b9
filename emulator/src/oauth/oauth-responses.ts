import { createHmac } from 'node:crypto';
import type { Response } from 'express';
import { sendSalesforceJson } from '../salesforce-json';
import type { EmulatorContext } from '../context';
import type { Org, OrgUser } from '../state';

/** Salesforce's token endpoint error: `400 {"error","error_description"}` with no-store caching. */
export function sendOAuthError(res: Response, error: string, description: string, status = 400): void {
  sendOAuthJson(res, { error, error_description: description }, status);
}

export function sendOAuthJson(res: Response, body: unknown, status = 200): void {
  sendSalesforceJson(res, status, body, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
}

/** The identity URL Salesforce puts in `id`: on the org's login host. */
export function identityUrl(ctx: EmulatorContext, org: Org, user: OrgUser): string {
  return `${ctx.origins[org.loginHost]}/id/${org.id}/${user.id}`;
}

/** base64(HMAC-SHA256(client_secret, id + issued_at)), standard base64 with padding, as Salesforce signs token responses. */
export function signTokenResponse(clientSecret: string, id: string, issuedAt: string): string {
  return createHmac('sha256', clientSecret)
    .update(id + issuedAt)
    .digest('base64');
}

/** A token response in Salesforce's field order; `refresh_token` only when one is issued. */
export function tokenResponse(ctx: EmulatorContext, grant: { accessToken: string; refreshToken?: string; scope: string; org: Org; user: OrgUser; issuedAt: number }): Record<string, string> {
  const id = identityUrl(ctx, grant.org, grant.user);
  const issuedAt = String(grant.issuedAt);
  return {
    access_token: grant.accessToken,
    ...(grant.refreshToken ? { refresh_token: grant.refreshToken } : {}),
    signature: signTokenResponse(ctx.state.settings.tamperSignatures ? `${ctx.app.clientSecret}-tampered` : ctx.app.clientSecret, id, issuedAt),
    scope: grant.scope,
    instance_url: ctx.origins[grant.org.instanceHost],
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
}
