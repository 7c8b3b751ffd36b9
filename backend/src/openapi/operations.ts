import { z } from 'zod';
import {
  ApiTokenListResponse,
  BrowserSessionListResponse,
  ChangePassword,
  AuthorizeResponse,
  AuthorizeSalesforce,
  ConnectJwtBearer,
  ClientConfig,
  ConnectionEventListQuery,
  ConnectionEventListResponse,
  ConnectionTestResult,
  CreateApiToken,
  CreateTask,
  CreatedApiToken,
  CreateWebhook,
  CreateWebhookResponse,
  Credentials,
  DeleteAccount,
  Registration,
  SalesforceConnectionResponse,
  TaskListQuery,
  TaskListResponse,
  TaskResponse,
  UpdateTask,
  UpdateWebhook,
  UserResponse,
  WebhookDelivery,
  WebhookDeliveryListQuery,
  WebhookDeliveryListResponse,
  WebhookListResponse,
  WebhookResponse,
  PAGE_LIMIT_DEFAULT,
  PAGE_LIMIT_MAX,
  type ApiTokenScope,
} from '../contract';

/**
 * Every HTTP route of the app, as the OpenAPI document describes it (openapi-document.ts turns this
 * list into the document). The schemas are the contract's own, the ones the routes validate and
 * answer with; the few defined here are shapes the contract does not name.
 */

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head';

/**
 * Who may call a route:
 * - `public`: anyone, no credentials (the session cookie, if sent, is used where said);
 * - `sign-in`: anyone without credentials; an API token is refused (403 `forbidden_for_api_token`);
 * - `account`: the session cookie only; an API token is refused (403 `forbidden_for_api_token`);
 * - `any-token`: the session cookie, or an API token of any scope;
 * - a scope: the session cookie, or an API token that has this scope (403 `insufficient_scope` otherwise);
 * - `metrics`: the operator's `METRICS_TOKEN` as a bearer token, nothing else.
 */
export type Access = 'public' | 'sign-in' | 'account' | 'any-token' | 'metrics' | ApiTokenScope;

export interface ErrorCase {
  status: number;
  code: string;
  /** When it happens, in a few words. */
  when?: string;
}

export interface ApiOperation {
  method: HttpMethod;
  /** OpenAPI path templating: `/api/tasks/{taskId}`. */
  path: string;
  operationId: string;
  tag: Tag;
  summary: string;
  description?: string;
  access: Access;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** A JSON body (validated with `schema`) with a minimal valid example; or any bytes, passed on (the proxy), with an example of JSON. */
  body?: { schema: z.ZodType; example: unknown; description?: string } | { bytes: true; example: unknown };
  success: {
    /** A status code, or a range (`2XX`) where the status is someone else's (the Salesforce proxy). */
    status: string;
    description: string;
    /** The JSON answer; omitted when there is no body (204, 302) or it is not JSON. */
    schema?: z.ZodType;
    /** Non-JSON answers: their media type and a schema of their own. */
    content?: { type: string; schema: { type: 'string' | 'object'; format?: string; description?: string } };
    headers?: Record<string, string>;
  };
  /** The notable errors of this route; those of every body, credential and Task id are added. */
  errors?: ErrorCase[];
}

export const TAGS = [
  { name: 'Auth', description: 'Accounts and the browser session.' },
  { name: 'API tokens', description: 'Credentials for other services (`Authorization: Bearer tsk_…`). Managed with the session only.' },
  { name: 'Tasks', description: "The caller's Tasks." },
  { name: 'Salesforce connection', description: 'Connecting a Task to a Salesforce org by OAuth, testing the connection, its history, and disconnecting.' },
  { name: 'Salesforce proxy', description: "Calls to Salesforce's REST API through a Task's connection; the app adds the access token (refreshing it when expired), the caller never sees it." },
  { name: 'Webhooks', description: 'Endpoints that receive connection events, signed per Standard Webhooks, and their deliveries.' },
  { name: 'Platform', description: 'Health, metrics, configuration and this reference.' },
] as const;
export type Tag = (typeof TAGS)[number]['name'];

