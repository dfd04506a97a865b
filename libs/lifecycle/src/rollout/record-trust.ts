import { z } from 'zod';
import { mapLimit } from '../concurrency';
import type { Repository } from '../git/repository';
import type { AppliedStateReader } from './applied-state';
import { settled, type RolloutRecord, type RolloutStack } from './rollout-record';
import type { RolloutStage } from './rollout-stages';

/**
 * The rollout record travels on a branch and in artifacts, which anyone with push access (or a
 * job of another workflow) can write. It is read as untrusted: its shape and range are checked,
 * its stages must be the ones platform.yaml and the tenant files give, and a stack counts as
 * applied only when Terraform's state holds the configuration the record names. What does not
 * check out is refused loudly, or (an unconfirmed claim) planned again.
 */

const Commit = z.string().regex(/^[0-9a-f]{40}$/, 'is not a full commit id');

const RecordSchema = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{12}$/),
  base: Commit,
  head: Commit,
  startedAt: z.string(),
  updatedAt: z.string(),
  halted: z.string().optional(),
  stacks: z.record(z.string().regex(/^[a-z0-9-]+$/), z.strictObject({
    tenant: z.string().optional(),
    action: z.enum(['apply', 'destroy']),
    configHash: z.string().min(1),
    status: z.enum(['pending', 'applied', 'failed', 'skipped', 'held']),
    wave: z.string().optional(),
    detail: z.string().optional(),
    at: z.string().optional(),
  })),
  stages: z.array(z.strictObject({
    name: z.string(),
    channel: z.string().optional(),
    wave: z.string().optional(),
    maxFailures: z.int().min(0),
    units: z.array(z.string()),
    state: z.enum(['pending', 'running', 'done', 'halted', 'paused']),
    shards: z.array(z.array(z.string())).optional(),
  })).optional(),
});

/** A record read from text, refused with what is wrong when it is not one. */
export function parseRolloutRecord(text: string, from: string): RolloutRecord {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RecordRefused(from, [`it is not JSON: ${(error as Error).message}`]);
  }
  const parsed = RecordSchema.safeParse(json);
  if (!parsed.success) throw new RecordRefused(from, parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'the record'}: ${i.message}`));
  return parsed.data as RolloutRecord;
}

/** A rollout record that does not check out: what did not match, and where it came from. */
export class RecordRefused extends Error {
  constructor(readonly from: string, readonly problems: readonly string[]) {
    super(`the rollout record from ${from} is refused: ${problems.join('; ')}`);
  }
}

/**
 * What is wrong with a record's range: its base must be an ancestor of its head, and its head the
 * commit the run is at or one before it on the branch, so no commit of another branch is planned
 * as a base (whose tenants would then be offboarded) or a head.
 */
export async function rangeProblems(record: RolloutRecord, repository: Repository, current: string): Promise<string[]> {
  const problems: string[] = [];
  if (record.id !== record.head.slice(0, 12)) problems.push(`its id ${record.id} is not its head ${record.head.slice(0, 12)}`);
  const known = await Promise.all([record.base, record.head].map((commit) => repository.resolve(commit).then(() => true, () => false)));
  if (!known[0]) problems.push(`its base ${record.base.slice(0, 12)} is not a commit of this repository`);
  if (!known[1]) problems.push(`its head ${record.head.slice(0, 12)} is not a commit of this repository`);
  if (problems.length) return problems;
  if (!(await repository.isAncestor(record.base, record.head))) problems.push(`its base ${record.base.slice(0, 12)} is not an ancestor of its head ${record.head.slice(0, 12)}`);
  if (!(await repository.isAncestor(record.head, current))) problems.push(`its head ${record.head.slice(0, 12)} is not ${current.slice(0, 12)} or an ancestor of it`);
  return problems;
}

/** Whether the state confirms a stack's claim: applied from its configuration, or destroyed. */
async function confirmed(name: string, stack: RolloutStack, read: AppliedStateReader): Promise<boolean> {
  const state = await read(name);
  return stack.action === 'apply' ? state?.configuration === stack.configHash : (state?.resources ?? 0) === 0;
}

/**
 * The record with every `applied` claim checked against Terraform's state: a claim the state does
 * not confirm becomes pending, so the stack is planned again (a plan that changes nothing then
 * applies nothing). Returns the stacks whose claims fell.
 */
export async function confirmApplied(record: RolloutRecord, read: AppliedStateReader, concurrency = 16): Promise<{ record: RolloutRecord; unconfirmed: string[] }> {
  const claims = Object.entries(record.stacks).filter(([, s]) => s.status === 'applied');
  const verdicts = await mapLimit(claims, concurrency, async ([name, stack]) => [name, await confirmed(name, stack, read)] as const);
  const unconfirmed = verdicts.filter(([, ok]) => !ok).map(([name]) => name).sort();
  if (!unconfirmed.length) return { record, unconfirmed };
  const stacks = { ...record.stacks };
  for (const name of unconfirmed) {
    const { detail: _, at: __, ...rest } = stacks[name]!;
    stacks[name] = { ...rest, status: 'pending', detail: 'the record said applied, but Terraform\'s state does not hold this configuration: planned again' };
  }
  return { record: { ...record, stacks }, unconfirmed };
}

const definition = (stage: RolloutStage) => JSON.stringify({ name: stage.name, channel: stage.channel, wave: stage.wave, maxFailures: stage.maxFailures, units: [...stage.units].sort() });

/**
 * What differs between a record's stages and the ones platform.yaml and the tenant files give at
 * its head: names, waves, failures tolerated and units must be the same, and a running stage's
 * jobs may only hold its own units, each once.
 */
export function stageProblems(recorded: readonly RolloutStage[], expected: readonly RolloutStage[]): string[] {
  const problems: string[] = [];
  if (recorded.length !== expected.length) problems.push(`it has ${recorded.length} stages where platform.yaml gives ${expected.length}`);
  recorded.forEach((stage, i) => {
    const wanted = expected[i];
    if (wanted && definition(stage) !== definition(wanted)) {
      problems.push(`stage ${i + 1} is ${stage.name} with ${stage.units.length} units tolerating ${stage.maxFailures} failures, where platform.yaml gives ${wanted.name} with ${wanted.units.length} tolerating ${wanted.maxFailures}`);
    }
    const units = new Set(stage.units);
    const sharded = (stage.shards ?? []).flat();
    const stray = sharded.find((unit) => !units.has(unit));
    if (stray) problems.push(`a job of stage ${stage.name} holds ${stray}, which is not in the stage`);
    if (new Set(sharded).size !== sharded.length) problems.push(`the jobs of stage ${stage.name} hold a unit twice`);
  });
  return problems.slice(0, 5);
}

/** Whether a stage still has stacks to apply: a stage marked done is reopened when any stack of it is pending. */
export function hasPendingStacks(stage: RolloutStage, stacksOf: (unit: string) => readonly RolloutStack[]): boolean {
  return stage.units.some((unit) => stacksOf(unit).some((s) => !settled(s) && s.status === 'pending'));
}
