import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { Emulator } from 'salesforce-emulator';
import { consent, startTestEmulator } from 'salesforce-emulator/testing';
import { live } from './live';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app';
import type { TestClient } from './test-client';

/**
 * Connects a Task the way a browser does: the app's authorize URL, the emulator's consent page
 * (Allow or Deny), and back to the app's callback with the session cookie. Answers where the
 * callback sent the browser.
 */
export async function connectTask(
  user: TestClient,
  taskId: string,
  options: { environment?: 'production' | 'sandbox' | 'custom'; domain?: string; decision?: 'allow' | 'deny'; username?: string } = {},
): Promise<{ location: string; authorizeUrl: URL }> {
  const authorize = await user.post(`/api/tasks/${taskId}/sfdc/authorize`, { environment: options.environment ?? 'production', ...(options.domain ? { domain: options.domain } : {}) });
  expect(authorize.status, authorize.text).toBe(200);
  const callback = await consent(authorize.json.url, { decision: options.decision, username: options.username });
  const res = await user.get(callback.pathname + callback.search);
  expect(res.status).toBe(302);
  return { location: res.headers.get('location')!, authorizeUrl: new URL(authorize.json.url) };
}

/** A signed-in user with a Task connected to the emulator's production org. */
export async function connectedTask(app: TestApp, options: { username?: string } = {}) {
  const user = await app.signUp();
  const task = (await user.post('/api/tasks', { name: 'Connected task' })).json.task;
  const { location } = await connectTask(user, task.id, options);
  expectConnected(location, task.id);
  return { user, task };
}

export interface TestEmulatorOptions {
  /**
   * The app to start against the emulator: its options (`env` overrides, `salesforceTimeoutMs`, …;
   * `salesforce` is always this emulator), or `false` for no app (the file starts its own, or runs
   * `src/main.ts`). Default: an app with the usual test options.
   */
  app?: Omit<TestAppOptions, 'salesforce'> | false;
  /** Put the emulator back to its seed before each test (default true); `false` keeps its state across the file. */
  resetEmulator?: boolean;
}

/**
 * The one set-up of a test file that talks to the Salesforce emulator: the emulator and an app
 * pointed at it, started once (beforeAll) and stopped once (afterAll) for the describe or file it
 * is called in, and the emulator back to its seed before each test.
 *
 * ```ts
 * const { emulator, app } = useTestEmulator();
 * const { app } = useTestEmulator({ app: { salesforceTimeoutMs: 10_000, env: { SFDC_TRUSTED_HOSTS: '127.0.0.1' } } });
 * const { emulator } = useTestEmulator({ app: false, resetEmulator: false });
 * ```
 *
 * `emulator` and `app` stand for the ones the beforeAll starts (see `live`): use them in tests, and
 * in hooks registered after this call (those run after it), not while the file is being collected.
 */
export function useTestEmulator(options: TestEmulatorOptions & { app: false }): { emulator: Emulator };
export function useTestEmulator(options?: TestEmulatorOptions): { emulator: Emulator; app: TestApp };
export function useTestEmulator(options: TestEmulatorOptions = {}): { emulator: Emulator; app?: TestApp } {
  let emulator: Emulator | undefined;
  let app: TestApp | undefined;
  beforeAll(async () => {
    emulator = await startTestEmulator();
    if (options.app !== false) app = await startTestApp({ ...options.app, salesforce: emulator });
  });
  afterAll(async () => {
    await app?.stop();
    await emulator?.stop();
  });
  if (options.resetEmulator !== false) beforeEach(() => emulator!.state.reset());
  const started = { emulator: live('emulator', () => emulator) };
  return options.app === false ? started : { ...started, app: live('app', () => app) };
}

/**
 * The callback landed back on the Task, connected. Earlier tests' connections as the same
 * Salesforce user may have been evicted by this one (five per user per app): the redirect then
 * says so in `evicted…` parameters, which this accepts.
 */
export function expectConnected(location: string | null, taskId: string): void {
  expect(location).toMatch(new RegExp(`^/tasks/${taskId}\\?sfdc=connected(&evicted(_others)?=[^&]+)*$`));
}
