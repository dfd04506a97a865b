import { join } from 'node:path';
import { hasErrors } from '@tenancy/model';
import {
  changeScope, readRolloutRecord, recordEmptyRun, recordPlan, Repository, runPlan, startRollout, targetsForNames, writeRolloutRecord,
  type PlannedNotice, type PlanRun, type PlanTarget, type StackPlanResult,
} from '@tenancy/lifecycle';
import { configurationOf, type Principal } from '@tenancy/stacks';
import { rangeFleets, rolloutNotices, type Notice } from '@tenancy/notifications';
import { EXIT, UsageError } from '../exit-codes';
import { printDiagnostics } from '../output/diagnostics';
import { renderTable } from '../output/table';
import { workspaceDirs } from '../workspace';
import { headFleetOf, loadValidFleet } from './load-valid-fleet';
import { rangeTargets } from './range-targets';
import { withTerraform } from './terraform-session';

export interface PlanOptions {
  readonly root: string;
  readonly tenants: readonly string[];
  readonly cells: readonly string[];
  readonly pools: readonly string[];
  readonly base?: string;
  readonly head?: string;
  readonly offline: boolean;
  readonly concurrency: number;
  /** The control-plane principal the plan is made as; only the deployer's plans may be applied. */
  readonly principal: Principal;
  /** `K/N`: only this shard of the change, as `tenancy matrix` split it. */
  readonly shard?: string;
  /** Only these tenants and shared stacks of the range (a retry of a rollout's failures). */
  readonly only?: ReadonlySet<string>;
}

/** The run summary a plan writes, read by `apply` and the pull request comment. */
export const runSummaryFile = (root: string) => join(workspaceDirs(root).plans, 'run.json');

function progress(result: StackPlanResult): string {
  switch (result.status) {
    case 'planned': return `+${result.summary.add} ~${result.summary.change} -${result.summary.destroy}`;
    case 'skipped': return `skipped: ${result.reason}`;
    case 'failed': return `FAILED`;
  }
}

/** Exit 1 when any stack failed to plan; prints every destroy by address. */
export function printRun(run: PlanRun, write: (line: string) => void): number {
  const rows = run.stacks.map((s) => [
    s.tenant ?? '-', s.stack, s.action === 'destroy' ? 'destroy' : 'apply',
    s.summary ? `+${s.summary.add} ~${s.summary.change} -${s.summary.destroy}` : s.status,
    s.summary?.destroys.length ? s.summary.destroys.join(', ') : s.retainUntil ? `data kept until ${s.retainUntil.slice(0, 10)}` : '',
  ]);
  write(renderTable(['tenant', 'stack', 'action', 'plan', 'destroys'], rows));
  const failed = run.stacks.filter((s) => s.status === 'failed');
  for (const s of failed) write(`\n${s.stack}: ${s.error}`);
  const totals = run.stacks.reduce((t, s) => ({ add: t.add + (s.summary?.add ?? 0), change: t.change + (s.summary?.change ?? 0), destroy: t.destroy + (s.summary?.destroy ?? 0) }), { add: 0, change: 0, destroy: 0 });
  write(`\n${run.stacks.length} stacks: +${totals.add} ~${totals.change} -${totals.destroy}; ${failed.length} failed${run.offline ? ' (offline plan)' : ''}`);
  return failed.length ? EXIT.invalid : EXIT.ok;
}

/**
 * A deployer's plan of a range starts (or continues) the rollout record: stacks an unfinished
 * rollout already applied from the same configuration are not planned again.
 */
function continueRollout(root: string, range: { base: string; head: string }, targets: PlanTarget[], write: (line: string) => void, partial: boolean): PlanTarget[] {
  const path = workspaceDirs(root).rollout;
  const previous = readRolloutRecord(path);
  const wanted = targets.map((t) => ({ stack: t.work.stack, ...(t.work.tenant ? { tenant: t.work.tenant } : {}), action: t.work.action, configHash: configurationOf(t.json) }));
  const { record, toPlan } = startRollout(previous, range, wanted, new Date(), { partial });
  writeRolloutRecord(path, record);
  const carried = targets.length - toPlan.length;
  if (carried) write(`rollout ${record.id}: ${carried} stacks already applied from the same configuration by rollout ${previous!.id}, not planned again`);
  const planned = new Set(toPlan.map((t) => t.stack));
  return targets.filter((t) => planned.has(t.work.stack));
}

