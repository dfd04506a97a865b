import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { PRINCIPAL_VARIABLE, type Principal, type StackKind } from '@tenancy/stacks';
import { dataRiskRefusal, dataRisks, holdsData } from '../apply/data-guard';
import { mapLimit } from '../concurrency';
import { OFFLINE_OVERRIDE_FILE } from '../offline/offline-override';
import type { OfflineSession } from '../offline/offline-session';
import { summarizePlanEvents, type PlanSummary } from '../terraform/plan-summary';
import { initStacks } from '../terraform/prepare-stacks';
import type { TerraformCli } from '../terraform/terraform-cli';

/** The saved plan file inside each stack folder. */
export const PLAN_FILE = 'tenancy.tfplan';

export interface StackToPlan {
  readonly name: string;
  readonly kind: StackKind;
  readonly tenant?: string;
  /** The stack's folder, holding its synthesized JSON. */
  readonly dir: string;
  /** Plan the destruction of everything in the stack. @default false */
  readonly destroy?: boolean;
  /** Data past retention, synthesized in purge mode: the only plans allowed to destroy data. @default false */
  readonly purge?: boolean;
}

export type StackPlanResult =
  | { readonly stack: StackToPlan; readonly status: 'planned'; readonly summary: PlanSummary; readonly seconds: number; readonly planJson?: unknown }
  | { readonly stack: StackToPlan; readonly status: 'failed'; readonly error: string }
  | { readonly stack: StackToPlan; readonly status: 'skipped'; readonly reason: string };

export interface PlanStacksOptions {
  readonly terraform: TerraformCli;
  /** Which control-plane principal plans, and so which account role each stack assumes. */
  readonly principal: Principal;
  /** Present when planning without cloud credentials. */
  readonly offline?: OfflineSession;
  /** Stacks planned at once. @default 2 */
  readonly concurrency?: number;
  /** Also save `terraform show -json` of each plan (about 3 s a stack). @default false */
  readonly planJson?: boolean;
  /** Plan with -detailed-exitcode, as drift detection does: exit 2 means changes, not failure. @default false */
  readonly detailedExitCode?: boolean;
  /** Called as each stack's plan ends. */
  readonly onResult?: (result: StackPlanResult) => void;
  /**
   * Whether a stack's tenant is under legal hold at head (lifting a hold returns data to its
   * retention), for the check of each plan's weakenings. @default none held
   */
  readonly held?: (stack: string) => boolean;
}

/** Workload stacks need the Kubernetes provider, which no offline mirror holds. */
function offlineSkip(stack: StackToPlan): string | undefined {
  return stack.kind === 'workload' ? 'Kubernetes objects: checked by synthesis only, the hashicorp/kubernetes provider is not available offline' : undefined;
}

/**
 * Initializes and plans stacks: every stack gets a saved plan and its summary; a stack that fails
 * is reported and never stops the others.
 */
export async function planStacks(stacks: readonly StackToPlan[], options: PlanStacksOptions): Promise<StackPlanResult[]> {
  const report = (result: StackPlanResult) => { options.onResult?.(result); return result; };
  const skipped = new Map(stacks.map((s) => [s.name, options.offline ? offlineSkip(s) : undefined]));
  const runnable = stacks.filter((s) => !skipped.get(s.name));
  // An override left by an earlier offline run would send a real plan to the stand-in and local state.
  for (const stack of runnable) options.offline ? options.offline.prepare(stack.dir, stack.name) : rmSync(join(stack.dir, OFFLINE_OVERRIDE_FILE), { force: true });
  const inits = await initStacks(options.terraform, runnable.map((s) => s.dir), { backend: true, concurrency: options.concurrency ?? 2 });
  const initFailure = new Map(runnable.map((s, i) => [s.name, inits[i]!.code === 0 ? undefined : inits[i]!.stderr.trim()]));

  return mapLimit(stacks, options.concurrency ?? 2, async (stack): Promise<StackPlanResult> => {
    const reason = skipped.get(stack.name);
    if (reason) return report({ stack, status: 'skipped', reason });
    const initError = initFailure.get(stack.name);
    if (initError) return report({ stack, status: 'failed', error: `terraform init failed: ${initError}` });
    const started = performance.now();
    // Offline there is no infrastructure to read back, so the plan compares config with state as it is.
    // Only the deployer's plans, which are applied, lock the state: the planner may not write a lock, nor hold one against an apply.
    const result = await options.terraform.plan(stack.dir, {
      out: PLAN_FILE, json: true, destroy: stack.destroy ?? false, lock: !options.offline && options.principal === 'deployer', refresh: !options.offline, detailedExitCode: options.detailedExitCode ?? false,
      variables: { [PRINCIPAL_VARIABLE]: options.principal },
    });
    if (result.code !== 0 && !(options.detailedExitCode && result.code === 2)) return report({ stack, status: 'failed', error: planError(result.stdout, result.stderr) });
    const summary = summarizePlanEvents(result.stdout);
    const dataLost = stack.purge ? [] : summary.destroys.filter((address) => holdsData(address, stack.kind));
    if (dataLost.length) {
      return report({ stack, status: 'failed', error: `refused: the plan would destroy ${dataLost.join(', ')}, which hold tenant data; only reaping past retention may` });
    }
    const planJson = options.planJson ? await options.terraform.showPlan(stack.dir, PLAN_FILE) : undefined;
    const weakened = planJson && !stack.purge ? dataRisks(planJson, { stack: stack.name, held: options.held?.(stack.name) ?? false }).filter((r) => r.risk === 'weakens') : [];
    if (weakened.length) return report({ stack, status: 'failed', error: dataRiskRefusal(weakened).replace('the saved plan', 'the plan') });
    return report({ stack, status: 'planned', summary, seconds: (performance.now() - started) / 1000, ...(planJson ? { planJson } : {}) });
  });
}

/** Terraform's error diagnostics from a failed `plan -json`, as text. */
function planError(stdout: string, stderr: string): string {
  const errors = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { '@level': string; diagnostic?: { summary: string; detail?: string } })
    .filter((e) => e['@level'] === 'error' && e.diagnostic).map((e) => `${e.diagnostic!.summary}${e.diagnostic!.detail ? `: ${e.diagnostic!.detail}` : ''}`);
  return errors.join('\n') || stderr.trim() || 'terraform plan failed';
}

/** The folder of a stack under an out dir. */
export function stackDir(outDir: string, name: string): string {
  return join(outDir, name);
}
