import type { DataSource, Repository } from 'typeorm';
import type { ChangeFeed } from '../platform/change-feed';
import { NotFoundError } from '../platform/errors';
import { TaskEntity, type Task } from './task-entity';

export interface TaskInput {
  name: string;
  description?: string;
}

export class TaskService {
  private readonly tasks: Repository<Task>;

  constructor(private readonly deps: { dataSource: DataSource; changes: ChangeFeed }) {
    this.tasks = deps.dataSource.getRepository(TaskEntity);
  }

  list(userId: string): Promise<Task[]> {
    return this.tasks.find({ where: { userId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  create(userId: string, input: TaskInput): Promise<Task> {
    return this.tasks.save(this.tasks.create({ userId, name: input.name, description: input.description ?? '', sfdc: null }));
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
