import type { Platform } from '@tenancy/model';
import type { HealthChecker } from '../apply/apply-run';
import { mapLimit } from '../concurrency';
import { settled, stacksByUnit, type RolloutRecord, type RolloutStack } from './rollout-record';
import type { RolloutStage } from './rollout-stages';

/** Health checks of a stage run at once. */
const HEALTH_CHECKS_AT_ONCE = 8;
/** Failed units a halt names; the record holds them all. */
const FAILURES_NAMED = 5;

export interface StageGateOptions {
  readonly platform: Platform;
  /** The records each job of the stage uploaded. */
  readonly parts: readonly RolloutRecord[];
  /** Checks a tenant the stage applied: undefined when healthy, else why not. */
  readonly checkHealth: HealthChecker;
  /** Waits the wave's bake time. @default a timer */
  readonly bake?: (minutes: number) => Promise<void>;
  /** Told of each unit found unhealthy. @default nothing */
  readonly onUnhealthy?: (unit: string, reason: string) => void;
  /** @default the time of the call */
  readonly now?: () => Date;
}

export interface StageVerdict {
  /** The record with the stage judged: its jobs' results merged, failures marked, the stage done or halted. */
  readonly record: RolloutRecord;
  readonly stage: RolloutStage;
  /** Why the rollout halts: more failures than the stage tolerates. */
  readonly halted?: string;
  readonly failed: readonly string[];
  /** Units whose stacks this stage's jobs applied. */
  readonly appliedNow: readonly string[];
  /** Minutes baked before the health checks (0 when nothing was applied or the wave has none). */
  readonly baked: number;
  /** Units health-checked, when the stage has a check. */
  readonly checked?: number;
  /** Whether another stage has work. */
  readonly more: boolean;
}

/** A unit's stacks with their entries in `stacks`. */
const own = (index: Map<string, string[]>, stacks: RolloutRecord['stacks'], unit: string): [string, RolloutStack][] => (index.get(unit) ?? []).map((name) => [name, stacks[name]!]);

/**
 * Judges the running stage of a rollout from its jobs' records: takes each stack's latest result,
 * waits the wave's bake time when the stage applied anything, checks the health of every unit it
 * applied in full, counts a stack no job reported as failed, and halts the rollout when the failed
 * units are more than the stage tolerates. Undefined when no stage is running.
 */
export async function judgeStage(record: RolloutRecord, options: StageGateOptions): Promise<StageVerdict | undefined> {
  const index = record.stages?.findIndex((s) => s.state === 'running') ?? -1;
  if (index < 0) return undefined;
  const now = options.now ?? (() => new Date());
  const stage = record.stages![index]!;
  const stacks = { ...record.stacks };
  const byUnit = stacksByUnit(record);
  const mine = (unit: string) => own(byUnit, stacks, unit);
  for (const unit of stage.units) {
    for (const [name, before] of own(byUnit, record.stacks, unit)) {
      const latest = options.parts.map((p) => p.stacks[name]).filter((s): s is RolloutStack => s !== undefined && (s.at ?? '') > (before.at ?? '')).sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''))[0];
      if (latest) stacks[name] = latest;
    }
  }
  const channel = stage.channel ? options.platform.channels[stage.channel] : undefined;
  const wave = channel?.waves.find((w) => w.name === stage.wave);
  const appliedNow = stage.units.filter((unit) => mine(unit).some(([name, s]) => s.status === 'applied' && record.stacks[name]?.status !== 'applied'));
  const baked = appliedNow.length ? wave?.bakeMinutes ?? 0 : 0;
  if (baked) await (options.bake ?? ((minutes) => new Promise<void>((resolve) => setTimeout(resolve, minutes * 60_000))))(baked);
  const check = wave?.health ?? channel?.health;
  const applied = stage.units.filter((unit) => { const entries = mine(unit); return entries.length > 0 && entries.every(([, s]) => settled(s)) && entries.some(([, s]) => s.status === 'applied'); });
  if (check && applied.length) {
    const verdicts = await mapLimit(applied, HEALTH_CHECKS_AT_ONCE, async (unit) => [unit, await options.checkHealth(unit, check, { channel: stage.channel!, version: channel!.version })] as const);
    for (const [unit, reason] of verdicts) {
      if (!reason) continue;
      options.onUnhealthy?.(unit, reason);
      for (const [name, s] of mine(unit)) stacks[name] = { ...s, status: 'failed', detail: `unhealthy: ${reason}`, at: now().toISOString() };
    }
  }
  // A job that never reported (its runner lost, say) leaves its stacks pending: a failure, so a
  // wave never passes without the tenants it was to apply.
  const at = now().toISOString();
  for (const unit of stage.units) {
    for (const [name, s] of mine(unit)) if (s.status === 'pending') stacks[name] = { ...s, status: 'failed', detail: 'not applied: its job did not report', at };
  }
  const failed = stage.units.filter((unit) => mine(unit).some(([, s]) => s.status === 'failed'));
  const halted = failed.length > stage.maxFailures
    ? `stage ${stage.name} had ${failed.length} failures (${failed.slice(0, FAILURES_NAMED).map((unit) => `${unit}: ${mine(unit).find(([, s]) => s.status === 'failed')![1].detail}`).join('; ')}), more than the ${stage.maxFailures} it tolerates`
    : undefined;
  const stages = record.stages!.map((s, i) => (i === index ? { ...s, state: halted ? 'halted' as const : 'done' as const } : s));
  const { halted: _, ...rest } = record;
  return {
    record: { ...rest, updatedAt: now().toISOString(), stacks, stages, ...(halted ? { halted } : {}) },
    stage, ...(halted ? { halted } : {}), failed, appliedNow, baked, ...(check ? { checked: applied.length } : {}),
    more: !halted && stages.some((s) => s.state === 'pending'),
  };
}
