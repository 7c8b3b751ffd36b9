import { EntitySchema } from 'typeorm';

export interface Task {
  id: string;
  userId: string;
  name: string;
  description: string;
  /** The Salesforce connection as stored (tokens encrypted); null until connected. */
  sfdc: Record<string, unknown> | null;
  createdAt: Date;
  updatedAt: Date;
}

export const TaskEntity = new EntitySchema<Task>({
  name: 'Task',
  tableName: 'tasks',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    userId: { type: 'uuid', name: 'user_id' },
    name: { type: 'varchar', length: 200 },
    description: { type: 'text', default: '' },
    sfdc: { type: 'jsonb', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
    updatedAt: { type: 'timestamptz', name: 'updated_at', updateDate: true },
  },
});
