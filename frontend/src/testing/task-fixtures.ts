// Builders for unit tests. Plain TypeScript (no test-runner globals), so the app build may see it.
import type { ConnectionEvent, ConnectionHealth, SalesforceConnection, Task } from '@contract';

export function makeTask(overrides: Partial<Task> = {}): Task {
  return {
    id: crypto.randomUUID(),
    name: 'A task',
    description: '',
    sfdc: null,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function makeConnection(
  overrides: Partial<SalesforceConnection> = {},
): SalesforceConnection {
  return {
    status: 'connected',
    connection_type: 'web_server',
    status_reason: null,
    environment: 'production',
    instance_url: 'https://acme.my.salesforce.com',
    identity: {
      username: 'ada@acme.com',
      display_name: 'Ada Lovelace',
      organization_id: '00D000000000001',
      user_id: '005000000000001',
    },
    connected_at: '2026-01-01T00:00:00.000Z',
    refreshed_at: null,
    last_test: null,
    health: makeHealth(),
    api_usage: null,
    ...overrides,
  };
}

export function makeHealth(overrides: Partial<ConnectionHealth> = {}): ConnectionHealth {
  return {
    state: 'healthy',
    reason: null,
    checked_at: '2026-01-01T00:05:00.000Z',
    next_check_at: '2026-01-01T00:20:00.000Z',
    failures: 0,
    ...overrides,
  };
}

export function makeEvent(overrides: Partial<ConnectionEvent> = {}): ConnectionEvent {
  return {
    id: crypto.randomUUID(),
    at: '2026-01-02T10:00:00.000Z',
    kind: 'refreshed',
    detail: {},
    ...overrides,
  };
}
