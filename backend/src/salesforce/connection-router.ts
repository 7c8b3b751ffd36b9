import { Router } from 'express';
import { currentUser } from '../auth/current-user';
import {
  AuthorizeSalesforce,
  ConnectionEventListQuery,
  ConnectJwtBearer,
  toSalesforceConnection,
  type AuthorizeResponse,
  type ConnectionEventListResponse,
  type SalesforceConnectionResponse,
} from '../contract';
import { BigintKey, keysetCursor } from '../platform/keyset-cursor';
import { parse } from '../platform/validation';
import { taskIdOf } from '../tasks/task-id';
import type { TaskService } from '../tasks/task-service';
import type { SalesforceConnector } from './connector';
import type { ApiUsageTracker } from './api-usage';
import type { CredentialStore } from './credential-store';

interface Deps {
  apiUsage: ApiUsageTracker;
  tasks: TaskService;
  credentials: CredentialStore;
  connector: SalesforceConnector;
}

/** The history's query, with the cursor decoded (an event's time and bigint id). */
const EventListPage = ConnectionEventListQuery.extend({ cursor: keysetCursor(BigintKey).optional() });

/** `/api/tasks/:taskId/sfdc…`: authorize, the summary, test, disconnect and the history (the proxy has its own router). */
export function createConnectionRouter({ tasks, credentials, connector, apiUsage }: Deps): Router {
  const router = Router();

  router.post('/:taskId/sfdc/authorize', async (req, res) => {
    const taskId = taskIdOf(req);
    const userId = currentUser(req).id;
    await tasks.getOwned(userId, taskId); // 404 before 400: no validation answers for a stranger's Task
    const { environment, domain } = parse(AuthorizeSalesforce, req.body ?? {});
    res.json({ url: await connector.authorize(userId, taskId, environment, domain) } satisfies AuthorizeResponse);
  });

  router.post('/:taskId/sfdc/connect-jwt', async (req, res) => {
    const taskId = taskIdOf(req);
    const userId = currentUser(req).id;
    await tasks.getOwned(userId, taskId); // 404 before 400
    await connector.connectJwt(userId, taskId, parse(ConnectJwtBearer, req.body ?? {}));
    const task = await tasks.getOwned(userId, taskId);
    res.json({ sfdc: toSalesforceConnection(task.sfdc, apiUsage.current(task.id)) } satisfies SalesforceConnectionResponse);
  });

  router.get('/:taskId/sfdc', async (req, res) => {
    const task = await tasks.getOwned(currentUser(req).id, taskIdOf(req));
    res.json({ sfdc: toSalesforceConnection(task.sfdc, apiUsage.current(task.id)) } satisfies SalesforceConnectionResponse);
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
    await tasks.getOwned(currentUser(req).id, taskId); // 404 before 400
    const { limit, cursor } = parse(EventListPage, req.query);
    const page = await credentials.listEvents(taskId, { limit, after: cursor });
    const events = page.events.map((e) => ({ id: e.id, at: e.at.toISOString(), kind: e.kind, detail: e.detail }));
    res.json({ events, next_cursor: page.nextCursor } satisfies ConnectionEventListResponse);
  });

  return router;
}
