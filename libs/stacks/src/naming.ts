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
  /** tenancy's roles in the provider or platform account. */
  account: (name: 'provider' | 'platform') => `account-${name}`,
};

/** Kinds of fleet stack, and the control plane's: applied once by a person, never by tenancy. */
export type StackKind = 'data' | 'compute' | 'workload' | 'cell' | 'pool' | 'control-plane' | 'account';

/**
 * Names of what an owner's stacks create, from the owner's name (`tenant-<id>`, `cell-<name>`,
 * `pool-<name>`). The account roles' policies allow an owner exactly these names, so each is a
 * function here and nowhere else.
 */
export const ownedNames = {
  /** S3 bucket names are global: the account and region make them unique. */
  bucket: (owner: string, account: string, region: string) => `${owner}-data-${account}-${region}`,
  keyAlias: (owner: string) => `alias/${owner}`,
  database: (owner: string) => owner,
  /**
   * The database user the application connects as with IAM authentication: the owner's name, so
   * that a boundary can allow `rds-db:connect` to this one user of any database and to no other.
   */
  databaseUser: (owner: string) => owner,
  finalSnapshot: (owner: string) => `${owner}-final`,
  cluster: (owner: string) => owner,
  /** A resource-shared tenant's own node group on its pool's cluster. */
  criticalNodeGroup: (owner: string) => `${owner}-critical`,
  workloadRole: (owner: string) => `${owner}-workload`,
  /** The role of the job that gives the database its application user. */
  databaseAdminRole: (owner: string) => `${owner}-database-admin`,
  /** The role AWS Backup backs the database up with. */
  backupRole: (owner: string) => `${owner}-backup`,
  /** Backup vault and plan. */
  backups: (owner: string) => owner,
  /** The security group every pod of the tenant carries, which its database admits. */
  podSecurityGroup: (owner: string) => `${owner}-pods`,
};

const tenantOwner = (id: string) => `tenant-${id}`;

/** AWS and Kubernetes names of a tenant's resources. */
export const tenantNames = {
  bucket: (id: string, account: string, region: string) => ownedNames.bucket(tenantOwner(id), account, region),
  keyAlias: (id: string) => ownedNames.keyAlias(tenantOwner(id)),
  database: (id: string) => ownedNames.database(tenantOwner(id)),
  databaseUser: (id: string) => ownedNames.databaseUser(tenantOwner(id)),
  finalSnapshot: (id: string) => ownedNames.finalSnapshot(tenantOwner(id)),
  cluster: (id: string) => ownedNames.cluster(tenantOwner(id)),
  criticalNodeGroup: (id: string) => ownedNames.criticalNodeGroup(tenantOwner(id)),
  workloadRole: (id: string) => ownedNames.workloadRole(tenantOwner(id)),
  databaseAdminRole: (id: string) => ownedNames.databaseAdminRole(tenantOwner(id)),
  backupRole: (id: string) => ownedNames.backupRole(tenantOwner(id)),
  backups: (id: string) => ownedNames.backups(tenantOwner(id)),
  podSecurityGroup: (id: string) => ownedNames.podSecurityGroup(tenantOwner(id)),
  namespace: (id: string) => tenantOwner(id),
};

/**
 * Names of a cluster's parts, from the cluster's name (`tenant-<id>`, `cell-<name>`, `pool-<name>`)
 * or a node group's. The account roles' policies allow exactly these names, so each is a function
 * here and nowhere else.
 */
export const clusterNames = {
  clusterRole: (cluster: string) => `${cluster}-cluster`,
  keyAlias: (cluster: string) => `alias/${cluster}-cluster`,
  logGroup: (cluster: string) => `/aws/eks/${cluster}/cluster`,
  /** The node group of a cell or pool that every tenant shares. */
  sharedNodeGroup: (cluster: string) => `${cluster}-shared`,
  /** The role of a node group's instances. */
  nodeRole: (nodeGroup: string) => `${nodeGroup}-nodes`,
};

/**
 * Names of a network's parts, from the network's name (its owner's: `tenant-<id>`, `cell-<name>`,
 * `pool-<name>`). The account roles' policies allow exactly these names.
 */
export const networkNames = {
  flowLogGroup: (network: string) => `/tenancy/${network}/flow-logs`,
  /** The role VPC Flow Logs writes with. */
  flowLogRole: (network: string) => `${network}-flow-logs`,
};

/** The Kubernetes service account every workload of a tenant runs as. */
export const WORKLOAD_SERVICE_ACCOUNT = 'workload';

/** The Kubernetes service account of the job that gives the tenant's database its application user. */
export const DATABASE_ADMIN_SERVICE_ACCOUNT = 'database-admin';

/**
 * The application's database, and the role that owns its objects: the application's user (its
 * tenant's name) acts as this role, so what earlier releases' user `app` made stays the application's.
 */
export const DATABASE_NAME = 'app';

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
