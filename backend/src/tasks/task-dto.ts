import * as contract from '../contract';
import type { Task } from './task-entity';

/** `liveApiUsage`: the serving instance's newest Salesforce API usage for this Task, not written yet. */
export function toTaskDto(task: Task, liveApiUsage?: contract.ApiUsage): contract.Task {
  return {
    id: task.id,
    name: task.name,
    description: task.description,
    sfdc: contract.toSalesforceConnection(task.sfdc, liveApiUsage),
    created_at: task.createdAt.toISOString(),
    updated_at: task.updatedAt.toISOString(),
  };
}