const EXAMPLE_TASK_ID = '3f0c9a52-8d1e-4b7a-9c2f-5e6d7a8b9c0d';
const EXAMPLE_TOKEN_ID = '7b1e2d3c-4a5f-4e6d-8c7b-9a0f1e2d3c4b';
const EXAMPLE_WEBHOOK_ID = 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f';
const EXAMPLE_DELIVERY_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
/** A Salesforce record id, in the examples of the proxy's paths. */
export const EXAMPLE_ACCOUNT_ID = '001000000000001AAA';
const API_VERSION = 'v62.0';

const TaskIdParams = z.strictObject({ taskId: z.uuid().meta({ description: 'The Task id (a UUID; anything else answers 404 like a missing Task).', example: EXAMPLE_TASK_ID }) });
const TokenIdParams = z.strictObject({ tokenId: z.uuid().meta({ description: 'The API token id.', example: EXAMPLE_TOKEN_ID }) });
const WebhookIdParams = z.strictObject({ webhookId: z.uuid().meta({ description: 'The webhook id.', example: EXAMPLE_WEBHOOK_ID }) });
const SessionIdParams = z.strictObject({
  sessionId: z.string().meta({ description: 'A signed-in browser, as `GET /api/auth/sessions` names it (not the session cookie).', example: 'Vq3xN0cJ2bS8eW1kT5yHfA7uLmZr4dPo' }),
});
const DeliveryIdParams = WebhookIdParams.extend({ deliveryId: z.uuid().meta({ description: 'The delivery id.', example: EXAMPLE_DELIVERY_ID }) });

/** `limit` and `cursor` as the docs describe them, on a list's query schema. */
function paged<Q extends z.ZodObject<{ limit: z.ZodType; cursor: z.ZodType }>>(query: Q) {
  return query.extend({
    limit: query.shape.limit.meta({ description: `Rows per page, 1–${PAGE_LIMIT_MAX} (default ${PAGE_LIMIT_DEFAULT}).`, example: PAGE_LIMIT_DEFAULT }),
    cursor: query.shape.cursor.meta({ description: "The previous page's `next_cursor`, to read the page after it. Opaque: pass it back as it came." }),
  });
}
const PAGING_DESCRIPTION = 'One page at a time, by keyset: `next_cursor` (null on the last page) passed back as `cursor` reads the next one; rows added meanwhile never repeat or skip an older row.';
const BAD_PAGE: ErrorCase = { status: 400, code: 'invalid_request', when: `\`limit\` outside 1–${PAGE_LIMIT_MAX} or not a whole number, or a garbled or forged \`cursor\`` };

/** `GET /healthz`. */
export const HealthResponse = z.strictObject({ status: z.literal('ok') });
/** `POST /sfdc/test`: the Task to test (the original system's form of the route). */
export const SalesforceTestRequest = z.strictObject({ id: z.uuid() });
/** `POST /api/webhooks/{webhookId}/test` and `…/retry`: the delivery queued. */
export const WebhookDeliveryResponse = z.strictObject({ delivery: WebhookDelivery });
/** `GET /sfdc/oauth/callback`: what Salesforce sends back to the redirect URI. */
const OAuthCallbackQuery = z.object({
  code: z.string().optional().meta({ description: 'The authorization code, when the user allowed access.' }),
  state: z.string().optional().meta({ description: 'The state the authorize URL carried: binds the answer to the user and Task that asked.' }),
  error: z.string().optional().meta({ description: "Salesforce's error (e.g. `access_denied`), when the user did not allow access." }),
  error_description: z.string().optional().meta({ description: "Salesforce's words for the error." }),
});

const TASK_NOT_FOUND: ErrorCase = { status: 404, code: 'task_not_found', when: "no such Task, or another user's (the same answer)" };
const WEBHOOK_NOT_FOUND: ErrorCase = { status: 404, code: 'webhook_not_found', when: "no such webhook, or another user's" };

/** Salesforce trouble on the proxy, as our own errors (Salesforce's own error answers pass through untouched). */
const PROXY_ERRORS: ErrorCase[] = [
  { status: 400, code: 'invalid_request', when: 'a path that does not start with `services/`, or has dot segments, encoded slashes or dots, backslashes, `;` parameters or an absolute URL' },
  { status: 409, code: 'salesforce_not_connected', when: 'the Task is not connected' },
  { status: 409, code: 'salesforce_reconnect_needed', when: 'Salesforce revoked access: the user must reconnect' },
  { status: 413, code: 'payload_too_large', when: 'a body over 10 MB' },
  { status: 415, code: 'unsupported_media_type', when: 'with the session cookie, a body that is not JSON' },
  { status: 502, code: 'salesforce_api_error', when: 'a 401 that a refresh did not cure, or a redirect from Salesforce (never followed; `HTTP_30x` in the message)' },
  { status: 502, code: 'salesforce_response_too_large', when: "an answer announced over 2 GB (Salesforce's largest file)" },
  { status: 503, code: 'salesforce_unavailable', when: 'connection refused, reset, DNS' },
  { status: 504, code: 'salesforce_timeout', when: '15 s for the whole exchange' },
];

