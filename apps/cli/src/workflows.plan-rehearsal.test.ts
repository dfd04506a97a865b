import { describe, expect, it } from 'vitest';
import { webhookPayload } from '@tenancy/github/testing';
import { rehearseWorkflow } from './testing/workflow-rehearsal';
import { failures, ran, rehearsalContext, rehearsalGap, stepOf } from './testing/rehearsal-context';

/** Each workflow's run steps, run for real in a repository, offline, against the GitHub stand-in. */
describe.skipIf(rehearsalGap !== undefined)('plan.yml, reap.yml and drift.yml, rehearsed step by step', () => {
  const ctx = rehearsalContext();

  it('plan.yml: a pull request that upgrades one tenant gets one plan job and one sticky comment', async () => {
    const repo = await ctx.repo();
    const payload = webhookPayload<{ action: string; number: number }>('pull_request', (p) => p.action === 'synchronize');
    ctx.api.pullRequest(payload.number);
    repo.git('checkout', '-q', '-b', 'upgrade-acme');
    // Its cost center tags the AWS resources too: Terraform plans the data stack, not only the skipped workload.
    await repo.commit('upgrade acme', (r) => {
      r.edit('tenants/acme.yaml', 'cost-center: "4410"', 'cost-center: "4411"');
      r.edit('tenants/acme.yaml', 'channel: stable', 'version: 2.15.0');
    });
    repo.git('checkout', '-q', 'main');
    repo.git('merge', '-q', '--no-ff', '-m', 'merge', 'upgrade-acme');

    const results = await rehearseWorkflow('plan.yml', { root: repo.root, event: { name: 'pull_request', payload }, apiUrl: ctx.api.url });
    expect(failures(results)).toEqual([]);
    expect(ran(results).map((r) => `${r.job}: ${r.command}`)).toEqual([
      'validate: npm ci --no-audit --no-fund',
      'validate: npx tenancy validate --format github',
      'validate: npx tenancy runners >> "$GITHUB_OUTPUT"',
      'validate: npx tenancy ci-context >> "$GITHUB_OUTPUT"',
      'validate: npx tenancy matrix --base HEAD^1 --head HEAD >> "$GITHUB_OUTPUT"',
      'plan: npm ci --no-audit --no-fund',
      'plan: npx tenancy plan --base HEAD^1 --head HEAD --shard "$SHARD" --concurrency 4',
      'comment: npm ci --no-audit --no-fund',
      'comment: npx tenancy comment --runs .tenancy/runs --pr "$PULL_REQUEST" --shards "$SHARDS" --artifacts-url "$ARTIFACTS_URL"',
    ]);
    const comments = ctx.api.issues.get(payload.number)!.comments;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('**1 tenants, 2 stacks');
    expect(comments[0]!.body).toContain('tenant-acme-workload');
    expect(comments[0]!.body).toMatch(/tenant-acme-data[^\n]*\+25/);
    expect(comments[0]!.body).toContain('> - acme: upgrade-scheduled, upgraded → platform@acme.example, webhook');
    expect(ctx.api.violations).toEqual([]);
  });

  it('plan.yml: a pull request from a fork is validated and synthesized, with no credentials and no comment', async () => {
    const repo = await ctx.repo();
    await repo.commit('edit', (r) => r.edit('tenants/acme.yaml', 'replicas: 3', 'replicas: 4'));
    const payload = webhookPayload<{ action: string; number: number; pull_request: { head: { repo: { full_name: string } } } }>('pull_request', (p) => p.action === 'opened');
    payload.pull_request.head.repo.full_name = 'mallory/Hello-World';
    const results = await rehearseWorkflow('plan.yml', { root: repo.root, event: { name: 'pull_request', payload }, apiUrl: ctx.api.url });
    expect(failures(results)).toEqual([]);
    expect(ran(results).map((r) => r.command)).toEqual([
      'npm ci --no-audit --no-fund', 'npx tenancy validate --format github', 'npx tenancy runners >> "$GITHUB_OUTPUT"', 'npx tenancy ci-context >> "$GITHUB_OUTPUT"',
      'npx tenancy synth --all --backend local',
    ]);
    expect(ctx.api.requests).toEqual([]);
  });

  it('reap.yml and drift.yml run their commands on the example fleet', async () => {
    const repo = await ctx.repo();
    const reap = await rehearseWorkflow('reap.yml', { root: repo.root, event: { name: 'workflow_dispatch', payload: webhookPayload('workflow_dispatch') }, apiUrl: ctx.api.url });
    expect(failures(reap)).toEqual([]);
    // Nothing is due on the example fleet: the planner lists, and the purge job (the purger's) never starts.
    expect(ran(reap).map((r) => `${r.job}: ${r.command}`)).toEqual(['list: npm ci --no-audit --no-fund', 'list: npx tenancy reap --due-output "$GITHUB_OUTPUT"']);

    ctx.api.reset();
    const drift = await rehearseWorkflow('drift.yml', { root: repo.root, event: { name: 'workflow_dispatch', payload: webhookPayload('workflow_dispatch') }, apiUrl: ctx.api.url, maxMatrix: 1 });
    const commands = ran(drift).map((r) => `${r.job}: ${r.command}`);
    expect(commands).toEqual([
      'split: npm ci --no-audit --no-fund', 'split: npx tenancy matrix --all >> "$GITHUB_OUTPUT"', 'split: npx tenancy runners >> "$GITHUB_OUTPUT"',
      'drift: npm ci --no-audit --no-fund', 'drift: npx tenancy drift --shard "$SHARD" --out .tenancy/drift/results.json --concurrency 4',
      'report: npm ci --no-audit --no-fund', 'report: npx tenancy drift-report --results .tenancy/drift-results',
    ]);
    // Nothing was ever applied offline, so every planned tenant of the shard has drifted: one issue each.
    const report = ran(drift).find((r) => r.job === 'report' && r.command!.includes('drift-report'))!;
    expect(report.status, report.stderr).toBe(0);
    expect(ctx.api.calls('issues/create').length).toBeGreaterThan(0);
    expect(ctx.api.violations).toEqual([]);
  });
});
