import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasStackTrace, REPO, runCli } from '../testing/run-cli';

describe('tenancy runners', () => {
  const dirs: string[] = [];
  afterEach(() => { for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true }); });

  function rootWith(runners: string): string {
    const root = mkdtempSync(join(tmpdir(), 'tenancy-runners-'));
    dirs.push(root);
    cpSync(join(REPO, 'tenants'), join(root, 'tenants'), { recursive: true });
    writeFileSync(join(root, 'platform.yaml'), readFileSync(join(REPO, 'platform.yaml'), 'utf8').replace(/^ {2}runners: .*$/m, runners));
    return root;
  }

  it('prints the example fleet\'s runners for $GITHUB_OUTPUT', () => {
    const run = runCli(['runners']);
    expect(run).toMatchObject({ status: 0, stdout: 'runners=["ubuntu-latest"]\n' });
  });

  it('prints self-hosted labels as a list runs-on takes, and GitHub\'s runner when none are named', () => {
    expect(runCli(['runners', '--root', rootWith('  runners: [self-hosted, linux, tenancy-vpc]')]).stdout).toBe('runners=["self-hosted","linux","tenancy-vpc"]\n');
    expect(runCli(['runners', '--root', rootWith('')]).stdout).toBe('runners=["ubuntu-latest"]\n');
  });

  it('refuses a platform.yaml whose runners are not labels, saying where', () => {
    const run = runCli(['runners', '--root', rootWith('  runners: ["ubuntu latest; rm -rf /"]')]);
    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/platform\.yaml:\d+:\d+.*is not a runner label/);
    expect(hasStackTrace(run.stderr)).toBe(false);
  });
});
