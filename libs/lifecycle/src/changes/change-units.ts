import type { ShardUnit } from '../plan/shards';
import type { ChangeSet } from './change-set';

/** The units of work a change set makes: each changed tenant, each cell or pool, weighted by stacks to plan. */
export function changeUnits(changes: ChangeSet): ShardUnit[] {
  return [
    ...changes.tenants.filter((t) => t.work.length).map((t) => ({ unit: t.id, weight: t.work.length })),
    ...changes.shared.map((w) => ({ unit: w.stack, weight: 1 })),
  ];
}
