import { Router } from 'express';
import { currentUser } from '../auth/current-user';
import { CreateTask, TaskListQuery, UpdateTask, type ApiUsage, type TaskListResponse, type TaskResponse } from '../contract';
import { keysetCursor, UuidKey } from '../platform/keyset-cursor';
import { parse } from '../platform/validation';
import { toTaskDto } from './task-dto';
import { taskIdOf } from './task-id';
import type { TaskService } from './task-service';

/** The Salesforce API usage an instance saw last, newer than what is stored (see salesforce/api-usage.ts). */
interface LiveApiUsage {
  current(taskId: string): ApiUsage | undefined;
}

/** The query as the contract has it, with the cursor decoded (a Task's created_at and id). */
const TaskListPage = TaskListQuery.extend({ cursor: keysetCursor(UuidKey).optional() });

export function createTaskRouter({ tasks, apiUsage }: { tasks: TaskService; apiUsage?: LiveApiUsage }): Router {
  const dto = (task: Parameters<typeof toTaskDto>[0]) => toTaskDto(task, apiUsage?.current(task.id));
  const router = Router();

  router.get('/', async (req, res) => {
    const { health, q, limit, cursor } = parse(TaskListPage, req.query);
    // A token limited to some Tasks lists only those.
    const page = await tasks.list(currentUser(req).id, { health, q: q || undefined, ids: req.apiToken?.taskIds ?? undefined }, { limit, after: cursor });
    res.json({ tasks: page.tasks.map((task) => dto(task)), next_cursor: page.nextCursor } satisfies TaskListResponse);
  });

  router.post('/', async (req, res) => {
    const body = parse(CreateTask, req.body);
    const task = await tasks.create(currentUser(req).id, body);
    res.status(201).json({ task: dto(task) } satisfies TaskResponse);
  });

  router.get('/:taskId', async (req, res) => {
    res.json({ task: dto(await tasks.getOwned(currentUser(req).id, taskIdOf(req))) } satisfies TaskResponse);
  });

  router.patch('/:taskId', async (req, res) => {
    const taskId = taskIdOf(req); // 404 before 400: do not validate bodies for Tasks the caller cannot see
    const userId = currentUser(req).id;
    await tasks.getOwned(userId, taskId);
    const task = await tasks.update(userId, taskId, parse(UpdateTask, req.body));
    res.json({ task: dto(task) } satisfies TaskResponse);
  });

  router.delete('/:taskId', async (req, res) => {
    await tasks.delete(currentUser(req).id, taskIdOf(req));
    res.status(204).end();
  });

  return router;
}
