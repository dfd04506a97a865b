import { readFileSync } from 'node:fs';
import { readRolloutBranch, ROLLOUT_BRANCH, writeRolloutBranch } from '@tenancy/github';
import {
  confirmApplied, parseRolloutRecord, rangeProblems, readRolloutRecord, RecordRefused, Repository, rolloutProgress, writeRolloutRecord, type RolloutRecord,
} from '@tenancy/lifecycle';
import { EXIT, InputError, UsageError } from '../exit-codes';
import { appliedStateReader } from './applied-state';
import { loadValidFleet } from './load-valid-fleet';
import { renderTable } from '../output/table';
import { workspaceDirs } from '../workspace';
import { applyCommand } from './apply';
import { filesUnder } from './files-under';
import { githubFrom } from './github-repository';
import { planCommand } from './plan';

const write = (line: string) => process.stdout.write(`${line}\n`);

function recordOf(root: string): RolloutRecord {
  const record = readRolloutRecord(workspaceDirs(root).rollout);
  if (!record) throw new UsageError(`no rollout record in ${workspaceDirs(root).rollout}: a deployer's plan of a range starts one (in CI, tenancy rollout pull brings it)`);
  return record;
}

/** Prints how far the last rollout got: counts, why it halted, and every stack not applied. */
export function rolloutStatusCommand(options: { root: string; all: boolean }): number {
  const record = recordOf(options.root);
  const { counts, failedUnits, complete } = rolloutProgress(record);
  write(`rollout ${record.id}: ${record.base.slice(0, 12)}..${record.head.slice(0, 12)}, started ${record.startedAt}, updated ${record.updatedAt}`);
  write(`${Object.keys(record.stacks).length} stacks: ${counts.applied} applied, ${counts.failed} failed, ${counts.skipped} skipped, ${counts.pending} pending${counts.held ? `, ${counts.held} held (upgrade: manual)` : ''}${complete ? ' - complete' : ''}`);
  if (record.halted) write(`halted: ${record.halted}`);
  const rows = Object.entries(record.stacks).filter(([, s]) => options.all || s.status !== 'applied').sort(([a], [b]) => a.localeCompare(b));
  if (rows.length) write(renderTable(['stack', 'tenant', 'wave', 'status', 'detail'], rows.map(([name, s]) => [name, s.tenant ?? '-', s.wave ?? '-', s.status, s.detail ?? ''])));
  if (failedUnits.length) write(`retry the failed ones alone: tenancy rollout retry --failed (${failedUnits.join(', ')})`);
  return EXIT.ok;
}

/** Plans again, and applies, only the tenants and shared stacks with a failed stack in the record. */
export async function rolloutRetryCommand(options: { root: string; offline: boolean; concurrency: number; now: Date }): Promise<number> {
  const record = recordOf(options.root);
  const { failedUnits } = rolloutProgress(record);
  if (!failedUnits.length) {
    write(`rollout ${record.id}: nothing failed, nothing to retry`);
    return EXIT.ok;
  }
  write(`rollout ${record.id}: retrying ${failedUnits.join(', ')}`);
  const planned = await planCommand({
    root: options.root, tenants: [], cells: [], pools: [], base: record.base, head: record.head, offline: options.offline, concurrency: options.concurrency,
    principal: 'deployer', only: new Set(failedUnits),
  });
  const applied = await applyCommand({ root: options.root, tenants: failedUnits, offline: options.offline, concurrency: options.concurrency, now: options.now });
  return planned === EXIT.ok ? applied : planned;
}

/** The units of job K of the stage `tenancy rollout next` chose, from the record it wrote. */
export function stageShardUnits(root: string, job: string): Set<string> {
  const stage = recordOf(root).stages?.find((s) => s.state === 'running');
  const units = stage?.shards?.[Number(job) - 1];
  if (!stage || !units) throw new UsageError(`no job ${job} in a running stage of ${workspaceDirs(root).rollout}: tenancy rollout next chooses the stage and its jobs`);
  return new Set(units);
}

/** A record read back from a branch or an artifact, refused (exit 1) unless its range belongs to this repository's branch. */
async function checkedRecord(text: string, from: string, root: string): Promise<RolloutRecord> {
  try {
    const record = parseRolloutRecord(text, from);
    const repository = new Repository(root);
    const problems = await rangeProblems(record, repository, await repository.resolve('HEAD'));
    if (problems.length) throw new RecordRefused(from, problems);
    return record;
  } catch (error) {
    if (error instanceof RecordRefused) throw new InputError(`${error.message}; nothing of it was used`);
    throw error;
  }
}

/**
 * Brings the record from the rollout branch, where the last run left it (none yet is not an
 * error), or from an artifact folder another job of the run uploaded. Either is read as untrusted:
 * a record whose shape or range does not check out is refused, and a record from the branch has
 * every stack it calls applied checked against Terraform's state (a claim the state does not
 * confirm is planned again).
 */
export async function rolloutPullCommand(options: { root: string; from?: string; repository?: string; offline: boolean }): Promise<number> {
  if (options.from) {
    const [file] = filesUnder(options.from, (name) => name === 'rollout.json');
    if (!file) throw new UsageError(`no rollout.json under ${options.from}`);
    const record = await checkedRecord(readFileSync(file, 'utf8'), file, options.root);
    writeRolloutRecord(workspaceDirs(options.root).rollout, record);
    write(`rollout ${record.id} from ${options.from}`);
    return EXIT.ok;
  }
  const { github, owner, repo } = githubFrom(options.repository);
  const text = await readRolloutBranch(github, { owner, repo });
  if (text === undefined) {
    write(`no rollout record on ${ROLLOUT_BRANCH} yet`);
    return EXIT.ok;
  }
  const fleet = await loadValidFleet(options.root);
  if (!fleet) return EXIT.invalid;
  const { record, unconfirmed } = await confirmApplied(await checkedRecord(text, ROLLOUT_BRANCH, options.root), appliedStateReader(options.root, fleet.platform, options.offline));
  writeRolloutRecord(workspaceDirs(options.root).rollout, record);
  write(`rollout ${record.id} from ${ROLLOUT_BRANCH}: ${rolloutProgress(record).counts.applied} of ${Object.keys(record.stacks).length} stacks applied`);
  if (unconfirmed.length) {
    write(`${unconfirmed.length} stacks the record calls applied are not so in Terraform's state, and are planned again: ${unconfirmed.slice(0, 10).join(', ')}${unconfirmed.length > 10 ? ', ...' : ''}`);
  }
  return EXIT.ok;
}

/** Writes the record to the rollout branch, for the next run and for `tenancy rollout status` anywhere. */
export async function rolloutPushCommand(options: { root: string; repository?: string }): Promise<number> {
  const path = workspaceDirs(options.root).rollout;
  const record = readRolloutRecord(path);
  if (!record) {
    write('no rollout record to push: nothing was planned as the deployer');
    return EXIT.ok;
  }
  const { github, owner, repo } = githubFrom(options.repository);
  const { counts } = rolloutProgress(record);
  const message = `rollout ${record.id}: ${counts.applied} applied, ${counts.failed} failed, ${counts.skipped} skipped, ${counts.pending} pending`;
  await writeRolloutBranch(github, { owner, repo }, readFileSync(path, 'utf8'), message, process.env.GITHUB_SHA ?? record.head);
  write(`${message} (on ${ROLLOUT_BRANCH})`);
  return EXIT.ok;
}
