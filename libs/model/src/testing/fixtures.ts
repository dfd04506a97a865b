import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository's root, where the example fleet lives. */
export const REPO_ROOT = resolve(__dirname, '../../../..');

export interface ExampleFleetCopy {
  /** A temp folder holding platform.yaml and tenants/ as the repository has them. */
  readonly root: string;
  /** Deletes the folder. */
  dispose(): void;
}

export interface CopyOptions {
  /** Prefix of the temp folder's name. @default 'tenancy-fleet-' */
  readonly prefix?: string;
  /** platform.yaml's text instead of the example's. @default the example's */
  readonly platform?: string;
  /** Other files of the repository to copy along (nx.json, package.json). @default none */
  readonly alsoCopy?: readonly string[];
}

/** The test fixture every test that needs a fleet on disk starts from: a copy of the example fleet. */
export function copyExampleFleet(options: CopyOptions = {}): ExampleFleetCopy {
  const root = mkdtempSync(join(tmpdir(), options.prefix ?? 'tenancy-fleet-'));
  if (options.platform === undefined) cpSync(join(REPO_ROOT, 'platform.yaml'), join(root, 'platform.yaml'));
  else writeFileSync(join(root, 'platform.yaml'), options.platform);
  cpSync(join(REPO_ROOT, 'tenants'), join(root, 'tenants'), { recursive: true });
  cpSync(join(REPO_ROOT, 'notifications'), join(root, 'notifications'), { recursive: true });
  for (const file of options.alsoCopy ?? []) cpSync(join(REPO_ROOT, file), join(root, file), { recursive: true });
  return { root, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * Git's automatic housekeeping turned off: after a commit of more than 6,700 files (gc.auto) Git
 * packs them in a background process and removes the loose objects' folders, and a commit that
 * runs meanwhile fails with "unable to create temporary file".
 */
const NO_AUTO_GC = ['-c', 'gc.auto=0', '-c', 'maintenance.auto=false'] as const;

/** Runs git in `root` as the tests' committer, with `env` added (commit dates); returns its output. */
export function git(root: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync('git', ['-c', 'user.email=tests@tenancy.dev', '-c', 'user.name=tenancy tests', ...NO_AUTO_GC, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
}
