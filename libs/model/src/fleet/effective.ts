import type { Platform, SharedCluster } from '../schema/platform';
import { parseCpu, parseMemory } from '../schema/quantities';
import type { Tenant, TenantResource } from '../schema/tenant';

/** Where a tenant's resources run: its own cluster, a pool or a cell. */
export type Placement =
  | { readonly kind: 'dedicated'; readonly vpcCidr: string }
  | { readonly kind: 'pool'; readonly name: string; readonly cluster: SharedCluster }
  | { readonly kind: 'cell'; readonly name: string; readonly cluster: SharedCluster };

/** The cell or pool a tenant is placed in; throws when the name is unknown (validation reports that first). */
export function placementOf(tenant: Tenant, platform: Platform): Placement {
  const { deployment } = tenant;
  switch (deployment.model) {
    case 'dedicated':
      return { kind: 'dedicated', vpcCidr: deployment.vpcCidr };
    case 'resource-shared':
      return { kind: 'pool', name: deployment.pool, cluster: required(platform.pools[deployment.pool], `pool ${deployment.pool}`) };
    case 'multi-tenant':
      return { kind: 'cell', name: deployment.cell, cluster: required(platform.cells[deployment.cell], `cell ${deployment.cell}`) };
  }
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not defined in platform.yaml`);
  return value;
}

/** Region the tenant's resources live in. */
export function regionOf(tenant: Tenant, platform: Platform): string {
  const placement = placementOf(tenant, platform);
  if (placement.kind !== 'dedicated') return placement.cluster.region;
  return tenant.hosting.region ?? platform.controlPlane.region;
}

/** AWS account the tenant's resources live in. */
export function accountOf(tenant: Tenant, platform: Platform): string {
  switch (tenant.hosting.model) {
    case 'provider-account':
      return platform.accounts.provider.id;
    case 'platform-account':
      return platform.accounts.platform.id;
    case 'customer-account':
      return tenant.hosting.accountId;
  }
}

/** Days the tenant's data is kept after offboarding: the tenant's own setting, else its tier's. */
export function retentionDaysOf(tenant: Tenant, platform: Platform): number {
  return tenant.data.retentionDays ?? required(platform.tiers[tenant.tier], `tier ${tenant.tier}`).retentionDays;
}

/** Application version the tenant runs: its pin, else its channel's version. */
export function versionOf(tenant: Tenant, platform: Platform): string {
  if (tenant.version) return tenant.version;
  return required(platform.channels[tenant.channel!], `channel ${tenant.channel}`).version;
}

export interface Usage {
  /** Millicores requested. */
  readonly cpu: number;
  /** Bytes requested. */
  readonly memory: number;
}

function usageOf(resources: readonly TenantResource[]): Usage {
  return resources.reduce(
    (sum, r) => ({ cpu: sum.cpu + parseCpu(r.cpu)! * r.replicas, memory: sum.memory + parseMemory(r.memory)! * r.replicas }),
    { cpu: 0, memory: 0 },
  );
}

/** Resources of a resource-shared tenant that are packed onto the pool's shared nodes. */
export function packedResources(tenant: Tenant): TenantResource[] {
  return tenant.deployment.model === 'resource-shared' ? tenant.resources.filter((r) => r.critical === false) : [];
}

/** Resources that run on their own deployments (everything but the packed ones). */
export function standaloneResources(tenant: Tenant): TenantResource[] {
  const packed = new Set(packedResources(tenant));
  return tenant.resources.filter((r) => !packed.has(r));
}

/**
 * Packed resources run as processes of one container, scaled together: the container asks for the
 * sum of their requests, and the workload runs as many replicas as the largest of them asks for.
 */
export function packedContainer(tenant: Tenant): { cpu: number; memory: number; replicas: number } | undefined {
  const packed = packedResources(tenant);
  if (packed.length === 0) return undefined;
  return {
    cpu: packed.reduce((sum, r) => sum + parseCpu(r.cpu)!, 0),
    memory: packed.reduce((sum, r) => sum + parseMemory(r.memory)!, 0),
    replicas: Math.max(...packed.map((r) => r.replicas)),
  };
}

/** What a tenant takes from its cell or pool's shared capacity: everything in a cell, the packed workload in a pool. */
export function sharedUsageOf(tenant: Tenant): Usage {
  if (tenant.deployment.model === 'multi-tenant') return usageOf(tenant.resources);
  const packed = packedContainer(tenant);
  return packed ? { cpu: packed.cpu * packed.replicas, memory: packed.memory * packed.replicas } : { cpu: 0, memory: 0 };
}

/** Everything the tenant requests, replicas included. */
export function totalUsageOf(tenant: Tenant): Usage {
  const packed = packedContainer(tenant);
  const standalone = usageOf(standaloneResources(tenant));
  return packed
    ? { cpu: standalone.cpu + packed.cpu * packed.replicas, memory: standalone.memory + packed.memory * packed.replicas }
    : standalone;
}

/** What the data-plane agent of a customer-account tenant requests, in its namespace. */
export const DATA_PLANE_AGENT_USAGE: Usage = { cpu: 100, memory: 128 * 2 ** 20 };

/** Requests and pods counted against the tenant namespace's ResourceQuota. */
export function namespaceUsageOf(tenant: Tenant): Usage & { pods: number } {
  const total = totalUsageOf(tenant);
  const packed = packedContainer(tenant);
  const agent = tenant.hosting.model === 'customer-account' ? 1 : 0;
  return {
    cpu: total.cpu + agent * DATA_PLANE_AGENT_USAGE.cpu,
    memory: total.memory + agent * DATA_PLANE_AGENT_USAGE.memory,
    pods: standaloneResources(tenant).reduce((sum, r) => sum + r.replicas, 0) + (packed?.replicas ?? 0) + agent,
  };
}
