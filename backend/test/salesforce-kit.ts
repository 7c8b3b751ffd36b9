import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { Emulator } from 'salesforce-emulator';
import { consent, startTestEmulator } from 'salesforce-emulator/testing';
import { startTestApp, type TestApp } from './test-app';
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
  expect(location).toBe(`/tasks/${task.id}?sfdc=connected`);
  return { user, task };
}

/**
 * The usual set-up of a Salesforce API test file: one emulator and one app pointed at it for the
 * whole file, the emulator back to its seed before each test (unless `resetEmulator` is false).
 */
export function useSalesforceTestApp(options: { resetEmulator?: boolean } = {}): { emulator: Emulator; app: TestApp } {
  const env = {} as { emulator: Emulator; app: TestApp };
  beforeAll(async () => {
    env.emulator = await startTestEmulator();
    env.app = await startTestApp({ salesforce: env.emulator });
  });
  afterAll(async () => {
    await env.app?.stop();
    await env.emulator?.stop();
  });
  if (options.resetEmulator !== false) beforeEach(() => env.emulator.state.reset());
  return env;
}
