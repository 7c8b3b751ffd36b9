import { Router } from 'express';
import { z } from 'zod';
import { requireUser, currentUser } from '../auth/current-user';
import { parseResourceId } from '../platform/route-ids';
import { taskNotFound } from '../tasks/task-service';
import { mayUseTask } from '../tokens/scopes';
import { parse } from '../platform/validation';
import type { SalesforceConnector } from './connector';

const TestBody = z.looseObject({ id: z.unknown() });

/**
 * `/sfdc/…`: the fixed OAuth redirect URI (the Connected App registers exactly one) and the
 * original system's `POST /sfdc/test {id}`.
 */
export function createOAuthCallbackRouter({ connector }: { connector: SalesforceConnector }): Router {
  const router = Router();

  router.get('/oauth/callback', async (req, res) => {
    // Always a relative redirect into the SPA: the callback can never send the browser elsewhere.
    res.redirect(302, await connector.completeCallback(req.user, req.query));
  });

  router.post('/test', requireUser, async (req, res) => {
    const { id } = parse(TestBody, req.body ?? {});
    const taskId = parseResourceId(id, 'task_not_found', 'Task not found');
    if (!mayUseTask(req, taskId)) throw taskNotFound(); // a token limited to other Tasks: as if it did not exist
    res.json(await connector.test(currentUser(req).id, taskId));
  });

  return router;
}
