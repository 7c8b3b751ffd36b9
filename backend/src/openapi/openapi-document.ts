import { readFileSync } from 'node:fs';
import path from 'node:path';
import { OpenApiGeneratorV31, zodToOpenAPIRegistry, type ResponseConfig, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import * as contract from '../contract';
import { sessionCookieName } from '../auth/session-middleware';
import { HealthResponse, OPERATIONS, SalesforceTestRequest, TAGS, WebhookDeliveryResponse, type Access, type ApiOperation, type ErrorCase } from './operations';

/** An OpenAPI 3.1 document, as JSON. */
export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/** What the generator takes: schemas, components and routes. */
type OpenAPIDefinitions = ConstructorParameters<typeof OpenApiGeneratorV31>[0][number];

export const SESSION_SCHEME = 'sessionCookie';
export const TOKEN_SCHEME = 'apiToken';
export const METRICS_SCHEME = 'metricsToken';

/**
 * The contract's schemas that appear under `components/schemas` (and are referenced by `$ref`),
 * with the example a person trying the API starts from. Named on the contract's own instances,
 * in the generator's registry: the contract modules stay plain zod (the SPA imports them).
 */
const COMPONENTS: [string, z.ZodType, Record<string, unknown>?][] = [
  // Leaves before the schemas that use them: a component is generated from the first use the
  // generator meets, and a nullable use first would make the component itself nullable.
  ['ApiError', contract.ApiErrorBody, { example: { error: { code: 'invalid_request', message: 'Invalid request: name: Too small', details: { issues: [{ path: 'name', message: 'Too small' }] } } } }],
  ['User', contract.User],
  ['UserResponse', contract.UserResponse],
  ['Registration', contract.Registration],
  ['Credentials', contract.Credentials],
  ['ApiTokenScope', contract.ApiTokenScope],
  ['ApiToken', contract.ApiToken],
  ['ApiTokenListResponse', contract.ApiTokenListResponse],
  ['CreateApiToken', contract.CreateApiToken],
  ['CreatedApiToken', contract.CreatedApiToken],
  ['SalesforceEnvironment', contract.SalesforceEnvironment],
  ['SalesforceIdentity', contract.SalesforceIdentity],
  ['LastConnectionTest', contract.LastConnectionTest],
  ['ConnectionHealth', contract.ConnectionHealth],
  ['ApiUsage', contract.ApiUsage],
  ['SalesforceConnection', contract.SalesforceConnection],
  ['SalesforceConnectionResponse', contract.SalesforceConnectionResponse],
  ['ConnectionTestResult', contract.ConnectionTestResult],
  ['AuthorizeSalesforce', contract.AuthorizeSalesforce],
  ['AuthorizeResponse', contract.AuthorizeResponse],
  ['SalesforceTestRequest', SalesforceTestRequest],
  ['Task', contract.Task],
  ['TaskResponse', contract.TaskResponse],
  ['TaskListResponse', contract.TaskListResponse],
  ['CreateTask', contract.CreateTask],
  ['UpdateTask', contract.UpdateTask],
  ['ConnectionEventKind', contract.ConnectionEventKind],
  ['ConnectionEvent', contract.ConnectionEvent],
  ['ConnectionEventListResponse', contract.ConnectionEventListResponse],
  ['WebhookEventType', contract.WebhookEventType],
  ['Webhook', contract.Webhook],
  ['WebhookResponse', contract.WebhookResponse],
  ['WebhookListResponse', contract.WebhookListResponse],
  ['CreateWebhook', contract.CreateWebhook],
  ['CreateWebhookResponse', contract.CreateWebhookResponse],
  ['UpdateWebhook', contract.UpdateWebhook],
  ['WebhookPayload', contract.WebhookPayload],
  ['WebhookDelivery', contract.WebhookDelivery],
  ['WebhookDeliveryResponse', WebhookDeliveryResponse],
  ['WebhookDeliveryListResponse', contract.WebhookDeliveryListResponse],
  ['ClientConfig', contract.ClientConfig],
  ['HealthResponse', HealthResponse],
];

export interface OpenApiDocumentOptions {
  /** The deployment's session cookie is `__Host-sid` (production) rather than `sid`. */
  secureCookie?: boolean;
}

/**
 * The OpenAPI 3.1 document of the whole HTTP API, from the contract's zod schemas and the list of
 * operations. Needs no database and no running app (`npm run lint:openapi` validates it).
 */
export function buildOpenApiDocument(options: OpenApiDocumentOptions = {}): OpenApiDocument {
  for (const [refId, schema, metadata] of COMPONENTS) zodToOpenAPIRegistry.add(schema, { ...metadata, _internal: { refId } });

  const cookie = sessionCookieName(options.secureCookie ?? false);
  const definitions: OpenAPIDefinitions[] = [
    ...COMPONENTS.map(([, schema]): OpenAPIDefinitions => ({ type: 'schema', schema })),
    {
      type: 'component',
      componentType: 'securitySchemes',
      name: SESSION_SCHEME,
      component: {
        type: 'apiKey',
        in: 'cookie',
        name: cookie,
        description: `The browser session: set by \`POST /api/auth/register\` and \`POST /api/auth/login\` (HttpOnly, SameSite=Lax; in production \`__Host-sid\`, Secure, Path=/, no Domain; here \`${cookie}\`). A state-changing request on it must come from the app's own pages (403 \`cross_site_request\` otherwise) and send JSON bodies.`,
      },
    },
    {
      type: 'component',
      componentType: 'securitySchemes',
      name: TOKEN_SCHEME,
      component: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'tsk_…',
        description: `An API token for other services (\`Authorization: Bearer tsk_…\`, created with \`POST /api/tokens\`). It authenticates as its user, limited to its scopes (${contract.API_TOKEN_SCOPES.map((s) => `\`${s}\``).join(', ')}; each operation names the one it needs in \`x-required-scope\`) and, when it has \`task_ids\`, to those Tasks. It can never manage the account or API tokens (403 \`forbidden_for_api_token\`).`,
      },
    },
    {
      type: 'component',
      componentType: 'securitySchemes',
      name: METRICS_SCHEME,
      component: {
        type: 'http',
        scheme: 'bearer',
        description: "The operator's `METRICS_TOKEN` (`Authorization: Bearer …`), for `GET /metrics` only; neither a session nor an API token opens it.",
      },
    },
    ...OPERATIONS.map((operation): OpenAPIDefinitions => ({ type: 'route', route: toRoute(operation) })),
  ];

  const document = new OpenApiGeneratorV31(definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Tasks ⇄ Salesforce API',
      version: backendVersion(),
      description: [
        'Connect a Task to a Salesforce org by OAuth, test and keep the connection working, and call Salesforce through it. JSON in and out, snake_case fields.',
        "Browsers use the session cookie; other services send `Authorization: Bearer tsk_…` (an API token, with scopes). Every error answers `{error: {code, message, details?}}` (the `ApiError` schema): a stable snake_case `code`, a message for people, `details` only where useful (e.g. the fields that failed validation). A Task that is not the caller's answers 404, exactly like a missing one.",
      ].join('\n\n'),
    },
    tags: TAGS.map((tag) => ({ ...tag })),
  });
  return nullableReferences(document);
}

