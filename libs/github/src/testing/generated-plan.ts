import type { PlannedStack, PlanRun } from '@tenancy/lifecycle';

export interface GeneratedChange {
  readonly tenants: number;
  /** Every n-th tenant is offboarded: its workload and compute destroyed, its data kept. @default 50 */
  readonly offboardEvery?: number;
  /** Every n-th tenant failed to plan. @default 333 */
  readonly failEvery?: number;
  /** Split into this many shard runs, as the plan jobs upload them. @default 1 */
  readonly shards?: number;
}

const BASE = 'a'.repeat(40);
const HEAD = 'b'.repeat(40);

function stacksOf(index: number, change: GeneratedChange): PlannedStack[] {
  const tenant = `tenant-${String(index).padStart(5, '0')}`;
  const offboarded = index % (change.offboardEvery ?? 50) === 0;
  if (offboarded) {
    const destroys = Array.from({ length: 14 }, (_, i) => `kubernetes_deployment.resource_${i}`);
    return [
      { stack: `tenant-${tenant}-workload`, kind: 'workload', tenant, action: 'destroy', status: 'planned', retainUntil: '2027-02-01T00:00:00.000Z', reasons: ['offboarded'], summary: { add: 0, change: 0, destroy: destroys.length, destroys, replaces: [] } },
      { stack: `tenant-${tenant}-compute`, kind: 'compute', tenant, action: 'destroy', status: 'planned', retainUntil: '2027-02-01T00:00:00.000Z', reasons: ['offboarded'], summary: { add: 0, change: 0, destroy: 3, destroys: ['aws_eks_node_group.nodes', 'aws_eks_cluster.cluster', 'aws_iam_role.nodes'], replaces: [] } },
    ];
  }
  if (index % (change.failEvery ?? 333) === 0) {
    return [{ stack: `tenant-${tenant}-workload`, kind: 'workload', tenant, action: 'apply', status: 'failed', error: `Error: reading EKS cluster (${tenant}): AccessDeniedException: not authorized`, reasons: ['resources[0].image changed'] }];
  }
  return [{ stack: `tenant-${tenant}-workload`, kind: 'workload', tenant, action: 'apply', status: 'planned', reasons: ['resources[0].image changed', 'platform release 2026.11 rolled out'], summary: { add: 0, change: 2, destroy: 0, destroys: [], replaces: [] } }];
}

/** The plan runs of a generated change to many tenants: image upgrades, some offboardings and failures. */
export function generatedPlanRuns(change: GeneratedChange): PlanRun[] {
  const shards = change.shards ?? 1;
  const runs = Array.from({ length: shards }, () => [] as PlannedStack[]);
  for (let i = 1; i <= change.tenants; i++) runs[i % shards]!.push(...stacksOf(i, change));
  return runs.map((stacks) => ({ base: BASE, head: HEAD, offline: false, plannedAt: '2026-11-24T10:00:00.000Z', stacks }));
}
