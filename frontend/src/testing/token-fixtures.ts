// Builders for unit tests. Plain TypeScript (no test-runner globals), so the app build may see it.
import type { ApiToken } from '@contract';
import { DEFAULT_API_TOKEN_SCOPES } from '@contract/limits';

export function makeToken(overrides: Partial<ApiToken> = {}): ApiToken {
  return {
    id: crypto.randomUUID(),
    name: 'CI',
    created_at: '2026-01-05T10:00:00.000Z',
    last_used_at: null,
    scopes: [...DEFAULT_API_TOKEN_SCOPES],
    task_ids: null,
    expires_at: null,
    expired: false,
    calls: 0,
    ...overrides,
  };
}
