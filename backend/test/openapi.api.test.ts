import { randomUUID } from 'node:crypto';
import { validate, compileErrors } from '@readme/openapi-parser';
import { Ajv2020 } from 'ajv/dist/2020';
import type express from 'express';
import { consent } from 'salesforce-emulator/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../src/app';
import { API_TOKEN_SCOPES } from '../src/contract';
import { buildOpenApiDocument, METRICS_SCHEME, SESSION_SCHEME, TOKEN_SCHEME, type OpenApiDocument } from '../src/openapi/openapi-document';
import { EXAMPLE_ACCOUNT_ID } from '../src/openapi/operations';
import { connectedTask, useTestEmulator } from './helpers/salesforce-kit';
import type { TestClient, TestResponse } from './helpers/test-client';
import { WebhookReceiver } from './helpers/webhook-receiver';

/** The methods OpenAPI can describe, in its path item's order. */
const OPENAPI_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
/**
 * What an `all` route serves: the Salesforce proxy's methods (it answers 405 `method_not_allowed`
 * to the rest, which the last test below checks).
 */
const ALL_ROUTE_METHODS = ['get', 'put', 'post', 'delete', 'head', 'patch'];

type Operation = NonNullable<NonNullable<OpenApiDocument['paths']>[string]['get']>;
interface DocumentedOperation {
  method: string;
  path: string;
  operation: Operation;
}

/** Built at collection time (no database needed) to name one test per operation; the served one is checked to be the same. */
const built = buildOpenApiDocument();
const documented: DocumentedOperation[] = Object.entries(built.paths ?? {}).flatMap(([path, item]) =>
  OPENAPI_METHODS.flatMap((method) => (item[method] ? [{ method, path, operation: item[method] as Operation }] : [])),
);

/** Set, so that `GET /metrics` is mounted (it exists only with a token) and documented like the rest. */
const METRICS_TOKEN = `openapi-metrics-${randomUUID()}`;

