import { appendJobSummary } from '@tenancy/github';
import {
  AwsStandIn, hasPendingStacks, healthChecker, judgeStage, readRolloutRecord, Repository, rolloutStages, settled, shardWork, stacksByUnit, stageProblems, startRollout, writeRolloutRecord,
  type RolloutRecord, type RolloutStack, type RolloutStage, type StagedUnit, type StageVerdict,
} from '@tenancy/lifecycle';
import { configurationOf } from '@tenancy/stacks';
import type { Platform, Tenant } from '@tenancy/model';
import { EXIT, InputError, UsageError } from '../exit-codes';
import { workspaceDirs } from '../workspace';
import { filesUnder } from './files-under';
import { githubFrom } from './github-repository';
import { headFleetOf, loadValidFleet } from './load-valid-fleet';
import { rangeTargets } from './range-targets';

const say = (line: string) => process.stderr.write(`${line}\n`);
/** A unit's stacks with their entries in `stacks`, by the index `stacksByUnit` made. */
const own = (index: Map<string, string[]>, stacks: RolloutRecord['stacks'], unit: string): [string, RolloutStack][] => (index.get(unit) ?? []).map((name) => [name, stacks[name]!]);

/** Applies each job of a stage runs at once, unless its channel's maxConcurrent asks for fewer. */
const APPLIES_PER_JOB = 4;

/**
 * What the workflow reads: nothing to run (a finished, halted or paused rollout), or the stage's
 * jobs, how many run at once and how many applies each runs at once, so that a channel's
 * `maxConcurrent` holds across all of them.
 */
function outputs(stage: RolloutStage | undefined, base: string, platform?: Platform): string {
  const shards = stage?.shards ?? [];
  const matrix = { include: shards.map((units, i) => ({ job: i + 1, tenants: units.length })) };
  const cap = stage?.channel ? platform?.channels[stage.channel]?.maxConcurrent : undefined;
  const concurrency = Math.min(APPLIES_PER_JOB, cap ?? APPLIES_PER_JOB);
  const parallel = cap === undefined ? Math.max(1, shards.length) : Math.max(1, Math.floor(cap / concurrency));
  return `stage=${stage?.name ?? ''}\nmatrix=${JSON.stringify(matrix)}\nshards=${shards.length}\nparallel=${parallel}\nconcurrency=${concurrency}\nbase=${base}\n`;
}

/**
 * Chooses the next stage of the rollout of `base..HEAD` (or of the record's range, for a run that
 * continues it) and splits its units that still have work into at most `maxJobs` jobs, balanced
 * by stacks. A stage of a paused channel stops the rollout until a push sets `paused: false`.
 */
export async function rolloutNextCommand(options: { root: string; base?: string; maxJobs: number }): Promise<number> {
  const fleet = await loadValidFleet(options.root, { atHead: true });
  if (!fleet) return EXIT.invalid;
  const repository = new Repository(options.root);
  const current = await repository.resolve('HEAD');
  const path = workspaceDirs(options.root).rollout;
  const previous = readRolloutRecord(path);
  if (!options.base && !previous) throw new UsageError('no --base and no rollout record: there is no rollout to continue');
  if (!options.base && previous!.head !== current) {
    say(`rollout ${previous!.id} was started at ${previous!.head.slice(0, 12)} and the branch is at ${current.slice(0, 12)}: the run of the newer push continues it`);
    process.stdout.write(outputs(undefined, previous!.base));
    return EXIT.ok;
  }
  const range = await rangeTargets({ root: options.root, base: options.base ?? previous!.base, head: 'HEAD', principal: 'deployer' }, headFleetOf(options.root, fleet), repository, current);
  if (!range) return EXIT.invalid;
  const wanted = range.targets.map((t) => ({ stack: t.work.stack, ...(t.work.tenant ? { tenant: t.work.tenant } : {}), action: t.work.action, configHash: configurationOf(t.json) }));
  const { record } = startRollout(previous, { base: range.base, head: current }, wanted, new Date());
  const tenants = new Map<string, Tenant>(fleet.tenants.map((t) => [t.id, t.tenant]));
  const units = new Map<string, StagedUnit['kind']>();
  for (const t of range.targets) units.set(t.work.tenant ?? t.work.stack, !t.work.tenant ? 'shared' : t.rollout === 'waves' && units.get(t.work.tenant) !== 'immediate' ? 'waves' : 'immediate');
  const stacks = { ...record.stacks };
  const index = stacksByUnit(record);
  for (const [unit, kind] of units) {
    if (kind !== 'waves' || tenants.get(unit)?.upgrade !== 'manual') continue;
    for (const [name, stack] of own(index, stacks, unit)) if (!settled(stack)) stacks[name] = { ...stack, status: 'held', detail: 'upgrade: manual - never in a wave: its stacks change with its own file' };
  }
  // The stages are platform.yaml's and the tenant files': a record of the same range must carry exactly those.
  const expected = rolloutStages([...units].map(([unit, kind]) => ({ unit, kind })), fleet.platform, tenants);
  const recorded = previous?.base === record.base && previous.head === record.head ? record.stages : undefined;
  const problems = recorded ? stageProblems(recorded, expected) : [];
  if (problems.length) throw new InputError(`the rollout record's stages are refused: ${problems.join('; ')}; its stages must be the ones platform.yaml and the tenant files give at ${current.slice(0, 12)}`);
  const staged: RolloutRecord = { ...record, stacks, stages: recorded ?? expected };
  const { record: next, stage } = chooseStage(staged, fleet.platform, options.maxJobs);
  writeRolloutRecord(path, next);
  say(stage ? `rollout ${next.id}: stage ${stage.name}, ${stage.units.length} units in ${stage.shards!.length} jobs`
    : `rollout ${next.id}: ${next.halted ? `halted: ${next.halted}` : next.stages!.some((s) => s.state === 'paused') ? 'paused' : 'nothing left to apply'}`);
  process.stdout.write(outputs(stage, range.base, fleet.platform));
  return EXIT.ok;
}

