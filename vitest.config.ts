import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Files that run Terraform for a minute or more: the workflow rehearsals, the end-to-end runs. */
const SLOW_FILES = /(-rehearsal|\.terraform|\.e2e|terraform-proof|apply-cancel)\.test\.ts$/;

/**
 * Vitest's order, slow files first. Vitest orders by the durations of earlier runs, which a fresh
 * clone (CI) does not have: there a slow file could start last and leave the other worker idle.
 */
class SlowFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return [...sorted.filter((f) => SLOW_FILES.test(f.moduleId)), ...sorted.filter((f) => !SLOW_FILES.test(f.moduleId))];
  }
}

export default defineConfig({
  test: {
    include: ['libs/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['vitest.setup.ts'],
    sequence: { sequencer: SlowFilesFirst },
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
