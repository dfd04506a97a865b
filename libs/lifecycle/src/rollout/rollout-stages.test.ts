import { loadFleet, type Platform, type Tenant } from '@tenancy/model';
import { REPO_ROOT } from '@tenancy/model/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { rolloutStages } from './rollout-stages';

let platform: Platform;
let tenants: Map<string, Tenant>;
// Each test gets the example fleet afresh: a test may mark one of its tenants manual.
beforeEach(async () => {
  const loaded = await loadFleet(REPO_ROOT);
  platform = loaded.platform!;
  tenants = new Map(loaded.tenants.map((t) => [t.id, t.tenant]));
});

describe('the stages of a rollout', () => {
  it('orders cells and pools, then own changes, then each channel\'s waves, pinned tenants last; manual tenants in none', () => {
    tenants.set('acme', { ...tenants.get('acme')!, upgrade: 'manual' });
    const waves = [...tenants].filter(([, t]) => t.channel === 'stable' || t.channel === 'fast' || t.version).map(([id]) => ({ unit: id, kind: 'waves' as const }));
    const stages = rolloutStages([{ unit: 'cell-blue-1', kind: 'shared' }, { unit: 'globex', kind: 'immediate' }, ...waves.filter((u) => u.unit !== 'globex')], platform, tenants);
    expect(stages.map((s) => [s.name, s.maxFailures])).toEqual([
      ['shared', 0], ['tenants', Number.MAX_SAFE_INTEGER],
      ['stable/canary', 0], ['stable/early', 1], ['stable/rest', 2], ['fast/canary', 0], ['fast/rest', 1], ['pinned', 0],
    ]);
    expect(stages.find((s) => s.name === 'stable/canary')!.units).toEqual(['wonka']);
    expect(stages.find((s) => s.name === 'pinned')!.units).toEqual(['umbrella']);
    expect(stages.flatMap((s) => s.units)).not.toContain('acme');
    expect(stages.every((s) => s.state === 'pending')).toBe(true);
  });
});

describe('a rollout\'s stages, one by one', () => {
  it('lists each stage\'s units in order of name, whatever order they came in', () => {
    const stable = [...tenants].filter(([, t]) => t.channel === 'stable' && t.version === undefined).map(([id]) => id);
    expect(stable.length).toBeGreaterThan(3);
    const stages = rolloutStages([
      { unit: 'pool-shared-1', kind: 'shared' }, { unit: 'cell-blue-1', kind: 'shared' },
      { unit: 'stark', kind: 'immediate' }, { unit: 'globex', kind: 'immediate' },
      ...[...stable].reverse().map((unit) => ({ unit, kind: 'waves' as const })),
    ], platform, tenants);
    expect(stages.find((s) => s.name === 'shared')!.units).toEqual(['cell-blue-1', 'pool-shared-1']);
    expect(stages.find((s) => s.name === 'tenants')!.units).toEqual(['globex', 'stark']);
    const rest = stages.find((s) => s.name === 'stable/rest')!.units;
    expect(rest.length).toBeGreaterThan(1);
    expect(rest).toEqual([...rest].sort());
  });

  it('names each wave\'s channel and wave, and pinned tenants\' wave without a channel', () => {
    const stages = rolloutStages([{ unit: 'wonka', kind: 'waves' }, { unit: 'umbrella', kind: 'waves' }], platform, tenants);
    expect(stages).toEqual([
      { name: 'stable/canary', channel: 'stable', wave: 'canary', maxFailures: 0, units: ['wonka'], state: 'pending' },
      { name: 'pinned', wave: 'pinned', maxFailures: 0, units: ['umbrella'], state: 'pending' },
    ]);
  });

  it('has no shared or tenants stage when nothing shared or of a tenant\'s own changes', () => {
    expect(rolloutStages([{ unit: 'wonka', kind: 'waves' }], platform, tenants).map((s) => s.name)).toEqual(['stable/canary']);
    expect(rolloutStages([], platform, tenants)).toEqual([]);
  });
});
