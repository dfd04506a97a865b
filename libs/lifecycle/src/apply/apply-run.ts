import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { HealthCheck, Platform, Tenant } from '@tenancy/model';
import { APPLY_ORDER, DESTROY_ORDER } from '../changes/stack-work';
import { mapLimit } from '../concurrency';
import { readPlanRecord, type PlanRecord } from '../plan/plan-record';
import { dataRiskRefusal, dataRisks, planChanges } from './data-guard';
import { describeWindow, inMaintenanceWindow, nextWindow } from './maintenance-window';
import { staleness } from './staleness';
import { rolloutWaves, type RolloutWave } from './waves';

/** A saved plan ready to apply. */
export interface SavedPlan {
  readonly dir: string;
  readonly record: PlanRecord;
}

export type StackApplier = (plan: SavedPlan) => Promise<{ ok: true } | { ok: false; error: string }>;

export interface StackOutcome {
  readonly stack: string;
  readonly action: 'apply' | 'destroy';
  readonly status: 'applied' | 'failed' | 'not reached';
  readonly error?: string;
  /** The saved plan changed nothing, so nothing was applied. */
  readonly unchanged?: boolean;
}

/** What happened to one tenant (or one cell or pool), and why. */
export interface UnitOutcome {
  readonly unit: string;
  readonly status: 'applied' | 'failed' | 'unhealthy' | 'stale' | 'deferred' | 'paused' | 'manual' | 'halted' | 'blocked';
  readonly detail?: string;
  readonly wave?: string;
  readonly stacks: StackOutcome[];
  /** What an offboarding did about the customer's access. */
  readonly access?: string;
  /** For an offboarding: when it was first applied, which starts the data's retention clock. */
  readonly offboardedAt?: string;
}

export interface ApplyReport {
  readonly outcomes: UnitOutcome[];
  readonly waves: WaveReport[];
  /** Tenants a halted, paused or deferred rollout (or their own failure) left on the previous version. */
  readonly leftBehind: string[];
  /** Why the rollout halted, when a wave failed more than it tolerates. */
  readonly halted?: string;
}

/** What became of one wave: its failures (applies and health checks) and the gate after it. */
export interface WaveReport extends RolloutWave {
  readonly failures: number;
  /** Not started: an earlier wave halted the rollout. */
  readonly halted: boolean;
  /** Not started: its channel is paused in platform.yaml. */
  readonly paused?: boolean;
  /** Minutes waited after the wave before its health check and the next wave. */
  readonly bakedMinutes?: number;
  /** Applied tenants whose health check failed. */
  readonly unhealthy?: number;
}

/** Why a tenant is unhealthy, or undefined when every part of the check passed. */
export type HealthChecker = (tenant: string, check: HealthCheck, context: { readonly channel: string; readonly version: string }) => Promise<string | undefined>;

export interface ApplyRunOptions {
  readonly root: string;
  readonly outDir: string;
  /** The checked-out commit: plans made at another are stale. */
  readonly head: string;
  /** platform.yaml and tenants at head: waves, maintenance windows. */
  readonly platform: Platform;
  readonly tenants: ReadonlyMap<string, Tenant>;
  readonly now: Date;
  /** Tenants (and shared stacks) applied at once. @default 4 */
  readonly concurrency?: number;
  /** Only these tenants' plans. @default every saved plan */
  readonly only?: ReadonlySet<string>;
  /** Units not to apply at all, with why (a stack of theirs failed to plan). @default none */
  readonly blocked?: ReadonlyMap<string, string>;
  readonly applyStack: StackApplier;
  /** The saved plan as `terraform show -json` gives it: checked for data loss before it is applied. */
  readonly readPlan: (plan: SavedPlan) => Promise<unknown>;
  /** Called after an offboarding's stacks are destroyed, for customer-account tenants. */
  readonly revoke?: (revocation: NonNullable<PlanRecord['revokes']>) => Promise<string>;
  /** Called after an offboarding's stacks are destroyed: records when (the first time only); returns when it was first applied. */
  readonly offboarded?: (tenant: string, deletedIn: string) => Promise<string>;
  readonly onOutcome?: (outcome: UnitOutcome) => void;
  /** Checks a tenant after its wave; required when a channel or wave of the rollout has a health check. */
  readonly checkHealth?: HealthChecker;
  /** Waits out a wave's bake time. @default a timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Whether fleet-wide changes roll out in waves with their gates. A job of a staged rollout
   * applies its share of one stage at once, and `tenancy rollout gate` judges the stage. @default true
   */
  readonly waves?: boolean;
}