let cached: { key: string; document: OpenApiDocument } | undefined;

/** The document, built once (per cookie flavour) and kept. */
export function openApiDocument(options: OpenApiDocumentOptions = {}): OpenApiDocument {
  const key = JSON.stringify({ secureCookie: options.secureCookie ?? false });
  if (cached?.key !== key) cached = { key, document: buildOpenApiDocument(options) };
  return cached.document;
}

function toRoute(operation: ApiOperation): RouteConfig {
  const scope = isScope(operation.access) ? operation.access : undefined;
  const errors = errorCases(operation);
  const responses: RouteConfig['responses'] = { [operation.success.status]: successResponse(operation) };
  for (const [status, cases] of groupByStatus(errors)) {
    responses[String(status)] = {
      description: cases.map((c) => `\`${c.code}\`${c.when ? `: ${c.when}` : ''}`).join('; '),
      content: {
        'application/json': {
          schema: contract.ApiErrorBody,
          examples: Object.fromEntries(cases.map((c) => [c.code, { summary: c.code, value: { error: { code: c.code, message: sentence(c.when ?? c.code.replace(/_/g, ' ')) } } }])),
        },
      },
    };
  }
  return {
    method: operation.method,
    path: operation.path,
    operationId: operation.operationId,
    tags: [operation.tag],
    summary: operation.summary,
    description: [operation.description, `**Auth:** ${accessSentence(operation.access)}`, `**Errors:** ${errorSentence(errors)}`].filter(Boolean).join('\n\n'),
    security: security(operation.access),
    ...(scope ? { 'x-required-scope': scope } : {}),
    request: {
      ...(operation.params ? { params: operation.params } : {}),
      ...(operation.query ? { query: operation.query } : {}),
      ...(operation.body && 'bytes' in operation.body
        ? {
            body: {
              required: false,
              description: 'Passed on byte for byte (up to 10 MB), with its Content-Type: JSON for most of Salesforce, any type with an API token.',
              content: { 'application/json': { schema: {}, example: operation.body.example }, '*/*': { schema: { type: 'string', format: 'binary' } } },
            },
          }
        : operation.body
          ? { body: { required: true, description: operation.body.description, content: { 'application/json': { schema: operation.body.schema, example: operation.body.example } } } }
          : {}),
    },
    responses,
  };
}

