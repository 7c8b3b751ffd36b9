import type { DataSource, Repository } from 'typeorm';
import type { ChangeFeed } from '../platform/change-feed';
import { ConflictError, NotFoundError } from '../platform/errors';
import { TaskEntity, type Task } from './task-entity';
import { findTaskPage, type PageRequest, type TaskFilter } from './task-list-query';

/** Tasks one account may hold: keeps one user from filling the database (and their list from growing unbounded). */
export const MAX_TASKS_PER_USER = 10_000;

export interface TaskInput {
  name: string;
  description?: string;
}

export class TaskService {
  private readonly tasks: Repository<Task>;

  constructor(private readonly deps: { dataSource: DataSource; changes: ChangeFeed }) {
    this.tasks = deps.dataSource.getRepository(TaskEntity);
  }

  /** One page of the user's Tasks, newest first (see findTaskPage for how a search reads). */
  list(userId: string, filter: TaskFilter, page: PageRequest): Promise<{ tasks: Task[]; nextCursor: string | null }> {
    return findTaskPage(this.deps.dataSource, userId, filter, page);
  }

  /** @throws ConflictError `task_limit_reached` when the user already has MAX_TASKS_PER_USER Tasks. */
  create(userId: string, input: TaskInput): Promise<Task> {
    return this.deps.dataSource.transaction(async (manager) => {
      // Concurrent creates for one user queue on the user row, so the count below cannot be stale.
      // NO KEY UPDATE: the foreign-key checks of other inserts (KEY SHARE) need not wait.
      await manager.query('SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE', [userId]);
      const [{ count }]: [{ count: number }] = await manager.query('SELECT count(*)::int AS count FROM tasks WHERE user_id = $1', [userId]);
      if (count >= MAX_TASKS_PER_USER) {
        throw new ConflictError('task_limit_reached', `You have reached the limit of ${MAX_TASKS_PER_USER} Tasks per account`);
      }
      const tasks = manager.getRepository(TaskEntity);
      return tasks.save(tasks.create({ userId, name: input.name, description: input.description ?? '', sfdc: null }));
    });
  }

  /** @throws NotFoundError `task_not_found` for a missing Task and for another user's alike. */
  async getOwned(userId: string, taskId: string): Promise<Task> {
    const task = await this.tasks.findOneBy({ id: taskId, userId });
    if (!task) throw taskNotFound();
    return task;
  }

  async update(userId: string, taskId: string, changes: Partial<TaskInput>): Promise<Task> {
    // Only the edited columns are written: a concurrent token refresh may be updating `sfdc`.
    const result = await this.tasks.update({ id: taskId, userId }, changes);
    if (!result.affected) throw taskNotFound();
    return this.getOwned(userId, taskId);
  }

  async delete(userId: string, taskId: string): Promise<void> {
    const result = await this.tasks.delete({ id: taskId, userId });
    if (!result.affected) throw taskNotFound();
    this.deps.changes.announce('tasks', taskId); // its cached Salesforce session goes at once
  }
}

export function taskNotFound(): NotFoundError {
  return new NotFoundError('task_not_found', 'Task not found');
}
