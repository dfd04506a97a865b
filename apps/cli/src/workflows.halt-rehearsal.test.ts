import { describe, expect, it } from 'vitest';
import { GATE_STEP, failures, ran, rehearsalContext, rehearsalGap, stageOf, statuses, stepOf } from './testing/rehearsal-context';

/** Each workflow's run steps, run for real in a repository, offline, against the GitHub stand-in. */
describe.skipIf(rehearsalGap !== undefined)('apply.yml after a halted canary, rehearsed step by step', () => {
  const ctx = rehearsalContext();

  it('apply.yml: a canary that fails its health check halts the rollout before the next wave; the record keeps where it stopped', async () => {
    ctx.unhealthy.add('wonka');
    const { push } = await ctx.pushedRollout();
    const runs = await push();
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

  it('apply.yml: a dispatch with retry-failed plans and applies only the tenants the rollout failed', async () => {
    ctx.unhealthy.add('wonka');
    const { dispatch, push } = await ctx.pushedRollout();
    await push();
    ctx.unhealthy.clear();
    const [retry, ...more] = await dispatch({ 'retry-failed': 'true' });
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
