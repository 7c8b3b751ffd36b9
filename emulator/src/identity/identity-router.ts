import { Router, type Request, type Response } from 'express';
import { bearerToken, delayFor, resolveCaller, sendFault, type ApiCaller } from '../rest/api-auth';
import type { EmulatorContext } from '../context';
import type { HostKey } from '../seed';
import { identityBody, userInfoBody } from './identity-body';
import { sendSalesforceJson } from '../salesforce-json';

/** The identity URL (`/id/<org>/<user>`) and OpenID Connect userinfo, with Salesforce's 403 text errors. */
export function createIdentityRouter(ctx: EmulatorContext, host: HostKey): Router {
  const router = Router();

  router.get('/id/:orgId/:userId', async (req, res) => {
    res.locals.endpoint = 'identity';
    const caller = await authenticateIdentityCall(ctx, req, res);
    if (!caller) return;
    const org = ctx.state.findOrg(String(req.params.orgId));
    const user = ctx.state.findUser(String(req.params.userId));
    if (!org || !user || user.orgId !== org.id) return sendText(res, 404, 'Bad_Id');
    const servesOrg = host === org.loginHost || host === org.instanceHost || org.formerInstanceHosts.includes(host);
    if (caller.org.id !== org.id || !servesOrg) return sendText(res, 403, 'Wrong_Org');
    // Another user's identity needs an API-capable scope, as on Salesforce.
    if (user.id !== caller.user.id && !/\b(api|full)\b/.test(caller.token.scope)) return sendText(res, 403, 'Bad_OAuth_Token');
    sendSalesforceJson(res, 200, identityBody(ctx, org, user, typeof req.query.version === 'string' ? req.query.version : undefined));
  });

  router.get('/services/oauth2/userinfo', async (req, res) => {
    res.locals.endpoint = 'userinfo';
    const caller = await authenticateIdentityCall(ctx, req, res);
    if (caller) sendSalesforceJson(res, 200, userInfoBody(ctx, caller.org, caller.user));
  });

  return router;
}

/** Identity errors are plain text: 403 `Missing_OAuth_Token` or `Bad_OAuth_Token` (not 401). */
async function authenticateIdentityCall(ctx: EmulatorContext, req: Request, res: Response): Promise<ApiCaller | undefined> {
  await delayFor(ctx, 'api');
  const fault = ctx.state.takeFault('api');
  if (fault) {
    sendFault(res, fault.kind);
    return undefined;
  }
  const token = bearerToken(req);
  if (!token) {
    sendText(res, 403, 'Missing_OAuth_Token');
    return undefined;
  }
  const caller = resolveCaller(ctx, token);
  if (!caller) sendText(res, 403, 'Bad_OAuth_Token');
  return caller;
}

function sendText(res: Response, status: number, body: string): void {
  res.status(status).set('Content-Type', 'text/plain;charset=UTF-8').send(body);
}
