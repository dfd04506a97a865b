/**
 * Benchmarks of tenancy on generated fleets: `npm run bench` (full) or `npm run bench -- --quick`.
 * Prints one table and writes reports/bench.json. See bench/README.md.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { findToolchain, shardWork, type RolloutRecord } from '@tenancy/lifecycle';
import { fleetRepository } from './fleet/fleet-repository';
import { tenantId } from './fleet/generate-fleet';
import { measure, type Measurement } from './measure';
import { measureInit } from './terraform-init';

const REPO = resolve(import.meta.dirname, '..');
const TENANCY = join(REPO, 'apps/cli/bin/tenancy.mjs');
const NX = join(REPO, 'node_modules/nx/dist/bin/nx.js');
const quick = process.argv.includes('--quick');

const SIZES = quick
  ? { validate: [1_000], synth: 300, change: 1_000, nx: 1_000, init: 5, matrix: [10, 1_000] }
  : { validate: [1_000, 10_000], synth: 1_000, change: 10_000, nx: 10_000, init: 20, matrix: [10, 1_000, 10_000] };

interface Row { readonly measure: string; readonly seconds?: number; readonly peakMiB?: number; readonly figure?: string; readonly target: string; readonly met?: boolean }
const rows: Row[] = [];
const repositories: string[] = [];
const tenancy = (root: string, ...args: string[]) => measure(process.execPath, [TENANCY, ...args, '--root', root], { cwd: root });
const log = (text: string) => process.stderr.write(`bench: ${text}\n`);

function repository(...args: Parameters<typeof fleetRepository>): string {
  const root = fleetRepository(...args);
  repositories.push(root);
  return root;
}

/** The median wall time of `runs` runs, after one that is not counted (it may compile the CLI). */
function median(run: () => Measurement, runs = 5): Measurement {
  run();
  const all = Array.from({ length: runs }, run).sort((a, b) => a.seconds - b.seconds);
  return all[Math.floor(runs / 2)]!;
}

function startup(): void {
  log('start-up');
  const bare = median(() => measure(process.execPath, ['-e', ''], { cwd: REPO }));
  const help = median(() => measure(process.execPath, [TENANCY, '--help'], { cwd: REPO }));
  const example = median(() => tenancy(REPO, 'validate'));
  rows.push({ measure: 'node -e \'\' (for scale)', seconds: bare.seconds, ...(bare.peakMiB ? { peakMiB: bare.peakMiB } : {}), target: '-' });
  rows.push({ measure: 'tenancy --help', seconds: help.seconds, ...(help.peakMiB ? { peakMiB: help.peakMiB } : {}), figure: `${(help.seconds / bare.seconds).toFixed(1)}x node`, target: '< 0.3 s, < 4x node', met: help.seconds < 0.3 && help.seconds < 4 * bare.seconds });
  rows.push({ measure: 'tenancy validate, example fleet', seconds: example.seconds, ...(example.peakMiB ? { peakMiB: example.peakMiB } : {}), figure: `${(example.seconds / bare.seconds).toFixed(1)}x node`, target: '< 0.6 s, < 8x node', met: example.seconds < 0.6 && example.seconds < 8 * bare.seconds });
}

function validate(): void {
  for (const n of SIZES.validate) {
    log(`validate ${n}`);
    const m = tenancy(repository(n, { kind: 'none' }), 'validate');
    const big = n === 10_000;
    rows.push({ measure: `validate ${n} tenants`, seconds: m.seconds, ...(m.peakMiB ? { peakMiB: m.peakMiB } : {}), target: big ? '< 2.5 s, < 512 MiB' : '-', ...(big ? { met: m.seconds < 2.5 && (m.peakMiB ?? 0) < 512 } : {}) });
  }
}

