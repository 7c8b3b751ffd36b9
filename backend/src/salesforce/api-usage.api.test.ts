import { control } from 'salesforce-emulator/testing';
import { describe, expect, test, vi } from 'vitest';
import { connectedTask, useTestEmulator } from '../../test/helpers/salesforce-kit';

const PROXIED = 'services/data/v62.0/limits';

describe("a connection's Salesforce API usage", () => {
  const env = useTestEmulator();
  const storedUsage = async (taskId: string) => (await env.app.query(`SELECT sfdc->'api_usage' AS usage FROM tasks WHERE id = $1`, [taskId]))[0].usage;

  test('when 50 calls go through the proxy, then the summary shows 50 more at once, while the row is written once (not per call)', async () => {
    // Arrange
    const { user, task } = await connectedTask(env.app);
    const service = env.app.client().withToken((await user.post('/api/tokens', { name: 'svc' })).json.token);
    const first = await service.get(`/api/tasks/${task.id}/sfdc/proxy/${PROXIED}`);
    const usedAtFirst = Number(/api-usage=(\d+)\//.exec(first.headers.get('sforce-limit-info')!)![1]);
    const writtenFirst = await vi.waitFor(async () => {
      const usage = await storedUsage(task.id);
      expect(usage).not.toBeNull(); // written off the request's path, at once for the first observation
      return usage;
    });

    // Act
    for (let i = 0; i < 50; i++) expect((await service.get(`/api/tasks/${task.id}/sfdc/proxy/${PROXIED}`)).status).toBe(200);
    const summary = (await user.get(`/api/tasks/${task.id}/sfdc`)).json.sfdc;
    const listed = (await user.get('/api/tasks')).json.tasks.find((t: { id: string }) => t.id === task.id).sfdc;
    const writtenAfter = await storedUsage(task.id);

    // Assert
    expect(writtenFirst).toMatchObject({ used: usedAtFirst, limit: 15000 }); // the first observation is written at once
    expect(summary.api_usage).toMatchObject({ used: usedAtFirst + 50, limit: 15000 });
    expect(listed.api_usage.used).toBe(usedAtFirst + 50);
    expect(writtenAfter).toEqual(writtenFirst); // not again within the minute
  });

  test('when the usage crosses 80% of the daily limit, then one api_usage_high event is recorded, and a webhook sent, once', async () => {
    // Arrange
    const { user, task } = await connectedTask(env.app);
    await control(env.emulator, '/api-limit', { daily: 100, used: 79 });
    const received: string[] = [];
    const { createServer } = await import('node:http');
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push(JSON.parse(body).type);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as { port: number }).port;
    await user.post('/api/webhooks', { url: `http://127.0.0.1:${port}/hook`, events: ['connection.api_usage_high'] });

    try {
      // Act
      for (let i = 0; i < 5; i++) await user.get(`/api/tasks/${task.id}/sfdc/proxy/${PROXIED}`);
      await env.app.deps.apiUsage.stop(); // writes what is pending, as at shutdown
      await new Promise((resolve) => setTimeout(resolve, 2_500));

      // Assert
      const events = (await user.get(`/api/tasks/${task.id}/sfdc/events`)).json.events.filter((e: { kind: string }) => e.kind === 'api_usage_high');
      expect(events).toHaveLength(1);
      expect(events[0].detail).toMatchObject({ used: 80, limit: 100 });
      expect(received).toEqual(['connection.api_usage_high']);
      expect(await storedUsage(task.id)).toMatchObject({ used: 84, limit: 100 });
    } finally {
      receiver.close();
    }
  });
});
