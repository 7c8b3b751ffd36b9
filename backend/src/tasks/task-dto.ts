import { toSfdcSummary, type SfdcSummary } from '../salesforce/sfdc-summary';
import type { Task } from './task-entity';

export interface TaskDto {
  id: string;
  name: string;
  description: string;
  sfdc: SfdcSummary | null;
  created_at: string;
  updated_at: string;
}

export function toTaskDto(task: Task): TaskDto {
  return {
    id: task.id,
    name: task.name,
    description: task.description,
    sfdc: toSfdcSummary(task.sfdc),
    created_at: task.createdAt.toISOString(),
    updated_at: task.updatedAt.toISOString(),
  };
}
