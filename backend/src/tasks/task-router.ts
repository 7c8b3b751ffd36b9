import { Router } from 'express';
import { z } from 'zod';
import { currentUser } from '../auth/current-user';
import { parse, Text } from '../platform/validation';
import { toTaskDto } from './task-dto';
import { taskIdOf } from './task-id';
import type { TaskService } from './task-service';

const Name = Text.trim().min(1).max(200);
const Description = Text.max(5000);
const CreateTaskBody = z.strictObject({ name: Name, description: Description.optional() });
const UpdateTaskBody = z
  .strictObject({ name: Name.optional(), description: Description.optional() })
  .refine((body) => body.name !== undefined || body.description !== undefined, 'Give name or description');

export function createTaskRouter({ tasks }: { tasks: TaskService }): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const list = await tasks.list(currentUser(req).id);
    res.json({ tasks: list.map(toTaskDto) });
  });

  router.post('/', async (req, res) => {
    const body = parse(CreateTaskBody, req.body);
    const task = await tasks.create(currentUser(req).id, body);
    res.status(201).json({ task: toTaskDto(task) });
  });

  router.get('/:taskId', async (req, res) => {
    res.json({ task: toTaskDto(await tasks.getOwned(currentUser(req).id, taskIdOf(req))) });
  });

  router.patch('/:taskId', async (req, res) => {
    const taskId = taskIdOf(req); // 404 before 400: do not validate bodies for Tasks the caller cannot see
    const userId = currentUser(req).id;
    await tasks.getOwned(userId, taskId);
    const task = await tasks.update(userId, taskId, parse(UpdateTaskBody, req.body));
    res.json({ task: toTaskDto(task) });
  });

  router.delete('/:taskId', async (req, res) => {
    await tasks.delete(currentUser(req).id, taskIdOf(req));
    res.status(204).end();
  });

  return router;
}