/** Every saved plan under the out dir. */
export function savedPlans(outDir: string): SavedPlan[] {
  if (!existsSync(outDir)) return [];
  return readdirSync(outDir).flatMap((name) => {
    const record = readPlanRecord(join(outDir, name));
    return record ? [{ dir: join(outDir, name), record }] : [];
  });
}

/** Stacks of one unit in the order they must run: creations and updates first, then destructions. */
function ordered(plans: readonly SavedPlan[]): SavedPlan[] {
  const rank = ({ record }: SavedPlan) => (record.action === 'apply' ? APPLY_ORDER.indexOf(record.kind) : 10 + DESTROY_ORDER.indexOf(record.kind));
  return [...plans].sort((a, b) => rank(a) - rank(b));
}

/** The tenant a stack of the fleet belongs to, by its name. */
const tenantOfStack = (stack: string) => /^tenant-(.+)-(data|compute|workload)$/.exec(stack)?.[1];

/**
 * Applies one saved plan unless it deletes, replaces or weakens what holds tenant data, judged from
 * the plan and the stack's own name, never from its record. Applying never purges (reaping does,
 * on its own), so no such plan is let through here, whatever its record claims. A plan that
 * changes nothing is not applied.
 */
async function guarded(plan: SavedPlan, options: ApplyRunOptions): Promise<{ ok: true; unchanged?: true } | { ok: false; error: string }> {
  const stack = basename(plan.dir);
  const tenant = tenantOfStack(stack);
  const planJson = await options.readPlan(plan);
  const risks = dataRisks(planJson, { stack, held: tenant !== undefined && options.platform.legalHolds.some((h) => h.tenant === tenant) });
  if (risks.length) return { ok: false, error: dataRiskRefusal(risks) };
  if (!planChanges(planJson)) return { ok: true, unchanged: true };
  return options.applyStack(plan);
}

async function applyUnit(unit: string, plans: readonly SavedPlan[], options: ApplyRunOptions, wave?: string): Promise<UnitOutcome> {
  const stacks: StackOutcome[] = [];
  let failed: string | undefined;
  for (const plan of ordered(plans)) {
    if (failed) {
      stacks.push({ stack: plan.record.stack, action: plan.record.action, status: 'not reached' });
      continue;
    }
    const result = await guarded(plan, options);
    if (result.ok) {
      stacks.push({ stack: plan.record.stack, action: plan.record.action, status: 'applied', ...(result.unchanged ? { unchanged: true } : {}) });
    } else {
      failed = `${plan.record.stack}: ${result.error}`;
      stacks.push({ stack: plan.record.stack, action: plan.record.action, status: 'failed', error: result.error });
    }
  }
  const revocation = plans.find((p) => p.record.revokes)?.record.revokes;
  const access = !failed && revocation && options.revoke ? await options.revoke(revocation) : undefined;
  const offboarding = plans.find((p) => p.record.offboarding)?.record.offboarding;
  const offboardedAt = !failed && offboarding && options.offboarded ? await options.offboarded(unit, offboarding.deletedIn) : undefined;
  const outcome: UnitOutcome = {
    unit, status: failed ? 'failed' : 'applied', stacks, ...(failed ? { detail: failed } : {}), ...(wave ? { wave } : {}), ...(access ? { access } : {}),
    ...(offboardedAt ? { offboardedAt } : {}),
  };
  options.onOutcome?.(outcome);
  return outcome;
}

/**
 * Applies saved plans: cells and pools first, then tenants, each tenant's stacks in order (data,
 * compute, workload when creating; workload, compute when offboarding), none that loses data. Tenants run in parallel
 * with bounded concurrency and one tenant's failure never stops another's. Fleet-wide changes
 * roll out in their channel's waves within each tenant's maintenance window; a wave with more
 * failures than it tolerates halts the rest.
 */
