import { Router } from 'express';
import { currentUser } from '../auth/current-user';
import { CreateTask, TaskListQuery, UpdateTask, type TaskListResponse, type TaskResponse } from '../contract';
import { parse } from '../platform/validation';
import { toTaskDto } from './task-dto';
import { taskIdOf } from './task-id';
import type { TaskService } from './task-service';

export function createTaskRouter({ tasks }: { tasks: TaskService }): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const { health } = parse(TaskListQuery, req.query);
    const list = await tasks.list(currentUser(req).id, { health });
    res.json({ tasks: list.map(toTaskDto) } satisfies TaskListResponse);
  });

  router.post('/', async (req, res) => {
    const body = parse(CreateTask, req.body);
    const task = await tasks.create(currentUser(req).id, body);
    res.status(201).json({ task: toTaskDto(task) } satisfies TaskResponse);
  });

  router.get('/:taskId', async (req, res) => {
    res.json({ task: toTaskDto(await tasks.getOwned(currentUser(req).id, taskIdOf(req))) } satisfies TaskResponse);
  });

  router.patch('/:taskId', async (req, res) => {
    const taskId = taskIdOf(req); // 404 before 400: do not validate bodies for Tasks the caller cannot see
    const userId = currentUser(req).id;
    await tasks.getOwned(userId, taskId);
    const task = await tasks.update(userId, taskId, parse(UpdateTask, req.body));
    res.json({ task: toTaskDto(task) } satisfies TaskResponse);
  });

  router.delete('/:taskId', async (req, res) => {
    await tasks.delete(currentUser(req).id, taskIdOf(req));
    res.status(204).end();
  });

  return router;
}
