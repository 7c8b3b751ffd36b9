import { EntitySchema } from 'typeorm';

export const SFDC_EVENT_KINDS = ['connected', 'refreshed', 'refresh_failed', 'tested', 'disconnected', 'reconnect_needed'] as const;
export type ConnectionEventKind = (typeof SFDC_EVENT_KINDS)[number];

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
