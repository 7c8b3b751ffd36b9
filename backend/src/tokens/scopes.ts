import type { Request, RequestHandler } from 'express';
import type { ApiTokenScope } from '../contract';
import { AppError } from '../platform/errors';
import { taskNotFound } from '../tasks/task-service';

export class InsufficientScopeError extends AppError {
  readonly status = 403;
  readonly code = 'insufficient_scope';
  constructor(scope: ApiTokenScope) {
    super(`This API token lacks the ${scope} scope`, { details: { required_scope: scope } });
  }
}

const TASK_PATH = /^\/api\/tasks\/([^/]+)(\/|$)/;

/**
 * The scope an API token needs for a request: one table for the whole API, so that every route is
 * covered (the OpenAPI document states the same). Session callers are not scoped; the account's
 * own routes refuse API tokens altogether (see refuseApiTokens).
 */
export function requiredScope(method: string, path: string): ApiTokenScope | undefined {
  if (/^\/api\/tasks\/[^/]+\/sfdc\/proxy(\/|$)/.test(path)) return 'salesforce:proxy';
  if (method === 'POST' && (/^\/api\/tasks\/[^/]+\/sfdc\/test\/?$/.test(path) || /^\/sfdc\/test\/?$/.test(path))) return 'salesforce:test';
  if (/^\/api\/webhooks(\/|$)/.test(path)) return 'webhooks:manage';
  if (/^\/api\/tasks(\/|$)/.test(path)) return method === 'GET' || method === 'HEAD' ? 'tasks:read' : 'tasks:write';
  if (/^\/api\/config\/?$/.test(path)) return 'tasks:read';
  return undefined;
}

/**
 * For API-token callers: 403 `insufficient_scope` (naming the scope) outside the token's scopes,
 * and 404 for a Task outside its `task_ids`, exactly as for a Task that does not exist.
 */
export function enforceTokenGrant(): RequestHandler {
  return (req, _res, next) => {
    const grant = req.apiToken;
    if (req.authMethod !== 'api_token' || !grant) return next();
    const scope = requiredScope(req.method, req.path);
    if (scope && !grant.scopes.includes(scope)) return next(new InsufficientScopeError(scope));
    const taskId = TASK_PATH.exec(req.path)?.[1];
    if (taskId && !mayUseTask(req, safelyDecoded(taskId))) return next(taskNotFound());
    next();
  };
}

/** Whether the request's API token (if any) may touch this Task. */
export function mayUseTask(req: Request, taskId: string): boolean {
  const taskIds = req.apiToken?.taskIds;
  return !taskIds || taskIds.includes(taskId.toLowerCase());
}

function safelyDecoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // not an id anyway: its own route answers 404 or 400
  }
}
