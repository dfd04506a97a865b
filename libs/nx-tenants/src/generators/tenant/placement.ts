import { sharedUsageOf, parseCpu, parseMemory, type Platform, type SharedCluster, type Tenant } from '@tenancy/model';

interface Hosting { model: string; accountId?: string }

function sameAccount(cluster: SharedCluster, hosting: Hosting): boolean {
  const customer = (h: Hosting) => (h.model === 'customer-account' ? h.accountId : undefined);
  return cluster.hosting.model === hosting.model && customer(cluster.hosting) === customer(hosting);
}

/**
 * The least-loaded cell (or pool) of the tenant's own account that still has room for one more
 * tenant and for its requests: load is the largest share used of tenants, CPU and memory.
 */
export function leastLoaded(kind: 'cells' | 'pools', platform: Platform, tenants: readonly Tenant[], newcomer: Tenant): string | undefined {
  const member = (t: Tenant, name: string) =>
    (kind === 'cells' && t.deployment.model === 'multi-tenant' && t.deployment.cell === name) ||
    (kind === 'pools' && t.deployment.model === 'resource-shared' && t.deployment.pool === name);
  const extra = sharedUsageOf(newcomer);
  const candidates = Object.entries(platform[kind]).filter(([, cluster]) => sameAccount(cluster, newcomer.hosting)).map(([name, cluster]) => {
    const members = tenants.filter((t) => member(t, name));
    const used = members.reduce((sum, t) => ({ cpu: sum.cpu + sharedUsageOf(t).cpu, memory: sum.memory + sharedUsageOf(t).memory }), { cpu: 0, memory: 0 });
    const capacity = { tenants: cluster.capacity.tenants, cpu: parseCpu(cluster.capacity.cpu)!, memory: parseMemory(cluster.capacity.memory)! };
    const fits = members.length + 1 <= capacity.tenants && used.cpu + extra.cpu <= capacity.cpu && used.memory + extra.memory <= capacity.memory;
    const load = Math.max(members.length / capacity.tenants, used.cpu / capacity.cpu, used.memory / capacity.memory);
    return { name, fits, load };
  });
  return candidates.filter((c) => c.fits).sort((a, b) => a.load - b.load || a.name.localeCompare(b.name))[0]?.name;
}
