import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { findToolchain, offlineGap, readRolloutRecord } from '@tenancy/lifecycle';
import { FleetRepo } from '@tenancy/lifecycle/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REPO, runCli } from '../testing/run-cli';

// Plans and applies several AWS stacks offline with real Terraform.
vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

const gap = offlineGap(findToolchain());
if (gap) console.warn(`\n*** SKIPPING the cancelled apply: ${gap} ***\n`);

describe.skipIf(gap !== undefined)('an apply cancelled mid-run', () => {
  let repo: FleetRepo;
  let base: string;
  const tenancy = (...args: string[]) => runCli([...args, '--root', repo.root]);
  const planRange = () => tenancy('plan', '--as', 'deployer', '--base', base, '--head', 'HEAD', '--offline', '--concurrency', '2');

  beforeAll(async () => {
    repo = await FleetRepo.create();
    base = await repo.commit('nothing', () => undefined);
    // Each tenant's own change reaches its data stack: one AWS stack per tenant, planned offline.
    await repo.commit('new cost centers', (r) => {
      r.edit('tenants/acme.yaml', 'cost-center: "4410"', 'cost-center: "7000"');
      for (const id of ['stark', 'wonka', 'cyberdyne']) r.write(`tenants/${id}.yaml`, `${r.read(`tenants/${id}.yaml`)}tags:\n  cost-center: "7000"\n`);
    });
  });
  afterAll(() => repo.dispose());

  /**
   * Runs `tenancy apply` one tenant at a time and sends it SIGINT, as Actions does on cancel, once
   * the first tenant is applied. Without the run's result cache, each apply reads its plan from
   * Terraform (seconds), so the signal lands while the next one runs, not after the last.
   */
  function cancelledApply(): Promise<{ code: number | null; stdout: string }> {
    return new Promise((done) => {
      const child = spawn(process.execPath, [join(REPO, 'apps/cli/bin/tenancy.mjs'), 'apply', '--offline', '--concurrency', '1', '--root', repo.root], { env: { ...process.env, TENANCY_DEBUG: '', TENANCY_TERRAFORM_CACHE: '' } });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (/^ {2}\S+: applied$/m.test(stdout) && !child.killed) child.kill('SIGINT');
      });
      child.on('close', (code) => done({ code, stdout }));
    });
  }

  it('records what it finished; the next run plans only the rest, and so does a later one whose range starts after it', async () => {
    const plan = planRange();
    expect(plan.status, plan.stdout + plan.stderr).toBe(0);
    const path = join(repo.root, '.tenancy', 'rollout.json');
    // Offline the workload stacks (the tags reach their labels too) are synthesized only: skipped.
    const planned = readRolloutRecord(path)!.stacks;
    expect(Object.entries(planned).filter(([, s]) => s.status === 'pending').map(([name]) => name).sort())
      .toEqual(['tenant-acme-data', 'tenant-cyberdyne-data', 'tenant-stark-data', 'tenant-wonka-data']);

    const run = await cancelledApply();
    expect(run.code, run.stdout).toBe(130);
    expect(run.stdout).toContain('SIGINT: the rollout record keeps what was applied; the next run resumes from there');
    const record = readRolloutRecord(path)!;
    const applied = Object.entries(record.stacks).filter(([, s]) => s.status === 'applied').map(([name]) => name);
    expect(applied.length).toBeGreaterThanOrEqual(1);
    expect(applied.length).toBeLessThan(4);
    expect(applied.every((stack) => stack.endsWith('-data'))).toBe(true);
    expect(Object.entries(record.stacks).filter(([name, s]) => name.endsWith('-data') && s.status !== 'applied').every(([, s]) => s.status === 'pending')).toBe(true);

    const next = planRange();
    expect(next.status, next.stdout + next.stderr).toBe(0);
    expect(next.stdout).toContain(`${applied.length} stacks already applied from the same configuration by rollout ${record.id}, not planned again`);
    expect(next.stdout).toContain(`planning ${Object.keys(record.stacks).length - applied.length} stacks as the deployer`);
    for (const stack of applied) expect(next.stdout).not.toContain(stack);

    // A later run whose range starts after this commit (its run succeeded) still plans what this rollout left.
    const cancelledAt = repo.git('rev-parse', 'HEAD').trim();
    await repo.commit('wayne moves cost center', (r) => r.write('tenants/wayne.yaml', `${r.read('tenants/wayne.yaml')}tags:\n  cost-center: "7100"\n`));
    const later = tenancy('plan', '--as', 'deployer', '--base', cancelledAt, '--head', 'HEAD', '--offline', '--concurrency', '2');
    expect(later.status, later.stdout + later.stderr).toBe(0);
    expect(later.stdout).toContain(`rollout ${record.id} is unfinished: planning from its base ${base.slice(0, 12)}, not ${cancelledAt.slice(0, 12)}`);
    expect(later.stdout).toContain(`${applied.length} stacks already applied from the same configuration by rollout ${record.id}, not planned again`);
    const left = Object.entries(record.stacks).filter(([name, s]) => name.endsWith('-data') && s.status === 'pending').map(([name]) => name);
    for (const stack of [...left, 'tenant-wayne-data']) expect(later.stdout).toMatch(new RegExp(`${stack}\\s+apply`));
  });
});
