import { toSalesforceConnection, type SalesforceConnection } from '../contract/salesforce-connection';
import type { Task } from './task-entity';

export interface TaskDto {
  id: string;
  name: string;
  description: string;
  sfdc: SalesforceConnection | null;
  created_at: string;
  updated_at: string;
}

export function toTaskDto(task: Task): TaskDto {
  return {
    id: task.id,
    name: task.name,
    description: task.description,
    sfdc: toSalesforceConnection(task.sfdc),
    created_at: task.createdAt.toISOString(),
    updated_at: task.updatedAt.toISOString(),
  };
}