const CONNECTION_TEST_DESCRIPTION =
  'GETs the identity URL through the connection (refreshing the access token if expired), stores the outcome as `last_test` and records a `tested` event. Answers 200 whatever the outcome: Salesforce trouble is `status: false` with a `code` (`salesforce_not_connected`, `salesforce_reconnect_needed`, `salesforce_api_error`, `salesforce_unavailable`, `salesforce_timeout`). `sfdc` is the connection as stored after the test, or null when not connected.';

function proxyOperation(method: HttpMethod, example: string, summary: string, body?: unknown): ApiOperation {
  return {
    method,
    path: '/api/tasks/{taskId}/sfdc/proxy/{path}',
    operationId: `proxy${method[0].toUpperCase()}${method.slice(1)}`,
    tag: 'Salesforce proxy',
    summary,
    description: [
      "Calls `instance_url/services/…` with the query string, the body (byte for byte, up to 10 MB) and an allowlist of headers (`Accept`, `Accept-Language`, `Content-Type`, `If-*`, `Sforce-*`, `X-PrettyPrint`); never the caller's cookies or Authorization.",
      "Answers Salesforce's status, `Content-Type`, `Sforce-Limit-Info`, `ETag`, `Last-Modified`, `Location` and body, with `X-Content-Type-Options: nosniff`, `Content-Security-Policy: sandbox` and `Cache-Control: no-store`. Salesforce's own errors (its JSON error arrays) pass through untouched.",
      'With the session cookie, a body must be JSON (415 `unsupported_media_type` otherwise); an API token may send any type. Methods other than GET, HEAD, POST, PUT, PATCH and DELETE answer 405 `method_not_allowed`.',
    ].join('\n\n'),
    access: 'salesforce:proxy',
    params: TaskIdParams.extend({
      path: z.string().meta({
        description: 'The Salesforce path, starting with `services/`, its slashes sent as they are (not percent-encoded: encoded slashes are refused).',
        example,
      }),
    }),
    ...(body !== undefined ? { body: { bytes: true as const, example: body } } : {}),
    success: {
      status: '2XX',
      description: "Salesforce's answer: its status, headers of the allowlist and body.",
      content: { type: '*/*', schema: { type: 'string', format: 'binary', description: "Salesforce's bytes" } },
      headers: { 'Sforce-Limit-Info': "Salesforce's API usage, e.g. `api-usage=18/15000`" },
    },
    errors: PROXY_ERRORS,
  };
}

