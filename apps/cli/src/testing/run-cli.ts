import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO = resolve(__dirname, '../../../..');
const BIN = resolve(REPO, 'apps/cli/bin/tenancy.mjs');

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `tenancy` bin, as a user would, in `cwd` (default: the repository root). */
export function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO,
    env: { ...process.env, ...options.env, TENANCY_DEBUG: '' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Whether output carries a JavaScript stack trace, which a user must never see. */
export function hasStackTrace(output: string): boolean {
  return /\n\s+at .+[(:]\d+/.test(output);
}

/**
 * Runs the real `tenancy` bin without blocking this process, so a server it calls (the GitHub
 * stand-in) can answer.
 */
export function runCliAsync(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return spawnCollecting(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPO, env: { ...process.env, ...options.env, TENANCY_DEBUG: '' } });
}

/** Spawns a process and collects its output, without blocking this one. */
export function spawnCollecting(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, options);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}
