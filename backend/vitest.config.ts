import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Workspace packages (salesforce-emulator) resolve to their TypeScript source: no build needed to test.
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    // Each API test file gets its own database (cloned from a migrated template), so files
    // run in parallel safely; 2 cores make more workers pointless.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
