import { loadFleet, type Platform, type Tenant } from '@tenancy/model';
import { REPO_ROOT } from '@tenancy/model/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { rolloutStages } from './rollout-stages';

describe('the stages of a rollout', () => {
  let platform: Platform;
  let tenants: Map<string, Tenant>;
  beforeAll(async () => {
    const loaded = await loadFleet(REPO_ROOT);
    platform = loaded.platform!;
    tenants = new Map(loaded.tenants.map((t) => [t.id, t.tenant]));
  });

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
