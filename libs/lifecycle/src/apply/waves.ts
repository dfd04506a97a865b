import { createHash } from 'node:crypto';
import type { Platform, Tenant } from '@tenancy/model';

/** A group of tenants changed together in a fleet-wide rollout. */
export interface RolloutWave {
  readonly name: string;
  /** The channel whose waves these are; absent for the final wave of pinned tenants. */
  readonly channel?: string;
  /** Failed tenants the wave tolerates before the rollout halts. */
  readonly maxFailures: number;
  readonly tenants: string[];
}

/** A stable, even spread of tenants over percent waves: by hash of id, not alphabetical. */
function spread(ids: readonly string[]): string[] {
  const key = (id: string) => createHash('sha256').update(id).digest('hex');
  return [...ids].sort((a, b) => key(a).localeCompare(key(b)));
}

/**
 * The waves a fleet-wide change rolls out in: each channel's waves in platform.yaml order (its
 * named tenants, then percent of its affected tenants, then the rest), channels one after the
 * other, and tenants pinned to a version last, in one wave that tolerates no failure.
 */
export function rolloutWaves(affected: ReadonlyMap<string, Tenant>, platform: Platform): RolloutWave[] {
  const waves: RolloutWave[] = [];
  for (const [channel, { waves: defined }] of Object.entries(platform.channels)) {
    const members = spread([...affected].filter(([, t]) => t.channel === channel && t.version === undefined).map(([id]) => id));
    if (members.length === 0) continue;
    let remaining = members;
    for (const wave of defined) {
      let take: string[];
      if (wave.tenants) take = remaining.filter((id) => wave.tenants!.includes(id));
      else if (wave.percent !== undefined) take = remaining.slice(0, Math.max(1, Math.ceil((members.length * wave.percent) / 100)));
      else take = remaining;
      remaining = remaining.filter((id) => !take.includes(id));
      if (take.length) waves.push({ name: wave.name, channel, maxFailures: wave.maxFailures, tenants: take });
    }
  }
  const pinned = [...affected].filter(([, t]) => t.channel === undefined || t.version !== undefined).map(([id]) => id).sort();
  if (pinned.length) waves.push({ name: 'pinned', maxFailures: 0, tenants: pinned });
  return waves;
}
