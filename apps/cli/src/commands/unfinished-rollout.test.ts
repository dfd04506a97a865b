import { writeRolloutRecord } from '@tenancy/lifecycle';
import { FleetRepo } from '@tenancy/lifecycle/testing';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../testing/run-cli';
import { workspaceDirs } from '../workspace';

vi.setConfig({ testTimeout: 300_000 });

describe('a deployer\'s plan after an unfinished rollout', () => {
  const repos: FleetRepo[] = [];
  afterAll(() => { for (const repo of repos) repo.dispose(); });

  it('plans a revert of what the unfinished rollout applied: a range that nets out to nothing leaves nothing live', async () => {
    const repo = await FleetRepo.create();
    repos.push(repo);
    const base = await repo.commit('keep', () => undefined);
    // The unfinished rollout applied acme's new cost center and left wonka's channel bump deferred.
    const head = await repo.commit('acme moves cost center; stable 2.14.2', (r) => {
      r.edit('tenants/acme.yaml', 'cost-center: "4410"', 'cost-center: "4499"');
      r.edit('platform.yaml', '  stable:\n    version: 2.14.1\n', '  stable:\n    version: 2.14.2\n');
    });
    writeRolloutRecord(workspaceDirs(repo.root).rollout, {
      id: head.slice(0, 12), base, head, startedAt: '2026-01-06T10:00:00Z', updatedAt: '2026-01-06T11:00:00Z',
      stacks: {
        'tenant-acme-data': { tenant: 'acme', action: 'apply', configHash: 'h', status: 'applied' },
        'tenant-wonka-workload': { tenant: 'wonka', action: 'apply', configHash: 'h', status: 'skipped', detail: 'deferred: outside its maintenance window' },
      },
    });
    const reverted = await repo.commit('revert acme', (r) => r.edit('tenants/acme.yaml', 'cost-center: "4499"', 'cost-center: "4410"'));
    const plan = runCli(['plan', '--as', 'deployer', '--base', head, '--head', 'HEAD', '--offline', '--root', repo.root]);
    expect(plan.status, plan.stderr + plan.stdout).toBe(0);
    expect(plan.stdout).toContain(`rollout ${head.slice(0, 12)} is unfinished: planning from its base ${base.slice(0, 12)}, not ${head.slice(0, 12)}, and what changed since its head ${head.slice(0, 12)}`);
    // From the old base alone acme is unchanged; since the old head it is reverted: its data stack is planned.
    expect(plan.stdout).toMatch(/acme\s+tenant-acme-data\s+apply/);
    expect(plan.stdout).toMatch(/wonka\s+tenant-wonka-workload\s+apply/);
    expect(reverted).toMatch(/^[0-9a-f]{40}$/);
  });
});
