import { z } from 'zod';
import { NextCursor, PageQuery } from './paging';
import { Timestamp } from './text';

/**
 * `health_degraded` / `health_recovered`: a background check failed for a passing reason, or
 * passed again (recorded on the change, not per check); `evicted`: Salesforce revoked this
 * connection because a newer one was approved for the same Salesforce user (it keeps five per
 * user per app).
 */
export const CONNECTION_EVENT_KINDS = [
  'connected',
  'refreshed',
  'refresh_failed',
  'tested',
  'disconnected',
  'reconnect_needed',
  'health_degraded',
  'health_recovered',
  'evicted',
  'api_usage_high',
] as const;
export const ConnectionEventKind = z.enum(CONNECTION_EVENT_KINDS);
export type ConnectionEventKind = z.infer<typeof ConnectionEventKind>;

/** One entry of a connection's history. `detail` says more per kind and never holds a token. */
export const ConnectionEvent = z.strictObject({
  /** Ordered, but not a UUID: the history is a bigint sequence. */
  id: z.string().regex(/^\d+$/),
  at: Timestamp,
  kind: ConnectionEventKind,
  detail: z.record(z.string(), z.unknown()),
});
export type ConnectionEvent = z.infer<typeof ConnectionEvent>;

/** `GET /api/tasks/:id/sfdc/events?limit=&cursor=`. */
export const ConnectionEventListQuery = PageQuery;
export type ConnectionEventListQuery = z.input<typeof ConnectionEventListQuery>;

/** `GET /api/tasks/:id/sfdc/events`: newest first, one page. */
export const ConnectionEventListResponse = z.strictObject({ events: z.array(ConnectionEvent), next_cursor: NextCursor });
export type ConnectionEventListResponse = z.infer<typeof ConnectionEventListResponse>;
