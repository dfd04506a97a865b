import { existsSync, readFileSync } from 'node:fs';
import { appendJobSummary, renderApplySummary } from '@tenancy/github';
import {
  applyFailureReason, applyRun, healthChecker, PLAN_FILE, readRolloutRecord, Repository, revokeAccess, settleRollout, simulateApply, writeRolloutRecord, type ApplyReport, type PlanRun, type StackApplier, type UnitOutcome, type WaveReport,
} from '@tenancy/lifecycle';
import { EXIT, UsageError } from '../exit-codes';
import { renderTable } from '../output/table';
import { workspaceDirs } from '../workspace';
import { offboardingClock } from './applied-state';
import { loadValidFleet } from './load-valid-fleet';
import { runSummaryFile } from './plan';
import { withTerraform } from './terraform-session';

export interface ApplyOptions {
  readonly root: string;
  readonly tenants: readonly string[];
  readonly offline: boolean;
  readonly concurrency: number;
  /** The time maintenance windows are checked against. */
  readonly now: Date;
  /** Fleet-wide changes in waves, with their gates. @default true */
  readonly waves?: boolean;
}

function line(outcome: UnitOutcome): string {
  return `  ${outcome.unit}: ${outcome.status}${outcome.wave ? ` (wave ${outcome.wave})` : ''}${outcome.detail ? ` - ${outcome.detail}` : ''}`;
}

export async function applyCommand(options: ApplyOptions): Promise<number> {
  const fleet = await loadValidFleet(options.root);
  if (!fleet) return EXIT.invalid;
  const repository = new Repository(options.root);
  if (!(await repository.hasCommits().catch(() => false))) throw new UsageError(`${options.root} is not a Git repository with commits: plans are tied to commits`);
  const head = await repository.resolve('HEAD');
  const blocked = failedToPlan(options.root, options.offline);
  const write = (text: string) => process.stdout.write(`${text}\n`);

  return withTerraform(options.root, options.offline, async ({ terraform, offline }) => {
    const applyStack: StackApplier = offline
      // Offline nothing can be created: the rehearsal writes the state the apply would leave to the offline state.
      ? async ({ dir }) => simulateApply(terraform, dir).then(() => ({ ok: true as const }), (e: Error) => ({ ok: false as const, error: e.message }))
      : async ({ dir }) => {
          const result = await terraform.apply(dir, PLAN_FILE);
          return result.code === 0 ? { ok: true } : { ok: false, error: applyFailureReason(result.stderr) };
        };
    // Offline, alarms are read from the stand-in, where every alarm is OK; health URLs are fetched for real.
    const aws = { region: fleet.platform.controlPlane.region, ...(offline ? { url: offline.standIn.url } : {}) };
    const recordRollout = rolloutRecorder(options.root, head);
    const clock = offboardingClock(options.root, fleet.platform, offline !== undefined);
    const settled: UnitOutcome[] = [];
    // Cancelled (Actions sends SIGINT, then SIGTERM): what is done so far is recorded, so the next run resumes after it.
    const onCancel = (signal: NodeJS.Signals) => {
      recordRollout({ outcomes: settled });
      write(`${signal}: the rollout record keeps what was applied; the next run resumes from there`);
      process.exit(130);
    };
    process.once('SIGINT', onCancel).once('SIGTERM', onCancel);
    write(offline ? `rehearsing the apply offline: every check runs, and the state each apply would leave is written to the offline state (${workspaceDirs(options.root).offlineState}); nothing in AWS is changed` : `applying saved plans at ${head.slice(0, 12)}`);
    const report = await applyRun({
      root: options.root, outDir: workspaceDirs(options.root).out, head, platform: fleet.platform,
      tenants: new Map(fleet.tenants.map((t) => [t.id, t.tenant])), now: options.now, concurrency: options.concurrency,
      ...(options.tenants.length ? { only: new Set(options.tenants) } : {}),
      blocked,
      applyStack,
      readPlan: ({ dir }) => terraform.showPlan(dir, PLAN_FILE),
      revoke: (revocation) => revokeAccess(revocation, aws),
      offboarded: async (tenant, deletedIn) => (await clock.record({ tenant, deletedIn, appliedAt: new Date().toISOString() })).appliedAt,
      checkHealth: healthChecker({ aws }),
      waves: options.waves ?? true,
      onOutcome: (outcome) => { settled.push(outcome); write(line(outcome)); },
    });
    process.off('SIGINT', onCancel).off('SIGTERM', onCancel);
    recordRollout(report);
    if (report.outcomes.length === 0) {
      write('nothing to apply: no saved plan (run tenancy plan first)');
      return EXIT.ok;
    }
    write('');
    write(renderTable(['tenant / stack', 'result', 'wave', 'stacks', 'detail'], report.outcomes.map((o) => [
      o.unit, offline && o.status === 'applied' ? 'rehearsed' : o.status, o.wave ?? '-',
      o.stacks.map((s) => `${s.action === 'destroy' ? '-' : ''}${s.stack.replace(`tenant-${o.unit}-`, '')}:${s.unchanged ? 'nothing to change' : s.status}`).join(' '),
      [o.detail, o.access, o.offboardedAt ? `offboarded at ${o.offboardedAt}: the data's retention runs from then` : ''].filter(Boolean).join('; '),
    ])));
    appendJobSummary(renderApplySummary(report, head));
    for (const wave of report.waves) write(waveLine(wave));
    if (report.halted) write(`rollout halted: ${report.halted}`);
    if (report.leftBehind.length) write(`left on the previous version: ${report.leftBehind.join(', ')}`);
    // A paused or halted rollout fails the run, so the last successful apply stays before it and the next run resumes it.
    const bad = report.outcomes.filter((o) => !['applied', 'deferred', 'manual'].includes(o.status));
    return bad.length ? EXIT.invalid : EXIT.ok;
  });
}

