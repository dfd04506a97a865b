import { describe, expect, it } from 'vitest';
import { PLAN_STAGE_JOB, failures, rehearsalContext, rehearsalGap, stageOf, statuses, stepOf } from './testing/rehearsal-context';

/** Each workflow's run steps, run for real in a repository, offline, against the GitHub stand-in. */
describe.skipIf(rehearsalGap !== undefined)('apply.yml resuming a halted rollout, rehearsed step by step', () => {
  const ctx = rehearsalContext();

  it('apply.yml: a re-run on a new runner resumes a halted rollout from the branch\'s record, without planning or applying again what it applied', async () => {
    ctx.unhealthy.add('wonka');
    const { dispatch, push } = await ctx.pushedRollout();
    await push();
    ctx.unhealthy.clear();
    const runs = await dispatch({ continue: 'true' });
    expect(runs.map((run) => failures(run))).toEqual(runs.map(() => []));
    expect(runs.map(stageOf)).toEqual(['stable/canary', 'stable/early', 'stable/rest']);
    expect(stepOf(runs[0]!, 'npx tenancy rollout pull').stdout).toMatch(/^rollout \w{12} from tenancy-rollouts: 1 of 5 stacks applied$/m);
    const plan = stepOf(runs[0]!, PLAN_STAGE_JOB);
    expect(plan.stdout).toMatch(/planning 1 stacks as the deployer/);
    expect(plan.stdout).toContain('tenant-wonka-data');
    for (const run of runs) expect(stepOf(run, PLAN_STAGE_JOB).stdout).not.toContain('tenant-acme-data');
    expect(statuses(ctx.record())).toEqual({
      'tenant-acme-data': 'applied', 'tenant-acme-workload': 'skipped', 'tenant-wonka-data': 'applied', 'tenant-stark-data': 'applied', 'tenant-cyberdyne-data': 'applied',
    });
    expect(ctx.record().halted).toBeUndefined();
  });
});
