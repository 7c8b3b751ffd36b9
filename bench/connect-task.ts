import { consent } from 'salesforce-emulator/testing';
import { BenchBrowser } from './browser';

/** Signs up, connects a Task through the consent page, and makes an API token. */
export async function connectTask(appUrl: string): Promise<{ taskId: string; apiToken: string; sessionCookie: string; userId: string }> {
  const browser = new BenchBrowser(appUrl);
  await browser.post('/api/auth/register', { email: `bench-${Date.now()}@example.com`, password: 'bench password 123' });
  const taskId = (await browser.post<{ task: { id: string } }>('/api/tasks', { name: 'bench' })).task.id;
  const callback = await consent((await browser.post<{ url: string }>(`/api/tasks/${taskId}/sfdc/authorize`, { environment: 'production' })).url);
  const landed = await browser.get(callback.pathname + callback.search);
  if (landed.headers.get('location') !== `/tasks/${taskId}?sfdc=connected`) throw new Error(`connecting failed: ${landed.headers.get('location')}`);
  const apiToken = (await browser.post<{ token: string }>('/api/tokens', { name: 'bench' })).token;
  const userId = ((await (await browser.get('/api/auth/me')).json()) as { user: { id: string } }).user.id;
  return { taskId, apiToken, sessionCookie: browser.cookie, userId };
}
