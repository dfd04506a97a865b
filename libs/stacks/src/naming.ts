/**
 * Every name built from a tenant id or a cell or pool name. Names are part of the contract with
 * live infrastructure: changing one here replaces the resource it names.
 */
export const stackNames = {
  data: (tenantId: string) => `tenant-${tenantId}-data`,
  compute: (tenantId: string) => `tenant-${tenantId}-compute`,
  workload: (tenantId: string) => `tenant-${tenantId}-workload`,
  cell: (name: string) => `cell-${name}`,
  pool: (name: string) => `pool-${name}`,
};

export type StackKind = 'data' | 'compute' | 'workload' | 'cell' | 'pool';

/** AWS and Kubernetes names of a tenant's resources. */
export const tenantNames = {
  /** S3 bucket names are global: the account and region make them unique. */
  bucket: (id: string, account: string, region: string) => `tenant-${id}-data-${account}-${region}`,
  keyAlias: (id: string) => `alias/tenant-${id}`,
  database: (id: string) => `tenant-${id}`,
  finalSnapshot: (id: string) => `tenant-${id}-final`,
  cluster: (id: string) => `tenant-${id}`,
  criticalNodeGroup: (id: string) => `tenant-${id}-critical`,
  workloadRole: (id: string) => `tenant-${id}-workload`,
  namespace: (id: string) => `tenant-${id}`,
};

/** The Kubernetes service account every workload of a tenant runs as. */
export const WORKLOAD_SERVICE_ACCOUNT = 'workload';

/** Labels that place pods on nodes. */
export const nodeLabels = {
  tenant: 'tenancy.io/tenant',
  pool: 'tenancy.io/pool',
};

/** AWS partition of a region, for ARNs. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** DNS suffix of AWS service principals in a region's partition. */
export function dnsSuffixOf(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/**
 * The AWS provider every stack requires: the version @cdktf/provider-aws 20.1.0 was generated
 * for, pinned exactly by the synthesized JSON.
 */
export const AWS_PROVIDER = { address: 'registry.terraform.io/hashicorp/aws', version: '5.100.0' } as const;
