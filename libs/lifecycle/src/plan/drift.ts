import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STACK_FILE } from '@tenancy/stacks';
import type { OfflineSession } from '../offline/offline-session';
import type { TerraformCli } from '../terraform/terraform-cli';
import type { PlanTarget } from './plan-targets';
import { planStacks } from './plan-stacks';

/** Drift of one tenant (or cell or pool): stacks whose live state no longer matches the repository. */
export interface DriftResult {
  readonly unit: string;
  readonly status: 'clean' | 'drifted' | 'failed';
  readonly stacks: { readonly stack: string; readonly status: 'clean' | 'drifted' | 'failed' | 'skipped'; readonly detail: string }[];
}

/**
 * Plans every target as the repository has it, as the planner, with -detailed-exitcode: a stack
 * that would change has drifted from its file (someone changed it by hand, or an apply never landed).
 */
export async function detectDrift(targets: readonly PlanTarget[], options: { outDir: string; terraform: TerraformCli; offline?: OfflineSession; concurrency?: number }): Promise<DriftResult[]> {
  for (const target of targets) {
    const dir = join(options.outDir, target.work.stack);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, STACK_FILE), target.json);
  }
  const results = await planStacks(
    targets.map((t) => ({ name: t.work.stack, kind: t.work.kind, ...(t.work.tenant ? { tenant: t.work.tenant } : {}), dir: join(options.outDir, t.work.stack) })),
    { terraform: options.terraform, principal: 'planner', ...(options.offline ? { offline: options.offline } : {}), concurrency: options.concurrency ?? 2, detailedExitCode: true },
  );
  const units = new Map<string, DriftResult['stacks']>();
  for (const result of results) {
    const unit = result.stack.tenant ?? result.stack.name;
    const entry = result.status === 'planned'
      ? { stack: result.stack.name, status: (result.summary.add + result.summary.change + result.summary.destroy ? 'drifted' : 'clean') as 'drifted' | 'clean', detail: `+${result.summary.add} ~${result.summary.change} -${result.summary.destroy}${result.summary.destroys.length ? `; would destroy ${result.summary.destroys.join(', ')}` : ''}` }
      : result.status === 'skipped' ? { stack: result.stack.name, status: 'skipped' as const, detail: result.reason } : { stack: result.stack.name, status: 'failed' as const, detail: result.error };
    units.set(unit, [...(units.get(unit) ?? []), entry]);
  }
  return [...units].map(([unit, stacks]) => ({
    unit, stacks,
    status: stacks.some((s) => s.status === 'failed') ? 'failed' : stacks.some((s) => s.status === 'drifted') ? 'drifted' : 'clean',
  }));
}
