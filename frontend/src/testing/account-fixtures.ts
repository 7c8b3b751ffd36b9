// Builders for unit tests. Plain TypeScript (no test-runner globals), so the app build may see it.
import type { BrowserSession } from '@contract';

export function makeBrowserSession(overrides: Partial<BrowserSession> = {}): BrowserSession {
  return {
    id: crypto.randomUUID().replace(/-/g, ''),
    created_at: '2026-01-05T10:00:00.000Z',
    last_seen_at: '2026-01-06T11:55:00.000Z',
    expires_at: '2026-01-13T11:55:00.000Z',
    user_agent:
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    current: false,
    ...overrides,
  };
}
