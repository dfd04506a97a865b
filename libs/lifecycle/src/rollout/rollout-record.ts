import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ApplyReport, UnitOutcome } from '../apply/apply-run';
import type { RolloutStage } from './rollout-stages';

/** Where a stack of a rollout stands; `held` is a tenant with upgrade: manual, which no rollout moves. */
export type RolloutStackStatus = 'pending' | 'applied' | 'failed' | 'skipped' | 'held';

export interface RolloutStack {
  /** The tenant it belongs to; absent for a cell or pool. */
  readonly tenant?: string;
  readonly action: 'apply' | 'destroy';
  /** SHA-256 of the configuration it was planned from: an applied stack with the same hash is not applied again. */
  readonly configHash: string;
  readonly status: RolloutStackStatus;
  readonly wave?: string;
  /** Why it failed or was skipped, or which rollout applied it. */
  readonly detail?: string;
  readonly at?: string;
}

/** One merge's worth of change, applied over one or more runs. */
export interface RolloutRecord {
  /** The head commit's first 12 characters. */
  readonly id: string;
  readonly base: string;
  readonly head: string;
  readonly startedAt: string;
  readonly updatedAt: string;
  /** Why the rollout halted, when a wave failed more than it tolerates. */
  readonly halted?: string;
  readonly stacks: Readonly<Record<string, RolloutStack>>;
  /** Present when the rollout runs stage by stage across workflow runs (`tenancy rollout next`). */
  readonly stages?: RolloutStage[];
}

/** Whether a stack needs nothing more from its rollout: applied, or held by upgrade: manual. */
export function settled(stack: RolloutStack): boolean {
  return stack.status === 'applied' || stack.status === 'held';
}

/** The names of each tenant's (or cell's or pool's) stacks in a record, read once instead of scanning every stack per tenant. */
export function stacksByUnit(record: RolloutRecord): Map<string, string[]> {
  const byUnit = new Map<string, string[]>();
  for (const [name, stack] of Object.entries(record.stacks)) {
    const names = byUnit.get(stack.tenant ?? name);
    if (names) names.push(name);
    else byUnit.set(stack.tenant ?? name, [name]);
  }
  return byUnit;
}

/** A stack a rollout is about to plan. */
export interface RolloutTarget {
  readonly stack: string;
  readonly tenant?: string;
  readonly action: 'apply' | 'destroy';
  readonly configHash: string;
}

export function readRolloutRecord(path: string): RolloutRecord | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as RolloutRecord) : undefined;
}

