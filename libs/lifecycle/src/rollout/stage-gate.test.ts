import { loadFleet, type HealthCheck, type Platform } from '@tenancy/model';
import { REPO_ROOT } from '@tenancy/model/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RolloutRecord, RolloutStack } from './rollout-record';
import type { RolloutStage } from './rollout-stages';
import { judgeStage, type StageGateOptions } from './stage-gate';

const T0 = '2026-03-01T10:00:00.000Z';
const T1 = '2026-03-01T10:05:00.000Z';
const T2 = '2026-03-01T10:06:00.000Z';
const NOW = new Date('2026-03-01T11:00:00.000Z');
const HEALTH: HealthCheck = { url: 'https://{tenant}.example/healthz' } as HealthCheck;

const stack = (tenant: string | undefined, status: RolloutStack['status'], at = T0, detail?: string): RolloutStack =>
  ({ ...(tenant ? { tenant } : {}), action: 'apply', configHash: 'h', status, at, ...(detail ? { detail } : {}) });

/** stable/early running over wonka, stark and cyberdyne (one data stack each), stable/rest pending. */
function rollout(stacks: Record<string, RolloutStack>, stage: Partial<RolloutStage> = {}): RolloutRecord {
  return {
    id: 'abc', base: 'b', head: 'h', startedAt: T0, updatedAt: T0, stacks,
    stages: [
      { name: 'stable/canary', channel: 'stable', wave: 'canary', maxFailures: 0, units: ['acme'], state: 'done' },
      { name: 'stable/early', channel: 'stable', wave: 'early', maxFailures: 1, units: ['wonka', 'stark', 'cyberdyne'], state: 'running', ...stage },
      { name: 'stable/rest', channel: 'stable', wave: 'rest', maxFailures: 2, units: ['oscorp'], state: 'pending' },
    ],
  };
}
const pendingAll = () => ({
  'tenant-acme-data': stack('acme', 'applied'), 'tenant-wonka-data': stack('wonka', 'pending'), 'tenant-stark-data': stack('stark', 'pending'),
  'tenant-cyberdyne-data': stack('cyberdyne', 'pending'), 'tenant-oscorp-data': stack('oscorp', 'pending'),
});
/** A job's record: the named stacks applied (or as given) at T1. */
const part = (stacks: Record<string, RolloutStack>): RolloutRecord => ({ ...rollout({}), stacks });