export const OPERATIONS: ApiOperation[] = [
  // Auth
  {
    method: 'post',
    path: '/api/auth/register',
    operationId: 'register',
    tag: 'Auth',
    summary: 'Sign up',
    description: 'Creates the account and signs it in (sets the session cookie). Emails are case-insensitive (stored trimmed and lower-cased); the password is 8–256 characters.',
    access: 'sign-in',
    body: { schema: Registration, example: { email: 'ada@example.com', password: 'correct horse battery' } },
    success: {
      status: '201',
      description: 'Signed up and signed in.',
      schema: UserResponse,
      headers: { 'Set-Cookie': 'The session cookie (`sid`; `__Host-sid` in production): HttpOnly, SameSite=Lax.' },
    },
    errors: [
      { status: 409, code: 'email_taken' },
      { status: 429, code: 'too_many_requests', when: 'after 20 sign-up requests per client address in an hour' },
    ],
  },
  {
    method: 'post',
    path: '/api/auth/login',
    operationId: 'login',
    tag: 'Auth',
    summary: 'Sign in',
    access: 'sign-in',
    body: { schema: Credentials, example: { email: 'ada@example.com', password: 'correct horse battery' } },
    success: { status: '200', description: 'Signed in (a new session id: no session fixation).', schema: UserResponse, headers: { 'Set-Cookie': 'The session cookie.' } },
    errors: [
      { status: 401, code: 'invalid_credentials' },
      { status: 429, code: 'too_many_requests', when: 'after 10 failed attempts per account and address (100 per address, 30 per account from any address) in 15 minutes' },
    ],
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    operationId: 'logout',
    tag: 'Auth',
    summary: 'Sign out',
    description: 'Ends the session and clears its cookie; also 204 without a session.',
    access: 'account',
    success: { status: '204', description: 'Signed out.' },
  },
  {
    method: 'get',
    path: '/api/auth/me',
    operationId: 'me',
    tag: 'Auth',
    summary: 'Who the caller is',
    description: "The session's user, or the API token's owner (so a service can see whose token it holds).",
    access: 'any-token',
    success: { status: '200', description: 'The signed-in user.', schema: UserResponse },
  },
  {
    method: 'patch',
    path: '/api/auth/password',
    operationId: 'changePassword',
    tag: 'Auth',
    summary: 'Change the password',
    description:
      'Checks the current password, stores the new one (8–256 characters, as at sign-up) and signs out every other browser of the account at once. This browser stays signed in, on a new session id (a new cookie). API tokens keep working.',
    access: 'account',
    body: { schema: ChangePassword, example: { current_password: 'correct horse battery', new_password: 'a brand new passphrase' } },
    success: { status: '204', description: 'Changed; the other sessions ended.', headers: { 'Set-Cookie': 'The session cookie, with a new session id.' } },
    errors: [
      { status: 400, code: 'wrong_password', when: 'the current password is not correct (nothing changes)' },
      { status: 400, code: 'invalid_request', when: 'a new password under 8 characters' },
      { status: 429, code: 'too_many_requests', when: 'after 10 wrong passwords per account in 15 minutes' },
    ],
  },
  {
    method: 'delete',
    path: '/api/auth/account',
    operationId: 'deleteAccount',
    tag: 'Auth',
    summary: 'Delete the account',
    description:
      "Checks the password, revokes every Salesforce connection of the account's Tasks at Salesforce (best effort: a Salesforce that does not answer does not stop the deletion), then deletes the Tasks, their connection history, API tokens, webhooks and their deliveries, pending authorizations, every session and the account, in one transaction. Afterwards the cookie and the API tokens answer 401.",
    access: 'account',
    body: { schema: DeleteAccount, example: { password: 'correct horse battery' } },
    success: { status: '204', description: 'Deleted; the session cookie is cleared.' },
    errors: [
      { status: 400, code: 'wrong_password', when: 'the password is not correct (nothing changes)' },
      { status: 429, code: 'too_many_requests', when: 'after 10 wrong passwords per account in 15 minutes' },
    ],
  },
  {
    method: 'get',
    path: '/api/auth/sessions',
    operationId: 'listSessions',
    tag: 'Auth',
    summary: "List the account's signed-in browsers",
    description:
      'Each live session: an opaque id (never the session id or cookie), when it signed in, when it was last seen (to within 5 minutes), when it expires, its User-Agent at sign-in, and `current` for the caller. The caller first, then the most recently seen.',
    access: 'account',
    success: { status: '200', description: 'The signed-in browsers.', schema: BrowserSessionListResponse },
  },
  {
    method: 'delete',
    path: '/api/auth/sessions/{sessionId}',
    operationId: 'deleteSession',
    tag: 'Auth',
    summary: 'Sign a browser out',
    description: "Ends that browser's session at once; its next request answers 401. The caller's own id signs the caller out (and clears the cookie), as `POST /api/auth/logout` does.",
    access: 'account',
    params: SessionIdParams,
    success: { status: '204', description: 'Signed out.' },
    errors: [{ status: 404, code: 'session_not_found', when: "no such signed-in browser, or another account's" }],
  },

  // API tokens
  {
    method: 'get',
    path: '/api/tokens',
    operationId: 'listApiTokens',
    tag: 'API tokens',
    summary: "List the user's API tokens",
    access: 'account',
    success: { status: '200', description: 'The tokens, never their secrets.', schema: ApiTokenListResponse },
  },
  {
    method: 'post',
    path: '/api/tokens',
    operationId: 'createApiToken',
    tag: 'API tokens',
    summary: 'Create an API token',
    description:
      'The token (`tsk_…`) is answered this once and stored only as a SHA-256 hash. `scopes` defaults to `tasks:read`, `tasks:write`, `salesforce:test` and `salesforce:proxy`; `task_ids` limits it to those Tasks (others answer 404); after `expires_at` (at most 365 days ahead) it answers 401 `token_expired`.',
    access: 'account',
    body: { schema: CreateApiToken, example: { name: 'Nightly sync service', scopes: ['tasks:read', 'salesforce:proxy'] } },
    success: { status: '201', description: 'The token, shown this once, and its listing.', schema: CreatedApiToken },
    errors: [{ status: 409, code: 'api_token_limit_reached', when: 'at 100 tokens per account' }],
  },
  {
    method: 'delete',
    path: '/api/tokens/{tokenId}',
    operationId: 'deleteApiToken',
    tag: 'API tokens',
    summary: 'Revoke an API token',
    description: "It stops working at once (on other instances within a PostgreSQL notification's round trip).",
    access: 'account',
    params: TokenIdParams,
    success: { status: '204', description: 'Revoked.' },
    errors: [{ status: 404, code: 'api_token_not_found', when: "no such token, or another user's" }],
  },

  // Tasks
  {
    method: 'get',
    path: '/api/tasks',
    operationId: 'listTasks',
    tag: 'Tasks',
    summary: "List the caller's Tasks",
    description: `Newest first, the caller's own only (an API token limited to some Tasks lists only those). ${PAGING_DESCRIPTION}`,
    access: 'tasks:read',
    query: paged(TaskListQuery).extend({
      q: TaskListQuery.shape.q.meta({
        description: 'Only Tasks whose name contains this text, whatever the case; `%` and `_` are plain characters. Up to 200 characters; empty: no search.',
        example: 'sync',
      }),
      health: TaskListQuery.shape.health.meta({
        description: 'Comma-separated: only Tasks whose connection is in one of these states (`healthy`, `degraded`, `reconnect_needed`, `not_connected`). An unknown value is 400.',
        example: 'degraded,reconnect_needed',
      }),
    }),
    success: { status: '200', description: 'A page of Tasks, and where the next one starts.', schema: TaskListResponse },
    errors: [{ status: 400, code: 'invalid_request', when: 'an unknown `health` value, a `q` over 200 characters, a bad `limit` or `cursor`' }],
  },
  {
    method: 'post',
    path: '/api/tasks',
    operationId: 'createTask',
    tag: 'Tasks',
    summary: 'Create a Task',
    description: 'Name 1–200 characters (trimmed), description up to 5000.',
    access: 'tasks:write',
    body: { schema: CreateTask, example: { name: 'Nightly account sync', description: 'Copies new Accounts every night' } },
    success: { status: '201', description: 'The new Task (`sfdc` null until connected).', schema: TaskResponse },
    errors: [{ status: 409, code: 'task_limit_reached', when: 'at 10,000 Tasks per account' }],
  },
  {
    method: 'get',
    path: '/api/tasks/{taskId}',
    operationId: 'getTask',
    tag: 'Tasks',
    summary: 'Read a Task',
    access: 'tasks:read',
    params: TaskIdParams,
    success: { status: '200', description: 'The Task.', schema: TaskResponse },
  },
  {
    method: 'patch',
    path: '/api/tasks/{taskId}',
    operationId: 'updateTask',
    tag: 'Tasks',
    summary: 'Change a Task',
    description: 'Only the fields to change; at least one.',
    access: 'tasks:write',
    params: TaskIdParams,
    body: { schema: UpdateTask, example: { description: 'Copies new and changed Accounts every night' } },
    success: { status: '200', description: 'The Task as changed.', schema: TaskResponse },
  },
  {
    method: 'delete',
    path: '/api/tasks/{taskId}',
    operationId: 'deleteTask',
    tag: 'Tasks',
    summary: 'Delete a Task',
    description: 'Its connection and its history go with it.',
    access: 'tasks:write',
    params: TaskIdParams,
    success: { status: '204', description: 'Deleted.' },
  },

  // Salesforce connection
  {
    method: 'post',
    path: '/api/tasks/{taskId}/sfdc/authorize',
    operationId: 'authorizeSalesforce',
    tag: 'Salesforce connection',
    summary: 'Start connecting a Task to Salesforce',
    description:
      'Answers the Salesforce authorize URL the browser goes to; Salesforce then sends it back to `GET /sfdc/oauth/callback`. `custom` takes a My Domain host such as `acme.my.salesforce.com`, which must match `SFDC_LOGIN_HOSTS`.',
    access: 'tasks:write',
    params: TaskIdParams,
    body: { schema: AuthorizeSalesforce, example: { environment: 'production' } },
    success: { status: '200', description: 'Where to send the browser.', schema: AuthorizeResponse },
    errors: [
      { status: 400, code: 'untrusted_salesforce_host', when: 'a `domain` outside `SFDC_LOGIN_HOSTS`' },
      { status: 429, code: 'too_many_pending_authorizations', when: 'while the user has 20 unfinished, unexpired ones (they expire after 10 minutes)' },
    ],
  },
  {
    method: 'post',
    path: '/api/tasks/{taskId}/sfdc/connect-jwt',
    operationId: 'connectSalesforceIntegrationUser',
    tag: 'Salesforce connection',
    summary: 'Connect a Task as an integration user (JWT bearer)',
    description:
      'Server to server: the app signs an RS256 assertion with the key whose certificate the Connected App holds (`iss` consumer key, `sub` the username, `aud` the login host, 3 minutes) and posts the JWT bearer grant. No refresh token: on expiry a new assertion is minted. Offered when `GET /api/config` says `salesforce.jwt_bearer`. Same login-host rules as authorize.',
    access: 'tasks:write',
    params: TaskIdParams,
    body: { schema: ConnectJwtBearer, example: { environment: 'production', username: 'grace@acme.example' } },
    success: { status: '200', description: 'The connection, `connection_type: jwt_bearer`.', schema: SalesforceConnectionResponse },
    errors: [
      { status: 400, code: 'salesforce_jwt_refused', when: "Salesforce refused the assertion (e.g. the user hasn't been pre-authorized for the app); the message says what an admin can do" },
      { status: 400, code: 'untrusted_salesforce_host', when: 'a `domain` outside `SFDC_LOGIN_HOSTS`' },
      { status: 409, code: 'jwt_bearer_not_configured', when: 'no private key is configured' },
    ],
  },
  {
    method: 'get',
    path: '/api/tasks/{taskId}/sfdc',
    operationId: 'getSalesforceConnection',
    tag: 'Salesforce connection',
    summary: "A Task's connection",
    access: 'tasks:read',
    params: TaskIdParams,
    success: { status: '200', description: 'The connection summary (never a token), or null when not connected.', schema: SalesforceConnectionResponse },
  },
  {
    method: 'post',
    path: '/api/tasks/{taskId}/sfdc/test',
    operationId: 'testSalesforceConnection',
    tag: 'Salesforce connection',
    summary: "Test a Task's connection",
    description: CONNECTION_TEST_DESCRIPTION,
    access: 'salesforce:test',
    params: TaskIdParams,
    success: { status: '200', description: 'The outcome.', schema: ConnectionTestResult },
  },
  {
    method: 'delete',
    path: '/api/tasks/{taskId}/sfdc',
    operationId: 'disconnectSalesforce',
    tag: 'Salesforce connection',
    summary: 'Disconnect a Task',
    description: 'Revokes the refresh token at Salesforce (best effort: an unreachable Salesforce does not keep the Task connected), clears the connection and records `disconnected`.',
    access: 'tasks:write',
    params: TaskIdParams,
    success: { status: '204', description: 'Disconnected.' },
  },
  {
    method: 'get',
    path: '/api/tasks/{taskId}/sfdc/events',
    operationId: 'listConnectionEvents',
    tag: 'Salesforce connection',
    summary: "A Task's connection history",
    description: `Newest first; recorded on changes, not one per background check; \`detail\` never holds a token. ${PAGING_DESCRIPTION}`,
    access: 'tasks:read',
    params: TaskIdParams,
    query: paged(ConnectionEventListQuery),
    success: { status: '200', description: 'A page of events, and where the next one starts.', schema: ConnectionEventListResponse },
    errors: [BAD_PAGE],
  },
  {
    method: 'post',
    path: '/sfdc/test',
    operationId: 'testSalesforceConnectionById',
    tag: 'Salesforce connection',
    summary: "Test a Task's connection (by id in the body)",
    description: `The original system's form of \`POST /api/tasks/{taskId}/sfdc/test\`, with the same answer. ${CONNECTION_TEST_DESCRIPTION}`,
    access: 'salesforce:test',
    body: { schema: SalesforceTestRequest, example: { id: EXAMPLE_TASK_ID } },
    success: { status: '200', description: 'The outcome.', schema: ConnectionTestResult },
    errors: [TASK_NOT_FOUND],
  },
  {
    method: 'get',
    path: '/sfdc/oauth/callback',
    operationId: 'salesforceOAuthCallback',
    tag: 'Salesforce connection',
    summary: 'The OAuth redirect URI',
    description:
      "Where Salesforce sends the browser back (the Connected App's one callback URL): finishes the flow with the browser's session. Always a redirect into the app: `/tasks/{id}?sfdc=connected` (plus `&evicted=<ids>` naming the caller's own Tasks whose connections Salesforce revoked because this one made a sixth for the same Salesforce user, and `&evicted_others=<n>` for other accounts'), or `/tasks/{id}?sfdc=error&code=…` (`access_denied`, `invalid_grant`, `invalid_token_response`, …); an unknown, used, expired or other user's `state` goes to `/tasks?sfdc=error&code=invalid_state` and touches nothing.",
    access: 'public',
    query: OAuthCallbackQuery,
    success: { status: '302', description: 'Back into the app; the outcome is in the Location.', headers: { Location: 'A relative URL in the app, e.g. `/tasks/{id}?sfdc=connected`' } },
  },

  // Salesforce proxy
  proxyOperation('get', `services/data/${API_VERSION}/limits`, 'GET from Salesforce'),
  proxyOperation('head', `services/data/${API_VERSION}/limits`, 'HEAD from Salesforce'),
  proxyOperation('post', `services/data/${API_VERSION}/sobjects/Account`, 'POST to Salesforce', { Name: 'Acme' }),
  proxyOperation('put', 'services/apexrest/accounts', 'PUT to Salesforce', { name: 'Acme' }),
  proxyOperation('patch', `services/data/${API_VERSION}/sobjects/Account/${EXAMPLE_ACCOUNT_ID}`, 'PATCH at Salesforce', { Name: 'Acme Corporation' }),
  proxyOperation('delete', `services/data/${API_VERSION}/sobjects/Account/${EXAMPLE_ACCOUNT_ID}`, 'DELETE at Salesforce'),

  // Webhooks
  {
    method: 'get',
    path: '/api/webhooks',
    operationId: 'listWebhooks',
    tag: 'Webhooks',
    summary: "List the user's webhooks",
    description: "Newest first, the caller's own only.",
    access: 'webhooks:manage',
    success: { status: '200', description: 'The webhooks.', schema: WebhookListResponse },
  },
  {
    method: 'post',
    path: '/api/webhooks',
    operationId: 'createWebhook',
    tag: 'Webhooks',
    summary: 'Create a webhook',
    description: 'The signing secret (`whsec_…`) is answered this once and stored encrypted. The URL must be https to a host resolving to public addresses (or a host of `WEBHOOK_ALLOWED_HOSTS`).',
    access: 'webhooks:manage',
    body: { schema: CreateWebhook, example: { url: 'https://hooks.example.com/salesforce', events: ['connection.reconnect_needed', 'connection.disconnected'], description: 'On-call alerts' } },
    success: { status: '201', description: 'The webhook and its signing secret, shown this once.', schema: CreateWebhookResponse },
    errors: [
      { status: 400, code: 'webhook_url_not_allowed', when: 'not https, or a host that resolves to a private or local address' },
      { status: 409, code: 'webhook_limit_reached', when: 'at 25 per account' },
    ],
  },
  {
    method: 'get',
    path: '/api/webhooks/{webhookId}',
    operationId: 'getWebhook',
    tag: 'Webhooks',
    summary: 'Read a webhook',
    access: 'webhooks:manage',
    params: WebhookIdParams,
    success: { status: '200', description: 'The webhook.', schema: WebhookResponse },
    errors: [WEBHOOK_NOT_FOUND],
  },
  {
    method: 'patch',
    path: '/api/webhooks/{webhookId}',
    operationId: 'updateWebhook',
    tag: 'Webhooks',
    summary: 'Change a webhook',
    description: 'Only the fields to change; at least one.',
    access: 'webhooks:manage',
    params: WebhookIdParams,
    body: { schema: UpdateWebhook, example: { enabled: false } },
    success: { status: '200', description: 'The webhook as changed.', schema: WebhookResponse },
    errors: [WEBHOOK_NOT_FOUND, { status: 400, code: 'webhook_url_not_allowed', when: 'as when creating' }],
  },
  {
    method: 'delete',
    path: '/api/webhooks/{webhookId}',
    operationId: 'deleteWebhook',
    tag: 'Webhooks',
    summary: 'Delete a webhook',
    access: 'webhooks:manage',
    params: WebhookIdParams,
    success: { status: '204', description: 'Deleted.' },
    errors: [WEBHOOK_NOT_FOUND],
  },
  {
    method: 'post',
    path: '/api/webhooks/{webhookId}/test',
    operationId: 'testWebhook',
    tag: 'Webhooks',
    summary: 'Send a test event',
    description: 'Queues a `webhook.test` event to this endpoint.',
    access: 'webhooks:manage',
    params: WebhookIdParams,
    success: { status: '202', description: 'The delivery queued.', schema: WebhookDeliveryResponse },
    errors: [WEBHOOK_NOT_FOUND],
  },
  {
    method: 'get',
    path: '/api/webhooks/{webhookId}/deliveries',
    operationId: 'listWebhookDeliveries',
    tag: 'Webhooks',
    summary: "A webhook's deliveries",
    description: `Newest first, with their attempts and payloads. ${PAGING_DESCRIPTION}`,
    access: 'webhooks:manage',
    params: WebhookIdParams,
    query: paged(WebhookDeliveryListQuery),
    success: { status: '200', description: 'A page of deliveries, and where the next one starts.', schema: WebhookDeliveryListResponse },
    errors: [WEBHOOK_NOT_FOUND, BAD_PAGE],
  },
  {
    method: 'post',
    path: '/api/webhooks/{webhookId}/deliveries/{deliveryId}/retry',
    operationId: 'retryWebhookDelivery',
    tag: 'Webhooks',
    summary: 'Send a delivery again',
    description: 'Sends that event again now, with the same `webhook-id`.',
    access: 'webhooks:manage',
    params: DeliveryIdParams,
    success: { status: '202', description: 'The delivery, queued again.', schema: WebhookDeliveryResponse },
    errors: [WEBHOOK_NOT_FOUND, { status: 404, code: 'webhook_delivery_not_found' }],
  },

  // Platform
  {
    method: 'get',
    path: '/api/config',
    operationId: 'getClientConfig',
    tag: 'Platform',
    summary: "This deployment's settings for the SPA",
    access: 'tasks:read',
    success: { status: '200', description: 'No secrets.', schema: ClientConfig },
  },
  {
    method: 'get',
    path: '/healthz',
    operationId: 'health',
    tag: 'Platform',
    summary: 'Health check',
    description: 'For load balancers and the compose healthcheck: 200 while the database answers.',
    access: 'public',
    success: { status: '200', description: 'Healthy.', schema: HealthResponse },
    errors: [{ status: 503, code: 'database_unavailable' }],
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    tag: 'Platform',
    summary: 'Prometheus metrics',
    description:
      'For Prometheus: HTTP requests by route pattern, proxied Salesforce calls, token refreshes, connections by health, webhook deliveries, job queue depth and Node.js process metrics, in the Prometheus text format. The route exists only when `METRICS_TOKEN` is set. See docs/operations.md.',
    access: 'metrics',
    success: { status: '200', description: 'The metrics, in the Prometheus text exposition format (0.0.4).', content: { type: 'text/plain', schema: { type: 'string' } } },
    errors: [{ status: 404, code: 'route_not_found', when: '`METRICS_TOKEN` is not set: the route does not exist' }],
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'openApiDocument',
    tag: 'Platform',
    summary: 'This OpenAPI document',
    access: 'public',
    success: {
      status: '200',
      description: 'The OpenAPI 3.1 document of the whole HTTP API.',
      content: { type: 'application/json', schema: { type: 'object', description: 'An OpenAPI 3.1 document' } },
    },
  },
  {
    method: 'get',
    path: '/api/docs',
    operationId: 'apiReference',
    tag: 'Platform',
    summary: 'The interactive API reference',
    description: 'A Swagger UI page over `/api/openapi.json`.',
    access: 'public',
    success: { status: '200', description: 'An HTML page.', content: { type: 'text/html', schema: { type: 'string' } } },
  },
];