export async function applyRun(options: ApplyRunOptions): Promise<ApplyReport> {
  const concurrency = options.concurrency ?? 4;
  const plans = savedPlans(options.outDir).filter((p) => !options.only || options.only.has(p.record.tenant ?? p.record.stack));
  const units = new Map<string, SavedPlan[]>();
  for (const plan of plans) units.set(plan.record.tenant ?? plan.record.stack, [...(units.get(plan.record.tenant ?? plan.record.stack) ?? []), plan]);
  const outcomes: UnitOutcome[] = [];
  const settle = (outcome: UnitOutcome) => { outcomes.push(outcome); options.onOutcome?.(outcome); };

  const ready = new Map<string, SavedPlan[]>();
  for (const [unit, unitPlans] of units) {
    const stale = unitPlans.map((p) => staleness(p.record, p.dir, options.root, options.head)).find(Boolean);
    const blocked = options.blocked?.get(unit);
    if (stale) settle({ unit, status: 'stale', detail: `refused: ${stale}`, stacks: [] });
    else if (blocked) settle({ unit, status: 'blocked', detail: blocked, stacks: [] });
    else ready.set(unit, unitPlans);
  }

  const shared = [...ready].filter(([, p]) => p[0]!.record.tenant === undefined);
  const sharedResults = await mapLimit(shared, concurrency, ([unit, p]) => applyUnit(unit, p, options));
  outcomes.push(...sharedResults);
  const failedShared = new Set(sharedResults.filter((o) => o.status === 'failed').map((o) => o.unit));
  const placementStack = (tenant: Tenant | undefined) =>
    tenant?.deployment.model === 'multi-tenant' ? `cell-${tenant.deployment.cell}` : tenant?.deployment.model === 'resource-shared' ? `pool-${tenant.deployment.pool}` : undefined;

  const tenantUnits = [...ready].filter(([, p]) => p[0]!.record.tenant !== undefined);
  const runnable: [string, SavedPlan[]][] = [];
  for (const [unit, p] of tenantUnits) {
    const placement = placementStack(options.tenants.get(unit));
    if (placement && failedShared.has(placement)) settle({ unit, status: 'blocked', detail: `${placement} failed to apply`, stacks: [] });
    else runnable.push([unit, p]);
  }
  const immediate = runnable.filter(([, p]) => p.every((x) => x.record.rollout === 'immediate'));
  outcomes.push(...(await mapLimit(immediate, concurrency, ([unit, p]) => applyUnit(unit, p, options))));

  const rolling = new Map(runnable.filter(([, p]) => p.some((x) => x.record.rollout === 'waves')));
  const leftBehind: string[] = [];
  for (const unit of [...rolling.keys()].filter((id) => options.tenants.get(id)?.upgrade === 'manual')) {
    settle({ unit, status: 'manual', detail: 'upgrade: manual - never in a wave: its stacks change with its own file', stacks: [] });
    rolling.delete(unit);
    leftBehind.push(unit);
  }
  const affected = new Map([...rolling.keys()].map((id) => [id, options.tenants.get(id)!]));
  const waves: WaveReport[] = [];
  let halted: string | undefined;
  const batches: RolloutWave[] = options.waves === false
    ? (affected.size ? [{ name: 'stage', maxFailures: Number.MAX_SAFE_INTEGER, tenants: [...affected.keys()].sort() }] : [])
    : rolloutWaves(affected, options.platform);
  for (const wave of batches) {
    const channel = wave.channel ? options.platform.channels[wave.channel] : undefined;
    const stop = halted ? { status: 'halted' as const, why: `not applied: ${halted}` }
      : channel?.paused ? { status: 'paused' as const, why: `not applied: channel ${wave.channel} is paused in platform.yaml (set paused: false to resume)` } : undefined;
    if (stop) {
      for (const unit of wave.tenants) settle({ unit, status: stop.status, wave: wave.name, detail: stop.why, stacks: [] });
      leftBehind.push(...wave.tenants);
      waves.push({ ...wave, failures: 0, halted: stop.status === 'halted', ...(stop.status === 'paused' ? { paused: true } : {}) });
      continue;
    }
    const due: string[] = [];
    for (const unit of wave.tenants) {
      const window = options.tenants.get(unit)?.maintenanceWindow;
      if (inMaintenanceWindow(window, options.now)) {
        due.push(unit);
      } else {
        settle({ unit, status: 'deferred', ...(options.waves === false ? {} : { wave: wave.name }), detail: `outside its maintenance window (${describeWindow(window!)}); next opens ${nextWindow(window!, options.now).toISOString()}`, stacks: [] });
        leftBehind.push(unit);
      }
    }
    const cap = Math.min(concurrency, channel?.maxConcurrent ?? concurrency);
    const applied = await mapLimit(due, cap, (unit) => applyUnit(unit, rolling.get(unit)!, options, options.waves === false ? undefined : wave.name));
    // A wave whose plans change nothing (a resumed rollout's earlier waves) has nothing to bake.
    const changed = due.some((unit) => rolling.get(unit)!.some(({ record: { summary } }) => summary.add + summary.change + summary.destroy > 0));
    const gate = await afterWave(wave, applied, options, cap, changed);
    outcomes.push(...gate.results);
    const failures = gate.results.filter((o) => o.status === 'failed' || o.status === 'unhealthy');
    leftBehind.push(...failures.map((o) => o.unit));
    if (failures.length > wave.maxFailures) {
      const unhealthy = failures.filter((o) => o.status === 'unhealthy');
      halted = `wave ${wave.name}${wave.channel ? ` of channel ${wave.channel}` : ''} had ${failures.length} failures${unhealthy.length ? ` (${unhealthy.length} failed the health check: ${unhealthy[0]!.unit}: ${unhealthy[0]!.detail})` : ''}, more than the ${wave.maxFailures} it tolerates`;
    }
    waves.push({ ...wave, failures: failures.length, halted: false, ...(gate.bakedMinutes ? { bakedMinutes: gate.bakedMinutes } : {}), ...(gate.checked ? { unhealthy: gate.results.filter((o) => o.status === 'unhealthy').length } : {}) });
  }
  return { outcomes: outcomes.sort((a, b) => a.unit.localeCompare(b.unit)), waves, leftBehind: leftBehind.sort(), ...(halted ? { halted } : {}) };
}

