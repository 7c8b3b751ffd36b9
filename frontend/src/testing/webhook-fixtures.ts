// Builders for unit tests. Plain TypeScript (no test-runner globals), so the app build may see it.
import type { Webhook, WebhookDelivery } from '@contract';

export const ALL_CONNECTION_EVENTS: Webhook['events'] = [
  'connection.connected',
  'connection.refreshed',
  'connection.degraded',
  'connection.recovered',
  'connection.reconnect_needed',
  'connection.disconnected',
  'connection.api_usage_high',
];

export function makeWebhook(overrides: Partial<Webhook> = {}): Webhook {
  return {
    id: crypto.randomUUID(),
    url: 'https://hooks.example.com/salesforce',
    events: [...ALL_CONNECTION_EVENTS],
    enabled: true,
    description: '',
    created_at: '2026-01-05T10:00:00.000Z',
    ...overrides,
  };
}

export function makeDelivery(overrides: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    id: crypto.randomUUID(),
    event_id: `msg_${crypto.randomUUID()}`,
    type: 'webhook.test',
    status: 'succeeded',
    attempts: 1,
    last_status_code: 200,
    last_error: null,
    next_attempt_at: null,
    created_at: '2026-01-05T10:05:00.000Z',
    delivered_at: '2026-01-05T10:05:01.000Z',
    payload: {
      type: 'webhook.test',
      timestamp: '2026-01-05T10:05:00.000Z',
      data: { task_id: null, task_name: null, connection: null },
    },
    ...overrides,
  };
}
