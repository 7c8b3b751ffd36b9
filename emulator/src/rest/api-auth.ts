import type { Request, Response } from 'express';
import type { HostKey } from '../seed';
import { sendSalesforceJson } from '../salesforce-json';
import type { EmulatorContext } from '../context';
import type { AccessTokenRecord, Org, OrgUser } from '../state';

export interface ApiCaller {
  token: AccessTokenRecord;
  org: Org;
  user: OrgUser;
}

/** Salesforce's REST error body for an expired, revoked or unknown session. */
export const INVALID_SESSION = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];
export const SESSION_NOT_VALID_FOR_REST = [{ message: 'This session is not valid for use with the REST API', errorCode: 'INVALID_SESSION_ID' }];
export const REQUEST_LIMIT_EXCEEDED = [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }];
export const SERVER_UNAVAILABLE = [{ message: 'Server is unavailable. Please try again later.', errorCode: 'SERVER_UNAVAILABLE' }];

/** The bearer token of an API call: `Authorization: Bearer` or OAuth (or the `oauth_token` parameter jsforce uses for identity). */
export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(header) : null;
  if (match) return match[1];
  const param = req.query.oauth_token;
  return typeof param === 'string' && param ? param : undefined;
}

/** The live access token's caller, or undefined when the token is unknown, expired, revoked, or its user inactive. */
export function resolveCaller(ctx: EmulatorContext, token: string | undefined): ApiCaller | undefined {
  const record = token ? ctx.state.accessTokens.get(token) : undefined;
  if (!record || record.isRevoked || record.expiresAt <= Date.now()) return undefined;
  const family = record.familyId === null ? undefined : ctx.state.families.get(record.familyId);
  if (family?.isRevoked) return undefined;
  const org = ctx.state.findOrg(record.orgId);
  const user = ctx.state.findUser(record.userId);
  if (!org || !user || !user.isActive) return undefined;
  return { token: record, org, user };
}

/**
 * Authenticates a REST call on an instance host and applies the armed faults and delay, the
 * way Salesforce answers them: 401 INVALID_SESSION_ID (expired or blocked), 403
 * REQUEST_LIMIT_EXCEEDED, 503. Answers the error itself and returns undefined when the call
 * must stop.
 *
 * A call with a valid session counts against its org's daily allowance whatever the handler
 * answers next (400, 404, 405, 500 included) and carries `Sforce-Limit-Info`. Once the count has
 * reached the allowance the call answers 403 REQUEST_LIMIT_EXCEEDED with the header and is not
 * counted. A call refused before its session is read (an injected fault) or for its session (401)
 * is not counted: no org is charged for it.
 */
export async function authenticateRestCall(ctx: EmulatorContext, req: Request, res: Response, host: HostKey): Promise<ApiCaller | undefined> {
  await delayFor(ctx, 'api');
  const fault = ctx.state.takeFault('api');
  if (fault) {
    sendFault(res, fault.kind);
    return undefined;
  }
  const caller = resolveCaller(ctx, bearerToken(req));
  // A session belongs to its org's instance; another instance host does not know it.
  if (!caller || !(caller.org.instanceHost === host || caller.org.formerInstanceHosts.includes(host))) {
    sendSalesforceJson(res, 401, INVALID_SESSION);
    return undefined;
  }
  const { org } = caller;
  if (org.apiUsage >= org.apiDailyLimit) {
    setLimitInfo(res, org);
    sendSalesforceJson(res, 403, REQUEST_LIMIT_EXCEEDED);
    return undefined;
  }
  org.apiUsage += 1;
  setLimitInfo(res, org);
  return caller;
}

/** `Sforce-Limit-Info: api-usage=<used>/<daily limit>`, as Salesforce adds to its REST answers. */
function setLimitInfo(res: Response, org: Org): void {
  res.setHeader('Sforce-Limit-Info', `api-usage=${org.apiUsage}/${org.apiDailyLimit}`);
}

export function sendFault(res: Response, kind: 'request_limit' | 'session_blocked' | 'unavailable'): void {
  if (kind === 'request_limit') sendSalesforceJson(res, 403, REQUEST_LIMIT_EXCEEDED);
  else if (kind === 'session_blocked') sendSalesforceJson(res, 401, SESSION_NOT_VALID_FOR_REST);
  else sendSalesforceJson(res, 503, SERVER_UNAVAILABLE);
}

export function delayFor(ctx: EmulatorContext, kind: 'api' | 'token'): Promise<void> {
  const ms = ctx.state.settings.delays[kind];
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
