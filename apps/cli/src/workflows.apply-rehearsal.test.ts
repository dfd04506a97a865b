import { describe, expect, it } from 'vitest';
import type { FleetRepo } from '@tenancy/lifecycle/testing';
import { APPLY_STAGE_JOB, GATE_STEP, NEXT_STEP, PLAN_STAGE_JOB, failures, pushEvent, ran, rehearsalContext, rehearsalGap, stageOf, statuses, stepOf } from './testing/rehearsal-context';

/** Each workflow's run steps, run for real in a repository, offline, against the GitHub stand-in. */
describe.skipIf(rehearsalGap !== undefined)('apply.yml, rehearsed step by step', () => {
  const ctx = rehearsalContext();

  it('apply.yml: a push plans from the last successful apply and applies its stage in a job, judged by the gate', async () => {
    const repo = await ctx.repo();
    const before = (await repo.commit('nothing', () => undefined));
    const after = await repo.commit('upgrade acme', (r) => r.edit('tenants/acme.yaml', 'cost-center: "4410"', 'cost-center: "4411"'));
    const [run, ...more] = await ctx.rollOut(repo, pushEvent(before, after));
    expect(more).toEqual([]);
    expect(failures(run!)).toEqual([]);
    expect(ran(run!).map((r) => `${r.job}: ${r.command}`)).toEqual([
      'runners: npm ci --no-audit --no-fund', 'runners: npx tenancy runners >> "$GITHUB_OUTPUT"',
      'prepare: npm ci --no-audit --no-fund', 'prepare: npx tenancy validate --format github', 'prepare: npx tenancy rollout pull',
      'prepare: npx tenancy ci-context --since-last-success apply.yml >> "$GITHUB_OUTPUT"', 'prepare: npx tenancy rollout next --base "$BASE" >> "$GITHUB_OUTPUT"',
      'apply: npm ci --no-audit --no-fund', 'apply: npx tenancy rollout pull --from .tenancy/prepared', `apply: ${PLAN_STAGE_JOB}`, `apply: ${APPLY_STAGE_JOB}`,
      'gate: npm ci --no-audit --no-fund', 'gate: npx tenancy rollout pull --from .tenancy/prepared', 'gate: npx tenancy rollout gate --parts .tenancy/rollout-parts >> "$GITHUB_OUTPUT"', 'gate: npx tenancy rollout push',
      'gate: npx tenancy notify',
    ]);
    expect(stageOf(run!)).toBe('tenants');
    const notify = stepOf(run!, 'npx tenancy notify');
    expect(notify.stdout).toMatch(/^0 new notices from rollout \w{12}, recorded in notifications\.json on tenancy-rollouts\noffline: nothing is sent/m);
    expect(ctx.api.files.get('tenancy-rollouts:notifications.json')!.content).toBe('{\n "entries": {}\n}\n');
    const plan = stepOf(run!, PLAN_STAGE_JOB);
    expect(plan.stdout).toContain('tenant-acme-workload');
    expect(plan.stdout).toMatch(/tenant-acme-data\s+\+25 ~0 -0/);
    // Offline the workload stack is synthesized only: the data stack is what the rehearsal applies.
    expect(stepOf(run!, APPLY_STAGE_JOB).stdout).toMatch(/acme\s+rehearsed\s+-\s+data:applied\n/);
    expect(stepOf(run!, GATE_STEP).stderr).toContain('stage tenants passed: 0 failed of any tolerated');
    expect(ctx.api.calls('actions/list-workflow-runs')).toHaveLength(1);
    expect(statuses(ctx.record())).toEqual({ 'tenant-acme-data': 'applied', 'tenant-acme-workload': 'skipped' });
  });

  it('apply.yml: one range holding an offboarding and a look-alike onboarding, merged apart, is applied, not refused', async () => {
    const repo = await ctx.repo();
    const before = await repo.commit('nothing', () => undefined);
    for (const [branch, change] of [
      ['offboard-wonka', (r: FleetRepo) => r.remove('tenants/wonka.yaml')],
      ['onboard-newco', (r: FleetRepo) => r.write('tenants/newco.yaml', r.read('tenants/wonka.yaml').replace('id: wonka', 'id: newco'))],
    ] as const) {
      repo.git('checkout', '-q', '-b', branch, before);
      await repo.commit(branch, change);
      repo.git('checkout', '-q', 'main');
      repo.git('merge', '-q', '--no-ff', '-m', `merge ${branch}`, branch);
    }
    const after = repo.git('rev-parse', 'HEAD').trim();
    const [run] = await ctx.rollOut(repo, pushEvent(before, after));
    expect(failures(run!)).toEqual([]);
    expect(stepOf(run!, NEXT_STEP).stderr).toContain('wonka is offboarded and newco onboarded, not renamed');
    const plan = stepOf(run!, PLAN_STAGE_JOB);
    expect(plan.stdout).toMatch(/newco\s+tenant-newco-data\s+apply/);
    expect(plan.stdout).toMatch(/wonka\s+tenant-wonka-workload\s+destroy/);
    // wonka's offboarding destroys only its workload stack, which offline is synthesized and not planned.
    expect(stepOf(run!, APPLY_STAGE_JOB).stdout).toMatch(/newco\s+rehearsed\s+-\s+data:applied/);
  });

  it('apply.yml: a fleet-wide change rolls out stage by stage, one run each, every wave in its own jobs and judged by its gate', async () => {
    const { push } = await ctx.pushedRollout();
    const runs = await push();
    expect(runs.map((run) => failures(run))).toEqual(runs.map(() => []));
    const stages = runs.map(stageOf);
    expect(stages[0]).toBe('tenants');
    expect(stages.slice(1)).toEqual(['stable/canary', 'stable/early', 'stable/rest']);
    // Each run applies its stage's tenants only, and each wave's gate checks their health.
    expect(stepOf(runs[1]!, APPLY_STAGE_JOB).stdout).toMatch(/^ {2}wonka: applied$/m);
    expect(stepOf(runs[1]!, APPLY_STAGE_JOB).stdout).not.toMatch(/(stark|cyberdyne|acme): applied/);
    for (const run of runs.slice(1)) expect(stepOf(run, GATE_STEP).stderr).toMatch(/stage stable\/\w+ passed: 0 failed of \d tolerated/);
    expect(statuses(ctx.record())).toEqual({
      'tenant-acme-data': 'applied', 'tenant-acme-workload': 'skipped', 'tenant-wonka-data': 'applied', 'tenant-stark-data': 'applied', 'tenant-cyberdyne-data': 'applied',
    });
    expect(ctx.record().stages!.map((s) => [s.name, s.state])).toEqual([['tenants', 'done'], ['stable/canary', 'done'], ['stable/early', 'done'], ['stable/rest', 'done']]);
  });
});
