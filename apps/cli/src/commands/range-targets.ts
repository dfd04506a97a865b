import { hasErrors } from '@tenancy/model';
import {
  changeUnits, readRolloutRecord, rolloutProgress, targetsForChanges, unitsOfShard, type HeadFleet, type PlanTarget, type Repository,
} from '@tenancy/lifecycle';
import type { Principal } from '@tenancy/stacks';
import { asUsageError, UsageError } from '../exit-codes';
import { printDiagnostics } from '../output/diagnostics';
import { workspaceDirs } from '../workspace';
import { loadChanges } from './changes';

/** A commit range to plan or synthesize, and whose part of it. */
export interface RangeOptions {
  readonly root: string;
  readonly base: string;
  /** Must be the checked-out commit: stacks are synthesized from the work tree. */
  readonly head: string;
  readonly principal: Principal;
  /** `K/N`: only this shard of the change, as `tenancy matrix` split it. */
  readonly shard?: string;
  /** Only these tenants and shared stacks of the range. */
  readonly only?: ReadonlySet<string>;
}

/** The tenants and shared stacks of one shard, split as `tenancy matrix` split the change: by estimate. */
async function shardUnits(root: string, base: string, head: string, shard: string): Promise<Set<string>> {
  const units = changeUnits(await loadChanges(root, base, head, { exactFor: new Set() }));
  return asUsageError(() => unitsOfShard(units, shard));
}

/**
 * Where a deployer's plan starts: at the base asked for, or earlier at the base of an unfinished
 * rollout, so what it left (deferred by a window, paused, halted) is planned again even once a
 * later run succeeded; what it applied is skipped by the record. With an unfinished rollout, its
 * head is returned too: what changed since it (a revert of what it applied, an offboarding of
 * what it onboarded) is planned as well, or a range that nets out to nothing would leave it live.
 */
async function unfinishedRollout(root: string, base: string, repository: Repository): Promise<{ base: string; since?: string }> {
  const previous = readRolloutRecord(workspaceDirs(root).rollout);
  if (!previous || rolloutProgress(previous).complete) return { base };
  const asked = await repository.resolve(base);
  if (previous.base === asked || !(await repository.isAncestor(previous.base, asked).catch(() => false))) return { base };
  process.stdout.write(`rollout ${previous.id} is unfinished: planning from its base ${previous.base.slice(0, 12)}, not ${asked.slice(0, 12)}, and what changed since its head ${previous.head.slice(0, 12)}\n`);
  return { base: previous.base, since: previous.head };
}

/** What a range asks to plan: its targets (one shard's, or some units' only), its resolved base, and warnings for the reviewer. */
export async function rangeTargets(options: RangeOptions, head: HeadFleet, repository: Repository, current: string):
  Promise<{ targets: PlanTarget[]; base: string; warnings: string[] } | undefined> {
  const range = options.principal === 'deployer' && !options.shard && !options.only ? await unfinishedRollout(options.root, options.base, repository) : { base: options.base };
  const mine = options.shard ? await shardUnits(options.root, options.base, options.head, options.shard) : options.only;
  const changes = await loadChanges(options.root, range.base, options.head, mine ? { exactFor: mine } : {});
  if (changes.head !== current) throw new UsageError(`check out ${options.head} first: plans are made from, and applied to, the checked-out commit`);
  const since = range.since && range.since !== changes.head ? await loadChanges(options.root, range.since, options.head) : undefined;
  const diagnostics = [...changes.diagnostics, ...(since?.diagnostics.filter((d) => d.severity === 'error') ?? [])];
  printDiagnostics(diagnostics, (line) => process.stderr.write(`${line}\n`));
  if (hasErrors(diagnostics)) return undefined;
  const warnings = changes.diagnostics.filter((d) => d.severity === 'warning').map((d) => `${d.message}; ${d.hint ?? ''}`.replace(/; $/, ''));
  // Each stack once: as the change since the unfinished rollout's head asks for it, where it does.
  const byStack = new Map((await targetsForChanges(changes, head, repository)).map((t) => [t.work.stack, t]));
  for (const target of since ? await targetsForChanges(since, head, repository) : []) byStack.set(target.work.stack, target);
  const targets = [...byStack.values()];
  return { targets: mine ? targets.filter((t) => mine.has(t.work.tenant ?? t.work.stack)) : targets, base: changes.base, warnings };
}