function successResponse({ success }: ApiOperation): ResponseConfig {
  const headers = success.headers ? Object.fromEntries(Object.entries(success.headers).map(([name, description]) => [name, { description, schema: { type: 'string' as const } }])) : undefined;
  const content = success.schema ? { 'application/json': { schema: success.schema } } : success.content ? { [success.content.type]: { schema: success.content.schema } } : undefined;
  return { description: success.description, ...(headers ? { headers } : {}), ...(content ? { content } : {}) };
}

function isScope(access: Access): access is contract.ApiTokenScope {
  return (contract.API_TOKEN_SCOPES as readonly string[]).includes(access);
}

/** OpenAPI 3.1 lets a non-OAuth scheme list the roles it needs: a token's scope is named there too. */
function security(access: Access): RouteConfig['security'] {
  switch (access) {
    case 'public':
    case 'sign-in':
      return [];
    case 'account':
      return [{ [SESSION_SCHEME]: [] }];
    case 'metrics':
      return [{ [METRICS_SCHEME]: [] }];
    case 'any-token':
      return [{ [SESSION_SCHEME]: [] }, { [TOKEN_SCHEME]: [] }];
    default:
      return [{ [SESSION_SCHEME]: [] }, { [TOKEN_SCHEME]: [access] }];
  }
}

function accessSentence(access: Access): string {
  switch (access) {
    case 'public':
      return 'none needed.';
    case 'sign-in':
      return 'none needed; API tokens are refused (403 `forbidden_for_api_token`).';
    case 'account':
      return 'the session cookie only; API tokens are refused (403 `forbidden_for_api_token`).';
    case 'metrics':
      return 'the metrics token (`Authorization: Bearer <METRICS_TOKEN>`) only.';
    case 'any-token':
      return 'the session cookie, or an API token of any scope.';
    default:
      return `the session cookie, or an API token with the \`${access}\` scope.`;
  }
}