export function writeRolloutRecord(path: string, record: RolloutRecord): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(record, null, 1)}\n`);
}

/**
 * The record of a rollout about to be planned, and the targets it still has to plan. The same
 * rollout (same head) planned again keeps each stack's entry while its configuration is the same,
 * and plans only what is not applied or held. A new rollout carries over, as applied, what an
 * earlier unfinished one applied from the same configuration (a finished one's stacks are planned:
 * they may have changed since, outside any rollout); everything else is pending.
 */
export function startRollout(previous: RolloutRecord | undefined, range: { base: string; head: string }, targets: readonly RolloutTarget[], now: Date, options: { partial?: boolean } = {}):
  { record: RolloutRecord; toPlan: RolloutTarget[] } {
  const id = range.head.slice(0, 12);
  const same = previous?.id === id ? previous : undefined;
  const resumed = !same && previous && !rolloutProgress(previous).complete ? previous : undefined;
  // A partial plan (a retry, or one job of a stage) keeps the rest of its rollout's record as it was.
  const stacks: Record<string, RolloutStack> = options.partial && same ? { ...same.stacks } : {};
  const toPlan: RolloutTarget[] = [];
  for (const target of targets) {
    const before = (same ?? resumed)?.stacks[target.stack];
    const unchanged = before !== undefined && before.configHash === target.configHash && before.action === target.action;
    const base = { ...(target.tenant ? { tenant: target.tenant } : {}), action: target.action, configHash: target.configHash };
    if (unchanged && same) {
      stacks[target.stack] = before;
      if (!settled(before)) toPlan.push(target);
    } else if (unchanged && before.status === 'applied') {
      stacks[target.stack] = { ...base, status: 'applied', detail: before.detail ?? `applied in rollout ${resumed!.id}`, ...(before.at ? { at: before.at } : {}) };
    } else {
      stacks[target.stack] = { ...base, status: 'pending' };
      toPlan.push(target);
    }
  }
  const kept = same ? { ...(same.stages ? { stages: same.stages } : {}), ...(same.halted ? { halted: same.halted } : {}) } : {};
  return { record: { id, base: range.base, head: range.head, startedAt: same?.startedAt ?? now.toISOString(), updatedAt: now.toISOString(), stacks, ...kept }, toPlan };
}

/** A stack as a plan left it: one that failed to plan has failed, one the plan skipped is skipped. */
export interface PlannedRolloutStack {
  readonly stack: string;
  readonly status: 'planned' | 'failed' | 'skipped';
  readonly error?: string;
  readonly reason?: string;
}

/** The record after a plan: what could not be planned will not be applied, and says why. */
export function recordPlan(record: RolloutRecord, planned: readonly PlannedRolloutStack[], now: Date): RolloutRecord {
  const stacks = { ...record.stacks };
  for (const { stack, status, error, reason } of planned) {
    const entry = stacks[stack];
    if (!entry || status === 'planned') continue;
    stacks[stack] = status === 'failed'
      ? { ...entry, status: 'failed', detail: `did not plan: ${(error ?? '').split('\n').find((line) => line.trim()) ?? 'failed'}`, at: now.toISOString() }
      : { ...entry, status: 'skipped', detail: reason ? `not planned: ${reason}` : 'not planned', at: now.toISOString() };
  }
  return { ...record, updatedAt: now.toISOString(), stacks };
}

/** The record after an apply: each stack's result, from its tenant's (or shared stack's) outcome. */
export function settleRollout(record: RolloutRecord, report: Pick<ApplyReport, 'outcomes' | 'halted'>, now: Date): RolloutRecord {
  const at = now.toISOString();
  const byUnit = new Map<string, UnitOutcome>(report.outcomes.map((o) => [o.unit, o]));
  const stacks = Object.fromEntries(Object.entries(record.stacks).map(([name, stack]): [string, RolloutStack] => {
    const outcome = byUnit.get(stack.tenant ?? name);
    // A stack whose plan failed stays failed: its tenant is blocked, not skipped.
    if (!outcome || stack.status === 'applied' || (stack.status === 'failed' && outcome.status === 'blocked')) return [name, stack];
    const own = outcome.stacks.find((s) => s.stack === name);
    const wave = outcome.wave ? { wave: outcome.wave } : {};
    if (outcome.status === 'unhealthy') return [name, { ...stack, ...wave, status: 'failed', detail: `unhealthy: ${outcome.detail}`, at }];
    // Of the other outcomes, only an applied or a failed tenant's lists its stacks.
    if (own?.status === 'applied') return [name, { ...stack, ...wave, status: 'applied', detail: `applied in rollout ${record.id}`, at }];
    if (own?.status === 'failed') return [name, { ...stack, ...wave, status: 'failed', detail: own.error ?? 'failed', at }];
    // Its tenant applied without it: the plan skipped it (a workload stack offline) or failed.
    if (outcome.status === 'applied') return [name, { ...stack, ...wave, status: 'skipped', detail: 'no saved plan of it in this run', at }];
    if (outcome.status === 'failed') return [name, { ...stack, ...wave, status: 'skipped', detail: `not reached: ${outcome.detail}`, at }];
    return [name, { ...stack, ...wave, status: outcome.status === 'manual' ? 'held' : 'skipped', detail: `${outcome.status}: ${outcome.detail ?? ''}`.replace(/: $/, ''), at }];
  }));
  const { halted: _, ...rest } = record;
  return { ...rest, updatedAt: at, stacks, ...(report.halted ? { halted: report.halted } : {}) };
}

/** How far a rollout got: stacks by status, the tenants (or shared stacks) with a failed stack, and whether every stack is applied or held. */
export function rolloutProgress(record: RolloutRecord): { counts: Record<RolloutStackStatus, number>; failedUnits: string[]; complete: boolean } {
  const counts: Record<RolloutStackStatus, number> = { pending: 0, applied: 0, failed: 0, skipped: 0, held: 0 };
  const failed = new Set<string>();
  for (const [name, stack] of Object.entries(record.stacks)) {
    counts[stack.status] += 1;
    if (stack.status === 'failed') failed.add(stack.tenant ?? name);
  }
  return { counts, failedUnits: [...failed].sort(), complete: counts.applied + counts.held === Object.keys(record.stacks).length };
}
