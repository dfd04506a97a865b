import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFleet } from '@tenancy/model';
import { Repository } from '../git/repository';
import { targetsForChanges } from '../plan/plan-targets';
import { FleetRepo, REPO } from '../testing/fleet-repo';
import { computeChanges, type ChangeSet, type TenantChange } from './change-set';

describe('changes between two commits', () => {
  let repo: FleetRepo;
  beforeEach(async () => { repo = await FleetRepo.create(); });
  afterEach(() => repo.dispose());

  const changesOf = async (change: (r: FleetRepo) => void, date?: string): Promise<ChangeSet> => {
    const base = await repo.commit('base', () => undefined, '2026-01-05T11:00:00Z');
    const head = await repo.commit('change', change, date);
    return computeChanges(new Repository(repo.root), base, head);
  };
  const changed = (set: ChangeSet) => set.tenants.filter((t) => t.kind !== 'unchanged');
  const stacksOf = (t: TenantChange) => t.work.map((w) => `${w.action} ${w.stack}`);

  it('onboards an added file: every stack of the new tenant', async () => {
    const set = await changesOf((r) => r.write('tenants/newco.yaml', r.read('tenants/globex.yaml').replace('id: globex', 'id: newco')));
    expect(changed(set)).toHaveLength(1);
    expect(changed(set)[0]).toMatchObject({ kind: 'onboard', id: 'newco' });
    expect(stacksOf(changed(set)[0]!)).toEqual(['apply tenant-newco-data', 'apply tenant-newco-compute', 'apply tenant-newco-workload']);
    expect(set.tenants.filter((t) => t.kind === 'unchanged')).toHaveLength(14);
  });

  it('upgrades an edited file: the fields that changed, and only the stacks whose Terraform changes', async () => {
    const set = await changesOf((r) => r.edit('tenants/acme.yaml', '    replicas: 3\n', '    replicas: 5\n'));
    expect(changed(set)).toEqual([{
      kind: 'upgrade', id: 'acme', fields: [{ path: 'resources.api.replicas', from: 3, to: 5 }],
      work: [{ stack: 'tenant-acme-workload', kind: 'workload', tenant: 'acme', action: 'apply', reasons: ['tenants/acme.yaml resources.api.replicas'] }],
    }]);
  });

  it('reaches the data stack when the tier changes the database size', async () => {
    const set = await changesOf((r) => r.edit('tenants/acme.yaml', 'tier: standard', 'tier: premium'));
    expect(stacksOf(changed(set)[0]!)).toEqual(['apply tenant-acme-data', 'apply tenant-acme-workload']);
  });

  it('finds nothing to do when only comments change', async () => {
    const set = await changesOf((r) => r.edit('tenants/acme.yaml', 'id: acme', 'id: acme # the first customer'));
    expect(changed(set)).toEqual([]);
  });

  it('offboards a deleted file: workload and compute from its last content, data kept for the retention of its last version', async () => {
    const set = await changesOf((r) => r.remove('tenants/umbrella.yaml'), '2026-03-01T09:30:00Z');
    expect(changed(set)).toEqual([expect.objectContaining({
      kind: 'offboard', id: 'umbrella', retentionDays: 2555, deletedAt: '2026-03-01T09:30:00.000Z', retainUntil: '2033-02-27T09:30:00.000Z',
      revokes: { accountId: '123456789012', roleName: 'TenancyDeployer', externalIdSecret: 'tenancy/customers/umbrella/external-id', stillUsedBy: [] },
    })]);
    expect(stacksOf(changed(set)[0]!)).toEqual(['destroy tenant-umbrella-workload', 'destroy tenant-umbrella-compute']);
  });

  it('says an offboarded tenant under legal hold keeps its data beyond its date', async () => {
    const set = await changesOf((r) => r.remove('tenants/umbrella.yaml'));
    expect(changed(set)).toEqual([expect.objectContaining({ kind: 'offboard', id: 'umbrella', legalHold: 'Litigation hold LH-2026-114' })]);
    const free = await changesOf((r) => r.remove('tenants/wonka.yaml'));
    expect(changed(free)[0]).not.toHaveProperty('legalHold');
  });

  it('keeps access to a customer account while its role serves other tenants, cells or pools', async () => {
    const set = await changesOf((r) => r.remove('tenants/initech-hr.yaml'));
    const offboard = changed(set)[0] as Extract<TenantChange, { kind: 'offboard' }>;
    expect(offboard.revokes!.stillUsedBy).toEqual(['tenant initech-fin', 'tenant initech-ops', 'cell initech', 'pool initech-shared']);
    expect(stacksOf(offboard)).toEqual(['destroy tenant-initech-hr-workload']);
  });

  it('takes a file moved to a new name as an offboarding and an onboarding, and warns that it is not a rename', async () => {
    const set = await changesOf((r) => {
      r.write('tenants/wonka-eu.yaml', r.read('tenants/wonka.yaml').replace('id: wonka', 'id: wonka-eu'));
      r.remove('tenants/wonka.yaml');
    });
    expect(changed(set).map((t) => [t.kind, t.id])).toEqual([['offboard', 'wonka'], ['onboard', 'wonka-eu']]);
    expect(set.diagnostics).toEqual([{
      file: 'tenants/wonka-eu.yaml', line: 1, column: 1, severity: 'warning', code: 'offboard-and-onboard',
      message: 'tenants/wonka.yaml is deleted and tenants/wonka-eu.yaml added with nearly the same content: wonka is offboarded and wonka-eu onboarded, not renamed',
      hint: "if you meant to rename, this keeps wonka's data until 2026-02-05 and gives wonka-eu empty data: a tenant's file name is its identity",
    }]);
  });

  it('takes an offboarding and another tenant\'s onboarding from the generator, merged apart, as the two changes they are', async () => {
    // As a new user would: one pull request deletes wonka, another adds a tenant like it (the generator's files are alike).
    const base = await repo.commit('keep', () => undefined, '2026-01-05T11:00:00Z');
    await repo.commit('offboard wonka', (r) => r.remove('tenants/wonka.yaml'), '2026-01-06T10:00:00Z');
    await repo.commit('onboard newco', (r) => r.write('tenants/newco.yaml', r.read('tenants/stark.yaml').replace('id: stark', 'id: newco').replace(/displayName: .*/, 'displayName: Newco')), '2026-01-07T10:00:00Z');
    const set = await computeChanges(new Repository(repo.root), base, 'HEAD');
    expect(set.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(changed(set).map((t) => [t.kind, t.id])).toEqual([['onboard', 'newco'], ['offboard', 'wonka']]);
  });

  it('says nothing of an offboarding and an onboarding that do not look alike', async () => {
    const set = await changesOf((r) => {
      r.remove('tenants/wonka.yaml');
      r.write('tenants/newco.yaml', r.read('tenants/globex.yaml').replace('id: globex', 'id: newco'));
    });
    expect(changed(set).map((t) => t.kind).sort()).toEqual(['offboard', 'onboard']);
    expect(set.diagnostics).toEqual([]);
  });

  it('calls out a shorter retention, the tenant\'s own or its tier\'s, and fewer days of backups, naming each tenant', async () => {
    const own = await changesOf((r) => r.edit('tenants/globex.yaml', 'retentionDays: 730', 'retentionDays: 7'));
    expect(own.diagnostics.filter((d) => d.code === 'retention-shortened').map((d) => `${d.file} ${d.severity} ${d.message}`)).toEqual([
      "tenants/globex.yaml warning shortens how long globex's deleted objects and backups are kept from 730 to 7 days",
    ]);
    const tier = await changesOf((r) => {
      r.edit('platform.yaml', '    retentionDays: 90\n', '    retentionDays: 7\n');
      r.edit('platform.yaml', 'backupRetentionDays: 14 }', 'backupRetentionDays: 1 }');
    });
    const shortened = tier.diagnostics.filter((d) => d.code === 'retention-shortened').map((d) => d.message);
    expect(shortened).toContain("shortens how long acme's deleted objects and backups are kept from 90 to 7 days");
    expect(shortened).toContain("shortens how long acme's automated database backups are kept from 14 to 1 days");
    // A tenant with a retention of its own keeps it whatever its tier's.
    expect(shortened.filter((m) => m.includes("globex's deleted"))).toEqual([]);
  });

  it('reaches a former tenant\'s kept data when a legal hold is placed on it or lifted, from its last file', async () => {
    await repo.commit('offboard wayne', (r) => r.remove('tenants/wayne.yaml'), '2026-01-05T10:30:00Z');
    const holdOf = (set: ChangeSet) => set.tenants.find((t) => t.id === 'wayne');
    const placed = await changesOf((r) => r.edit('platform.yaml', 'legalHolds:\n', 'legalHolds:\n  - tenant: wayne\n    reason: Subpoena 2026-77\n'));
    expect(holdOf(placed)).toMatchObject({ kind: 'hold', held: true, work: [{ stack: 'tenant-wayne-data', action: 'apply', reasons: ['platform.yaml legal hold placed on former tenant wayne'] }] });
    const head = new Repository(repo.root);
    const fleet = await loadFleet(repo.root);
    const [target] = await targetsForChanges(placed, { platform: fleet.platform!, tenants: fleet.tenants, texts: new Map() }, head);
    expect(target).toMatchObject({ tenantFileHash: null, rollout: 'immediate' });
    const lifecycle = JSON.parse(target!.json).resource.aws_s3_bucket_lifecycle_configuration.bucket_lifecycle as { rule: { id: string; status: string }[] };
    expect(lifecycle.rule.find((r) => r.id === 'expire-old-versions')!.status).toBe('Disabled');
    const lifted = await changesOf((r) => r.edit('platform.yaml', '  - tenant: wayne\n    reason: Subpoena 2026-77\n', ''));
    expect(holdOf(lifted)).toMatchObject({ kind: 'hold', held: false, work: [{ reasons: ['platform.yaml legal hold lifted from former tenant wayne'] }] });
  });

  it('makes no tenant work for files outside tenants/ and platform.yaml', async () => {
    const set = await changesOf((r) => r.write('README.md', 'notes\n'));
    expect(changed(set)).toEqual([]);
    expect(set.ignored).toEqual(['README.md']);
  });

  it('recognises a re-onboarded tenant whose data is still kept', async () => {
    await repo.commit('offboard wonka', (r) => r.remove('tenants/wonka.yaml'), '2026-02-01T00:00:00Z');
    const set = await changesOf((r) => r.write('tenants/wonka.yaml', readFileSync(join(REPO, 'tenants', 'wonka.yaml'), 'utf8')), '2026-02-10T00:00:00Z');
    expect(changed(set)).toEqual([expect.objectContaining({ kind: 'onboard', id: 'wonka', reattaches: { deletedAt: '2026-02-01T00:00:00.000Z', retainUntil: '2026-03-03T00:00:00.000Z' } })]);
  });

  describe('a platform.yaml change reaches exactly the stacks built from the field', () => {
    const platformChange = (from: string, to: string) => changesOf((r) => r.edit('platform.yaml', from, to));

    it('a channel version: the workloads of the tenants following it, not the pinned ones', async () => {
      const set = await platformChange('version: 2.14.1', 'version: 2.15.0');
      expect(changed(set).map((t) => t.id)).toEqual(['acme', 'cyberdyne', 'globex', 'initech-fin', 'initech-hr', 'initech-ops', 'soylent', 'stark', 'wayne', 'wonka']);
      expect(new Set(changed(set).flatMap((t) => t.work.map((w) => w.kind)))).toEqual(new Set(['workload']));
      expect(changed(set)[0]!.work[0]!.reasons).toEqual(['platform.yaml channels.stable.version: 2.14.1 → 2.15.0']);
      expect(set.shared).toEqual([]);
    });

    it('a cell\'s nodes: the cell stack only', async () => {
      const set = await platformChange('nodes: { instanceType: m6i.xlarge, min: 2, max: 6 }', 'nodes: { instanceType: m6i.xlarge, min: 2, max: 8 }');
      expect(changed(set)).toEqual([]);
      expect(set.shared.map((w) => w.stack)).toEqual(['cell-hosted-1']);
    });

    it('a cell\'s network: the cell, and its tenants\' data and workload stacks', async () => {
      const set = await platformChange('vpcCidr: 10.80.0.0/16', 'vpcCidr: 10.82.0.0/16');
      expect(set.shared.map((w) => w.stack)).toEqual(['cell-hosted-1']);
      expect(changed(set).flatMap(stacksOf)).toEqual(['apply tenant-cyberdyne-data', 'apply tenant-cyberdyne-workload', 'apply tenant-oscorp-data', 'apply tenant-oscorp-workload']);
    });

    it('a tier\'s quota: the workloads of that tier', async () => {
      const set = await platformChange('quota: { cpu: 4, memory: 8Gi, pods: 20 }', 'quota: { cpu: 6, memory: 12Gi, pods: 20 }');
      expect(changed(set).flatMap(stacksOf)).toEqual(['apply tenant-cyberdyne-workload', 'apply tenant-stark-workload', 'apply tenant-wonka-workload']);
    });

    it('an add-on version: every cluster of that Kubernetes version, the cells\', pools\' and dedicated tenants\'', async () => {
      const set = await platformChange('eks-pod-identity-agent: v1.3.4-eksbuild.1', 'eks-pod-identity-agent: v1.3.5-eksbuild.1');
      expect(set.shared.map((w) => w.stack).sort()).toEqual(['cell-blue-1', 'cell-blue-2', 'cell-hosted-1', 'cell-initech', 'pool-hosted-shared', 'pool-initech-shared', 'pool-shared-1']);
      expect(changed(set).flatMap(stacksOf)).toEqual(['apply tenant-globex-compute', 'apply tenant-soylent-compute', 'apply tenant-umbrella-compute']);
    });

    it('the control plane\'s repository, principals and tag keys: no fleet stack (the control plane and account stacks are a person\'s to apply)', async () => {
      const set = await changesOf((r) => {
        r.edit('platform.yaml', 'repository: example-saas/tenants', 'repository: example-saas/fleet');
        r.edit('platform.yaml', 'plannerRoleName: tenancy-planner', 'plannerRoleName: tenancy-reviewer');
        r.edit('platform.yaml', 'tagKeys: [cost-center, data-classification, business-unit]', 'tagKeys: [cost-center, data-classification, business-unit, team]');
      });
      expect(changed(set)).toEqual([]);
      expect(set.shared).toEqual([]);
    });

    it('capacity, waves, runners and a hold\'s wording: no stack at all', async () => {
      const set = await changesOf((r) => {
        r.edit('platform.yaml', 'capacity: { tenants: 40, cpu: 96, memory: 384Gi }', 'capacity: { tenants: 50, cpu: 96, memory: 384Gi }');
        r.edit('platform.yaml', 'percent: 25', 'percent: 30');
        r.edit('platform.yaml', 'runners: [ubuntu-latest]', 'runners: [self-hosted, tenancy-vpc]');
        r.edit('platform.yaml', 'Litigation hold LH-2026-114', 'Litigation hold LH-2026-115');
      });
      expect(changed(set)).toEqual([]);
      expect(set.shared).toEqual([]);
      expect(set.platform.map((f) => f.path).sort()).toEqual(['cells.blue-1.capacity.tenants', 'channels.stable.waves.early.percent', 'controlPlane.runners', 'legalHolds']);
    });

    it('a legal hold placed or lifted: the data stack of that tenant only', async () => {
      const placed = await platformChange('    since: "2026-06-01"\n', '    since: "2026-06-01"\n  - tenant: wayne\n    reason: Audit AU-7\n');
      expect(changed(placed).flatMap(stacksOf)).toEqual(['apply tenant-wayne-data']);
      expect(changed(placed)[0]!.work[0]!.reasons).toEqual(['platform.yaml legal hold placed on wayne']);
      expect(placed.shared).toEqual([]);
      repo.dispose();
      repo = await FleetRepo.create();
      const lifted = await platformChange('legalHolds:\n  - tenant: umbrella\n    reason: Litigation hold LH-2026-114\n    since: "2026-06-01"\n', 'legalHolds: []\n');
      expect(changed(lifted).flatMap(stacksOf)).toEqual(['apply tenant-umbrella-data']);
      expect(changed(lifted)[0]!.work[0]!.reasons).toEqual(['platform.yaml legal hold lifted from umbrella']);
    });

    it('a tier\'s retention: the data stacks of its tenants that keep the tier\'s, and their dedicated clusters\' logs', async () => {
      // Premium: globex and umbrella set their own retention; soylent, dedicated, keeps the tier's.
      const set = await platformChange('retentionDays: 365', 'retentionDays: 400');
      expect(changed(set).flatMap(stacksOf).sort()).toEqual(['apply tenant-soylent-compute', 'apply tenant-soylent-data']);
    });
  });
});
