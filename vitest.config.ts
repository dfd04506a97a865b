import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Files that run Terraform for a minute or more: the workflow rehearsals, the end-to-end runs. */
const SLOW_FILES = /(-rehearsal|\.terraform|\.e2e|terraform-proof|apply-cancel)\.test\.ts$/;

/**
 * The slowest files, longest first, as a fresh clone's `.ci/run` measured them (2 cores): each
 * 100 s to 400 s. Started longest first, they end together instead of one worker running the
 * longest alone at the end.
 */
const LONGEST_FIRST = [
  'workflows.apply-rehearsal', 'terraform-proof', 'trust-chain.terraform', 'lifecycle.e2e', 'workflows.plan-rehearsal',
  'workflows.halt-rehearsal', 'data-guards.terraform', 'apply-cancel', 'file-names',
];
const rank = (file: string) => {
  const known = LONGEST_FIRST.findIndex((name) => file.endsWith(`/${name}.test.ts`));
  return known >= 0 ? known : SLOW_FILES.test(file) ? LONGEST_FIRST.length : LONGEST_FIRST.length + 1;
};

/**
 * Vitest's order, the slowest files first and longest first. Vitest orders by the durations of
 * earlier runs, which a fresh clone (CI) does not have: there a slow file could start last and
 * leave the other worker idle.
 */
class SlowFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // Array.prototype.sort is stable: within a rank, vitest's own order stays.
    return sorted.map((file) => ({ file, rank: rank(file.moduleId) })).sort((a, b) => a.rank - b.rank).map(({ file }) => file);
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
