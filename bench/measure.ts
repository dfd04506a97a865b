import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Measurement {
  readonly seconds: number;
  /** Peak resident memory of the process, when GNU time is there to tell. */
  readonly peakMiB?: number;
  readonly stdout: string;
}

const GNU_TIME = '/usr/bin/time';

/** Runs a command to completion and measures its wall time and peak memory; throws when it fails. */
export function measure(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Measurement {
  const timed = existsSync(GNU_TIME);
  const started = process.hrtime.bigint();
  const result = spawnSync(timed ? GNU_TIME : command, timed ? ['-f', 'bench-peak-kib=%M', command, ...args] : args, {
    cwd: options.cwd, env: { ...process.env, ...options.env }, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}:\n${result.stderr.slice(-2000)}`);
  const peak = /bench-peak-kib=(\d+)/.exec(result.stderr)?.[1];
  return { seconds, ...(peak ? { peakMiB: Number(peak) / 1024 } : {}), stdout: result.stdout };
}