/** Writes each apply's outcomes into the rollout record the deployer's plan of this commit started. */
function rolloutRecorder(root: string, head: string): (report: Pick<ApplyReport, 'outcomes' | 'halted'>) => void {
  const path = workspaceDirs(root).rollout;
  return (report) => {
    const record = readRolloutRecord(path);
    if (record?.head === head) writeRolloutRecord(path, settleRollout(record, report, new Date()));
  };
}

function waveLine(wave: WaveReport): string {
  const gate = [wave.bakedMinutes ? `baked ${wave.bakedMinutes} min` : '', wave.unhealthy !== undefined ? `${wave.unhealthy} unhealthy` : ''].filter(Boolean).join(', ');
  const state = wave.halted ? ', not started: rollout halted' : wave.paused ? ', not started: channel paused' : '';
  return `wave ${wave.name}${wave.channel ? ` (${wave.channel})` : ''}: ${wave.tenants.length} tenants, ${wave.failures} failed of ${wave.maxFailures} tolerated${gate ? ` (${gate})` : ''}${state}`;
}

/**
 * Tenants and shared stacks of the last plan run with a stack that did not plan: applying their
 * other stacks alone could, say, destroy a cluster under a workload whose state is then orphaned.
 * Offline, workload stacks are skipped by design and do not block the rehearsal.
 */
function failedToPlan(root: string, offline: boolean): Map<string, string> {
  const file = runSummaryFile(root);
  if (!existsSync(file)) return new Map();
  const run = JSON.parse(readFileSync(file, 'utf8')) as PlanRun;
  const bad = run.stacks.filter((s) => s.status === 'failed' || (s.status === 'skipped' && !offline));
  return new Map(bad.map((s) => [s.tenant ?? s.stack, `not applied: ${s.stack} did not plan (${s.status}); fix it and plan again`]));
}

/** `--now` accepts an ISO date or date-time; maintenance windows are checked against it. */
export function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new UsageError(`--now must be an ISO 8601 date or time, got ${value}`);
  return new Date(time);
}