describe('the OpenAPI document', () => {
  const env = useTestEmulator({ app: { env: { METRICS_TOKEN } } });
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(() => receiver.stop());

  test('when /api/openapi.json is asked for twice, without credentials, then both answers are the document built from the contract', async () => {
    const first = await env.app.client().get('/api/openapi.json');
    const second = await env.app.client().get('/api/openapi.json', { headers: { authorization: 'Bearer tsk_not_a_token' } });

    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^application\/json/);
    expect(first.json).toEqual(JSON.parse(JSON.stringify(built)));
    expect(second.status).toBe(200); // public: an Authorization header is not even looked at
    expect(second.text).toBe(first.text);
  });

  test('when the served document is validated, then it is valid OpenAPI 3.1', async () => {
    const document = (await env.app.client().get('/api/openapi.json')).json;

    const result = await validate(document);

    expect(document.openapi).toBe('3.1.0');
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  test("when the app's router stack is walked, then its routes are exactly the documented operations, both ways", () => {
    const mounted = mountedRoutes(createApp(env.app.deps)); // the same composition startTestApp serves
    const inDocument = documented.map(({ method, path }) => `${method.toUpperCase()} ${path}`);

    expect(mounted.length).toBeGreaterThan(30);
    expect(
      mounted.filter((route) => !inDocument.includes(route)),
      'mounted but not documented',
    ).toEqual([]);
    expect(
      inDocument.filter((route) => !mounted.includes(route)),
      'documented but not mounted',
    ).toEqual([]);
  });

  test('when the document names a scheme or a scope, then it is one the API has, and every scoped operation says so in x-required-scope', () => {
    for (const { method, path, operation } of documented) {
      const where = `${method} ${path}`;
      for (const requirement of operation.security ?? []) {
        for (const [scheme, scopes] of Object.entries(requirement)) {
          expect([SESSION_SCHEME, TOKEN_SCHEME, METRICS_SCHEME], where).toContain(scheme);
          expect(scopes.length <= 1 && scopes.every((s) => (API_TOKEN_SCOPES as readonly string[]).includes(s)), where).toBe(true);
          if (scopes.length) expect(operation['x-required-scope'], where).toBe(scopes[0]);
        }
      }
      if (operation['x-required-scope']) expect(operation.description, where).toContain(`\`${operation['x-required-scope']}\``);
    }
  });

  test('when /api/docs is loaded, then it is a page with no inline script, and each of its scripts and styles is served from this origin', async () => {
    const client = env.app.client();

    const page = await client.get('/api/docs');
    const assets = [...page.text.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\bhref)="([^"]+)"/g)].map((m) => m[1]);
    const answers = await Promise.all(assets.map(async (asset) => ({ asset, res: await client.get(asset) })));

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect([...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].every(([, attributes, body]) => /\bsrc=/.test(attributes) && body.trim() === '')).toBe(true);
    expect(assets).toEqual(expect.arrayContaining(['/api/docs/swagger-ui-bundle.js', '/api/docs/swagger-initializer.js', '/api/docs/swagger-ui.css']));
    for (const { asset, res } of answers) {
      expect(res.status, asset).toBe(200);
      expect(res.headers.get('content-type'), asset).toMatch(asset.endsWith('.js') ? /^(text|application)\/javascript/ : asset.endsWith('.css') ? /^text\/css/ : /^image\/png/);
    }
    expect(answers.find((a) => a.asset.endsWith('swagger-initializer.js'))?.res.text).toContain("url: '/api/openapi.json'");
    expect((await client.get('/api/docs/index.html')).status).toBe(404); // only the files the page uses
  });

  /** Validates answers against the document's own schemas (JSON Schema 2020-12, as OpenAPI 3.1 says). */
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  const validators = new Map<string, ReturnType<typeof ajv.compile>>();
  function expectFitsDocument(operation: Operation, status: string, res: TestResponse): void {
    const schema = (operation.responses?.[status]?.content?.['application/json'] as { schema?: object } | undefined)?.schema;
    if (!schema) return;
    const key = JSON.stringify(schema);
    if (!validators.has(key)) validators.set(key, ajv.compile({ ...schema, components: built.components }));
    const check = validators.get(key)!;
    expect(check(res.json), JSON.stringify(check.errors)).toBe(true);
  }

  test.each(documented)('when $method $path is called as its documentation says, then it answers its documented success status and schema', async ({ method, path, operation }) => {
    // Arrange: the caller the operation's security names, and the ids and values only a running app has.
    const world = await worldFor(path, method, operation);
    const client = await callerFor(operation, world);
    const url = fill(path, operation, world);
    const body = requestBody(operation, world);

    // Act
    const res = await client.request(method.toUpperCase(), url, body === undefined ? {} : { json: body });

    // Assert
    const success = Object.keys(operation.responses ?? {}).find((status) => /^[23]/.test(status))!;
    if (method === 'put') {
      // Salesforce's REST API has no PUT resource of its own (PUT serves custom Apex REST), and
      // neither has the emulator: its 404, passed through untouched, shows the call reached it.
      expect(res.status, res.text).toBe(404);
      expect(res.json).toEqual([expect.objectContaining({ errorCode: 'NOT_FOUND' })]);
      return;
    }
    if (success === '2XX') expect(res.status >= 200 && res.status < 300, `${res.status} ${res.text}`).toBe(true);
    else expect(res.status, res.text).toBe(Number(success));
    if (res.status !== 204 && res.status !== 302 && method !== 'head') expectFitsDocument(operation, success, res);
    if (success === '302') expect(res.headers.get('location')).toMatch(/^\/tasks\/[^?]+\?sfdc=connected/);
  });

  const scoped = documented.filter(({ operation }) => operation['x-required-scope']);
  test.each(scoped)('when $method $path is called with an API token that has every scope but the documented one, then 403 insufficient_scope names it', async ({ method, path, operation }) => {
    const scope = operation['x-required-scope'] as string;
    const user = await env.app.signUp();
    const token = await createToken(
      user,
      API_TOKEN_SCOPES.filter((s) => s !== scope),
    );
    const url = fill(path, operation, { taskId: randomUUID(), webhookId: randomUUID(), deliveryId: randomUUID() });

    const res = await user.withToken(token).request(method.toUpperCase(), url, { json: jsonExample(operation) });

    expect(res.status, res.text).toBe(403);
    if (method !== 'head') expect(res.json.error).toMatchObject({ code: 'insufficient_scope', details: { required_scope: scope } });
  });

  const sessionOnly = documented.filter(({ operation }) => !operation.security?.some((requirement) => TOKEN_SCHEME in requirement) && /forbidden_for_api_token/.test(operation.description ?? ''));
  test.each(sessionOnly)('when $method $path is called with an API token of every scope, then 403 forbidden_for_api_token, as documented', async ({ method, path, operation }) => {
    const user = await env.app.signUp();
    const token = await createToken(user, [...API_TOKEN_SCOPES]);

    const res = await user.withToken(token).request(method.toUpperCase(), fill(path, operation, { tokenId: randomUUID(), sessionId: 'any' }), { json: jsonExample(operation) });

    expect(res.status, res.text).toBe(403);
    expect(res.json.error.code).toBe('forbidden_for_api_token');
  });

  test('when the proxy is called with a method the document does not list for it, then 405 method_not_allowed', async () => {
    const { user, task } = await connectedTask(env.app);
    const proxy = documented.filter(({ path }) => path.includes('/sfdc/proxy/')).map(({ method }) => method);

    const options = await user.request('OPTIONS', `/api/tasks/${task.id}/sfdc/proxy/services/data/v62.0/limits`);

    expect(proxy.sort()).toEqual([...ALL_ROUTE_METHODS].sort());
    expect(options.status).toBe(405);
    expect(options.json.error.code).toBe('method_not_allowed');
  });

  // ---- the world an operation runs in ----

  interface World {
    user?: TestClient & { email?: string; password?: string };
    taskId?: string;
    tokenId?: string;
    webhookId?: string;
    deliveryId?: string;
    sessionId?: string;
    accountId?: string;
    callbackQuery?: Record<string, string>;
  }

  /** A signed-in user, and what the operation's path needs: a connected Task, a token, a webhook, a delivery, a record. */
  async function worldFor(path: string, method: string, operation: Operation): Promise<World> {
    if (operation.operationId === 'register') return {};
    if (operation.operationId === 'login') return { user: await env.app.signUp() };
    const needsTask = path.includes('{taskId}') || operation.operationId === 'testSalesforceConnectionById';
    const { user, task } = needsTask ? await connectedTask(env.app) : { user: await env.app.signUp(), task: undefined };
    const world: World = { user, taskId: task?.id };
    if (path.includes('{tokenId}')) world.tokenId = (await user.post('/api/tokens', { name: 'Doomed' })).json.api_token.id;
    if (path.includes('{webhookId}')) world.webhookId = (await user.post('/api/webhooks', { url: receiver.url, events: ['webhook.test'] })).json.webhook.id;
    if (path.includes('{deliveryId}')) world.deliveryId = (await user.post(`/api/webhooks/${world.webhookId}/test`)).json.delivery.id;
    if (path.includes('{sessionId}')) {
      await env.app.client().post('/api/auth/login', { email: user.email, password: user.password }); // a second browser
      world.sessionId = (await user.get('/api/auth/sessions')).json.sessions.find((s: { current: boolean }) => !s.current).id;
    }
    if (path.includes('/sfdc/proxy/') && (method === 'patch' || method === 'delete')) {
      const created = await user.post(`/api/tasks/${world.taskId}/sfdc/proxy/services/data/v62.0/sobjects/Account`, { Name: 'Doomed Inc' });
      expect(created.status, created.text).toBe(201);
      world.accountId = created.json.id;
    }
    if (operation.operationId === 'salesforceOAuthCallback') {
      const other = (await user.post('/api/tasks', { name: 'To connect' })).json.task;
      const authorize = await user.post(`/api/tasks/${other.id}/sfdc/authorize`, { environment: 'production' });
      world.callbackQuery = Object.fromEntries((await consent(authorize.json.url)).searchParams);
    }
    return world;
  }

  /** Who calls: no one for public operations (the OAuth callback rides on the browser's session); an API token with exactly the documented scope where tokens may; else the session. */
  async function callerFor(operation: Operation, world: World): Promise<TestClient> {
    const security = operation.security ?? [];
    const tokenRequirement = security.find((requirement) => TOKEN_SCHEME in requirement);
    if (tokenRequirement) {
      const scopes = tokenRequirement[TOKEN_SCHEME];
      return world.user!.withToken(await createToken(world.user!, scopes.length ? scopes : ['webhooks:manage'])); // [] means any scope
    }
    if (security.some((requirement) => METRICS_SCHEME in requirement)) return env.app.client().withToken(METRICS_TOKEN);
    if (security.length === 0) return operation.operationId === 'salesforceOAuthCallback' ? world.user! : env.app.client();
    return world.user!;
  }

  async function createToken(user: TestClient, scopes: string[]): Promise<string> {
    const res = await user.post('/api/tokens', { name: `Scoped ${scopes.join(' ')}`, scopes });
    expect(res.status, res.text).toBe(201);
    return res.json.token;
  }

  /** The path with its parameters filled in, and the query parameters' examples (or the app's values) appended. */
  function fill(path: string, operation: Operation, world: World): string {
    const values: Record<string, string | undefined> = { taskId: world.taskId, tokenId: world.tokenId, webhookId: world.webhookId, deliveryId: world.deliveryId, sessionId: world.sessionId };
    const query = new URLSearchParams(world.callbackQuery);
    for (const parameter of (operation.parameters ?? []) as { name: string; in: string; schema?: { example?: string } }[]) {
      if (parameter.in === 'path' && parameter.name === 'path') {
        values.path = parameter.schema!.example!.replace(EXAMPLE_ACCOUNT_ID, world.accountId ?? EXAMPLE_ACCOUNT_ID);
      }
      if (parameter.in === 'query' && parameter.schema?.example !== undefined) query.set(parameter.name, parameter.schema.example);
    }
    const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (values[name] === undefined) throw new Error(`no value for {${name}} in ${path}`);
      return name === 'path' ? values[name] : encodeURIComponent(values[name]);
    });
    return query.size ? `${filled}?${query}` : filled;
  }

  function jsonExample(operation: Operation): unknown {
    const body = operation.requestBody as { content?: Record<string, { example?: unknown }> } | undefined;
    return body?.content?.['application/json']?.example;
  }

  /** The documented example, with what only this app has: a Task id, a loopback webhook receiver, a fresh email. */
  function requestBody(operation: Operation, world: World): unknown {
    const example = jsonExample(operation) as Record<string, unknown> | undefined;
    if (example === undefined) return undefined;
    switch (operation.operationId) {
      case 'register':
        return { ...example, email: `openapi-${randomUUID()}@example.com` };
      case 'login':
        return { ...example, email: world.user!.email, password: world.user!.password };
      case 'testSalesforceConnectionById':
        return { ...example, id: world.taskId };
      case 'createWebhook':
        return { ...example, url: receiver.url }; // the example's host is not this machine's
      default:
        return example;
    }
  }
});