function synth(): void {
  log(`synth ${SIZES.synth}`);
  const root = repository(SIZES.synth, { kind: 'none' });
  const m = tenancy(root, 'synth', '--all', '--out', join(root, '.tenancy', 'synth-all'));
  const stacks = readdirSync(join(root, '.tenancy', 'synth-all')).length;
  const full = SIZES.synth === 1_000;
  const threads = /(\d+ threads|one thread)/.exec(m.stdout)?.[1] ?? '?';
  rows.push({ measure: `synth ${SIZES.synth} tenants (${stacks} stacks)`, seconds: m.seconds, ...(m.peakMiB ? { peakMiB: m.peakMiB } : {}), figure: threads, target: full ? '< 15 s (both cores)' : '-', ...(full ? { met: m.seconds < 15 } : {}) });
}

interface ChangesJson { tenants: { id: string; work: unknown[] }[]; shared: unknown[] }

function oneTenantChange(): void {
  const n = SIZES.change;
  log(`one-tenant change on ${n}`);
  const root = repository(n, { kind: 'one-tenant' });
  // What a one-tenant pull request runs before Terraform, in one process: the change from Git, a
  // check of what it reaches, synthesis of the stacks it changes; about a second, so the median of 3.
  const change = median(() => tenancy(root, 'synth', '--base', 'HEAD~1', '--head', 'HEAD', '--out', join(root, '.tenancy', 'affected')), 3);
  const written = readdirSync(join(root, '.tenancy', 'affected'));
  const changed = tenantId(Math.floor(n / 2));
  if (!written.length || written.some((stack) => !stack.startsWith(`tenant-${changed}-`))) throw new Error(`the one-tenant change synthesized ${written.join(', ') || 'nothing'}, not ${changed}'s stacks`);
  const checked = /\((\d+) tenant files checked/.exec(change.stdout)?.[1] ?? '?';
  const incremental = change.seconds;
  log(`full synth of ${n}, for the ratio`);
  const full = tenancy(root, 'synth', '--all', '--out', join(root, '.tenancy', 'full'));
  const ratio = full.seconds / incremental;
  const big = n === 10_000;
  rows.push({
    measure: `one-tenant change on ${n}: synth --base --head, one process`, seconds: incremental, ...(change.peakMiB ? { peakMiB: change.peakMiB } : {}),
    figure: `${written.length} stacks; ${checked} tenant files checked`, target: big ? '< 3 s' : '-', ...(big ? { met: incremental < 3 } : {}),
  });
  rows.push({
    measure: `full synth of ${n} tenants, same run`, seconds: full.seconds, ...(full.peakMiB ? { peakMiB: full.peakMiB } : {}), figure: `${ratio.toFixed(0)}x the one-tenant change`,
    target: big ? '< 150 s, < 2 GiB, >= 100x' : '>= 100x', met: ratio >= 100 && (!big || (full.seconds < 150 && (full.peakMiB ?? 0) < 2048)),
  });

  log(`channel bump on ${n}`);
  const channelRoot = repository(n, { kind: 'channel' });
  const channel = tenancy(channelRoot, 'changes', '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json');
  const reached = (JSON.parse(channel.stdout) as ChangesJson).tenants.filter((t) => t.work.length).length;
  rows.push({ measure: `channel version bump on ${n}: changes`, seconds: channel.seconds, ...(channel.peakMiB ? { peakMiB: channel.peakMiB } : {}), figure: `${reached} tenants reached`, target: '-' });
  rolloutEstimate(channelRoot, n);
}

/** Seconds each job spends before its first plan (checkout, npm ci, Terraform and its plugin cache): an assumption, not measured here. */
const JOB_START_SECONDS = 90;

/**
 * The rollout of the channel bump as the apply workflow runs it: stages and jobs from
 * `tenancy rollout next`, and a wall time from the offline plan and apply of AWS stacks measured
 * here (workload stacks, what a bump changes, cannot run offline), 4 stacks at a time per job.
 */
function rolloutEstimate(root: string, n: number): void {
  log(`rollout stages of the channel bump on ${n}`);
  const next = tenancy(root, 'rollout', 'next', '--base', 'HEAD~1');
  const record = JSON.parse(readFileSync(join(root, '.tenancy', 'rollout.json'), 'utf8')) as RolloutRecord;
  const perStack = offlineSecondsPerStack();
  const stages = record.stages!.map((stage) => {
    const jobs = shardWork(stage.units.map((unit) => ({ unit, weight: Object.values(record.stacks).filter((s) => s.tenant === unit).length })));
    const busiest = Math.max(...jobs.map((j) => j.weight));
    return { name: stage.name, jobs: jobs.length, seconds: JOB_START_SECONDS + Math.ceil(busiest / 4) * (perStack ?? 0) };
  });
  const minutes = stages.reduce((sum, s) => sum + s.seconds, 0) / 60;
  rows.push({
    measure: `channel version bump on ${n}: rollout next`, seconds: next.seconds, ...(next.peakMiB ? { peakMiB: next.peakMiB } : {}),
    figure: `${stages.length} stages, jobs ${stages.map((s) => `${s.name} ${s.jobs}`).join(', ')}; `
      + (perStack === undefined ? 'no wall time: no Terraform or mirror' : `~${minutes.toFixed(0)} min at 256 jobs (${perStack.toFixed(1)} s per stack offline, 4 at a time, ${JOB_START_SECONDS} s per job start, no bake)`),
    target: '-',
  });
}

/** Offline plan and apply of every stack of 4 tenants, per AWS stack planned; undefined without Terraform. */
function offlineSecondsPerStack(): number | undefined {
  if (!findToolchain()?.providerMirror) return undefined;
  const root = repository(20, { kind: 'none' });
  const tenants = [0, 1, 2, 3].flatMap((i) => ['--tenant', tenantId(i)]);
  const plan = tenancy(root, 'plan', '--as', 'deployer', ...tenants, '--offline', '--concurrency', '4');
  const apply = tenancy(root, 'apply', '--offline', '--concurrency', '4');
  const planned = Number(/^(\d+) stacks:/m.exec(plan.stdout)?.[1] ?? 0) - (plan.stdout.match(/skipped: /g)?.length ?? 0);
  return planned > 0 ? ((plan.seconds + apply.seconds) * 4) / planned : undefined;
}

function nxAffected(): void {
  const n = SIZES.nx;
  log(`nx affected on ${n}`);
  const root = repository(n, { kind: 'one-tenant' });
  for (const file of ['nx.json', 'package.json', 'tsconfig.base.json']) cpSync(join(REPO, file), join(root, file));
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  const env = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
  const run = () => measure(process.execPath, [NX, 'show', 'projects', '--affected', '--base', 'HEAD~1', '--head', 'HEAD'], { cwd: root, env });
  rmSync(join(root, '.nx'), { recursive: true, force: true });
  const cold = run();
  const warm = run();
  const projects = warm.stdout.trim().split('\n').filter(Boolean);
  for (const [label, m] of [['cold', cold], ['warm', warm]] as const) {
    const judged = n === 10_000 && label === 'cold';
    rows.push({ measure: `nx show projects --affected on ${n}, ${label}`, seconds: m.seconds, ...(m.peakMiB ? { peakMiB: m.peakMiB } : {}), figure: `${projects.join(', ')}`, target: judged ? '< 6 s' : '-', ...(judged ? { met: m.seconds < 6 } : {}) });
  }
}

function terraformInit(): void {
  const toolchain = findToolchain();
  if (!toolchain?.providerMirror) {
    log('*** SKIPPING terraform init: Terraform or the provider mirror is missing (see README, Terraform) ***');
    rows.push({ measure: `terraform init, ${SIZES.init} stacks`, figure: 'skipped: no Terraform or mirror', target: '< 3 s, < 5 MB per stack' });
    return;
  }
  log(`terraform init of ${SIZES.init} stacks, with and without the shared cache`);
  const root = repository(300, { kind: 'none' });
  for (const result of measureInit(root, toolchain, SIZES.init)) {
    rows.push({
      measure: `terraform init, ${SIZES.init} stacks, ${result.cache ? 'shared plugin cache' : 'no plugin cache'}`, seconds: result.seconds,
      figure: `${(result.seconds / SIZES.init).toFixed(2)} s and ${(result.bytesPerStack / 1e6).toFixed(2)} MB per stack`,
      target: result.cache ? '< 3 s, < 5 MB per stack' : '-', ...(result.cache ? { met: result.seconds / SIZES.init < 3 && result.bytesPerStack < 5e6 } : {}),
    });
  }
}

interface MatrixOutput { include: { shard: string; stacks: number; tenants: number }[] }

function matrix(): void {
  for (const n of SIZES.matrix) {
    log(`matrix for ${n} changed tenants`);
    const root = repository(n, { kind: 'tenants', count: n });
    const m = tenancy(root, 'matrix', '--base', 'HEAD~1', '--head', 'HEAD');
    const jobs = (JSON.parse(/^matrix=(.*)$/m.exec(m.stdout)![1]!) as MatrixOutput).include;
    const weights = jobs.map((j) => j.stacks);
    const spread = Math.max(...weights) / Math.min(...weights);
    rows.push({ measure: `tenancy matrix, ${n} changed tenants`, seconds: m.seconds, ...(m.peakMiB ? { peakMiB: m.peakMiB } : {}), figure: `${jobs.length} jobs, ${Math.min(...weights)}-${Math.max(...weights)} stacks each`, target: '<= 256 jobs, within 2x', met: jobs.length <= 256 && spread <= 2 });
  }
}

/** `npm start` as a new user runs it: validate, synth and the offline plans of the example fleet. */
function quickStart(): void {
  if (quick) return;
  log('npm start');
  const m = measure('npm', ['start'], { cwd: REPO });
  const planned = /planned (\d+) AWS stacks offline/.exec(m.stdout)?.[1];
  rows.push({ measure: 'npm start (example fleet, offline plans)', seconds: m.seconds, ...(m.peakMiB ? { peakMiB: m.peakMiB } : {}), ...(planned ? { figure: `${planned} stacks planned` } : {}), target: '< 90 s', met: m.seconds < 90 });
}

/** `npm test` takes minutes: its figure is the last run's, from the report it leaves. */
function lastTestRun(): void {
  const file = join(REPO, 'reports', 'vitest.json');
  if (!existsSync(file)) {
    rows.push({ measure: 'npm test (last run)', figure: 'no reports/vitest.json: run npm test first', target: '< 6 min' });
    return;
  }
  const report = JSON.parse(readFileSync(file, 'utf8')) as { startTime: number; numTotalTests: number; testResults: { endTime: number }[] };
  const seconds = (Math.max(...report.testResults.map((r) => r.endTime)) - report.startTime) / 1000;
  const whole = report.testResults.length > 50;
  rows.push({ measure: 'npm test (last run, reports/vitest.json)', seconds, figure: `${report.numTotalTests} tests${whole ? '' : ', not the whole suite'}`, target: '< 6 min', ...(whole ? { met: seconds < 360 } : {}) });
}

function table(): string {
  const header = ['measure', 'wall', 'peak', 'figure', 'target', 'met'];
  const body = rows.map((r) => [r.measure, r.seconds === undefined ? '-' : `${r.seconds.toFixed(2)} s`, r.peakMiB === undefined ? '-' : `${r.peakMiB.toFixed(0)} MiB`, r.figure ?? '', r.target, r.met === undefined ? '' : r.met ? 'yes' : 'NO']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

const started = Date.now();
try {
  startup();
  validate();
  synth();
  oneTenantChange();
  nxAffected();
  terraformInit();
  matrix();
  quickStart();
  lastTestRun();
} finally {
  for (const root of repositories) rmSync(root, { recursive: true, force: true });
}
const report = {
  date: new Date().toISOString(), mode: quick ? 'quick' : 'full', machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  git: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim(), seconds: (Date.now() - started) / 1000, rows,
};
mkdirSync(join(REPO, 'reports'), { recursive: true });
writeFileSync(join(REPO, 'reports', 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`${table()}\n\n${report.mode} run, ${report.seconds.toFixed(0)} s on ${report.machine.cpus} cores; JSON in reports/bench.json\n`);
if (rows.some((r) => r.met === false)) process.exitCode = 1;
