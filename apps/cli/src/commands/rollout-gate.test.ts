import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readRolloutRecord, writeRolloutRecord, type RolloutRecord } from '@tenancy/lifecycle';
import { FleetRepo } from '@tenancy/lifecycle/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../testing/run-cli';

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

  /** A health endpoint answering 503 for the tenants in `unhealthy`, 200 for the others. */
  const unhealthy = new Set<string>();
  let health: Server;
  let healthUrl = '';
  beforeAll(async () => {
    health = createServer((req, res) => { res.statusCode = unhealthy.has(req.url!.split('/')[1]!) ? 503 : 200; res.end(); });
    await new Promise<void>((resolve) => health.listen(0, '127.0.0.1', resolve));
    healthUrl = `http://127.0.0.1:${(health.address() as AddressInfo).port}/{tenant}/healthz`;
  });
  afterAll(() => new Promise<void>((resolve) => health.close(() => resolve())));
  afterEach(() => unhealthy.clear());

  async function gate(parts: Record<string, RolloutRecord['stacks']>, options: { healthChecked?: boolean } = {}): Promise<{ status: number | null; stdout: string; stderr: string; record: RolloutRecord }> {
    const repo = await FleetRepo.create();
    repos.push(repo);
    if (options.healthChecked) repo.edit('platform.yaml', '  stable:\n    version: 2.14.1\n', `  stable:\n    version: 2.14.1\n    health:\n      url: ${healthUrl}\n      private: true\n`);
    writeRolloutRecord(join(repo.root, '.tenancy', 'rollout.json'), running);
    for (const [job, stacks] of Object.entries(parts)) {
      mkdirSync(join(repo.root, 'parts', job), { recursive: true });
      writeRolloutRecord(join(repo.root, 'parts', job, 'rollout.json'), { ...running, stacks: { ...running.stacks, ...stacks } });
    }
    mkdirSync(join(repo.root, 'parts'), { recursive: true });
    const run = await runCliAsync(['rollout', 'gate', '--parts', join(repo.root, 'parts'), '--root', repo.root]);
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

  const allApplied = {
    'rollout-part-0': { 'tenant-acme-workload': stack('acme', 'applied', 5) },
    'rollout-part-1': { 'tenant-cyberdyne-workload': stack('cyberdyne', 'applied', 6) },
    'rollout-part-2': { 'tenant-stark-workload': stack('stark', 'applied', 7) },
  };

  it('fails a tenant whose health URL answers 503 after its apply, and passes the stage while that is all it tolerates', async () => {
    unhealthy.add('stark');
    const run = await gate(allApplied, { healthChecked: true });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('stark: unhealthy - ');
    expect(run.record.stacks['tenant-stark-workload']).toMatchObject({ status: 'failed', detail: expect.stringMatching(/^unhealthy: http:\/\/127\.0\.0\.1:\d+\/stark\/healthz answered 503 \(3 attempts\)$/) });
    expect(run.stderr).toContain('stage stable/early passed: 1 failed of 1 tolerated');
  });

  it('halts the rollout when more tenants answer 503 than the wave tolerates, though every job applied', async () => {
    unhealthy.add('stark');
    unhealthy.add('acme');
    const run = await gate(allApplied, { healthChecked: true });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('continue=false\n');
    expect(run.stderr).toContain('rollout halted: stage stable/early had 2 failures (acme: unhealthy: ');
    expect(run.record.stages!.map((s) => s.state)).toEqual(['halted', 'pending']);
    expect(Object.entries(run.record.stacks).map(([name, s]) => `${name} ${s.status}`).sort()).toEqual(['tenant-acme-workload failed', 'tenant-cyberdyne-workload applied', 'tenant-stark-workload failed']);
  });
});