// ---- the Express router stack ----

interface Layer {
  /** The mount or route path as given (router 2.x keeps it). */
  rawPath?: string | RegExp | (string | RegExp)[];
  route?: { path: string | string[]; methods: Record<string, boolean | undefined> };
  handle: { stack?: Layer[] };
}

/** Every route of the app as `METHOD /path` in OpenAPI templating, nested routers and their mount paths included. */
function mountedRoutes(app: express.Express): string[] {
  const routes = new Set<string>();
  const walk = (stack: Layer[], prefixes: string[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const methods = Object.entries(layer.route.methods)
          .filter(([, on]) => on)
          .flatMap(([method]) => (method === '_all' ? ALL_ROUTE_METHODS : [method]));
        for (const prefix of prefixes) for (const path of [layer.route.path].flat()) for (const method of methods) routes.add(`${method.toUpperCase()} ${openApiPath(join(prefix, path))}`);
      } else if (layer.handle.stack) {
        if (layer.rawPath === undefined) throw new Error('a mounted router without rawPath: the router package changed');
        const paths = [layer.rawPath].flat().map((path) => {
          if (typeof path !== 'string') throw new Error(`a router mounted on a RegExp (${String(path)}) cannot be compared`);
          return path;
        });
        walk(
          layer.handle.stack,
          prefixes.flatMap((prefix) => paths.map((path) => join(prefix, path))),
        );
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, ['']);
  return [...routes].sort();
}

const join = (prefix: string, path: string) => (path === '/' ? prefix : `${prefix}${path}`);

/** `:taskId` → `{taskId}`, the splat `{*path}` → `{path}`; no trailing slash. */
function openApiPath(path: string): string {
  const normalised = path
    .replace(/\/+/g, '/')
    .replace(/\{\*(\w+)\}/g, '{$1}')
    .replace(/:(\w+)/g, '{$1}')
    .replace(/(.)\/$/, '$1');
  return normalised || '/';
}
