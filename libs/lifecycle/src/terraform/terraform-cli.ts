import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OFFLINE_OVERRIDE_FILE } from '../offline/offline-override';
import { binaryIdentity, cacheKey, offlinePlanInputs, type TerraformResultCache } from './result-cache';

export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const CACHE_RACE_RETRIES = 3;

/** Whether an init failed because another init was writing the same plugin cache entry. */
export function lostCacheRace(output: string): boolean {
  return /Failed to install provider/.test(output) && /failed to create directory[\s\S]*file exists/.test(output);
}

/** A diagnostic of `terraform validate -json`. */
export interface TerraformDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
  readonly range?: { filename: string; start: { line: number; column: number } };
}

export interface PlanOptions {
  /** Saved plan file, relative to the stack folder. */
  readonly out: string;
  /** Stream machine-readable events (one JSON object per line) instead of text. @default false */
  readonly json?: boolean;
  /** @default false */
  readonly destroy?: boolean;
  /** @default true */
  readonly refresh?: boolean;
  /** Take the state lock. @default true */
  readonly lock?: boolean;
  /** Exit 2 when there are changes, 0 when none (drift detection). @default false */
  readonly detailedExitCode?: boolean;
  /** Values of the configuration's variables. @default none */
  readonly variables?: Readonly<Record<string, string>>;
}

/**
 * The Go garbage collector's target for Terraform and its providers, unless the environment sets
 * one. The AWS provider builds every resource schema each time it starts (three times a plan); at
 * Go's default of 100 a third of a plan's CPU is collection. At 400 an offline plan takes 35% less
 * CPU (4.5 s to 2.9 s) for 150 MB more at peak (355 to 500 MB per provider): see README, Terraform.
 */
export const TERRAFORM_GOGC = '400';

/** Saved plans whose JSON a process keeps: an apply reads each plan's JSON several times, one stack after another. */
const PLAN_JSONS_KEPT = 64;

/** Runs Terraform in a stack folder, non-interactively, with the given CLI configuration. */
export class TerraformCli {
  /** `terraform show -json` of recent saved plans, by the plan file's hash. */
  private readonly planJsons = new Map<string, string>();

  constructor(
    private readonly binary: string,
    private readonly cliConfigFile: string,
    private readonly env: Readonly<Record<string, string>> = {},
    /** Where offline plans, plan JSON and provider schemas are kept between processes. @default none */
    private readonly cache?: TerraformResultCache,
  ) {}