describe('the gate of a rollout stage', () => {
  let platform: Platform;
  const checked: string[] = [];
  const baked: number[] = [];
  const options = (over: Partial<StageGateOptions> & { unhealthy?: Record<string, string> } = {}): StageGateOptions => ({
    platform, parts: [], now: () => NOW,
    checkHealth: async (unit, check, context) => { checked.push(`${unit} ${check.url} ${context.channel} ${context.version}`); return over.unhealthy?.[unit]; },
    bake: async (minutes) => { baked.push(minutes); },
    ...over,
  });
  const withHealth = (health: HealthCheck | undefined, bakeMinutes?: number, waveHealth?: HealthCheck): Platform => ({
    ...platform,
    channels: { ...platform.channels, stable: { ...platform.channels.stable!, ...(health ? { health } : {}), waves: platform.channels.stable!.waves.map((w) => (w.name === 'early' ? { ...w, ...(bakeMinutes ? { bakeMinutes } : {}), ...(waveHealth ? { health: waveHealth } : {}) } : w)) } },
  });
  beforeAll(async () => {
    platform = (await loadFleet(REPO_ROOT)).platform!;
    platform = { ...platform, channels: { ...platform.channels, stable: { ...platform.channels.stable!, health: undefined } } } as Platform;
  });
  const reset = () => { checked.length = 0; baked.length = 0; };

  it('judges nothing when no stage runs', async () => {
    expect(await judgeStage(rollout(pendingAll(), { state: 'done' }), options())).toBeUndefined();
    expect(await judgeStage({ ...rollout(pendingAll()), stages: undefined }, options())).toBeUndefined();
  });

  it('takes each stack\'s latest result from the jobs, never an older one, and passes the stage; the next has work', async () => {
    reset();
    const record = rollout({ ...pendingAll(), 'tenant-stark-data': stack('stark', 'failed', T2, 'apply failed before') });
    const verdict = (await judgeStage(record, options({ parts: [
      part({ 'tenant-wonka-data': stack('wonka', 'applied', T1), 'tenant-stark-data': stack('stark', 'applied', T1) }),
      part({ 'tenant-cyberdyne-data': stack('cyberdyne', 'failed', T1, 'x'), 'tenant-oscorp-data': stack('oscorp', 'applied', T1) }),
      part({ 'tenant-cyberdyne-data': stack('cyberdyne', 'applied', T2) }),
    ] })))!;
    expect(Object.fromEntries(Object.entries(verdict.record.stacks).map(([n, s]) => [n, s.status]))).toEqual({
      'tenant-acme-data': 'applied', 'tenant-wonka-data': 'applied', 'tenant-stark-data': 'failed', 'tenant-cyberdyne-data': 'applied', 'tenant-oscorp-data': 'pending',
    });
    expect(verdict.failed).toEqual(['stark']);
    expect(verdict.appliedNow).toEqual(['wonka', 'cyberdyne']);
    expect(verdict.halted).toBeUndefined();
    expect(verdict.record.stages!.map((s) => s.state)).toEqual(['done', 'done', 'pending']);
    expect(verdict.record.updatedAt).toBe(NOW.toISOString());
    expect(verdict.more).toBe(true);
    expect([verdict.baked, verdict.checked, baked, checked]).toEqual([0, undefined, [], []]);
  });

  it('counts a stack no job reported as failed, and halts when failed units are more than the stage tolerates', async () => {
    const verdict = (await judgeStage(rollout(pendingAll()), options({ parts: [part({ 'tenant-wonka-data': stack('wonka', 'applied', T1) })] })))!;
    expect(verdict.failed).toEqual(['stark', 'cyberdyne']);
    expect(verdict.record.stacks['tenant-stark-data']).toEqual({ ...stack('stark', 'failed', NOW.toISOString()), detail: 'not applied: its job did not report' });
    expect(verdict.halted).toBe('stage stable/early had 2 failures (stark: not applied: its job did not report; cyberdyne: not applied: its job did not report), more than the 1 it tolerates');
    expect(verdict.record.halted).toBe(verdict.halted);
    expect(verdict.record.stages!.map((s) => s.state)).toEqual(['done', 'halted', 'pending']);
    expect(verdict.more).toBe(false);
    // As many failures as tolerated pass; a halt of an earlier run is lifted.
    const tolerated = (await judgeStage({ ...rollout(pendingAll(), { maxFailures: 2 }), halted: 'earlier' }, options({ parts: [part({ 'tenant-wonka-data': stack('wonka', 'applied', T1) })] })))!;
    expect([tolerated.halted, tolerated.record.halted, tolerated.failed.length]).toEqual([undefined, undefined, 2]);
  });

  it('names at most five failed units in a halt', async () => {
    const units = Array.from({ length: 7 }, (_, i) => `t${i}`);
    const verdict = (await judgeStage(rollout(Object.fromEntries(units.map((u) => [`tenant-${u}-data`, stack(u, 'pending')])), { units, maxFailures: 0 }), options()))!;
    expect(verdict.halted).toBe(`stage stable/early had 7 failures (${units.slice(0, 5).map((u) => `${u}: not applied: its job did not report`).join('; ')}), more than the 0 it tolerates`);
  });

  it('checks the health of each unit the stage applied in full, with the wave\'s check before the channel\'s, and fails the unhealthy', async () => {
    reset();
    const parts = [part({ 'tenant-wonka-data': stack('wonka', 'applied', T1), 'tenant-stark-data': stack('stark', 'applied', T1), 'tenant-cyberdyne-data': stack('cyberdyne', 'failed', T1, 'apply failed') })];
    const verdict = (await judgeStage(rollout(pendingAll()), options({ platform: withHealth(HEALTH), parts, unhealthy: { wonka: 'https://wonka.example/healthz answered 503 (3 attempts)' } })))!;
    expect(checked).toEqual([`wonka ${HEALTH.url} stable 2.14.1`, `stark ${HEALTH.url} stable 2.14.1`]);
    expect(verdict.checked).toBe(2);
    expect(verdict.record.stacks['tenant-wonka-data']).toEqual({ ...stack('wonka', 'failed', NOW.toISOString()), detail: 'unhealthy: https://wonka.example/healthz answered 503 (3 attempts)' });
    expect(verdict.failed).toEqual(['wonka', 'cyberdyne']);
    expect(verdict.halted).toBe('stage stable/early had 2 failures (wonka: unhealthy: https://wonka.example/healthz answered 503 (3 attempts); cyberdyne: apply failed), more than the 1 it tolerates');
  });

  it('takes the wave\'s own check over its channel\'s', async () => {
    reset();
    const waveCheck = { url: 'https://{tenant}.example/ready' } as HealthCheck;
    await judgeStage(rollout(pendingAll()), options({ platform: withHealth(HEALTH, undefined, waveCheck), parts: [part({ 'tenant-wonka-data': stack('wonka', 'applied', T1) })] }));
    expect(checked).toEqual(['wonka https://{tenant}.example/ready stable 2.14.1']);
  });

  it('checks a unit applied by an earlier run too, but not one with a stack still to apply or none applied', async () => {
    reset();
    const record = rollout({ ...pendingAll(), 'tenant-wonka-data': stack('wonka', 'applied'), 'tenant-stark-data': stack('stark', 'held'), 'tenant-stark-compute': stack('stark', 'applied') });
    const verdict = (await judgeStage(record, options({ platform: withHealth(HEALTH), parts: [part({ 'tenant-cyberdyne-data': stack('cyberdyne', 'skipped', T1) })] })))!;
    expect(checked.map((c) => c.split(' ')[0])).toEqual(['wonka', 'stark']);
    expect(verdict.appliedNow).toEqual([]);
    expect(verdict.failed).toEqual([]);
  });

  it('bakes the wave\'s minutes before checking, only when the stage applied something', async () => {
    reset();
    const applied = [part({ 'tenant-wonka-data': stack('wonka', 'applied', T1), 'tenant-stark-data': stack('stark', 'applied', T1), 'tenant-cyberdyne-data': stack('cyberdyne', 'applied', T1) })];
    const verdict = (await judgeStage(rollout(pendingAll()), options({ platform: withHealth(HEALTH, 15), parts: applied })))!;
    expect([verdict.baked, baked]).toEqual([15, [15]]);
    reset();
    const again = rollout({ ...pendingAll(), 'tenant-wonka-data': stack('wonka', 'applied'), 'tenant-stark-data': stack('stark', 'applied'), 'tenant-cyberdyne-data': stack('cyberdyne', 'applied') });
    expect((await judgeStage(again, options({ platform: withHealth(HEALTH, 15) })))!.baked).toBe(0);
    expect(baked).toEqual([]);
  });

  it('judges a stage without a channel (a tenant\'s own change) with no bake and no check, the first stage too, and says when it was the last', async () => {
    reset();
    const record: RolloutRecord = {
      ...rollout({ 'tenant-acme-data': stack('acme', 'pending'), 'tenant-acme-compute': stack('acme', 'applied') }),
      stages: [{ name: 'tenants', maxFailures: Number.MAX_SAFE_INTEGER, units: ['acme'], state: 'running' }],
    };
    const verdict = (await judgeStage(record, options({ platform: withHealth(HEALTH, 15), parts: [part({ 'tenant-acme-data': stack('acme', 'applied', T1) })] })))!;
    expect([verdict.appliedNow, verdict.baked, verdict.checked, verdict.failed, verdict.more]).toEqual([['acme'], 0, undefined, [], false]);
    expect([baked, checked]).toEqual([[], []]);
    expect(verdict.record.stages!.map((s) => s.state)).toEqual(['done']);
  });

  it('takes a job\'s result only when it is newer than the record\'s', async () => {
    const record = rollout({ ...pendingAll(), 'tenant-wonka-data': stack('wonka', 'failed', T1, 'first try') });
    const verdict = (await judgeStage(record, options({ parts: [part({ 'tenant-wonka-data': stack('wonka', 'applied', T1) }), part({ 'tenant-stark-data': stack('stark', 'applied', T1), 'tenant-cyberdyne-data': stack('cyberdyne', 'applied', T1) })] })))!;
    expect(verdict.record.stacks['tenant-wonka-data']).toEqual(stack('wonka', 'failed', T1, 'first try'));
    expect(verdict.failed).toEqual(['wonka']);
  });

  it('counts a unit failed when any of its stacks failed, names that stack\'s reason, and checks only units with every stack settled and one applied', async () => {
    reset();
    const record = rollout({
      ...pendingAll(),
      'tenant-wonka-compute': stack('wonka', 'applied'), 'tenant-stark-compute': stack('stark', 'held'),
    });
    const parts = [part({ 'tenant-wonka-data': stack('wonka', 'failed', T1, 'apply failed'), 'tenant-stark-data': stack('stark', 'held', T1), 'tenant-cyberdyne-data': stack('cyberdyne', 'applied', T1) })];
    const verdict = (await judgeStage({ ...record, stages: record.stages!.map((s) => (s.name === 'stable/early' ? { ...s, units: [...s.units, 'nobody'], maxFailures: 0 } : s)) }, options({ platform: withHealth(HEALTH), parts })))!;
    expect(verdict.failed).toEqual(['wonka']);
    expect(verdict.halted).toBe('stage stable/early had 1 failures (wonka: apply failed), more than the 0 it tolerates');
    expect(verdict.appliedNow).toEqual(['cyberdyne']);
    expect(checked.map((c) => c.split(' ')[0])).toEqual(['cyberdyne']);
  });
});
