import { loadFleet, type Tenant } from '@tenancy/model';
import { describe, expect, it } from 'vitest';
import { REPO } from '../testing/fleet-repo';
import { rolloutWaves } from './waves';

describe('rollout waves', () => {
  it('follow the channel\'s waves: named tenants, a percent of the rest, then the rest; pinned tenants last', async () => {
    const fleet = await loadFleet(REPO);
    const affected = new Map<string, Tenant>(fleet.tenants.map((t) => [t.id, t.tenant]));
    const waves = rolloutWaves(affected, fleet.platform!);
    expect(waves.map((w) => [w.name, w.channel, w.tenants.length, w.maxFailures])).toEqual([
      ['canary', 'stable', 1, 0], ['early', 'stable', 3, 1], ['rest', 'stable', 6, 2],
      ['canary', 'fast', 1, 0], ['rest', 'fast', 2, 1],
      ['pinned', undefined, 1, 0],
    ]);
    expect(waves[0]!.tenants).toEqual(['wonka']);
    expect(waves.at(-1)!.tenants).toEqual(['umbrella']);
    expect(waves.flatMap((w) => w.tenants).sort()).toEqual([...affected.keys()].sort());
  });

  it('spread tenants over percent waves the same way every time, not alphabetically', async () => {
    const fleet = await loadFleet(REPO);
    const affected = new Map<string, Tenant>(fleet.tenants.map((t) => [t.id, t.tenant]));
    expect(rolloutWaves(affected, fleet.platform!)).toEqual(rolloutWaves(new Map([...affected].reverse()), fleet.platform!));
  });
});