  run(args: readonly string[], cwd: string, env: Readonly<Record<string, string>> = {}): Promise<TerraformResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.binary, [...args], {
        cwd,
        env: {
          GOGC: TERRAFORM_GOGC,
          ...process.env,
          ...this.env,
          ...env,
          TF_CLI_CONFIG_FILE: this.cliConfigFile,
          TF_IN_AUTOMATION: '1',
          TF_INPUT: '0',
          CHECKPOINT_DISABLE: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
      child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
  }

  /**
   * `terraform init`; without a backend when only validating. Terraform's plugin cache is not safe
   * for inits running at once (one replaces an entry while another creates it: "file exists"), so
   * an init that lost that race is run again; any other failure is returned as it is.
   */
  async init(dir: string, options: { backend: boolean }): Promise<TerraformResult> {
    // The stack's own backend block is the truth: one an earlier run configured is never migrated from.
    const args = ['init', '-input=false', '-no-color', `-backend=${options.backend}`, ...(options.backend ? ['-reconfigure'] : [])];
    let result = await this.run(args, dir);
    for (let retry = 1; retry <= CACHE_RACE_RETRIES && result.code !== 0 && lostCacheRace(result.stderr + result.stdout); retry++) {
      await new Promise((resolve) => setTimeout(resolve, 250 * retry));
      result = await this.run(args, dir);
    }
    return result;
  }

  async validate(dir: string): Promise<{ valid: boolean; diagnostics: TerraformDiagnostic[] }> {
    const result = await this.run(['validate', '-json', '-no-color'], dir);
    const report = JSON.parse(result.stdout) as { valid: boolean; diagnostics: TerraformDiagnostic[] };
    return { valid: report.valid, diagnostics: report.diagnostics };
  }

  /**
   * `terraform plan`. With a result cache, an offline plan whose configuration, state and arguments
   * were planned before (by any process sharing the cache) is that plan: its saved plan file and output.
   * Only plans that succeeded are kept.
   */
  async plan(dir: string, options: PlanOptions, env: Readonly<Record<string, string>> = {}): Promise<TerraformResult> {
    const args = this.planArgs(options);
    const inputs = this.cache && Object.keys(env).length === 0 ? offlinePlanInputs(dir, OFFLINE_OVERRIDE_FILE) : undefined;
    if (!this.cache || !inputs) return this.run(args, dir, env);
    const key = cacheKey('plan', [binaryIdentity(this.binary), ...args, ...inputs]);
    const planFile = join(dir, options.out);
    const kept = this.cache.get(key);
    if (kept) {
      const { result, plan } = JSON.parse(kept.toString('utf8')) as { result: TerraformResult; plan: string };
      writeFileSync(planFile, Buffer.from(plan, 'base64'));
      return result;
    }
    rmSync(planFile, { force: true });
    const result = await this.run(args, dir, env);
    // A failure is never kept: it may be the machine's (a process killed, a port taken), not the configuration's.
    const planned = result.code === 0 || (options.detailedExitCode === true && result.code === 2);
    if (planned) this.cache.put(key, JSON.stringify({ result, plan: readFileSync(planFile).toString('base64') }));
    return result;
  }

  private planArgs(options: PlanOptions): string[] {
    return [
      'plan', '-input=false', '-no-color', `-out=${options.out}`,
      ...(options.json ? ['-json'] : []),
      ...(options.destroy ? ['-destroy'] : []),
      ...(options.refresh === false ? ['-refresh=false'] : []),
      ...(options.lock === false ? ['-lock=false'] : []),
      ...(options.detailedExitCode ? ['-detailed-exitcode'] : []),
      ...Object.entries(options.variables ?? {}).map(([name, value]) => `-var=${name}=${value}`),
    ];
  }

  /**
   * The saved plan as Terraform's JSON representation. Each reading is a new object; the text is
   * kept by the plan file's hash, since an apply reads one plan's JSON several times (about 3 s each).
   */
  async showPlan(dir: string, planFile: string): Promise<unknown> {
    const hash = createHash('sha256').update(readFileSync(join(dir, planFile))).digest('hex');
    const key = this.cache ? cacheKey('show', [binaryIdentity(this.binary), hash]) : undefined;
    let text = this.planJsons.get(hash) ?? (key ? this.cache!.get(key)?.toString('utf8') : undefined);
    if (text === undefined) {
      const result = await this.run(['show', '-json', '-no-color', planFile], dir);
      if (result.code !== 0) throw new Error(`terraform show failed in ${dir}: ${result.stderr.trim()}`);
      text = result.stdout;
      if (key) this.cache!.put(key, text);
    }
    this.planJsons.delete(hash);
    this.planJsons.set(hash, text);
    for (const oldest of this.planJsons.keys()) {
      if (this.planJsons.size <= PLAN_JSONS_KEPT) break;
      this.planJsons.delete(oldest);
    }
    return JSON.parse(text);
  }

  /**
   * `terraform providers schema -json` of an initialized stack; with a result cache, read once per
   * lock file (every stack of a repository pins the same providers). A failure is not kept.
   */
  async providerSchemas(dir: string): Promise<unknown> {
    const key = this.cache ? cacheKey('schemas', [binaryIdentity(this.binary), readFileSync(join(dir, '.terraform.lock.hcl'))]) : undefined;
    const kept = key ? this.cache!.get(key)?.toString('utf8') : undefined;
    if (kept !== undefined) return JSON.parse(kept);
    const result = await this.run(['providers', 'schema', '-json'], dir);
    if (result.code !== 0) throw new Error(`terraform providers schema failed in ${dir}: ${result.stderr.trim()}`);
    if (key) this.cache!.put(key, result.stdout);
    return JSON.parse(result.stdout);
  }

  apply(dir: string, planFile: string, env: Readonly<Record<string, string>> = {}): Promise<TerraformResult> {
    return this.run(['apply', '-input=false', '-no-color', '-auto-approve', planFile], dir, env);
  }
}
