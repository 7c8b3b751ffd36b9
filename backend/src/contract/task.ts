import { z } from 'zod';
import { TASK_DESCRIPTION_MAX_LENGTH, TASK_NAME_MAX_LENGTH, TASK_SEARCH_MAX_LENGTH } from './limits';
import { NextCursor, PageQuery } from './paging';
import { SalesforceConnection, TASK_HEALTH_FILTERS } from './salesforce-connection';
import { Text, Timestamp } from './text';

export const Task = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  /** '' when none was given. */
  description: z.string(),
  /** null until the Task is connected to Salesforce. */
  sfdc: SalesforceConnection.nullable(),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Task = z.infer<typeof Task>;

export const TaskResponse = z.strictObject({ task: Task });
export type TaskResponse = z.infer<typeof TaskResponse>;

/**
 * `GET /api/tasks?health=degraded,reconnect_needed&q=sync&limit=50&cursor=…`: `health` keeps only
 * Tasks whose connection is in one of these states; `q` those whose name contains it, whatever
 * the case (`%` and `_` are plain characters); one page at a time.
 */
export const TaskListQuery = PageQuery.extend({
  q: Text.trim().max(TASK_SEARCH_MAX_LENGTH).optional(),
  health: z
    .string()
    .max(200)
    .transform((list) =>
      list
        .split(',')
        .map((value) => value.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(TASK_HEALTH_FILTERS)).min(1))
    .optional(),
});
export type TaskListQuery = z.input<typeof TaskListQuery>;

/** `GET /api/tasks`: newest first, one page. */
export const TaskListResponse = z.strictObject({ tasks: z.array(Task), next_cursor: NextCursor });
export type TaskListResponse = z.infer<typeof TaskListResponse>;

const Name = Text.trim().min(1).max(TASK_NAME_MAX_LENGTH);
const Description = Text.max(TASK_DESCRIPTION_MAX_LENGTH);

/** `POST /api/tasks`. */
export const CreateTask = z.strictObject({ name: Name, description: Description.optional() });
export type CreateTask = z.input<typeof CreateTask>;

/** `PATCH /api/tasks/:id`: only the fields to change. */
export const UpdateTask = z
  .strictObject({ name: Name.optional(), description: Description.optional() })
  .refine((body) => body.name !== undefined || body.description !== undefined, 'Give name or description');
export type UpdateTask = z.input<typeof UpdateTask>;
