import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFleet, type Platform, type Tenant } from '@tenancy/model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Repository } from '../git/repository';
import { PLAN_FILE } from '../plan/plan-stacks';
import { sha256, writePlanRecord, type PlanRecord } from '../plan/plan-record';
import { FleetRepo } from '../testing/fleet-repo';
import { applyRun, type SavedPlan, type StackApplier } from './apply-run';

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

  const run = (applyStack: StackApplier, options: { now?: string; concurrency?: number } = {}) => applyRun({
    root: repo.root, outDir: outDir(), head, platform, tenants, now: new Date(options.now ?? '2026-01-07T12:00:00Z'), concurrency: options.concurrency ?? 4, applyStack, readPlan,
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
