/** Mirror of one entry of GET /api/tasks/:id/sfdc/events. `detail` never holds a token. */
export interface SfdcEvent {
  id: string;
  at: string;
  kind: SfdcEventKind;
  detail: Record<string, unknown>;
}

export type SfdcEventKind =
  'connected' | 'refreshed' | 'refresh_failed' | 'tested' | 'disconnected' | 'reconnect_needed';
