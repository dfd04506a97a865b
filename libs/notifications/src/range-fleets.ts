import { fleetAt, offboardedTenants, tenantIdOf, tenantIdsAt, type Repository } from '@tenancy/lifecycle';
import { PLATFORM_FILE, TENANTS_DIR } from '@tenancy/model';
import type { RangeFleets } from './rollout-notices';

/**
 * The fleet at both ends of `base..head` as notices need it: tenants of either end whose file
 * changed, the commit that added each new one, and the retention of each one deleted.
 */
export async function rangeFleets(repository: Repository, base: string, head: string): Promise<RangeFleets> {
  const changed = await repository.changes(base, head, [`${TENANTS_DIR}/`, PLATFORM_FILE]);
  const touched = changed.map((c) => tenantIdOf(c.path)).filter((id): id is string => id !== undefined);
  // A channel bump changes no tenant file: with platform.yaml changed, every tenant of head may move.
  const platformChanged = changed.some((c) => c.path === PLATFORM_FILE);
  const ids = [...new Set([...touched, ...(platformChanged ? await tenantIdsAt(repository, head) : [])])];
  const [before, after] = await Promise.all([fleetAt(repository, base, ids), fleetAt(repository, head, ids)]);
  if (!after.platform) throw new Error(`platform.yaml at ${head.slice(0, 12)} does not validate`);
  const addedIn = new Map<string, string>();
  for (const addition of await repository.additions(`${base}..${head}`, TENANTS_DIR)) {
    const id = tenantIdOf(addition.path);
    if (id && after.tenants.has(id) && !before.tenants.has(id) && !addedIn.has(id)) addedIn.set(id, addition.commit);
  }
  const removed = new Set([...before.tenants.keys()].filter((id) => !after.tenants.has(id)));
  const offboarded = removed.size ? (await offboardedTenants(repository, head)).filter((o) => removed.has(o.id)) : [];
  return {
    ...(before.platform ? { basePlatform: before.platform } : {}),
    headPlatform: after.platform,
    base: before.tenants,
    head: after.tenants,
    addedIn,
    offboarded: new Map(offboarded.map((o) => [o.id, o])),
  };
}
