import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readRolloutRecord, writeRolloutRecord, type RolloutRecord } from '@tenancy/lifecycle';
import { FleetRepo } from '@tenancy/lifecycle/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli';

describe('tenancy rollout gate', () => {
  const repos: FleetRepo[] = [];
  afterEach(() => { for (const repo of repos.splice(0)) repo.dispose(); });

  const at = (minute: number) => `2026-11-30T10:${String(minute).padStart(2, '0')}:00.000Z`;
  const stack = (tenant: string, status: RolloutRecord['stacks'][string]['status'], minute = 0) => ({ tenant, action: 'apply' as const, configHash: 'h', status, at: at(minute) });
  /** A record whose running stage is stable's early wave (it tolerates 1 failure) of stark, acme and cyberdyne. */
  const running: RolloutRecord = {
    id: 'bbbbbbbbbbbb', base: 'a'.repeat(40), head: 'b'.repeat(40), startedAt: at(0), updatedAt: at(0),
    stacks: { 'tenant-stark-workload': stack('stark', 'pending'), 'tenant-acme-workload': stack('acme', 'pending'), 'tenant-cyberdyne-workload': stack('cyberdyne', 'pending') },
    stages: [
      { name: 'stable/early', channel: 'stable', wave: 'early', maxFailures: 1, units: ['acme', 'cyberdyne', 'stark'], state: 'running', shards: [['acme'], ['cyberdyne'], ['stark']] },
      { name: 'stable/rest', channel: 'stable', wave: 'rest', maxFailures: 2, units: ['wayne'], state: 'pending' },
    ],
  };

  async function gate(parts: Record<string, RolloutRecord['stacks']>): Promise<{ status: number | null; stdout: string; stderr: string; record: RolloutRecord }> {
    const repo = await FleetRepo.create();
    repos.push(repo);
    writeRolloutRecord(join(repo.root, '.tenancy', 'rollout.json'), running);
    for (const [job, stacks] of Object.entries(parts)) {
      mkdirSync(join(repo.root, 'parts', job), { recursive: true });
      writeRolloutRecord(join(repo.root, 'parts', job, 'rollout.json'), { ...running, stacks: { ...running.stacks, ...stacks } });
    }
    mkdirSync(join(repo.root, 'parts'), { recursive: true });
    const run = runCli(['rollout', 'gate', '--parts', join(repo.root, 'parts'), '--root', repo.root]);
    return { ...run, record: readRolloutRecord(join(repo.root, '.tenancy', 'rollout.json'))! };
  }

  it('passes a stage whose jobs applied their tenants, and says another stage follows', async () => {
    const run = await gate({
      'rollout-part-0': { 'tenant-acme-workload': stack('acme', 'applied', 5) },
      'rollout-part-1': { 'tenant-cyberdyne-workload': stack('cyberdyne', 'applied', 6) },
      'rollout-part-2': { 'tenant-stark-workload': stack('stark', 'failed', 7) },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('continue=true\n');
    expect(run.stderr).toContain('stage stable/early passed: 1 failed of 1 tolerated; the next stage follows');
    expect(run.record.stages!.map((s) => s.state)).toEqual(['done', 'pending']);
    expect(Object.values(run.record.stacks).map((s) => s.status)).toEqual(['failed', 'applied', 'applied']);
  });

  it('counts a job that never reported as failures: the wave does not pass without its tenants', async () => {
    const run = await gate({ 'rollout-part-0': { 'tenant-acme-workload': stack('acme', 'applied', 5) } });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('continue=false\n');
    expect(run.stderr).toContain('rollout halted: stage stable/early had 2 failures (cyberdyne: not applied: its job did not report; stark: not applied: its job did not report), more than the 1 it tolerates');
    expect(run.record.stages![0]!.state).toBe('halted');
    expect(run.record.halted).toContain('stage stable/early had 2 failures');
  });
});
