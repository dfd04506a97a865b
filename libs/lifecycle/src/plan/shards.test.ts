import { describe, expect, it } from 'vitest';
import { parseShard, shardWork, unitsOfShard } from './shards';

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

describe('shardWork', () => {
  it('takes from 1 to 256 jobs, whole numbers only', () => {
    for (const bad of [0, 257, 1.5, Number.NaN]) expect(() => shardWork(units, bad), String(bad)).toThrow(`maxJobs must be from 1 to 256, got ${bad}`);
    expect(shardWork(units, 1)).toHaveLength(1);
    expect(shardWork(units, 256).length).toBeGreaterThan(1);
  });

  it('gives no shard to units with nothing to plan', () => {
    expect(shardWork([{ unit: 'a', weight: 0 }], 4)).toEqual([]);
    expect(shardWork([{ unit: 'a', weight: 0 }, { unit: 'b', weight: 30 }, { unit: 'c', weight: 30 }], 4).flatMap((s) => s.units)).toEqual(['b', 'c']);
  });

  it('puts the largest units first, each in the lightest shard, ties by name: the same shards every time', () => {
    const work = [{ unit: 'e', weight: 9 }, { unit: 'a', weight: 30 }, { unit: 'd', weight: 9 }, { unit: 'b', weight: 20 }, { unit: 'c', weight: 12 }];
    // 80 stacks: 4 shards of at most about 24. a, b, c, d fill one each; e joins the lightest (d).
    expect(shardWork(work, 256)).toEqual([
      { shard: '1/4', units: ['a'], weight: 30 },
      { shard: '2/4', units: ['b'], weight: 20 },
      { shard: '3/4', units: ['c'], weight: 12 },
      { shard: '4/4', units: ['d', 'e'], weight: 18 },
    ]);
    expect(shardWork([...work].reverse(), 256)).toEqual(shardWork(work, 256));
    // A shard lists its units by name, not in the order they were placed.
    expect(shardWork([{ unit: 'z', weight: 30 }, { unit: 'a', weight: 5 }], 1)[0]!.units).toEqual(['a', 'z']);
    expect(shardWork(work, 2)).toEqual([
      { shard: '1/2', units: ['a', 'd'], weight: 39 },
      { shard: '2/2', units: ['b', 'c', 'e'], weight: 41 },
    ]);
  });
});

describe('parseShard', () => {
  it('reads K/N with 1 <= K <= N <= 256, and nothing around it', () => {
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
    expect(parseShard('256/256')).toEqual({ index: 256, count: 256 });
    for (const bad of ['0/3', '4/3', '1/257', 'x1/3', '1/3x', '1/', '/3']) expect(() => parseShard(bad), bad).toThrow(`a shard is K/N with 1 <= K <= N <= 256, got ${bad}`);
  });
});
