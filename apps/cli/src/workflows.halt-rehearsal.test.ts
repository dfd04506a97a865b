import { describe, expect, it } from 'vitest';
import { GATE_STEP, PLAN_STAGE_JOB, failures, ran, rehearsalContext, rehearsalGap, stageOf, statuses, stepOf } from './testing/rehearsal-context';

/** Each workflow's run steps, run for real in a repository, offline, against the GitHub stand-in. */
describe.skipIf(rehearsalGap !== undefined)('apply.yml after a halted canary (pushed once, each test from a copy), rehearsed step by step', () => {
  const ctx = rehearsalContext();

  it('apply.yml: a canary that fails its health check halts the rollout before the next wave; the record keeps where it stopped', async () => {
    const { runs } = await ctx.haltedRollout();
    expect(runs.map(stageOf)).toEqual(['tenants', 'stable/canary']);
    const gate = GATE_STEP;
    expect(failures(runs[1]!).map((f) => f.split('\n')[0])).toEqual([`gate: ${gate}`]);
    const why = `${ctx.healthUrl.replace('{tenant}', 'wonka')} answered 503 (3 attempts)`;
    expect(stepOf(runs[1]!, gate).stderr).toContain(`  wonka: unhealthy - ${why}`);
    expect(stepOf(runs[1]!, gate).stderr).toContain(`rollout halted: stage stable/canary had 1 failures (wonka: unhealthy: ${why}), more than the 0 it tolerates`);
    expect(stepOf(runs[1]!, 'npx tenancy rollout push').status).toBe(0);
    // Offline the workload stack is synthesized only: no saved plan, so the record keeps it to plan again.
    expect(statuses(ctx.record())).toEqual({
      'tenant-acme-data': 'applied', 'tenant-acme-workload': 'skipped', 'tenant-wonka-data': 'failed', 'tenant-stark-data': 'pending', 'tenant-cyberdyne-data': 'pending',
    });
    expect(ctx.record().halted).toContain('stage stable/canary had 1 failures');
  });

  it('apply.yml: a re-run on a new runner resumes a halted rollout from the branch\'s record, without planning or applying again what it applied', async () => {
    const runs = await (await ctx.haltedRollout()).dispatch({ continue: 'true' });
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
  it('apply.yml: a dispatch with retry-failed plans and applies only the tenants the rollout failed', async () => {
    const [retry, ...more] = await (await ctx.haltedRollout()).dispatch({ 'retry-failed': 'true' });
    expect(more).toEqual([]);
    expect(failures(retry!)).toEqual([]);
    expect(ran(retry!).map((r) => `${r.job}: ${r.command}`)).toEqual([
      'runners: npm ci --no-audit --no-fund', 'runners: npx tenancy runners >> "$GITHUB_OUTPUT"',
      'retry: npm ci --no-audit --no-fund', 'retry: npx tenancy rollout pull', 'retry: npx tenancy rollout retry --failed --concurrency 4', 'retry: npx tenancy rollout push',
      'retry: npx tenancy notify',
    ]);
    const run = stepOf(retry!, 'npx tenancy rollout retry --failed --concurrency 4');
    expect(run.stdout).toMatch(/^rollout \w{12}: retrying wonka$/m);
    expect(run.stdout).toMatch(/planning 1 stacks as the deployer/);
    expect(run.stdout).toMatch(/wonka\s+rehearsed\s+canary\s+data:applied/);
    expect(statuses(ctx.record())).toMatchObject({ 'tenant-acme-data': 'applied', 'tenant-wonka-data': 'applied', 'tenant-stark-data': 'pending', 'tenant-cyberdyne-data': 'pending' });
  });
});
