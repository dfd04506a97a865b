import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeRolloutRecord, type RolloutRecord } from '@tenancy/lifecycle';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli';

describe('tenancy rollout status', () => {
  const dirs: string[] = [];
  afterEach(() => { for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true }); });
  const root = () => { const dir = mkdtempSync(join(tmpdir(), 'tenancy-rollout-')); dirs.push(dir); return dir; };

  const record: RolloutRecord = {
    id: 'bbbbbbbbbbbb', base: 'a'.repeat(40), head: 'b'.repeat(40), startedAt: '2026-11-30T10:00:00.000Z', updatedAt: '2026-11-30T10:40:00.000Z',
    halted: 'wave canary of channel stable had 1 failures, more than the 0 it tolerates',
    stacks: {
      'tenant-acme-data': { tenant: 'acme', action: 'apply', configHash: 'h', status: 'applied', detail: 'applied in rollout bbbbbbbbbbbb' },
      'tenant-wonka-workload': { tenant: 'wonka', action: 'apply', configHash: 'h', status: 'failed', wave: 'canary', detail: 'unhealthy: https://wonka.example/healthz answered 503 (3 attempts)' },
      'tenant-stark-workload': { tenant: 'stark', action: 'apply', configHash: 'h', status: 'skipped', wave: 'early', detail: 'halted: not applied' },
      'cell-blue-1': { action: 'apply', configHash: 'h', status: 'pending' },
    },
  };

  it('prints how far the rollout got, why it halted, every stack not applied, and how to retry', () => {
    const dir = root();
    writeRolloutRecord(join(dir, '.tenancy', 'rollout.json'), record);
    const status = runCli(['rollout', 'status', '--root', dir]);
    expect(status.status, status.stderr).toBe(0);
    const lines = status.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      `rollout bbbbbbbbbbbb: ${'a'.repeat(12)}..${'b'.repeat(12)}, started 2026-11-30T10:00:00.000Z, updated 2026-11-30T10:40:00.000Z`,
      '4 stacks: 1 applied, 1 failed, 1 skipped, 1 pending',
      'halted: wave canary of channel stable had 1 failures, more than the 0 it tolerates',
    ]);
    expect(status.stdout).toMatch(/tenant-wonka-workload\s+wonka\s+canary\s+failed\s+unhealthy: https:\/\/wonka.example\/healthz answered 503/);
    expect(status.stdout).toMatch(/cell-blue-1\s+-\s+-\s+pending/);
    expect(status.stdout).not.toContain('tenant-acme-data');
    expect(runCli(['rollout', 'status', '--all', '--root', dir]).stdout).toMatch(/tenant-acme-data\s+acme\s+-\s+applied/);
    expect(lines.at(-2)).toBe('retry the failed ones alone: tenancy rollout retry --failed (wonka)');
  });

  it('says where a record comes from when there is none', () => {
    const dir = root();
    const status = runCli(['rollout', 'status', '--root', dir]);
    expect(status.status).toBe(2);
    expect(status.stderr).toContain(`no rollout record in ${join(dir, '.tenancy', 'rollout.json')}: a deployer's plan of a range starts one (in CI, tenancy rollout pull brings it)`);
  });

  it('retries nothing when nothing failed', () => {
    const dir = root();
    writeRolloutRecord(join(dir, '.tenancy', 'rollout.json'), { ...record, stacks: { 'tenant-acme-data': record.stacks['tenant-acme-data']! } });
    const retry = runCli(['rollout', 'retry', '--failed', '--root', dir]);
    expect(retry.status, retry.stderr).toBe(0);
    expect(retry.stdout).toBe('rollout bbbbbbbbbbbb: nothing failed, nothing to retry\n');
  });
});