/** The errors every operation of this kind can answer, then its own notable ones. */
function errorCases(operation: ApiOperation): ErrorCase[] {
  const cases: ErrorCase[] = [];
  const { access, method } = operation;
  const jsonBody = operation.body !== undefined && !('bytes' in operation.body);
  if (jsonBody) {
    cases.push({ status: 400, code: 'invalid_request', when: 'a field of the wrong type, missing or unknown (bodies are strict); `details.issues` names them' });
    cases.push({ status: 400, code: 'invalid_json' });
  }
  const needsCaller = access !== 'public' && access !== 'sign-in' && operation.operationId !== 'logout';
  const unauthenticated = access === 'account' ? 'not signed in' : access === 'metrics' ? 'no metrics token, or a wrong one' : 'not signed in, or an invalid or revoked API token';
  if (needsCaller) cases.push({ status: 401, code: 'unauthenticated', when: unauthenticated });
  if (isScope(access) || access === 'any-token') cases.push({ status: 401, code: 'token_expired', when: 'the API token is past its `expires_at`' });
  if (isScope(access)) cases.push({ status: 403, code: 'insufficient_scope', when: `an API token without \`${access}\` (\`details.required_scope\` names it)` });
  if (access === 'account' || access === 'sign-in') cases.push({ status: 403, code: 'forbidden_for_api_token', when: 'an API token' });
  if (access !== 'public' && method !== 'get' && method !== 'head')
    cases.push({ status: 403, code: 'cross_site_request', when: 'with the session cookie, from a foreign Origin or `Sec-Fetch-Site: cross-site`' });
  if (operation.path.includes('{taskId}')) {
    cases.push({ status: 404, code: 'task_not_found', when: "no such Task, another user's, or one outside the API token's `task_ids` (the same answer)" });
  }
  if (jsonBody) {
    cases.push({ status: 413, code: 'payload_too_large', when: 'a body over 1 MB' });
    cases.push({ status: 415, code: 'unsupported_media_type', when: 'a body that is not `application/json`' });
  }
  for (const own of operation.errors ?? []) {
    if (!cases.some((c) => c.status === own.status && c.code === own.code)) cases.push(own);
  }
  return cases.sort((a, b) => a.status - b.status);
}

const sentence = (text: string) => `${text[0].toUpperCase()}${text.slice(1)}`;

function groupByStatus(cases: ErrorCase[]): Map<number, ErrorCase[]> {
  const groups = new Map<number, ErrorCase[]>();
  for (const c of cases) groups.set(c.status, [...(groups.get(c.status) ?? []), c]);
  return groups;
}

function errorSentence(cases: ErrorCase[]): string {
  return cases.length ? cases.map((c) => `${c.status} \`${c.code}\``).join(', ') + '.' : 'none of its own.';
}

/**
 * The generator writes a nullable use of a named schema as `allOf: [{$ref}, {type: [T, 'null']}]`,
 * which no null satisfies (the referenced schema says `type: T`). Rewritten as
 * `anyOf: [{$ref}, {type: 'null'}]`, which says what the contract means.
 */
function nullableReferences<T>(node: T): T {
  if (Array.isArray(node)) return node.map(nullableReferences) as T;
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node).map(([key, value]) => [key, nullableReferences(value)] as const);
  const object: Record<string, unknown> = Object.fromEntries(entries);
  const allOf = object['allOf'];
  if (Array.isArray(allOf) && allOf.length === 2 && isPureReference(allOf[0]) && isNullType(allOf[1])) {
    const { allOf: _allOf, ...rest } = object;
    const { type: _type, ...extra } = allOf[1] as Record<string, unknown>;
    return { ...rest, ...extra, anyOf: [allOf[0], { type: 'null' }] } as T;
  }
  return object as T;
}

const isPureReference = (value: unknown) => typeof value === 'object' && value !== null && Object.keys(value).length === 1 && '$ref' in value;
const isNullType = (value: unknown) => typeof value === 'object' && value !== null && Array.isArray((value as { type?: unknown }).type) && (value as { type: unknown[] }).type.includes('null');

/** The backend's version (src/openapi and dist/openapi both sit two levels under backend/). */
function backendVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
