import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FleetRepo } from '@tenancy/lifecycle/testing';
import { runCli } from '../testing/run-cli';

vi.setConfig({ testTimeout: 60_000 });

const repos: FleetRepo[] = [];
afterAll(() => { for (const repo of repos) repo.dispose(); });

async function repoWith(message: string, change: (repo: FleetRepo) => void): Promise<FleetRepo> {
  const repo = await FleetRepo.create();
  repos.push(repo);
  await repo.commit(message, change);
  return repo;
}

const synthRange = (repo: FleetRepo, out: string, ...extra: string[]) => runCli(['synth', '--base', 'HEAD~1', '--head', 'HEAD', '--out', join(repo.root, out), ...extra], { cwd: repo.root });
const tenantFiles = (repo: FleetRepo) => readdirSync(join(repo.root, 'tenants')).length;

describe('tenancy synth --base --head', () => {
  it('writes only the stacks the range changes, each as synthesizing the tenant writes it, after checking only what the change reaches', async () => {
    const repo = await repoWith('stark moves cost center', (r) => r.edit('tenants/stark.yaml', 'tier: basic\n', 'tier: basic\ntags:\n  cost-center: "7100"\n'));
    const range = synthRange(repo, 'range');
    expect(range.status, range.stderr).toBe(0);
    // Tags reach the AWS resources (data stack) and the namespace's labels (workload stack).
    expect(readdirSync(join(repo.root, 'range')).sort()).toEqual(['tenant-stark-data', 'tenant-stark-workload']);
    const checked = Number(/\((\d+) tenant files checked/.exec(range.stdout)?.[1]);
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThan(tenantFiles(repo));

    const named = runCli(['synth', '--tenant', 'stark', '--out', join(repo.root, 'named')], { cwd: repo.root });
    expect(named.status, named.stderr).toBe(0);
    for (const stack of ['tenant-stark-data', 'tenant-stark-workload']) {
      expect(readFileSync(join(repo.root, 'range', stack, 'main.tf.json'), 'utf8')).toBe(readFileSync(join(repo.root, 'named', stack, 'main.tf.json'), 'utf8'));
    }
  });

  it('checks every tenant file when platform.yaml changed', async () => {
    const repo = await repoWith('longer retention for basic', (r) => r.edit('platform.yaml', '    retentionDays: 30\n', '    retentionDays: 45\n'));
    const range = synthRange(repo, 'range');
    expect(range.status, range.stderr).toBe(0);
    expect(range.stdout).toContain('platform.yaml changed: every tenant file checked');
    expect(readdirSync(join(repo.root, 'range')).length).toBeGreaterThan(1);
  });

  it('refuses a change that breaks a check across files, reported at the file that breaks it', async () => {
    const repo = await repoWith('a second planner role for initech', (r) => r.edit('tenants/initech-hr.yaml', 'roleName: TenancyDeployer\n', 'roleName: TenancyDeployer\n  plannerRoleName: OtherPlanner\n'));
    const range = synthRange(repo, 'range');
    expect(range.status).toBe(1);
    expect(range.stderr).toMatch(/tenants\/initech-hr\.yaml:\d+:\d+.*deployer role TenancyDeployer of account 777788889999 goes with planner role TenancyPlanner elsewhere, OtherPlanner here/);
  });

  it('takes a range or names, not both, and needs both ends of the range', async () => {
    const repo = await repoWith('nothing', () => undefined);
    for (const extra of [['--all'], ['--tenant', 'acme'], ['--backend', 'local']]) {
      const run = synthRange(repo, 'range', ...extra);
      expect(run.status, extra.join(' ')).toBe(2);
      expect(run.stderr).toContain('synthesize a commit range with --base and --head');
    }
    const half = runCli(['synth', '--base', 'HEAD~1'], { cwd: repo.root });
    expect(half.status).toBe(2);
  });
});
