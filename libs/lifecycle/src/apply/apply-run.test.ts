import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFleet, type Platform, type Tenant } from '@tenancy/model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Repository } from '../git/repository';
import { PLAN_FILE } from '../plan/plan-stacks';
import { sha256, writePlanRecord, type PlanRecord } from '../plan/plan-record';
import { FleetRepo } from '../testing/fleet-repo';
import { settleRollout } from '../rollout/rollout-record';
import { applyFailureReason } from './apply-failure';
import { applyRun, type HealthChecker, type SavedPlan, type StackApplier } from './apply-run';

describe('applying saved plans', () => {
  let repo: FleetRepo;
  let head: string;
  let platform: Platform;
  let tenants: Map<string, Tenant>;
  const outDir = () => join(repo.root, '.tenancy', 'out');

  beforeEach(async () => {
    repo = await FleetRepo.create();
    head = await new Repository(repo.root).resolve('HEAD');
    const fleet = await loadFleet(repo.root);
    platform = fleet.platform!;
    tenants = new Map(fleet.tenants.map((t) => [t.id, t.tenant]));
  });
  afterEach(() => repo.dispose());

  /** What each saved plan does, as `terraform show -json` would read it back: by default, creates. */
  const planned = new Map<string, [string, string[]][]>();
  const readPlan = async ({ record }: SavedPlan) => ({
    resource_changes: (planned.get(record.stack) ?? [['aws_iam_role.identity_role', ['create']]]).map(([address, actions]) => ({ address, mode: 'managed', change: { actions } })),
  });
  beforeEach(() => planned.clear());

  /** A saved plan as `tenancy plan` leaves it: config, plan file and a record whose hashes match. */
  function save(stack: string, overrides: Partial<PlanRecord> = {}): void {
    const dir = join(outDir(), stack);
    mkdirSync(dir, { recursive: true });
    const json = `{"stack":"${stack}"}\n`;
    writeFileSync(join(dir, 'main.tf.json'), json);
    writeFileSync(join(dir, PLAN_FILE), 'plan');
    const tenant = /^tenant-(.+)-(data|compute|workload)$/.exec(stack);
    const kind = (tenant?.[2] ?? stack.split('-')[0]) as PlanRecord['kind'];
    writePlanRecord(dir, {
      stack, kind, ...(tenant ? { tenant: tenant[1]!, tenantFile: `tenants/${tenant[1]}.yaml`, tenantFileHash: sha256(readFileSync(join(repo.root, 'tenants', `${tenant[1]}.yaml`))) } : {}),
      action: 'apply', principal: 'deployer', purge: false, base: head, head, configHash: sha256(json), rollout: 'immediate', reasons: [], offline: false,
      plannedAt: '2026-01-05T12:00:00Z', summary: { add: 1, change: 0, destroy: 0, destroys: [], replaces: [] }, ...overrides,
    });
  }

  /** Records every apply in order; fails the stacks named in `failing`. */
  function applier(failing: string[] = []): StackApplier & { applied: string[] } {
    const applied: string[] = [];
    const fn = async ({ record }: SavedPlan) => {
      applied.push(record.stack);
      return failing.includes(record.stack) ? { ok: false as const, error: 'AccessDenied' } : { ok: true as const };
    };
    return Object.assign(fn, { applied });
  }

  const run = (applyStack: StackApplier, options: { now?: string; concurrency?: number; checkHealth?: HealthChecker; sleep?: (ms: number) => Promise<void> } = {}) => applyRun({
    root: repo.root, outDir: outDir(), head, platform, tenants, now: new Date(options.now ?? '2026-01-07T12:00:00Z'), concurrency: options.concurrency ?? 4, applyStack, readPlan,
    ...(options.checkHealth ? { checkHealth: options.checkHealth } : {}), ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  /**
   * Saves a channel bump's workload plan for every tenant following the channel, their maintenance
   * windows lifted (windows have tests of their own).
   */
  const bump = (channel: string) => {
    const ids = [...tenants].filter(([, t]) => t.channel === channel).map(([id]) => id).sort();
    for (const id of ids) {
      const { maintenanceWindow: _, ...always } = tenants.get(id)!;
      tenants.set(id, always);
      save(`tenant-${id}-workload`, { rollout: 'waves' });
    }
    return ids;
  };

  it('says a plan that changes nothing is applied without running it, and reads a plan without resource_changes', async () => {
    save('tenant-acme-data');
    const apply = applier();
    const report = await applyRun({
      root: repo.root, outDir: outDir(), head, platform, tenants, now: new Date('2026-01-07T12:00:00Z'), applyStack: apply,
      readPlan: async () => ({ format_version: '1.2', planned_values: {} }),
    });
    expect(apply.applied).toEqual([]);
    expect(report.outcomes).toEqual([expect.objectContaining({ unit: 'acme', status: 'applied', stacks: [{ stack: 'tenant-acme-data', action: 'apply', status: 'applied', unchanged: true }] })]);
  });

  it('creates data, then compute, then workload; cells and pools before any tenant', async () => {
    for (const stack of ['tenant-globex-workload', 'tenant-globex-compute', 'tenant-globex-data', 'cell-blue-1']) save(stack);
    const apply = applier();
    const report = await run(apply, { concurrency: 1 });
    expect(apply.applied).toEqual(['cell-blue-1', 'tenant-globex-data', 'tenant-globex-compute', 'tenant-globex-workload']);
    expect(report.outcomes.map((o) => [o.unit, o.status])).toEqual([['cell-blue-1', 'applied'], ['globex', 'applied']]);
  });

  it('offboards workload first, then compute, and never touches data', async () => {
    const gone = { action: 'destroy' as const, tenantFileHash: null };
    save('tenant-globex-compute', gone);
    save('tenant-globex-workload', gone);
    planned.set('tenant-globex-compute', [['aws_eks_cluster.cluster_cluster', ['delete']], ['aws_kms_key.cluster_key_key', ['delete']]]);
    repo.remove('tenants/globex.yaml');
    const apply = applier();
    const report = await run(apply);
    expect(apply.applied).toEqual(['tenant-globex-workload', 'tenant-globex-compute']);
    expect(report.outcomes[0]).toMatchObject({ unit: 'globex', status: 'applied' });
  });

  it('refuses a saved plan that destroys or replaces what holds data, whoever made it and whatever its record says', async () => {
    // A destroy of the data stack that slipped past planning (made by hand, or recorded as a purge).
    save('tenant-globex-data', { action: 'destroy', purge: true });
    planned.set('tenant-globex-data', [['aws_s3_bucket.bucket_bucket', ['delete']], ['aws_db_instance.database_instance', ['delete']], ['aws_vpc.network_vpc', ['delete']]]);
    save('tenant-acme-data');
    planned.set('tenant-acme-data', [['aws_db_instance.database_instance', ['delete', 'create']], ['aws_db_parameter_group.database_parameters', ['create', 'delete']]]);
    save('tenant-acme-workload');
    // Replacing what only configures data is no loss: a parameter group moving to a new family.
    save('tenant-stark-data');
    planned.set('tenant-stark-data', [['aws_db_parameter_group.database_parameters', ['create', 'delete']]]);
    const apply = applier();
    const report = await run(apply);
    expect(apply.applied).toEqual(['tenant-stark-data']);
    expect(report.outcomes.map((o) => [o.unit, o.status, o.detail])).toEqual([
      ['acme', 'failed', 'tenant-acme-data: refused: the saved plan destroys aws_db_instance.database_instance, which hold tenant data; only the reaping of a tenant past its retention and not on legal hold may'],
      ['globex', 'failed', 'tenant-globex-data: refused: the saved plan destroys aws_db_instance.database_instance, aws_s3_bucket.bucket_bucket, which hold tenant data; only the reaping of a tenant past its retention and not on legal hold may'],
      ['stark', 'applied', undefined],
    ]);
    expect(report.outcomes[0]!.stacks.map((x) => [x.stack, x.status])).toEqual([['tenant-acme-data', 'failed'], ['tenant-acme-workload', 'not reached']]);
  });

  it('keeps going for other tenants when one fails, and stops that tenant at its failing stack', async () => {
    for (const stack of ['tenant-acme-data', 'tenant-acme-workload', 'tenant-globex-data', 'tenant-globex-compute', 'tenant-globex-workload', 'tenant-stark-data']) save(stack);
    const apply = applier(['tenant-globex-compute']);
    const report = await run(apply);
    const globex = report.outcomes.find((o) => o.unit === 'globex')!;
    expect(globex.status).toBe('failed');
    expect(globex.stacks.map((s) => [s.stack, s.status])).toEqual([['tenant-globex-data', 'applied'], ['tenant-globex-compute', 'failed'], ['tenant-globex-workload', 'not reached']]);
    expect(report.outcomes.filter((o) => o.unit !== 'globex').map((o) => [o.unit, o.status])).toEqual([['acme', 'applied'], ['stark', 'applied']]);
    expect(apply.applied).not.toContain('tenant-globex-workload');
  });

  it('refuses a stale plan: the tenant file, the synthesized config or the commit changed', async () => {
    save('tenant-acme-workload');
    save('tenant-stark-workload');
    save('tenant-wonka-workload');
    repo.edit('tenants/acme.yaml', 'replicas: 3', 'replicas: 9');
    writeFileSync(join(outDir(), 'tenant-stark-workload', 'main.tf.json'), '{"changed":true}\n');
    const apply = applier();
    const report = await run(apply);
    expect(report.outcomes.map((o) => [o.unit, o.status, o.detail])).toEqual([
      ['acme', 'stale', 'refused: tenants/acme.yaml changed since the plan: plan again'],
      ['stark', 'stale', 'refused: the synthesized configuration changed since the plan: plan again'],
      ['wonka', 'applied', undefined],
    ]);
    expect(apply.applied).toEqual(['tenant-wonka-workload']);

    await repo.commit('moved on', () => undefined);
    head = await new Repository(repo.root).resolve('HEAD');
    const moved = await run(applier());
    expect(moved.outcomes.find((o) => o.unit === 'wonka')!.detail).toMatch(/^refused: planned at \w{12}, but the repository is at \w{12}: plan again$/);
  });

  it('rolls a fleet-wide change out in waves and halts when a wave fails more than it tolerates', async () => {
    const stable = [...tenants].filter(([, t]) => t.channel === 'stable').map(([id]) => id);
    for (const id of stable) save(`tenant-${id}-workload`, { rollout: 'waves' });
    const apply = applier(['tenant-wonka-workload']);
    const report = await run(apply, { now: '2026-01-10T03:00:00Z' });
    expect(report.waves.map((w) => [w.name, w.tenants, w.failures, w.halted])).toEqual([
      ['canary', ['wonka'], 1, false],
      ['early', expect.any(Array), 0, true],
      ['rest', expect.any(Array), 0, true],
    ]);
    expect(apply.applied).toEqual(['tenant-wonka-workload']);
    expect(report.leftBehind).toEqual([...stable].sort());
    expect(report.outcomes.find((o) => o.unit === 'acme')).toMatchObject({ status: 'halted', detail: 'not applied: wave canary of channel stable had 1 failures, more than the 0 it tolerates' });
  });

  it('counts a failed migration as a failure of its wave: the canary\'s halts the channel, a tolerated one in a later wave does not, and the record and summary say which Job', async () => {
    const fast = bump('fast');
    const migrationFailed = (tenant: string) => applyFailureReason(
      ['╷', `│ Error: job: tenant-${tenant}/migrate-2-15-0 is in failed state`, '│ ', '│   with kubernetes_job_v1.migration_job,', '╵'].join('\n'));
    const failing = (ids: string[]): StackApplier & { applied: string[] } => {
      const applied: string[] = [];
      const fn = async ({ record }: SavedPlan) => {
        applied.push(record.stack);
        return ids.includes(record.tenant!) ? { ok: false as const, error: migrationFailed(record.tenant!) } : { ok: true as const };
      };
      return Object.assign(fn, { applied });
    };

    const canaryFails = await run(failing(['oscorp']));
    expect(canaryFails.outcomes.find((o) => o.unit === 'oscorp')).toMatchObject({
      status: 'failed', wave: 'canary', detail: 'tenant-oscorp-workload: migration migrate-2-15-0 failed: the old version keeps serving (kubectl logs -n tenant-oscorp job/migrate-2-15-0); the next apply runs it again',
    });
    expect(canaryFails.halted).toBe('wave canary of channel fast had 1 failures, more than the 0 it tolerates');
    expect(canaryFails.leftBehind).toEqual(fast);

    const rest = fast.filter((id) => id !== 'oscorp');
    const oneTolerated = await run(failing([rest[0]!]));
    expect(oneTolerated.halted).toBeUndefined();
    expect(oneTolerated.waves.map((w) => [w.name, w.failures])).toEqual([['canary', 0], ['rest', 1]]);

    const stacks = Object.fromEntries(fast.map((id) => [`tenant-${id}-workload`, { tenant: id, action: 'apply' as const, configHash: 'h', status: 'pending' as const }]));
    const record = settleRollout({ id: 'r', base: head, head, startedAt: '', updatedAt: '', stacks }, canaryFails, new Date('2026-01-07T12:00:00Z'));
    expect(record.stacks['tenant-oscorp-workload']).toMatchObject({ status: 'failed', wave: 'canary', detail: expect.stringMatching(/^migration migrate-2-15-0 failed/) });
    expect(record.halted).toBe(canaryFails.halted);
  });

  it('bakes after a wave, checks the health of each tenant it applied, and halts before the next wave when the canary is unhealthy', async () => {
    platform.channels.stable!.waves[0]!.bakeMinutes = 30;
    platform.channels.stable!.health = { url: 'https://{tenant}.example-saas.com/healthz', timeoutSeconds: 10, private: false };
    const stable = bump('stable');
    const slept: number[] = [];
    const checked: string[] = [];
    const checkHealth: HealthChecker = async (tenant, check, context) => {
      checked.push(`${tenant} ${check.url} ${context.channel} ${context.version}`);
      return tenant === 'wonka' ? 'https://wonka.example-saas.com/healthz answered 503' : undefined;
    };
    const apply = applier();
    const report = await run(apply, { checkHealth, sleep: async (ms) => { slept.push(ms); } });
    expect(slept).toEqual([30 * 60_000]);
    expect(checked).toEqual(['wonka https://{tenant}.example-saas.com/healthz stable 2.14.1']);
    expect(apply.applied).toEqual(['tenant-wonka-workload']);
    expect(report.waves.map((w) => [w.name, w.failures, w.unhealthy, w.bakedMinutes, w.halted])).toEqual([
      ['canary', 1, 1, 30, false], ['early', 0, undefined, undefined, true], ['rest', 0, undefined, undefined, true],
    ]);
    expect(report.outcomes.find((o) => o.unit === 'wonka')).toMatchObject({ status: 'unhealthy', detail: 'https://wonka.example-saas.com/healthz answered 503', stacks: [{ status: 'applied' }] });
    expect(report.outcomes.find((o) => o.unit === 'acme')).toMatchObject({
      status: 'halted', detail: 'not applied: wave canary of channel stable had 1 failures (1 failed the health check: wonka: https://wonka.example-saas.com/healthz answered 503), more than the 0 it tolerates',
    });
    expect(report.leftBehind).toEqual(stable);
  });

  it('does not bake again a wave whose plans change nothing, as when a halted rollout resumes', async () => {
    platform.channels.stable!.waves[0]!.bakeMinutes = 30;
    bump('stable');
    save('tenant-wonka-workload', { rollout: 'waves', summary: { add: 0, change: 0, destroy: 0, destroys: [], replaces: [] } });
    const slept: number[] = [];
    const report = await run(applier(), { sleep: async (ms) => { slept.push(ms); } });
    expect(slept).toEqual([]);
    expect(report.waves[0]).toMatchObject({ name: 'canary', tenants: ['wonka'], failures: 0 });
    expect(report.waves[0]!.bakedMinutes).toBeUndefined();
  });

  it('moves on when a wave is healthy, counting unhealthy tenants against the failures it tolerates', async () => {
    platform.channels.stable!.health = { alarms: ['{tenant}-5xx'], timeoutSeconds: 10, private: false };
    const stable = bump('stable');
    const early = stable.filter((id) => id !== 'wonka');
    const unhealthy = early[0]!;
    const report = await run(applier(), { checkHealth: async (tenant) => (tenant === unhealthy ? `alarm ${tenant}-5xx is ALARM` : undefined) });
    const wave = report.waves.find((w) => w.tenants.includes(unhealthy))!;
    expect(wave).toMatchObject({ failures: 1, unhealthy: 1, halted: false });
    expect(wave.maxFailures).toBeGreaterThanOrEqual(1);
    expect(report.waves.every((w) => !w.halted)).toBe(true);
    expect(report.outcomes.filter((o) => o.status !== 'applied').map((o) => [o.unit, o.status])).toEqual([[unhealthy, 'unhealthy']]);
  });

  it('refuses to start a wave with a health check and nothing to run it', async () => {
    platform.channels.stable!.health = { url: 'https://{tenant}.example-saas.com/healthz', timeoutSeconds: 10, private: false };
    bump('stable');
    await expect(run(applier())).rejects.toThrow('wave canary of channel stable has a health check, and nothing was given to run it');
  });

  it('stops a paused channel at the wave boundary while other channels roll on', async () => {
    platform.channels.fast!.paused = true;
    const fast = bump('fast');
    const stable = bump('stable');
    const apply = applier();
    const report = await run(apply);
    expect(apply.applied.sort()).toEqual(stable.map((id) => `tenant-${id}-workload`));
    expect(report.waves.filter((w) => w.channel === 'fast').map((w) => [w.name, w.paused, w.halted])).toEqual([['canary', true, false], ['rest', true, false]]);
    expect(report.outcomes.filter((o) => o.status === 'paused').map((o) => o.unit).sort()).toEqual(fast);
    expect(report.outcomes.find((o) => o.unit === 'oscorp')!.detail).toBe('not applied: channel fast is paused in platform.yaml (set paused: false to resume)');
    expect(report.leftBehind).toEqual(fast);
  });

  it('caps the parallel applies of a channel at its maxConcurrent', async () => {
    const inFlight = { now: 0, most: 0 };
    const slow: StackApplier = async () => {
      inFlight.most = Math.max(inFlight.most, ++inFlight.now);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight.now--;
      return { ok: true };
    };
    bump('stable');
    await run(slow, { concurrency: 4 });
    expect(inFlight.most).toBe(4);
    inFlight.most = 0;
    platform.channels.stable!.maxConcurrent = 2;
    await run(slow, { concurrency: 4 });
    expect(inFlight.most).toBe(2);
  });

  it('never puts a tenant with upgrade: manual in a wave, and applies its own change at once', async () => {
    tenants.set('acme', { ...tenants.get('acme')!, upgrade: 'manual' });
    bump('stable');
    const report = await run(applier());
    expect(report.outcomes.find((o) => o.unit === 'acme')).toMatchObject({ status: 'manual', detail: 'upgrade: manual - never in a wave: its stacks change with its own file' });
    expect(report.waves.flatMap((w) => w.tenants)).not.toContain('acme');
    expect(report.leftBehind).toEqual(['acme']);

    save('tenant-acme-workload', { rollout: 'immediate' });
    const own = await run(applier());
    expect(own.outcomes.find((o) => o.unit === 'acme')).toMatchObject({ status: 'applied' });
  });

  it('defers a tenant outside its maintenance window, and applies the rest of its wave', async () => {
    for (const id of ['acme', 'wayne', 'stark']) save(`tenant-${id}-workload`, { rollout: 'waves' });
    // A Saturday at 03:00 UTC: inside acme's window (sat, sun 02:00 for 4 h), outside wayne's (sun 04:00 for 3 h).
    const report = await run(applier(), { now: '2026-01-10T03:00:00Z' });
    expect(report.outcomes.map((o) => [o.unit, o.status])).toEqual([['acme', 'applied'], ['stark', 'applied'], ['wayne', 'deferred']]);
    expect(report.outcomes.find((o) => o.unit === 'wayne')!.detail).toBe('outside its maintenance window (sun 04:00 UTC for 3 h); next opens 2026-01-11T04:00:00.000Z');
    expect(report.leftBehind).toEqual(['wayne']);
  });

  it('applies a tenant\'s own change at once, whatever its maintenance window', async () => {
    save('tenant-wayne-workload');
    const report = await run(applier(), { now: '2026-01-07T12:00:00Z' });
    expect(report.outcomes).toEqual([expect.objectContaining({ unit: 'wayne', status: 'applied' })]);
  });

  it('does not apply the tenants of a cell that failed', async () => {
    save('cell-blue-1');
    save('tenant-acme-data');
    save('tenant-globex-data');
    const report = await run(applier(['cell-blue-1']));
    expect(report.outcomes.map((o) => [o.unit, o.status])).toEqual([['acme', 'blocked'], ['cell-blue-1', 'failed'], ['globex', 'applied']]);
  });

  it('revokes a customer account\'s access once the offboarded tenant\'s stacks are destroyed', async () => {
    const revokes = { accountId: '123456789012', roleName: 'TenancyDeployer', externalIdSecret: 'tenancy/customers/umbrella/external-id', stillUsedBy: [] };
    save('tenant-umbrella-workload', { action: 'destroy', tenantFileHash: null, revokes });
    save('tenant-umbrella-compute', { action: 'destroy', tenantFileHash: null, revokes });
    repo.remove('tenants/umbrella.yaml');
    const revoked: string[] = [];
    const report = await applyRun({
      root: repo.root, outDir: outDir(), head, platform, tenants, now: new Date(), applyStack: applier(), readPlan,
      revoke: async (r) => { revoked.push(r.externalIdSecret); return 'revoked'; },
    });
    expect(revoked).toEqual(['tenancy/customers/umbrella/external-id']);
    expect(report.outcomes[0]).toMatchObject({ unit: 'umbrella', status: 'applied', access: 'revoked' });
  });
});
