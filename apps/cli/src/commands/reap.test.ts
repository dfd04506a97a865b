import { FleetRepo } from '@tenancy/lifecycle/testing';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../testing/run-cli';

vi.setConfig({ testTimeout: 60_000 });

describe('tenancy reap with legal holds on former tenants', () => {
  const repos: FleetRepo[] = [];
  afterAll(() => { for (const repo of repos) repo.dispose(); });

  it('holds a former tenant while a hold names it, and after the hold is lifted lists every tenant again, without an error', async () => {
    const repo = await FleetRepo.create();
    repos.push(repo);
    await repo.commit('offboard wayne and wonka', (r) => { r.remove('tenants/wayne.yaml'); r.remove('tenants/wonka.yaml'); }, '2026-01-06T10:00:00Z');
    const before = await repo.commit('hold wayne', (r) => r.edit('platform.yaml', 'legalHolds:\n', 'legalHolds:\n  - tenant: wayne\n    reason: Subpoena 2026-77\n'), '2026-01-07T10:00:00Z');
    const changes = runCli(['changes', '--base', `${before}~1`, '--head', before, '--root', repo.root]);
    expect(changes.stdout).toMatch(/wayne\s+hold\s+data\s+legal hold placed: its kept data stops expiring and is locked/);
    const held = runCli(['reap', '--as-of', '2030-01-01', '--offline', '--root', repo.root]);
    expect(held.status, held.stderr).toBe(0);
    expect(held.stdout).toMatch(/wayne\s+not applied\s+-\s+held\s+legal hold: Subpoena 2026-77/);
    await repo.commit('lift the hold on wayne', (r) => r.edit('platform.yaml', '  - tenant: wayne\n    reason: Subpoena 2026-77\n', ''), '2026-01-08T10:00:00Z');
    const lifted = runCli(['reap', '--as-of', '2030-01-01', '--offline', '--root', repo.root]);
    expect(lifted.status, lifted.stderr).toBe(0);
    expect(lifted.stderr).not.toContain('internal error');
    expect(lifted.stdout).toMatch(/wayne\s+not applied\s+-\s+unapplied/);
    expect(lifted.stdout).toMatch(/wonka\s+not applied\s+-\s+unapplied/);
  });
});