/** Who the notices of a range go to, as the pull request comment lists them (an upgrade's failure notice, to operators, is not foreseen). */
function plannedNotices(notices: readonly Notice[]): PlannedNotice[] {
  return notices.map((n) => ({ tenant: n.tenant, event: n.event, to: n.deliveries.map((d) => (d.channel === 'email' ? d.to : 'webhook')) }));
}

export async function planCommand(options: PlanOptions): Promise<number> {
  const byRange = options.base !== undefined || options.head !== undefined;
  const byName = options.tenants.length + options.cells.length + options.pools.length > 0;
  if (byRange === byName || (byRange && (!options.base || !options.head))) {
    throw new UsageError('plan named stacks (--tenant, --cell, --pool) or a commit range (--base and --head), not both');
  }
  const repository = new Repository(options.root);
  // A reviewer's plan reads only what the range reaches; a deployer's, which may start from an
  // unfinished rollout's earlier base, checks the whole fleet before anything is applied.
  const scope = byRange && options.principal === 'planner' ? await changeScope(repository, options.base!, options.head!).catch(() => undefined) : undefined;
  const fleet = await loadValidFleet(options.root, { ...(scope ? { scope } : {}), atHead: byRange });
  if (!fleet) return EXIT.invalid;
  const head = headFleetOf(options.root, fleet);
  const current = (await repository.hasCommits().catch(() => false)) ? await repository.resolve('HEAD') : 'none';

  let targets: PlanTarget[];
  let base = current;
  let warnings: string[] = [];
  let notices: PlannedNotice[] = [];
  if (byRange) {
    const range = await rangeTargets({ ...options, base: options.base!, head: options.head! }, head, repository, current);
    if (!range) return EXIT.invalid;
    ({ targets, base, warnings } = range);
    // The review's comment says who the change will tell what; a deployer's plan is applied, not reviewed.
    if (options.principal === 'planner' && fleet.platform.notifications) {
      notices = plannedNotices(rolloutNotices(await rangeFleets(repository, base, current), { now: new Date() }));
    }
  } else {
    if (options.shard) throw new UsageError('--shard splits a commit range (--base and --head), not named stacks');
    const unknown = [
      ...options.tenants.filter((id) => !fleet.tenants.some((t) => t.id === id)).map((id) => `tenant ${id}`),
      ...options.cells.filter((c) => !fleet.platform.cells[c]).map((c) => `cell ${c}`),
      ...options.pools.filter((p) => !fleet.platform.pools[p]).map((p) => `pool ${p}`),
    ];
    if (unknown.length) throw new UsageError(`not in the fleet: ${unknown.join(', ')}`);
    targets = targetsForNames(head, { tenants: options.tenants, cells: options.cells, pools: options.pools });
  }
  const write = (line: string) => process.stdout.write(`${line}\n`);
  const rollout = byRange && options.principal === 'deployer' && !options.shard;
  if (rollout) targets = continueRollout(options.root, { base, head: current }, targets, write, options.only !== undefined);
  if (targets.length === 0) {
    write('nothing to plan: no stack is reached by the change');
    // The comment job reads every shard's run, an empty one included.
    recordEmptyRun({ outDir: workspaceDirs(options.root).out, summaryFile: runSummaryFile(options.root), base, head: current, offline: options.offline, warnings, notices });
    return EXIT.ok;
  }
  return withTerraform(options.root, options.offline, async ({ terraform, offline }) => {
    write(`planning ${targets.length} stacks as the ${options.principal}${offline ? `, offline: AWS calls go to the stand-in on ${offline.standIn.url}` : ''}`);
    let done = 0;
    const run = await runPlan(targets, {
      outDir: workspaceDirs(options.root).out, terraform, principal: options.principal, ...(offline ? { offline } : {}), base, head: current,
      concurrency: options.concurrency, summaryFile: runSummaryFile(options.root), warnings, notices, heldTenants: new Set(fleet.platform.legalHolds.map((h) => h.tenant)),
      onResult: (result) => write(`  [${String(++done).padStart(String(targets.length).length)}/${targets.length}] ${result.stack.name} ${progress(result)}`),
    });
    write('');
    if (rollout) {
      const path = workspaceDirs(options.root).rollout;
      writeRolloutRecord(path, recordPlan(readRolloutRecord(path)!, run.stacks, new Date()));
    }
    return printRun(run, write);
  });
}
