import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { control } from 'salesforce-emulator/testing';
import { FaultySalesforce, type FaultMode } from '../helpers/faulty-salesforce';
import { live } from '../helpers/live';
import { connectedTask, useTestEmulator } from '../helpers/salesforce-kit';
import type { TestResponse } from '../helpers/test-client';

/**
 * Salesforce misbehaving for real: a Task is connected to the
 * emulator, then its stored instance, identity or login URL is pointed at a small faulty server
 * on 127.0.0.1 (trusted here). Every fault must end in a clear error, with the stored tokens
 * unchanged, a bounded number of calls, no credential following a redirect, and the app alive.
 *
 * One file per target, all under the same outer describe: `proxy-get` and `proxy-post` (a faulty
 * instance), `connection-test` (a faulty identity URL), `refresh` (a faulty token endpoint) and
 * `retries` (retries stay bounded). Each calls `useFaultFixture()` once; this file holds what they share.
 */

/** The app's timeout for calls to Salesforce here: short, so that hangs cost one second. */
export const TIMEOUT_MS = 1_000;
/** How late past the timeout an answer may come (scheduling, the database, 2 shared cores). */
export const LATENESS_MS = 1_500;
/** The largest answer the proxy streams here (2 GB in production): small, so that going past it is cheap. */
export const PROXY_RESPONSE_LIMIT_BYTES = 4 * 1024 * 1024;
/** A body trickled well past the timeout, each byte well within it (an idle timer never fires). */
export const SLOW_BODY: FaultMode = { kind: 'slow-body', intervalMs: 200, totalMs: 3_500 };

