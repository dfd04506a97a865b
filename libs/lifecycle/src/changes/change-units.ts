import type { Platform, Tenant } from '@tenancy/model';
import type { ShardUnit } from '../plan/shards';
import { stackKinds, type ChangeSet } from './change-set';

/** The units of work a change set makes: each changed tenant, each cell or pool, weighted by stacks to plan. */
export function changeUnits(changes: ChangeSet): ShardUnit[] {
  return [
    ...changes.tenants.filter((t) => t.work.length).map((t) => ({ unit: t.id, weight: t.work.length })),
    ...changes.shared.map((w) => ({ unit: w.stack, weight: 1 })),
  ];
}

/**
 * Every tenant, cell and pool of a fleet as units of work, weighted by the AWS stacks each plans
 * (data and workload, plus compute where the deployment has one). Cells and pools are named
 * `cell-<name>` and `pool-<name>`, as their stacks are.
 */
export function fleetUnits(platform: Platform, tenants: readonly { readonly id: string; readonly tenant: Tenant }[]): ShardUnit[] {
  return [
    ...tenants.map((t) => ({ unit: t.id, weight: stackKinds(t.tenant).length })),
    ...Object.keys(platform.cells).map((c) => ({ unit: `cell-${c}`, weight: 1 })),
    ...Object.keys(platform.pools).map((p) => ({ unit: `pool-${p}`, weight: 1 })),
  ];
}
