import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO, spawnCollecting } from './run-cli';

export interface Step { name?: string; id?: string; if?: string; uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, string>; 'continue-on-error'?: boolean }
export interface Job {
  needs?: string | string[]; if?: string; permissions?: Record<string, string>; environment?: string; 'timeout-minutes'?: number; 'runs-on'?: string | string[];
  strategy?: { matrix: string | object }; outputs?: Record<string, string>; steps: Step[];
}
export interface Workflow { on: Record<string, unknown>; permissions?: object; concurrency?: { group: string; 'cancel-in-progress': boolean }; env?: Record<string, string>; jobs: Record<string, Job> }

export const WORKFLOWS_DIR = join(REPO, '.github', 'workflows');

export function readWorkflow(file: string): Workflow {
  return parse(readFileSync(join(WORKFLOWS_DIR, file), 'utf8')) as Workflow;
}

/** Where a rehearsed repository keeps the offline state, outside the runner's .tenancy/ (ignored by Git). */
export const OFFLINE_STATE_DIR = '.offline-state';

/** Commands that need cloud credentials or the network: the rehearsal runs them with --offline. */
const CLOUD_COMMANDS = ['plan', 'apply', 'reap', 'drift', 'notify'];

export interface StepResult { readonly job: string; readonly step: string; readonly command?: string; readonly status: number | 'skipped'; readonly stdout: string; readonly stderr: string }

export interface RehearsalOptions {
  /** The repository the workflow runs in (its checkout). */
  readonly root: string;
  readonly event: { readonly name: string; readonly payload: object };
  /** Loopback URL of the GitHub stand-in. */
  readonly apiUrl: string;
  /** A dispatch's inputs. @default none */
  readonly inputs?: Readonly<Record<string, string>>;
  /** Matrix entries a job runs at most, to keep the rehearsal short. @default all */
  readonly maxMatrix?: number;
}

/**
 * Runs a workflow's jobs in dependency order on this machine, as Actions would: every `run:` step
 * through bash with the step's env, outputs through $GITHUB_OUTPUT, matrices expanded, `if:`
 * evaluated, artifacts uploaded and downloaded through a folder. `npx tenancy` is the real CLI,
 * with --offline added to the commands that need AWS; `npm ci` is left out (the test process
 * already runs on the installed workspace). Third-party actions other than artifacts do nothing.
 */
export async function rehearseWorkflow(file: string, options: RehearsalOptions): Promise<StepResult[]> {
  const workflow = readWorkflow(file);
  const work = mkdtempSync(join(tmpdir(), 'tenancy-rehearsal-'));
  const shims = join(work, 'bin');
  mkdirSync(shims);
  writeFileSync(join(shims, 'npx'), `#!/bin/sh\n[ "$1" = tenancy ] || { echo "npx $1 is not allowed in a workflow" >&2; exit 127; }\nshift\ncase "$1 $2" in ${CLOUD_COMMANDS.map((c) => `"${c} "*`).join('|')}|"rollout retry"*|"rollout gate"*|"rollout pull"*) set -- "$@" --offline;; esac\nexec "${process.execPath}" "${join(REPO, 'apps/cli/bin/tenancy.mjs')}" "$@"\n`);
  writeFileSync(join(shims, 'npm'), `#!/bin/sh\n[ "$1" = ci ] && exit 0\necho "npm $1 is not rehearsed" >&2; exit 127\n`);
  for (const shim of ['npx', 'npm']) chmodSync(join(shims, shim), 0o755);
  const eventPath = join(work, 'event.json');
  writeFileSync(eventPath, JSON.stringify(options.event.payload));

  const results: StepResult[] = [];
  const jobs = new Map<string, { result: 'success' | 'failure' | 'skipped'; outputs: Record<string, string> }>();
  const order = ordered(workflow.jobs);
  for (const name of order) {
    const job = workflow.jobs[name]!;
    const needs = [job.needs ?? []].flat();
    const context = (extra: object) => ({
      needs: Object.fromEntries(needs.map((n) => [n, jobs.get(n)!])), github: { event_name: options.event.name }, inputs: options.inputs ?? {}, ...extra,
    });
    if (job.if && !evaluate(job.if, context({}))) {
      jobs.set(name, { result: 'skipped', outputs: {} });
      continue;
    }
    const matrixValue = job.strategy ? interpolate(String(job.strategy.matrix), context({})) : undefined;
    const entries = matrixValue ? (JSON.parse(matrixValue) as { include: Record<string, string>[] }).include.slice(0, options.maxMatrix) : [undefined];
    let failed = false;
    let outputs: Record<string, string> = {};
    for (const [index, matrix] of entries.entries()) {
      const steps: Record<string, { outputs: Record<string, string>; outcome: string }> = {};
      for (const [i, step] of job.steps.entries()) {
        const ctx = context({ steps, matrix: matrix ?? {}, strategy: { 'job-index': String(index) }, env: workflow.env ?? {} });
        const label = step.name ?? step.run ?? step.uses ?? `step ${i}`;
        if (step.if ? !evaluate(step.if, ctx) : failed) {
          if (step.id) steps[step.id] = { outputs: {}, outcome: 'skipped' };
          results.push({ job: name, step: label, status: 'skipped', stdout: '', stderr: '' });
          continue;
        }
        if (step.uses) {
          artifactStep(step, ctx, options.root, join(work, 'artifacts'));
          continue;
        }
        const outputFile = join(work, `output-${name}-${index}-${i}`);
        writeFileSync(outputFile, '');
        const env = {
          ...process.env, ...workflow.env, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(v, ctx)])),
          PATH: `${shims}:${process.env.PATH}`, TENANCY_DEBUG: '', CI: 'true', GITHUB_ACTIONS: 'true',
          GITHUB_EVENT_NAME: options.event.name, GITHUB_EVENT_PATH: eventPath, GITHUB_OUTPUT: outputFile,
          GITHUB_STEP_SUMMARY: join(work, `summary-${name}.md`), GITHUB_REPOSITORY: 'acme/fleet', GITHUB_API_URL: options.apiUrl,
          // What offline applies leave outlives each runner, as the state bucket does.
          TENANCY_OFFLINE_STATE: join(options.root, OFFLINE_STATE_DIR),
        };
        const run = await bash(step.run!, options.root, env);
        const stepOutputs = Object.fromEntries(readFileSync(outputFile, 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
        if (step.id) steps[step.id] = { outputs: stepOutputs, outcome: run.status === 0 ? 'success' : 'failure' };
        results.push({ job: name, step: label, command: step.run!, ...run });
        if (run.status !== 0 && !step['continue-on-error']) failed = true;
      }
      outputs = Object.fromEntries(Object.entries(job.outputs ?? {}).map(([k, v]) => [k, interpolate(v, context({ steps }))]));
    }
    jobs.set(name, { result: failed ? 'failure' : 'success', outputs });
  }
  return results;
}

