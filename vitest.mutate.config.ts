import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The tests `npm run mutate` runs for each mutant: the libraries' unit tests, in process, without
 * the run's global set-up (a file that needs the example's stacks synthesizes them) and without the
 * files that run Terraform, the workflow rehearsals or the CLI in another process, which a mutant
 * of this process cannot reach.
 */
const root = fileURLToPath(new URL('.', import.meta.url));
const lib = (subpath: string) => `${root}libs/$1/src/${subpath}`;

export default defineConfig({
  // Stryker runs the tests in a copy of the repository: the libraries resolve to that copy's
  // (mutated) sources, not through node_modules' links to the original.
  resolve: {
    alias: [
      { find: /^@tenancy\/([a-z-]+)$/, replacement: lib('index.ts') },
      { find: /^@tenancy\/([a-z-]+)\/testing$/, replacement: lib('testing/index.ts') },
      { find: /^@tenancy\/([a-z-]+)\/peek$/, replacement: lib('peek.ts') },
    ],
  },
  test: {
    // MUTATE_TESTS (comma-separated globs) narrows the run to the tests of a change: a module's own
    // tests start in seconds, where every library's take minutes.
    include: process.env.MUTATE_TESTS ? process.env.MUTATE_TESTS.split(',') : ['libs/*/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'libs/*/src/**/*{-rehearsal,.terraform,.e2e,terraform-proof}.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
