import { describe, expect, it } from 'vitest';
import { shardWork, unitsOfShard } from './shards';

const units = Array.from({ length: 500 }, (_, i) => ({ unit: `t${i}`, weight: 1 + (i % 3) }));

describe('unitsOfShard', () => {
  it('gives each job the units the matrix gave it, whatever cap the matrix had', () => {
    for (const cap of [4, 256]) {
      const shards = shardWork(units, cap);
      expect(shards.length, `cap ${cap}`).toBeGreaterThan(1);
      expect(shards.flatMap((s) => s.units)).toHaveLength(units.length);
      for (const shard of shards) expect(unitsOfShard(units, shard.shard)).toEqual(new Set(shard.units));
    }
  });

  it('refuses a shard of a split the work does not make', () => {
    expect(() => unitsOfShard(units.slice(0, 3), '2/5')).toThrow('the work splits into 1 shards, not 5: run tenancy matrix on the same commits and fleet');
    expect(() => unitsOfShard(units, '0/5')).toThrow('a shard is K/N');
  });
});
