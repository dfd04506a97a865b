// @ts-check
/**
 * `npm run mutate`: the code where a bug hurts a customer, mutated, against the libraries' unit
 * tests (vitest.mutate.config.ts). `npm run mutate -- --mutate <file>` narrows a run to a change;
 * the incremental file keeps the results of unchanged code between runs. docs/testing.md has the
 * scores per module, the run's duration, and the survivors that are equivalent.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutate.config.ts', related: false },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 60_000,
  // The initial run is every unit test of the libraries: minutes on two cores.
  dryRunTimeoutMinutes: 30,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  thresholds: { high: 95, low: 90, break: 90 },
  ignoreStatic: true,
  // The sandbox is a copy of the repository: never what the commands generate (a stack's .terraform
  // links to the provider, which the copy cannot follow), as .gitignore has it.
  ignorePatterns: ['.tenancy', 'cdktf.out', '**/dist', '.nx', '**/.terraform', 'reports'],
  mutate: [
    'libs/lifecycle/src/apply/data-guard.ts',
    'libs/lifecycle/src/apply/staleness.ts',
    // reapDecisions and purgeRefusal: the rest of the file runs Terraform.
    'libs/lifecycle/src/retention/reap.ts:38-66',
    'libs/lifecycle/src/retention/reap.ts:92-99',
    'libs/model/src/validation/check-fleet.ts',
    'libs/model/src/secrets/detect-secrets.ts',
    'libs/model/src/fleet/neighbours.ts',
    'libs/model/src/validation/reserved-text.ts',
    'libs/stacks/src/synth/terraform-literal.ts',
    'libs/stacks/src/iam/deployer-policies.ts',
    'libs/stacks/src/iam/planner-policy.ts',
    'libs/stacks/src/iam/boundaries.ts',
    'libs/stacks/src/iam/trust-policies.ts',
    'libs/stacks/src/iam/github-trust.ts',
    'libs/stacks/src/iam/control-plane-policies.ts',
    'libs/stacks/src/iam/key-policy.ts',
    'libs/stacks/src/kubernetes/network-policies.ts',
    'libs/stacks/src/kubernetes/migration-job.ts',
    'libs/lifecycle/src/rollout/rollout-stages.ts',
    'libs/lifecycle/src/rollout/rollout-record.ts',
    'libs/lifecycle/src/rollout/record-trust.ts',
    'libs/lifecycle/src/rollout/stage-gate.ts',
    'libs/lifecycle/src/plan/shards.ts',
    // A wrong key would hand a test another configuration's plan.
    'libs/lifecycle/src/terraform/result-cache.ts',
    'libs/lifecycle/src/terraform/terraform-cli.ts',
    'libs/notifications/src/outbox.ts',
    'libs/notifications/src/verify-outbox.ts',
    'libs/notifications/src/webhook-sender.ts',
    'libs/github/src/plan-comment.ts',
  ],
};
