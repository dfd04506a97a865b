import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UnitOutcome } from '../apply/apply-run';
import { readRolloutRecord, recordPlan, rolloutProgress, settleRollout, startRollout, writeRolloutRecord, type RolloutTarget } from './rollout-record';
import type { RolloutStage } from './rollout-stages';

const NOW = new Date('2026-11-30T10:00:00Z');
const LATER = new Date('2026-11-30T11:00:00Z');
const target = (stack: string, configHash = 'h1', action: 'apply' | 'destroy' = 'apply'): RolloutTarget => {
  const tenant = /^tenant-(.+)-(data|compute|workload)$/.exec(stack)?.[1];
  return { stack, ...(tenant ? { tenant } : {}), action, configHash };
};
const outcome = (unit: string, status: UnitOutcome['status'], stacks: [string, 'applied' | 'failed' | 'not reached'][] = [], extra: Partial<UnitOutcome> = {}): UnitOutcome =>
  ({ unit, status, stacks: stacks.map(([stack, s]) => ({ stack, action: 'apply', status: s, ...(s === 'failed' ? { error: 'AccessDenied' } : {}) })), ...extra });

describe('the rollout record', () => {
  const range = { base: 'a'.repeat(40), head: 'b'.repeat(40) };

  it('starts with every stack pending, named by the head commit', () => {
    const { record, toPlan } = startRollout(undefined, range, [target('tenant-acme-data'), target('cell-blue-1')], NOW);
    expect(record).toMatchObject({ id: 'bbbbbbbbbbbb', base: range.base, head: range.head, startedAt: NOW.toISOString() });
    expect(Object.values(record.stacks).map((s) => s.status)).toEqual(['pending', 'pending']);
    expect(toPlan.map((t) => t.stack)).toEqual(['tenant-acme-data', 'cell-blue-1']);
  });

  it('records each stack as its tenant\'s outcome says: applied, failed, not reached, not planned, unhealthy, held back', () => {
    const stacks = ['tenant-acme-data', 'tenant-acme-workload', 'tenant-acme-compute', 'tenant-globex-data', 'tenant-globex-compute', 'tenant-globex-workload', 'tenant-wonka-data', 'tenant-stark-data', 'tenant-wayne-data'];
    const { record } = startRollout(undefined, range, stacks.map((s) => target(s)), NOW);
    const settled = settleRollout(record, {
      outcomes: [
        outcome('acme', 'applied', [['tenant-acme-data', 'applied'], ['tenant-acme-workload', 'applied']]),
        outcome('globex', 'failed', [['tenant-globex-data', 'applied'], ['tenant-globex-compute', 'failed'], ['tenant-globex-workload', 'not reached']], { detail: 'tenant-globex-compute: AccessDenied' }),
        outcome('wonka', 'unhealthy', [['tenant-wonka-data', 'applied']], { wave: 'canary', detail: 'https://wonka/healthz answered 503 (3 attempts)' }),
        outcome('stark', 'halted', [], { wave: 'early', detail: 'not applied: wave canary of channel stable had 1 failures' }),
      ],
      halted: 'wave canary of channel stable had 1 failures',
    }, LATER);
    expect(Object.fromEntries(Object.entries(settled.stacks).map(([name, s]) => [name, [s.status, s.detail]]))).toEqual({
      'tenant-acme-data': ['applied', 'applied in rollout bbbbbbbbbbbb'],
      'tenant-acme-workload': ['applied', 'applied in rollout bbbbbbbbbbbb'],
      'tenant-acme-compute': ['skipped', 'no saved plan of it in this run'],
      'tenant-globex-data': ['applied', 'applied in rollout bbbbbbbbbbbb'],
      'tenant-globex-compute': ['failed', 'AccessDenied'],
      'tenant-globex-workload': ['skipped', 'not reached: tenant-globex-compute: AccessDenied'],
      'tenant-wonka-data': ['failed', 'unhealthy: https://wonka/healthz answered 503 (3 attempts)'],
      'tenant-stark-data': ['skipped', 'halted: not applied: wave canary of channel stable had 1 failures'],
      'tenant-wayne-data': ['pending', undefined],
    });
    expect(settled.stacks['tenant-wonka-data']!.wave).toBe('canary');
    expect(settled).toMatchObject({ halted: 'wave canary of channel stable had 1 failures', updatedAt: LATER.toISOString(), startedAt: NOW.toISOString() });
    expect(rolloutProgress(settled)).toEqual({ counts: { applied: 3, failed: 2, skipped: 3, pending: 1, held: 0 }, failedUnits: ['globex', 'wonka'], complete: false });
  });

  it('carries over what an unfinished rollout applied from the same configuration, and plans the rest again', () => {
    const first = startRollout(undefined, range, [target('tenant-acme-data'), target('tenant-wonka-data'), target('tenant-stark-data'), target('tenant-hooli-compute', 'h1', 'destroy')], NOW).record;
    const done = settleRollout(first, { outcomes: [outcome('acme', 'applied', [['tenant-acme-data', 'applied']]), outcome('wonka', 'failed', [['tenant-wonka-data', 'failed']])] }, NOW);
    const next = { base: range.base, head: 'c'.repeat(40) };
    const { record, toPlan } = startRollout(done, next, [target('tenant-acme-data'), target('tenant-wonka-data'), target('tenant-stark-data', 'h2'), target('tenant-hooli-compute', 'h1', 'destroy'), target('tenant-newco-data')], LATER);
    expect(toPlan.map((t) => t.stack)).toEqual(['tenant-wonka-data', 'tenant-stark-data', 'tenant-hooli-compute', 'tenant-newco-data']);
    expect(record.stacks['tenant-acme-data']).toMatchObject({ status: 'applied', detail: 'applied in rollout bbbbbbbbbbbb' });
    expect(record).toMatchObject({ id: 'cccccccccccc', startedAt: LATER.toISOString() });
    expect(record.halted).toBeUndefined();
  });

  it('never carries over a stack whose configuration or action changed since it was applied', () => {
    const first = startRollout(undefined, range, [target('tenant-acme-data', 'h1'), target('tenant-acme-compute', 'h1')], NOW).record;
    const done = settleRollout(first, { outcomes: [outcome('acme', 'applied', [['tenant-acme-data', 'applied'], ['tenant-acme-compute', 'applied']])] }, NOW);
    const { toPlan } = startRollout(done, range, [target('tenant-acme-data', 'h2'), target('tenant-acme-compute', 'h1', 'destroy')], LATER);
    expect(toPlan.map((t) => t.stack)).toEqual(['tenant-acme-data', 'tenant-acme-compute']);
  });

  it('keeps a failed or held stack as it is when the same rollout is planned again, and plans the failed one', () => {
    const first = startRollout(undefined, range, [target('tenant-acme-data'), target('tenant-wonka-data'), target('tenant-stark-data')], NOW).record;
    const settledOnce = settleRollout(first, { outcomes: [outcome('acme', 'manual'), outcome('wonka', 'failed', [['tenant-wonka-data', 'failed']]), outcome('stark', 'applied', [['tenant-stark-data', 'applied']])] }, NOW);
    const { record, toPlan } = startRollout(settledOnce, range, [target('tenant-acme-data'), target('tenant-wonka-data'), target('tenant-stark-data')], LATER);
    expect(toPlan.map((t) => t.stack)).toEqual(['tenant-wonka-data']);
    expect(Object.fromEntries(Object.entries(record.stacks).map(([name, s]) => [name, s.status]))).toEqual({ 'tenant-acme-data': 'held', 'tenant-wonka-data': 'failed', 'tenant-stark-data': 'applied' });
  });

  it('holds a tenant with upgrade: manual, which counts as settled', () => {
    const { record } = startRollout(undefined, range, [target('tenant-acme-workload'), target('tenant-stark-workload')], NOW);
    const settled = settleRollout(record, { outcomes: [outcome('acme', 'manual', [], { detail: 'upgrade: manual' }), outcome('stark', 'applied', [['tenant-stark-workload', 'applied']])] }, NOW);
    expect(settled.stacks['tenant-acme-workload']).toMatchObject({ status: 'held', detail: 'manual: upgrade: manual' });
    expect(rolloutProgress(settled)).toMatchObject({ counts: { applied: 1, held: 1 }, complete: true });
  });

  it('is complete once every stack is applied, keeps its entries across runs of the same commit, and carries nothing into a new rollout once complete', () => {
    const { record } = startRollout(undefined, range, [target('tenant-acme-data')], NOW);
    const done = settleRollout(record, { outcomes: [outcome('acme', 'applied', [['tenant-acme-data', 'applied']])] }, NOW);
    expect(rolloutProgress(done).complete).toBe(true);
    const again = startRollout(done, range, [target('tenant-acme-data')], LATER);
    expect(again.record.startedAt).toBe(NOW.toISOString());
    expect(again.toPlan).toEqual([]);
    // A new rollout after a finished one carries nothing over: a stack changed since by hand is planned again.
    expect(startRollout(done, { ...range, head: 'c'.repeat(40) }, [target('tenant-acme-data')], LATER).toPlan.map((t) => t.stack)).toEqual(['tenant-acme-data']);
  });

  it('records what could not be planned: a failed plan is a failure to retry, a skipped one is skipped', () => {
    const { record } = startRollout(undefined, range, [target('tenant-acme-data'), target('tenant-acme-workload'), target('tenant-stark-data')], NOW);
    const planned = recordPlan(record, [
      { stack: 'tenant-acme-data', status: 'planned' },
      { stack: 'tenant-acme-workload', status: 'skipped', reason: 'Kubernetes objects: checked by synthesis only' },
      { stack: 'tenant-stark-data', status: 'failed', error: '\nError: AccessDenied: not authorized\n  on main.tf.json line 1' },
    ], LATER);
    expect(Object.fromEntries(Object.entries(planned.stacks).map(([name, s]) => [name, [s.status, s.detail]]))).toEqual({
      'tenant-acme-data': ['pending', undefined],
      'tenant-acme-workload': ['skipped', 'not planned: Kubernetes objects: checked by synthesis only'],
      'tenant-stark-data': ['failed', 'did not plan: Error: AccessDenied: not authorized'],
    });
    expect(rolloutProgress(planned).failedUnits).toEqual(['stark']);
    // apply then blocks stark: its failed plan stays a failure to retry.
    const applied = settleRollout(planned, { outcomes: [outcome('stark', 'blocked', [], { detail: 'not applied: tenant-stark-data did not plan (failed)' })] }, LATER);
    expect(applied.stacks['tenant-stark-data']).toMatchObject({ status: 'failed', detail: 'did not plan: Error: AccessDenied: not authorized' });
  });

  it('keeps the rest of the record when a retry plans only some of its tenants', () => {
    const { record } = startRollout(undefined, range, [target('tenant-acme-data'), target('tenant-wonka-data')], NOW);
    const failed = settleRollout(record, { outcomes: [outcome('acme', 'applied', [['tenant-acme-data', 'applied']]), outcome('wonka', 'failed', [['tenant-wonka-data', 'failed']])] }, NOW);
    const retry = startRollout(failed, range, [target('tenant-wonka-data')], LATER, { partial: true });
    expect(retry.toPlan.map((t) => t.stack)).toEqual(['tenant-wonka-data']);
    expect(Object.fromEntries(Object.entries(retry.record.stacks).map(([name, s]) => [name, s.status]))).toEqual({ 'tenant-acme-data': 'applied', 'tenant-wonka-data': 'failed' });
  });

  it('keeps what an earlier rollout applied as that rollout\'s, with its time, across more unfinished rollouts', () => {
    const first = startRollout(undefined, range, [target('tenant-acme-data'), target('tenant-wonka-data')], NOW).record;
    const applied = settleRollout(first, { outcomes: [outcome('acme', 'applied', [['tenant-acme-data', 'applied']]), outcome('wonka', 'failed', [['tenant-wonka-data', 'failed']])] }, NOW);
    const second = startRollout(applied, { base: range.base, head: 'c'.repeat(40) }, [target('tenant-acme-data'), target('tenant-wonka-data')], LATER).record;
    const third = startRollout(second, { base: range.base, head: 'd'.repeat(40) }, [target('tenant-acme-data'), target('tenant-wonka-data')], LATER).record;
    expect(third.stacks['tenant-acme-data']).toEqual({ tenant: 'acme', action: 'apply', configHash: 'h1', status: 'applied', detail: 'applied in rollout bbbbbbbbbbbb', at: NOW.toISOString() });
    // A record written before stacks carried a detail: the rollout it was carried from is named.
    const bare = { ...applied, stacks: { ...applied.stacks, 'tenant-acme-data': { action: 'apply' as const, tenant: 'acme', configHash: 'h1', status: 'applied' as const } } };
    expect(startRollout(bare, { base: range.base, head: 'c'.repeat(40) }, [target('tenant-acme-data')], LATER).record.stacks['tenant-acme-data'])
      .toEqual({ tenant: 'acme', action: 'apply', configHash: 'h1', status: 'applied', detail: 'applied in rollout bbbbbbbbbbbb' });
  });

  it('keeps its stages and why it halted when the same rollout is planned again, and starts a new one without them', () => {
    const stages: RolloutStage[] = [{ name: 'tenants', maxFailures: 0, units: ['acme'], state: 'halted' }];
    const halted = { ...startRollout(undefined, range, [target('tenant-acme-data')], NOW).record, stages, halted: 'stage tenants had 1 failures' };
    expect(startRollout(halted, range, [target('tenant-acme-data')], LATER).record).toMatchObject({ stages, halted: 'stage tenants had 1 failures' });
    const next = startRollout(halted, { base: range.base, head: 'c'.repeat(40) }, [target('tenant-acme-data')], LATER).record;
    expect(next.stages).toBeUndefined();
    expect(next.halted).toBeUndefined();
  });

  it('keeps nothing of another rollout\'s record in a partial plan of a new one', () => {
    const { record } = startRollout(undefined, range, [target('tenant-acme-data'), target('tenant-wonka-data')], NOW);
    const failed = settleRollout(record, { outcomes: [outcome('acme', 'failed', [['tenant-acme-data', 'failed']])] }, NOW);
    const partial = startRollout(failed, { base: range.base, head: 'c'.repeat(40) }, [target('tenant-wonka-data')], LATER, { partial: true });
    expect(Object.keys(partial.record.stacks)).toEqual(['tenant-wonka-data']);
  });

  it('names a failed plan by its first line that is not blank, or says it failed, and a skip without a reason plainly', () => {
    const { record } = startRollout(undefined, range, [target('tenant-acme-data'), target('tenant-stark-data'), target('tenant-wonka-data')], NOW);
    const planned = recordPlan(record, [
      { stack: 'tenant-acme-data', status: 'failed', error: '   \n\t\nError: Invalid provider configuration' },
      { stack: 'tenant-stark-data', status: 'failed' },
      { stack: 'tenant-wonka-data', status: 'skipped' },
      { stack: 'tenant-gone-data', status: 'failed', error: 'Error: no such stack' },
    ], LATER);
    expect(Object.fromEntries(Object.entries(planned.stacks).map(([name, s]) => [name, [s.status, s.detail, s.at]]))).toEqual({
      'tenant-acme-data': ['failed', 'did not plan: Error: Invalid provider configuration', LATER.toISOString()],
      'tenant-stark-data': ['failed', 'did not plan: failed', LATER.toISOString()],
      'tenant-wonka-data': ['skipped', 'not planned', LATER.toISOString()],
    });
  });

  it('never takes back an applied stack, and applies again a stack that failed when its tenant now applies', () => {
    const { record } = startRollout(undefined, range, [target('tenant-acme-data'), target('tenant-acme-compute'), target('tenant-wonka-data'), target('tenant-stark-data')], NOW);
    const once = settleRollout(record, { outcomes: [
      outcome('acme', 'failed', [['tenant-acme-data', 'applied'], ['tenant-acme-compute', 'failed']], { detail: 'tenant-acme-compute: AccessDenied' }),
      outcome('wonka', 'failed', [['tenant-wonka-data', 'failed']]),
    ] }, NOW);
    const again = settleRollout(once, { outcomes: [
      outcome('acme', 'failed', [['tenant-acme-data', 'failed'], ['tenant-acme-compute', 'applied']]),
      outcome('wonka', 'applied', [['tenant-wonka-data', 'applied']]),
      outcome('stark', 'blocked', [], { detail: 'cell-blue-1 failed to apply' }),
    ] }, LATER);
    expect(Object.fromEntries(Object.entries(again.stacks).map(([name, s]) => [name, [s.status, s.detail, s.at]]))).toEqual({
      'tenant-acme-data': ['applied', 'applied in rollout bbbbbbbbbbbb', NOW.toISOString()],
      'tenant-acme-compute': ['applied', 'applied in rollout bbbbbbbbbbbb', LATER.toISOString()],
      'tenant-wonka-data': ['applied', 'applied in rollout bbbbbbbbbbbb', LATER.toISOString()],
      'tenant-stark-data': ['skipped', 'blocked: cell-blue-1 failed to apply', LATER.toISOString()],
    });
    expect(again.halted).toBeUndefined();
  });

  it('says only what held or skipped a stack when its outcome has no detail, and lists failed units in order of name', () => {
    const { record } = startRollout(undefined, range, [target('tenant-zeta-data'), target('tenant-acme-data'), target('tenant-wonka-data')], NOW);
    const settled = settleRollout(record, { outcomes: [
      outcome('zeta', 'failed', [['tenant-zeta-data', 'failed']]), outcome('acme', 'unhealthy', [['tenant-acme-data', 'applied']], { detail: '503' }), outcome('wonka', 'manual'),
    ] }, NOW);
    expect(settled.stacks['tenant-wonka-data']).toMatchObject({ status: 'held', detail: 'manual' });
    expect(settled.stacks['tenant-zeta-data']).toMatchObject({ status: 'failed', detail: 'AccessDenied' });
    const silent = settleRollout(record, { outcomes: [{ unit: 'zeta', status: 'failed', stacks: [{ stack: 'tenant-zeta-data', action: 'apply', status: 'failed' }] }] }, NOW);
    expect(silent.stacks['tenant-zeta-data']).toMatchObject({ status: 'failed', detail: 'failed' });
    expect(rolloutProgress(settled).failedUnits).toEqual(['acme', 'zeta']);
  });

  it('is read back as written, from a folder it makes, and is absent where no file is', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollout-record-'));
    const path = join(dir, '.tenancy', 'rollouts', 'current.json');
    expect(readRolloutRecord(path)).toBeUndefined();
    const { record } = startRollout(undefined, range, [target('tenant-acme-data')], NOW);
    writeRolloutRecord(path, record);
    expect(readRolloutRecord(path)).toEqual(record);
    const settled = settleRollout(record, { outcomes: [outcome('acme', 'applied', [['tenant-acme-data', 'applied']])] }, LATER);
    writeRolloutRecord(path, settled);
    expect(readRolloutRecord(path)).toEqual(settled);
    // One space per level and a final newline: a record's diff in a pull request reads line by line.
    expect(readFileSync(path, 'utf8')).toBe(`${JSON.stringify(settled, null, 1)}\n`);
  });
});

