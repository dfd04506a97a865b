/** A unit of sharded work: a tenant (all its stacks go together) or a cell or pool. */
export interface ShardUnit {
  readonly unit: string;
  /** Stacks to plan: the work it brings to a shard. */
  readonly weight: number;
}

export interface Shard {
  /** `K/N`, as `tenancy plan --shard` takes it. */
  readonly shard: string;
  readonly units: string[];
  readonly weight: number;
}

/** GitHub allows at most 256 jobs in a matrix. */
export const MAX_JOBS = 256;
/** Stacks one job plans before another job is worth its start-up (checkout, npm ci, init). */
export const STACKS_PER_JOB = 24;

/**
 * Splits work into at most `maxJobs` shards, enough that none plans much more than
 * STACKS_PER_JOB stacks, balanced by weight (largest units first, each to the lightest shard).
 * Deterministic: the same units always give the same shards.
 */
export function shardWork(units: readonly ShardUnit[], maxJobs = MAX_JOBS): Shard[] {
  if (!Number.isInteger(maxJobs) || maxJobs < 1 || maxJobs > MAX_JOBS) throw new Error(`maxJobs must be from 1 to ${MAX_JOBS}, got ${maxJobs}`);
  const work = units.filter((u) => u.weight > 0);
  if (work.length === 0) return [];
  const total = work.reduce((sum, u) => sum + u.weight, 0);
  const count = Math.min(maxJobs, work.length, Math.max(1, Math.ceil(total / STACKS_PER_JOB)));
  const bins = Array.from({ length: count }, () => ({ units: [] as string[], weight: 0 }));
  const ordered = [...work].sort((a, b) => b.weight - a.weight || a.unit.localeCompare(b.unit));
  for (const unit of ordered) {
    let lightest = bins[0]!;
    for (const bin of bins) if (bin.weight < lightest.weight) lightest = bin;
    lightest.units.push(unit.unit);
    lightest.weight += unit.weight;
  }
  return bins.map((bin, i) => ({ shard: `${i + 1}/${count}`, units: bin.units.sort(), weight: bin.weight }));
}

/**
 * The units of shard `K/N`, split as `tenancy matrix` split them (with N as the most jobs, which
 * gives the same N shards whatever cap the matrix had). Throws when the work does not make N
 * shards: the shard was computed for other commits or another fleet.
 */
export function unitsOfShard(units: readonly ShardUnit[], value: string): Set<string> {
  const { index, count } = parseShard(value);
  const shards = shardWork(units, count);
  if (shards.length !== count) throw new Error(`the work splits into ${shards.length} shards, not ${count}: run tenancy matrix on the same commits and fleet`);
  return new Set(shards[index - 1]!.units);
}

/** `K/N` into numbers, or an error naming the bad value. */
export function parseShard(value: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!match || index < 1 || index > count || count > MAX_JOBS) throw new Error(`a shard is K/N with 1 <= K <= N <= ${MAX_JOBS}, got ${value}`);
  return { index, count };
}