export const LIMITS = 'services/data/v62.0/limits';
export const ACCOUNTS = 'services/data/v62.0/sobjects/Account';
export const ID_PATH = '/id/00D5g00000PRODAEAQ/0055g00000ADAUSRAQ';
/** What a stack trace or a source location looks like in a body or a message. */
const STACK_TRACE = /\n\s*at |\bat [\w$.<>]+ \(|\.[cm]?[jt]s:\d+|node:internal|node_modules/;

type StoredField = 'instance_url' | 'id' | 'login_url';

/**
 * The set-up every file in this folder shares, to call once at the top of its outer describe: the
 * emulator and an app pointed at it (short Salesforce timeout, 127.0.0.1 trusted, as login host
 * too) for the file, and before each test the emulator back to its seed and two fresh faulty
 * servers, `faulty` and `elsewhere`. Answers them, and the helpers the tests share.
 */
export function useFaultFixture() {
  // The faulty hosts listen on ports of their own: trusted here, as login hosts too.
  const { emulator, app } = useTestEmulator({
    app: { salesforceTimeoutMs: TIMEOUT_MS, proxyResponseLimitBytes: PROXY_RESPONSE_LIMIT_BYTES, env: { SFDC_TRUSTED_HOSTS: '127.0.0.1', SFDC_LOGIN_HOSTS: '127.0.0.1:*' } },
  });
  let faultyNow: FaultySalesforce | undefined;
  let elsewhereNow: FaultySalesforce | undefined;
  beforeEach(async () => {
    faultyNow = await FaultySalesforce.start();
    elsewhereNow = await FaultySalesforce.start();
  });
  afterEach(async () => {
    await faultyNow?.stop();
    await elsewhereNow?.stop();
  });
  /** Where the Task's stored URL points in each test. */
  const faulty = live('faulty', () => faultyNow);
  /** Where faulty redirects to: it must never hear from the app. */
  const elsewhere = live('elsewhere', () => elsewhereNow);

  // ---- helpers -------------------------------------------------------------------------------

  const proxy = (taskId: string, path: string) => `/api/tasks/${taskId}/sfdc/proxy/${path}`;
  const storedSfdc = async (taskId: string) => (await app.query('SELECT sfdc FROM tasks WHERE id = $1', [taskId]))[0].sfdc;
  const emulatorCalls = (endpoint: string, since = 0) => emulator.state.requestLog.slice(since).filter((r) => r.endpoint === endpoint);
  const redirectTo = (status: 301 | 302 | 307): FaultMode => ({ kind: 'redirect', status, to: elsewhere.url });

  /** A Task connected to the emulator, its stored connection, and the secrets that must never leak. */
  async function connected() {
    const { user, task } = await connectedTask(app);
    const before = await storedSfdc(task.id);
    const session = app.deps.credentials.toCredentials(task.id, before);
    const secrets = [session.accessToken, session.refreshToken!, emulator.app.clientSecret];
    return { user, taskId: task.id as string, before, secrets };
  }

  /**
   * Rewrites one URL of the stored connection, as an operator's SQL would, and waits until the
   * app's session cache has dropped the old one (PostgreSQL notifies the change asynchronously).
   */
  async function pointAt(taskId: string, field: StoredField, url: string): Promise<void> {
    await app.query('UPDATE tasks SET sfdc = jsonb_set(sfdc, $3::text[], to_jsonb($2::text)) WHERE id = $1', [taskId, url, `{${field}}`]);
    const key = ({ instance_url: 'instanceUrl', id: 'idUrl', login_url: 'loginUrl' } as const)[field];
    await vi.waitFor(async () => expect((await app.deps.credentials.getCredentials(taskId))[key]).toBe(url), { timeout: 5_000, interval: 20 });
  }

  async function expireAccessTokens(): Promise<void> {
    expect((await control(emulator, '/expire-access-tokens', {})).status).toBe(200);
  }

  async function timed<T>(act: () => Promise<T>): Promise<{ res: T; ms: number }> {
    const start = performance.now();
    const res = await act();
    return { res, ms: performance.now() - start };
  }

  /** No token, no client secret, no stack trace in the answer, and no token or secret in any log line. */
  function expectNothingLeaked(res: TestResponse, secrets: string[]): void {
    for (const secret of secrets) expect(res.text, 'a credential in the response body').not.toContain(secret);
    expect(res.text).not.toMatch(STACK_TRACE);
    expect(
      app.logs.filter((line) => secrets.some((secret) => line.includes(secret))),
      'log lines carrying a credential',
    ).toEqual([]);
  }

  async function expectTokensUnchanged(taskId: string, before: Record<string, unknown>): Promise<void> {
    const after = await storedSfdc(taskId);
    expect(after.access_token).toBe(before.access_token);
    expect(after.refresh_token).toBe(before.refresh_token);
    expect(after.status).toBe('connected');
  }

  /** The redirect target never heard from the app: no request, so no Authorization header and no client secret. */
  function expectRedirectNotFollowed(): void {
    expect(
      elsewhere.requests.filter((r) => r.headers.authorization !== undefined),
      'requests carrying Authorization at the redirect target',
    ).toEqual([]);
    expect(
      elsewhere.requests.filter((r) => r.body.includes('client_secret') || r.body.includes('refresh_token')),
      'requests carrying a secret at the redirect target',
    ).toEqual([]);
    expect(elsewhere.requests.map((r) => `${r.method} ${r.url}`)).toEqual([]);
  }

  async function expectAppAlive(): Promise<void> {
    const health = await app.client().get('/healthz');
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: 'ok' });
  }

  // ---- the error bodies the app answers ----------------------------------------------------------

  const unavailable = (method: string, path: string) => ({
    error: { code: 'salesforce_unavailable', message: expect.stringMatching(new RegExp(`^Salesforce could not be reached \\(${method} http://127\\.0\\.0\\.1:\\d+/${path}\\)$`)) },
  });
  const timedOut = (method: string, path: string) => ({
    error: { code: 'salesforce_timeout', message: expect.stringMatching(new RegExp(`^Salesforce did not answer in time \\(${method} http://127\\.0\\.0\\.1:\\d+/${path}\\)$`)) },
  });
  /** A connection test that failed with `code`: 200, status false, the failure stored as `last_test`, the connection still `connected`. */
  const failedTest = (code: string) => ({
    status: false,
    code,
    message: expect.any(String),
    refreshed: false,
    at: expect.any(String),
    tested_at: expect.any(String),
    sfdc: expect.objectContaining({ status: 'connected', last_test: expect.objectContaining({ status: false, code }) }),
  });
  const apiError = (upstreamStatus: number, upstreamCode: string) => ({
    error: {
      code: 'salesforce_api_error',
      message: expect.stringContaining(`Salesforce answered ${upstreamStatus} ${upstreamCode}`),
      details: { upstream_status: upstreamStatus, upstream_code: upstreamCode },
    },
  });

  return {
    emulator,
    app,
    faulty,
    elsewhere,
    proxy,
    storedSfdc,
    emulatorCalls,
    redirectTo,
    connected,
    pointAt,
    expireAccessTokens,
    timed,
    expectNothingLeaked,
    expectTokensUnchanged,
    expectRedirectNotFollowed,
    expectAppAlive,
    unavailable,
    timedOut,
    apiError,
    failedTest,
  };
}
