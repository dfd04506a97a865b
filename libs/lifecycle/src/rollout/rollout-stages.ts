import type { Platform, Tenant } from '@tenancy/model';
import { rolloutWaves } from '../apply/waves';

/** One step of a rollout, applied by one run's matrix of jobs and gated before the next. */
export interface RolloutStage {
  /** `shared`, `tenants`, or `<channel>/<wave>` (`pinned` for pinned tenants). */
  readonly name: string;
  /** For a wave: its channel (absent for pinned tenants) and name, whose gates apply after it. */
  readonly channel?: string;
  readonly wave?: string;
  /** Failures (apply or health) the stage tolerates before the rollout halts. */
  readonly maxFailures: number;
  readonly units: string[];
  readonly state: 'pending' | 'running' | 'done' | 'halted' | 'paused';
  /** The units of each job of the stage's matrix, once it runs. */
  readonly shards?: string[][];
}

/** A unit of a rollout: a cell or pool (shared), or a tenant whose change is its own (immediate) or the fleet's (waves). */
export interface StagedUnit {
  readonly unit: string;
  readonly kind: 'shared' | 'immediate' | 'waves';
}

/**
 * The stages of a rollout in order: cells and pools, then tenants' own changes, then each wave of
 * each channel as `tenancy apply` runs them in one process. Tenants with upgrade: manual are in
 * no stage.
 */
export function rolloutStages(units: readonly StagedUnit[], platform: Platform, tenants: ReadonlyMap<string, Tenant>): RolloutStage[] {
  const of = (kind: StagedUnit['kind']) => units.filter((u) => u.kind === kind).map((u) => u.unit).sort();
  const stages: RolloutStage[] = [];
  const shared = of('shared');
  const own = of('immediate');
  if (shared.length) stages.push({ name: 'shared', maxFailures: 0, units: shared, state: 'pending' });
  if (own.length) stages.push({ name: 'tenants', maxFailures: Number.MAX_SAFE_INTEGER, units: own, state: 'pending' });
  const rolling = new Map(of('waves').map((id) => [id, tenants.get(id)!] as const).filter(([, tenant]) => tenant.upgrade !== 'manual'));
  for (const wave of rolloutWaves(rolling, platform)) {
    stages.push({
      name: wave.channel ? `${wave.channel}/${wave.name}` : wave.name, ...(wave.channel ? { channel: wave.channel } : {}), wave: wave.name,
      maxFailures: wave.maxFailures, units: [...wave.tenants].sort(), state: 'pending',
    });
  }
  return stages;
}
