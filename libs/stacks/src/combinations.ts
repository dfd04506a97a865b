import type { DeploymentModel, HostingModel } from '@tenancy/model';

/** Parts of a tenant's data stack. */
export type DataPart =
  /** Its own VPC (dedicated): the database lives in it, so it outlives compute with the data. */
  | 'own-network'
  /** The cell's or pool's VPC, read from that stack's state. */
  | 'shared-network'
  | 'key'
  /** The data bucket, when the tenant file asks for one. */
  | 'bucket'
  /** The database, when the tenant file asks for one. */
  | 'database';

/** Parts of a tenant's compute stack. */
export type ComputePart =
  /** Its own EKS cluster and node group, in its own VPC. */
  | 'cluster'
  /** Its own tainted node group on the pool's cluster, for its critical resources. */
  | 'critical-nodes';

/** Parts of a tenant's workload stack. */
export type WorkloadPart =
  /** Its IAM role, given by EKS Pod Identity to its service account's pods only. */
  | 'identity'
  /** Namespace, quota, limits, network policies, service account, configuration. */
  | 'namespace'
  /** A deployment (and Services) per resource that runs on its own. */
  | 'deployments'
  /** The non-critical resources in one supervisord workload on the pool's shared nodes. */
  | 'packed-workload'
  /** The outbound-only agent of a customer-account tenant. */
  | 'data-plane-agent';

export interface Composition {
  readonly data: readonly DataPart[];
  /** Empty: the tenant has no compute stack. */
  readonly compute: readonly ComputePart[];
  readonly workload: readonly WorkloadPart[];
}

export type Combination = `${HostingModel}/${DeploymentModel}`;

const OWN_DATA: DataPart[] = ['own-network', 'key', 'bucket', 'database'];
const SHARED_DATA: DataPart[] = ['shared-network', 'key', 'bucket', 'database'];
const WORKLOADS: WorkloadPart[] = ['identity', 'namespace', 'deployments'];

/**
 * The nine hosting x deployment combinations and what each is built from. Hosting decides the
 * account the provider assumes (see account-access.ts) and, for customer accounts, the agent;
 * deployment decides the network, compute and packing.
 */
export const COMBINATIONS: Readonly<Record<Combination, Composition>> = {
  'provider-account/dedicated':       { data: OWN_DATA, compute: ['cluster'], workload: WORKLOADS },
  'provider-account/resource-shared': { data: SHARED_DATA, compute: ['critical-nodes'], workload: [...WORKLOADS, 'packed-workload'] },
  'provider-account/multi-tenant':    { data: SHARED_DATA, compute: [], workload: WORKLOADS },
  'customer-account/dedicated':       { data: OWN_DATA, compute: ['cluster'], workload: [...WORKLOADS, 'data-plane-agent'] },
  'customer-account/resource-shared': { data: SHARED_DATA, compute: ['critical-nodes'], workload: [...WORKLOADS, 'packed-workload', 'data-plane-agent'] },
  'customer-account/multi-tenant':    { data: SHARED_DATA, compute: [], workload: [...WORKLOADS, 'data-plane-agent'] },
  'platform-account/dedicated':       { data: OWN_DATA, compute: ['cluster'], workload: WORKLOADS },
  'platform-account/resource-shared': { data: SHARED_DATA, compute: ['critical-nodes'], workload: [...WORKLOADS, 'packed-workload'] },
  'platform-account/multi-tenant':    { data: SHARED_DATA, compute: [], workload: WORKLOADS },
};

export function compositionOf(hosting: HostingModel, deployment: DeploymentModel): Composition {
  return COMBINATIONS[`${hosting}/${deployment}`];
}
