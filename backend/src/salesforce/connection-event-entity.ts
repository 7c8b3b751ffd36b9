import { EntitySchema } from 'typeorm';
import type { ConnectionEventKind } from '../contract';

/** One entry of a connection's history. `detail` never holds a token. */
export interface ConnectionEvent {
  id: string;
  taskId: string;
  at: Date;
  kind: ConnectionEventKind;
  detail: Record<string, unknown>;
}

export const ConnectionEventEntity = new EntitySchema<ConnectionEvent>({
  name: 'ConnectionEvent',
  tableName: 'sfdc_events',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment' },
    taskId: { type: 'uuid', name: 'task_id' },
    at: { type: 'timestamptz', createDate: true },
    kind: { type: 'varchar', length: 32 },
    detail: { type: 'jsonb', default: {} },
  },
});