function ordered(jobs: Record<string, Job>): string[] {
  const done: string[] = [];
  while (done.length < Object.keys(jobs).length) {
    for (const [name, job] of Object.entries(jobs)) {
      if (!done.includes(name) && [job.needs ?? []].flat().every((n) => done.includes(n))) done.push(name);
    }
  }
  return done;
}

function lookup(path: string, context: object): string {
  if (path === 'github.token') return 'test-token';
  if (path === 'github.server_url') return 'https://github.com';
  if (path === 'github.repository') return 'acme/fleet';
  if (path === 'github.run_id') return '1';
  let value: unknown = context;
  for (const key of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
  return value === undefined ? '' : String(value);
}

/** `${{ x }}` in a string, with `fromJSON(x)` read as x. */
function interpolate(text: string, context: object): string {
  return text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expression: string) => lookup(expression.replace(/^fromJSON\((.+)\)$/, '$1'), context));
}

/** The `if:` expressions the workflows use: `&&` of `a == 'b'`, `a != 'b'`, a boolean value, `!cancelled()` and `always()`. */
function evaluate(condition: string, context: object): boolean {
  const expression = condition.replace(/^\$\{\{\s*/, '').replace(/\s*\}\}$/, '');
  return expression.split('&&').map((t) => t.trim()).every((term) => {
    if (term === '!cancelled()' || term === 'always()') return true;
    // A bare context value, such as a boolean input: true when it reads "true".
    if (/^!?[\w.-]+$/.test(term)) return (lookup(term.replace(/^!/, ''), context) === 'true') !== term.startsWith('!');
    const match = /^(\S+)\s*(==|!=)\s*'([^']*)'$/.exec(term);
    if (!match) throw new Error(`the rehearsal cannot evaluate ${term}`);
    const value = lookup(match[1]!, context);
    return match[2] === '==' ? value === match[3] : value !== match[3];
  });
}

function artifactStep(step: Step, context: object, root: string, store: string): void {
  const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), context)]));
  if (step.uses!.startsWith('actions/upload-artifact@')) {
    for (const pattern of inputs.path!.split('\n').map((p) => p.trim()).filter(Boolean)) {
      for (const path of expand(root, pattern)) cpSync(join(root, path), join(store, inputs.name!, path.replace(/^\.tenancy\/(plans|out|drift)\//, '')), { recursive: true });
    }
  } else if (step.uses!.startsWith('actions/download-artifact@')) {
    const prefix = inputs.pattern!.replace(/\*$/, '');
    if (!existsSync(store)) return;
    for (const name of readdirSync(store).filter((n) => n.startsWith(prefix))) cpSync(join(store, name), join(root, inputs.path!, name), { recursive: true });
  }
}

/** Paths matching `a/b` or `a/*\/c` under root. */
function expand(root: string, pattern: string): string[] {
  if (!pattern.includes('*')) return existsSync(join(root, pattern)) ? [pattern] : [];
  const [before, after] = pattern.split('/*/') as [string, string];
  if (!existsSync(join(root, before))) return [];
  return readdirSync(join(root, before)).map((d) => `${before}/${d}/${after}`).filter((p) => existsSync(join(root, p)));
}

async function bash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number; stdout: string; stderr: string }> {
  const run = await spawnCollecting('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd, env });
  return { ...run, status: run.status ?? 1 };
}
