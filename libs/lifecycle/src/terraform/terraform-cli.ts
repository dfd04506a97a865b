import { spawn } from 'node:child_process';

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

/** Runs Terraform in a stack folder, non-interactively, with the given CLI configuration. */
export class TerraformCli {
  constructor(
    private readonly binary: string,
    private readonly cliConfigFile: string,
    private readonly env: Readonly<Record<string, string>> = {},
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

  plan(dir: string, options: PlanOptions, env: Readonly<Record<string, string>> = {}): Promise<TerraformResult> {
    return this.run([
      'plan', '-input=false', '-no-color', `-out=${options.out}`,
      ...(options.json ? ['-json'] : []),
      ...(options.destroy ? ['-destroy'] : []),
      ...(options.refresh === false ? ['-refresh=false'] : []),
      ...(options.lock === false ? ['-lock=false'] : []),
      ...(options.detailedExitCode ? ['-detailed-exitcode'] : []),
      ...Object.entries(options.variables ?? {}).map(([name, value]) => `-var=${name}=${value}`),
    ], dir, env);
  }

  /** The saved plan as Terraform's JSON representation. */
  async showPlan(dir: string, planFile: string): Promise<unknown> {
    const result = await this.run(['show', '-json', '-no-color', planFile], dir);
    if (result.code !== 0) throw new Error(`terraform show failed in ${dir}: ${result.stderr.trim()}`);
    return JSON.parse(result.stdout);
  }

  apply(dir: string, planFile: string, env: Readonly<Record<string, string>> = {}): Promise<TerraformResult> {
    return this.run(['apply', '-input=false', '-no-color', '-auto-approve', planFile], dir, env);
  }
}
