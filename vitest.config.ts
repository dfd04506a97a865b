import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['libs/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['vitest.setup.ts'],
    pool: 'forks',
    // Test files wait on Terraform, supervisord, PostgreSQL and Git more than they compute: run at
    // least two at once even on two cores (vitest would run one).
    maxWorkers: Math.max(2, availableParallelism()),
    // Unit tests take seconds: a hung one fails fast. Files that run Terraform, supervisord or the
    // IAM simulation over the whole fleet raise their own limits (vi.setConfig at their top).
    testTimeout: 20_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
  },
});
