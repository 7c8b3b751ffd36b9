import { Router } from 'express';
import { z } from 'zod';
import { currentUser } from '../auth/current-user';
import { parse } from '../platform/validation';
import { taskIdOf } from '../tasks/task-id';
import type { TaskService } from '../tasks/task-service';
import type { SalesforceConnector } from './connector';
import type { CredentialStore } from './credential-store';
import { toSalesforceConnection } from '../contract/salesforce-connection';

const AuthorizeBody = z.strictObject({
  environment: z.enum(['production', 'sandbox', 'custom']),
  domain: z.string().trim().min(1).max(253).optional(),
});

interface Deps {
  tasks: TaskService;
  credentials: CredentialStore;
  connector: SalesforceConnector;
}

/** `/api/tasks/:taskId/sfdc…`: authorize, the summary, test, disconnect and the history (the proxy has its own router). */
export function createConnectionRouter({ tasks, credentials, connector }: Deps): Router {
  const router = Router();

  router.post('/:taskId/sfdc/authorize', async (req, res) => {
    const taskId = taskIdOf(req);
    const userId = currentUser(req).id;
    await tasks.getOwned(userId, taskId); // 404 before 400: no validation answers for a stranger's Task
    const { environment, domain } = parse(AuthorizeBody, req.body ?? {});
    res.json({ url: await connector.authorize(userId, taskId, environment, domain) });
  });

  router.get('/:taskId/sfdc', async (req, res) => {
    const task = await tasks.getOwned(currentUser(req).id, taskIdOf(req));
    res.json({ sfdc: toSalesforceConnection(task.sfdc) });
  });

  router.post('/:taskId/sfdc/test', async (req, res) => {
    res.json(await connector.test(currentUser(req).id, taskIdOf(req)));
  });

  router.delete('/:taskId/sfdc', async (req, res) => {
    await connector.disconnect(currentUser(req).id, taskIdOf(req));
    res.status(204).end();
  });

  router.get('/:taskId/sfdc/events', async (req, res) => {
    const taskId = taskIdOf(req);
    await tasks.getOwned(currentUser(req).id, taskId);
    const events = await credentials.listEvents(taskId);
    res.json({ events: events.map((e) => ({ id: e.id, at: e.at.toISOString(), kind: e.kind, detail: e.detail })) });
  });

  return router;
}
