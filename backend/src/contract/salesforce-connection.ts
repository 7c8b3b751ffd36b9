import { z } from 'zod';
import { MY_DOMAIN_MAX_LENGTH } from './limits';
import { Timestamp } from './text';

export const SALESFORCE_ENVIRONMENTS = ['production', 'sandbox', 'custom'] as const;
/** Where a Task signs in: the production or sandbox login host, or the org's My Domain (`custom`). */
export const SalesforceEnvironment = z.enum(SALESFORCE_ENVIRONMENTS);
export type SalesforceEnvironment = z.infer<typeof SalesforceEnvironment>;

/** `reconnect_needed`: Salesforce refused the refresh token, and only the user signing in again helps. */
export const SalesforceConnectionStatus = z.enum(['connected', 'reconnect_needed']);
export type SalesforceConnectionStatus = z.infer<typeof SalesforceConnectionStatus>;

/** The Salesforce user a connection acts as. */
export const SalesforceIdentity = z.strictObject({
  username: z.string(),
  display_name: z.string(),
  organization_id: z.string(),
  user_id: z.string(),
});
export type SalesforceIdentity = z.infer<typeof SalesforceIdentity>;

/** The outcome of the latest connection test, kept with the connection. */
export const LastConnectionTest = z.strictObject({
  status: z.boolean(),
  message: z.string(),
  /** The error code when `status` is false (e.g. `salesforce_reconnect_needed`). */
  code: z.string().nullable(),
  /** The test had to refresh the access token first. */
  refreshed: z.boolean(),
  at: Timestamp,
});
export type LastConnectionTest = z.infer<typeof LastConnectionTest>;

export const CONNECTION_HEALTH_STATES = ['healthy', 'degraded', 'reconnect_needed'] as const;
/**
 * `healthy`: the last check passed; `degraded`: it failed for a passing reason (Salesforce
 * unreachable, 5xx, the API limit) and is checked again sooner; `reconnect_needed`: Salesforce
 * refused the connection for good, and only the user signing in again helps.
 */
export const ConnectionHealthState = z.enum(CONNECTION_HEALTH_STATES);
export type ConnectionHealthState = z.infer<typeof ConnectionHealthState>;

/** What the background checks know of a connection. */
export const ConnectionHealth = z.strictObject({
  state: ConnectionHealthState,
  /** Why it is not healthy, in words a person understands; null while healthy. */
  reason: z.string().nullable(),
  /** The last background check; null before the first. */
  checked_at: Timestamp.nullable(),
  /** When the next background check is due; null when none is (checks off, or reconnect needed). */
  next_check_at: Timestamp.nullable(),
  /** Failed checks in a row. */
  failures: z.number().int().min(0),
});
export type ConnectionHealth = z.infer<typeof ConnectionHealth>;

export const ApiUsage = z.strictObject({ used: z.number().int().min(0), limit: z.number().int().min(0), at: Timestamp });
export type ApiUsage = z.infer<typeof ApiUsage>;

/** `GET /api/tasks?health=…` takes these, comma-separated: the health states, or `not_connected`. */
export const TASK_HEALTH_FILTERS = [...CONNECTION_HEALTH_STATES, 'not_connected'] as const;
export type TaskHealthFilter = (typeof TASK_HEALTH_FILTERS)[number];

/**
 * What the API shows of a Task's Salesforce connection: who it acts as and its health, never a
 * token. The fields the connection is stored with can be null: the column is JSON the database
 * does not check, so the mapper below promises only what it finds.
 */
export const SalesforceConnection = z.strictObject({
  status: SalesforceConnectionStatus,
  /** `web_server`: a person signed in (OAuth web server flow); `jwt_bearer`: an integration user, by the app's certificate (no refresh token). */
  connection_type: z.enum(['web_server', 'jwt_bearer']),
  /** Why a reconnect is needed; null while connected. */
  status_reason: z.string().nullable(),
  environment: SalesforceEnvironment.nullable(),
  instance_url: z.string().nullable(),
  identity: SalesforceIdentity.nullable(),
  connected_at: Timestamp.nullable(),
  refreshed_at: Timestamp.nullable(),
  last_test: LastConnectionTest.nullable(),
  health: ConnectionHealth,
  /** The org's API requests today, from Salesforce's own `Sforce-Limit-Info` (written at most once a minute); null until known. */
  api_usage: ApiUsage.nullable(),
});
export type SalesforceConnection = z.infer<typeof SalesforceConnection>;

/** `GET /api/tasks/:id/sfdc`. */
export const SalesforceConnectionResponse = z.strictObject({ sfdc: SalesforceConnection.nullable() });
export type SalesforceConnectionResponse = z.infer<typeof SalesforceConnectionResponse>;

