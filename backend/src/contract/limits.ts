// Limits the API enforces and the SPA checks first, to save a round trip. No zod here: the SPA
// imports these values at run time, and a plain module keeps the schemas out of its bundle.

export const EMAIL_MAX_LENGTH = 254;
/** Sign-up only: signing in accepts any password the account may have been given before. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

/** Keyset-paged lists (`?limit=`): rows per page when not asked, and at most. */
export const PAGE_LIMIT_DEFAULT = 50;
export const PAGE_LIMIT_MAX = 200;
/** `GET /api/tasks?q=`: the longest search text (a Task name is at most 200 characters). */
export const TASK_SEARCH_MAX_LENGTH = 200;

export const TASK_NAME_MAX_LENGTH = 200;
export const TASK_DESCRIPTION_MAX_LENGTH = 5000;

export const API_TOKEN_NAME_MAX_LENGTH = 100;

/** The longest DNS name: a My Domain host cannot be longer. */
export const MY_DOMAIN_MAX_LENGTH = 253;

export const WEBHOOK_URL_MAX_LENGTH = 2048;
export const WEBHOOK_DESCRIPTION_MAX_LENGTH = 500;

/** The events a webhook endpoint can subscribe to (`webhook.test` is sent on request only). */
export const WEBHOOK_EVENT_TYPES = [
  'connection.connected',
  'connection.refreshed',
  'connection.degraded',
  'connection.recovered',
  'connection.reconnect_needed',
  'connection.disconnected',
  'connection.api_usage_high',
  'webhook.test',
] as const;

/** What an API token may do; a token created without `scopes` gets the first four. */
export const API_TOKEN_SCOPES = ['tasks:read', 'tasks:write', 'salesforce:test', 'salesforce:proxy', 'webhooks:manage'] as const;
export const DEFAULT_API_TOKEN_SCOPES = ['tasks:read', 'tasks:write', 'salesforce:test', 'salesforce:proxy'] as const;
/** An API token's `expires_at` is at most this far ahead. */
export const API_TOKEN_MAX_LIFETIME_DAYS = 365;
/** Above this share of the org's daily API requests a connection's usage is shown as a warning (and `connection.api_usage_high` fires once). */
export const API_USAGE_WARNING_RATIO = 0.8;
export const API_USAGE_ERROR_RATIO = 0.95;
