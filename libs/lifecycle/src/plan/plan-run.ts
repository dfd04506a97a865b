import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeStack, type Principal } from '@tenancy/stacks';
import { APPLY_ORDER, DESTROY_ORDER } from '../changes/stack-work';
import type { OfflineSession } from '../offline/offline-session';
import type { TerraformCli } from '../terraform/terraform-cli';
import { PLAN_JSON_FILE, PLAN_RECORD_FILE, sha256, writePlanRecord, type PlanRecord } from './plan-record';
import type { PlanTarget } from './plan-targets';
import { PLAN_FILE, planStacks, type StackPlanResult } from './plan-stacks';

export interface PlanRunOptions {
  readonly outDir: string;
  readonly terraform: TerraformCli;
  /** Which control-plane principal plans: the planner for review, the deployer for a plan that is applied. */
  readonly principal: Principal;
  readonly offline?: OfflineSession;
  readonly base: string;
  readonly head: string;
  /** @default 2 */
  readonly concurrency?: number;
  readonly onResult?: (result: StackPlanResult) => void;
  /** Where the run's summary is written, for pull request comments. */
  readonly summaryFile: string;
  /** What a reviewer should read before merging (warnings about the change itself). @default none */
  readonly warnings?: readonly string[];
  /** Who will be told what once the change is applied. @default none */
  readonly notices?: readonly PlannedNotice[];
  /** Tenants under legal hold at head: the plans of their data may not lower its protection. @default none */
  readonly heldTenants?: ReadonlySet<string>;
}

/** A notice the change will send once applied: to whom, about which tenant. */
export interface PlannedNotice {
  readonly tenant: string;
  readonly event: string;
  /** Email addresses, and `webhook` when the tenant has one. */
  readonly to: readonly string[];
}

/** One stack of a plan run, as the run summary and pull request comments show it. */
export interface PlannedStack {
  readonly stack: string;
  readonly kind: PlanRecord['kind'];
  readonly tenant?: string;
  readonly action: 'apply' | 'destroy';
  readonly status: StackPlanResult['status'];
  readonly summary?: PlanRecord['summary'];
  readonly error?: string;
  readonly reason?: string;
  readonly retainUntil?: string;
  readonly reasons: string[];
}

export interface PlanRun {
  readonly base: string;
  readonly head: string;
  readonly offline: boolean;
  readonly plannedAt: string;
  readonly stacks: PlannedStack[];
  /** Warnings about the change itself, such as a tenant offboarded and a look-alike onboarded. */
  readonly warnings?: string[];
  readonly notices?: PlannedNotice[];
}

/** Removes the saved plans of earlier runs, so `apply` can only ever apply this run's. */
function clearSavedPlans(outDir: string): void {
  if (!existsSync(outDir)) return;
  for (const name of readdirSync(outDir)) {
    for (const file of [PLAN_FILE, PLAN_RECORD_FILE, PLAN_JSON_FILE]) rmSync(join(outDir, name, file), { force: true });
  }
}

function ordered(targets: readonly PlanTarget[]): PlanTarget[] {
  const rank = (t: PlanTarget) => (t.work.action === 'destroy' ? 10 + DESTROY_ORDER.indexOf(t.work.kind) : APPLY_ORDER.indexOf(t.work.kind));
  return [...targets].sort((a, b) => rank(a) - rank(b) || (a.work.tenant ?? '').localeCompare(b.work.tenant ?? '') || a.work.stack.localeCompare(b.work.stack));
}

/** Writes the targets' stacks, plans each, and records every saved plan and the run. */
export async function runPlan(targets: readonly PlanTarget[], options: PlanRunOptions): Promise<PlanRun> {
  clearSavedPlans(options.outDir);
  const list = ordered(targets);
  for (const target of list) writeStack(options.outDir, { name: target.work.stack, kind: target.work.kind, json: target.json });
  const byStack = new Map(list.map((t) => [t.work.stack, t]));
  const results = await planStacks(
    list.map((t) => ({
      name: t.work.stack, kind: t.work.kind, ...(t.work.tenant ? { tenant: t.work.tenant } : {}),
      dir: join(options.outDir, t.work.stack), destroy: t.work.action === 'destroy', purge: t.purge ?? false,
    })),
    {
      terraform: options.terraform, principal: options.principal, ...(options.offline ? { offline: options.offline } : {}), concurrency: options.concurrency ?? 2, planJson: true,
      ...(options.onResult ? { onResult: options.onResult } : {}), held: (stack) => options.heldTenants?.has(byStack.get(stack)?.work.tenant ?? '') ?? false,
    },
  );
  const plannedAt = new Date().toISOString();
  const stacks = results.map((result): PlannedStack => {
    const target = byStack.get(result.stack.name)!;
    if (result.status === 'planned') {
      writePlanRecord(result.stack.dir, {
        stack: target.work.stack, kind: target.work.kind, ...(target.work.tenant ? { tenant: target.work.tenant } : {}),
        action: target.work.action, principal: options.principal, purge: target.purge ?? false, base: options.base, head: options.head,
        ...(target.tenantFile ? { tenantFile: target.tenantFile, tenantFileHash: target.tenantFileHash ?? null } : {}),
        configHash: sha256(target.json), rollout: target.rollout, reasons: target.work.reasons, summary: result.summary,
        offline: options.offline !== undefined, plannedAt, ...(target.retainUntil ? { retainUntil: target.retainUntil } : {}),
        ...(target.revokes ? { revokes: target.revokes } : {}), ...(target.offboarding ? { offboarding: target.offboarding } : {}),
      }, result.planJson);
    }
    return {
      stack: target.work.stack, kind: target.work.kind, ...(target.work.tenant ? { tenant: target.work.tenant } : {}),
      action: target.work.action, status: result.status, reasons: target.work.reasons,
      ...(result.status === 'planned' ? { summary: result.summary } : {}),
      ...(result.status === 'failed' ? { error: result.error } : {}),
      ...(result.status === 'skipped' ? { reason: result.reason } : {}),
      ...(target.retainUntil ? { retainUntil: target.retainUntil } : {}),
    };
  });
  const run: PlanRun = {
    base: options.base, head: options.head, offline: options.offline !== undefined, plannedAt, stacks,
    ...(options.warnings?.length ? { warnings: [...options.warnings] } : {}), ...(options.notices?.length ? { notices: [...options.notices] } : {}),
  };
  writeRun(options.summaryFile, run);
  return run;
}

/** Records a run that reaches no stack: no saved plan is left for `apply`, and the summary says so. */
export function recordEmptyRun(options: { outDir: string; summaryFile: string; base: string; head: string; offline: boolean; warnings?: readonly string[]; notices?: readonly PlannedNotice[] }): PlanRun {
  clearSavedPlans(options.outDir);
  const run: PlanRun = {
    base: options.base, head: options.head, offline: options.offline, plannedAt: new Date().toISOString(), stacks: [],
    ...(options.warnings?.length ? { warnings: [...options.warnings] } : {}), ...(options.notices?.length ? { notices: [...options.notices] } : {}),
  };
  writeRun(options.summaryFile, run);
  return run;
}

function writeRun(file: string, run: PlanRun): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
}