/** `POST /api/tasks/:id/sfdc/test` and `POST /sfdc/test`: 200 whatever the outcome; `status` says which. */
export const ConnectionTestResult = LastConnectionTest.extend({
  /** Who the connection acts as, when Salesforce answered. */
  identity: SalesforceIdentity.optional(),
  tested_at: Timestamp,
  /** The connection after the test, `last_test` and any refresh or reconnect-needed mark included. */
  sfdc: SalesforceConnection.nullable(),
});
export type ConnectionTestResult = z.infer<typeof ConnectionTestResult>;

/** `POST /api/tasks/:id/sfdc/authorize`: which login host; the browser never sends a login URL. */
export const AuthorizeSalesforce = z.strictObject({
  environment: SalesforceEnvironment,
  /** The My Domain host, with environment `custom`. */
  domain: z.string().trim().min(1).max(MY_DOMAIN_MAX_LENGTH).optional(),
});
export type AuthorizeSalesforce = z.input<typeof AuthorizeSalesforce>;

/** `POST /api/tasks/:id/sfdc/connect-jwt`: connect as an integration user (OAuth 2.0 JWT bearer flow). */
export const ConnectJwtBearer = z.strictObject({
  environment: SalesforceEnvironment,
  domain: z.string().trim().min(1).max(MY_DOMAIN_MAX_LENGTH).optional(),
  /** The integration user's Salesforce username, pre-authorized for the app. */
  username: z.string().trim().min(1).max(254),
});
export type ConnectJwtBearer = z.input<typeof ConnectJwtBearer>;

/** The Salesforce authorize URL to send the browser to. */
export const AuthorizeResponse = z.strictObject({ url: z.url() });
export type AuthorizeResponse = z.infer<typeof AuthorizeResponse>;

type Stored = Record<string, unknown>;

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const record = (value: unknown): Stored | null => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Stored) : null);
const oneOf = <T extends string>(options: readonly T[], value: unknown): T | null => (options.includes(value as T) ? (value as T) : null);

/**
 * Picks the summary out of the stored `tasks.sfdc` (an allowlist: tokens cannot slip through).
 * Bracket access throughout: the SPA type-checks this file with noPropertyAccessFromIndexSignature.
 */
/** `liveApiUsage`: a newer usage than the stored one (the serving instance's latest, not written yet). */
export function toSalesforceConnection(sfdc: Stored | null | undefined, liveApiUsage?: ApiUsage): SalesforceConnection | null {
  if (!sfdc) return null;
  const identity = record(sfdc['identity']);
  return {
    status: sfdc['status'] === 'reconnect_needed' ? 'reconnect_needed' : 'connected',
    connection_type: sfdc['connection_type'] === 'jwt_bearer' ? 'jwt_bearer' : 'web_server',
    status_reason: text(sfdc['status_reason']),
    environment: oneOf(SALESFORCE_ENVIRONMENTS, sfdc['environment']),
    instance_url: text(sfdc['instance_url']),
    identity: identity
      ? {
          username: text(identity['username']) ?? '',
          display_name: text(identity['display_name']) ?? '',
          organization_id: text(identity['organization_id']) ?? '',
          user_id: text(identity['user_id']) ?? '',
        }
      : null,
    connected_at: text(sfdc['connected_at']),
    refreshed_at: text(sfdc['refreshed_at']),
    last_test: toLastConnectionTest(sfdc['last_test']),
    health: toConnectionHealth(sfdc),
    api_usage: newest(toApiUsage(sfdc['api_usage']), liveApiUsage),
  };
}

function newest(stored: ApiUsage | null, live: ApiUsage | undefined): ApiUsage | null {
  return live && (!stored || live.at >= stored.at) ? live : stored;
}

function toApiUsage(value: unknown): ApiUsage | null {
  const stored = record(value);
  if (!stored || typeof stored['used'] !== 'number' || typeof stored['limit'] !== 'number' || typeof stored['at'] !== 'string') return null;
  return { used: stored['used'], limit: stored['limit'], at: stored['at'] };
}

/** Connections stored before health checks existed have none yet: their status stands in for it. */
function toConnectionHealth(sfdc: Stored): ConnectionHealth {
  const stored = record(sfdc['health']);
  const reconnectNeeded = sfdc['status'] === 'reconnect_needed';
  const state = reconnectNeeded ? 'reconnect_needed' : (oneOf(CONNECTION_HEALTH_STATES, stored?.['state']) ?? 'healthy');
  return {
    state,
    reason: text(stored?.['reason']) ?? (reconnectNeeded ? text(sfdc['status_reason']) : null),
    checked_at: text(stored?.['checked_at']),
    next_check_at: reconnectNeeded ? null : text(stored?.['next_check_at']),
    failures: typeof stored?.['failures'] === 'number' ? stored['failures'] : 0,
  };
}

function toLastConnectionTest(value: unknown): LastConnectionTest | null {
  const stored = record(value);
  if (!stored || typeof stored['status'] !== 'boolean' || typeof stored['at'] !== 'string') return null;
  return {
    status: stored['status'],
    message: text(stored['message']) ?? '',
    code: text(stored['code']),
    refreshed: stored['refreshed'] === true,
    at: stored['at'],
  };
}