/** The first stage with work left: marked running and split into jobs; stages with none are done. */
function chooseStage(record: RolloutRecord, platform: Platform, maxJobs: number): { record: RolloutRecord; stage?: RolloutStage } {
  const stages = [...record.stages!];
  const index = stacksByUnit(record);
  for (const [i, stage] of stages.entries()) {
    // A stage is done only while none of its stacks waits: one the record's word alone had applied is pending again.
    if (stage.state === 'done' && !hasPendingStacks(stage, (unit) => own(index, record.stacks, unit).map(([, s]) => s))) continue;
    const open = stage.units.map((unit) => ({ unit, weight: own(index, record.stacks, unit).filter(([, s]) => !settled(s)).length })).filter((u) => u.weight > 0);
    if (!open.length) { stages[i] = { ...stage, state: 'done' }; continue; }
    if (stage.channel && platform.channels[stage.channel]?.paused) {
      stages[i] = { ...stage, state: 'paused' };
      return { record: { ...record, stages } };
    }
    const { halted: _, ...rest } = record;
    stages[i] = { ...stage, state: 'running', shards: shardWork(open, maxJobs).map((s) => s.units) };
    return { record: { ...rest, stages }, stage: stages[i] };
  }
  return { record: { ...record, stages } };
}

/**
 * Judges the running stage from its jobs' records: merges them, waits the wave's bake time when
 * it changed anything, checks the health of each tenant it applied, and halts the rollout when
 * failures pass what the wave tolerates. Prints `continue=true` when another stage has work.
 */
export async function rolloutGateCommand(options: { root: string; parts: string; offline: boolean }): Promise<number> {
  const path = workspaceDirs(options.root).rollout;
  const record = readRolloutRecord(path);
  const running = record?.stages?.find((s) => s.state === 'running');
  if (!record || !running) {
    say('no running stage: nothing to judge');
    process.stdout.write('continue=false\n');
    return EXIT.ok;
  }
  const fleet = await loadValidFleet(options.root);
  if (!fleet) return EXIT.invalid;
  // Offline, alarms come from the stand-in, started only when a check reads them; the gate needs no Terraform either way.
  const offlineAlarms = new AwsStandIn();
  let standIn: Promise<string> | undefined;
  const aws = async () => {
    if (!options.offline) return { region: fleet.platform.controlPlane.region };
    standIn ??= offlineAlarms.start();
    return { region: fleet.platform.controlPlane.region, url: await standIn };
  };
  let verdict: StageVerdict;
  try {
    verdict = (await judgeStage(record, {
      platform: fleet.platform,
      parts: filesUnder(options.parts, (name) => name === 'rollout.json').map((file) => readRolloutRecord(file)!),
      checkHealth: async (unit, check, context) => healthChecker({ aws: await aws() })(unit, check, context),
      bake: (minutes) => { say(`baking ${minutes} min after stage ${running.name}`); return new Promise((resolve) => setTimeout(resolve, minutes * 60_000)); },
      onUnhealthy: (unit, reason) => say(`  ${unit}: unhealthy - ${reason}`),
    }))!;
  } finally {
    if (standIn) await offlineAlarms.stop();
  }
  const { record: judged, stage, halted, failed, appliedNow, baked, checked, more } = verdict;
  writeRolloutRecord(path, judged);
  say(halted ? `rollout halted: ${halted}` : `stage ${stage.name} passed: ${failed.length} failed of ${stage.maxFailures === Number.MAX_SAFE_INTEGER ? 'any' : stage.maxFailures} tolerated${baked ? `, baked ${baked} min` : ''}${more ? '; the next stage follows' : ''}`);
  appendJobSummary(`### rollout ${judged.id}: stage ${stage.name}\n\n${halted ? `> [!CAUTION]\n> Rollout halted: ${halted}` : `Passed: ${stage.units.length} units, ${failed.length} failed, ${appliedNow.length} applied in this run${baked ? `, baked ${baked} min` : ''}${checked !== undefined ? `, ${checked} health-checked` : ''}.`}\n`);
  process.stdout.write(`continue=${more}\n`);
  return halted ? EXIT.invalid : EXIT.ok;
}

/** Dispatches the apply workflow for the next stage; a newer push's run replaces it while it waits. */
export async function rolloutContinueCommand(options: { workflow: string; ref: string; repository?: string }): Promise<number> {
  const { github, owner, repo } = githubFrom(options.repository);
  await github.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: options.workflow, ref: options.ref, inputs: { continue: 'true' } });
  say(`dispatched ${options.workflow} on ${options.ref} for the rollout's next stage`);
  return EXIT.ok;
}