/**
 * The gate after a wave: its bake time when it changed anything, then the health check of every
 * tenant it applied. A tenant that fails the check becomes `unhealthy` and counts as a failure of
 * the wave.
 */
async function afterWave(wave: RolloutWave, applied: UnitOutcome[], options: ApplyRunOptions, concurrency: number, changed: boolean): Promise<{ results: UnitOutcome[]; bakedMinutes: number; checked: boolean }> {
  const channel = wave.channel ? options.platform.channels[wave.channel] : undefined;
  const definition = channel?.waves.find((w) => w.name === wave.name);
  const healthy = applied.filter((o) => o.status === 'applied');
  const bakedMinutes = healthy.length && changed ? definition?.bakeMinutes ?? 0 : 0;
  if (bakedMinutes) await (options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))))(bakedMinutes * 60_000);
  const check = definition?.health ?? channel?.health;
  if (!check || !healthy.length) return { results: applied, bakedMinutes, checked: false };
  if (!options.checkHealth) throw new Error(`wave ${wave.name} of channel ${wave.channel} has a health check, and nothing was given to run it`);
  const verdicts = new Map(await mapLimit(healthy, concurrency, async (o) => [o.unit, await options.checkHealth!(o.unit, check, { channel: wave.channel!, version: channel!.version })] as const));
  const results = applied.map((outcome): UnitOutcome => {
    const reason = verdicts.get(outcome.unit);
    if (!reason) return outcome;
    const unhealthy: UnitOutcome = { ...outcome, status: 'unhealthy', detail: reason };
    options.onOutcome?.(unhealthy);
    return unhealthy;
  });
  return { results, bakedMinutes, checked: true };
}
