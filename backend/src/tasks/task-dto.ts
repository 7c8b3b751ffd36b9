import * as contract from '../contract';
import type { Task } from './task-entity';

export function toTaskDto(task: Task): contract.Task {
  return {
    id: task.id,
    name: task.name,
    description: task.description,
    sfdc: contract.toSalesforceConnection(task.sfdc),
    created_at: task.createdAt.toISOString(),
    updated_at: task.updatedAt.toISOString(),
  };
}
