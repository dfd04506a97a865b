import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyExampleFleet, type ExampleFleetCopy } from '@tenancy/model/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { hasStackTrace, REPO, runCli } from '../testing/run-cli';

describe('tenancy runners', () => {
  const copies: ExampleFleetCopy[] = [];
  afterEach(() => { for (const copy of copies.splice(0)) copy.dispose(); });

  function rootWith(runners: string): string {
    const copy = copyExampleFleet({ prefix: 'tenancy-runners-', platform: readFileSync(join(REPO, 'platform.yaml'), 'utf8').replace(/^ {2}runners: .*$/m, runners) });
    copies.push(copy);
    return copy.root;
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
