import type { Request } from 'express';
import { parseResourceId } from '../platform/route-ids';

/** The Task id of a `/api/tasks/:taskId…` route; a malformed id is a 404 like a missing Task. */
export function taskIdOf(req: Request): string {
  return parseResourceId(req.params.taskId, 'task_not_found', 'Task not found');
}
