/** An account that tenancy deploys into, as its role policies see it. */
export interface AccountScope {
  readonly partition: string;
  readonly accountId: string;
  /** The account's deployer role, which the control plane's deployer assumes. */
  readonly deployerRoleName: string;
  /** The account's read-only planner role, which the control plane's planner assumes. */
  readonly plannerRoleName: string;
  /** Custom tag keys of platform.yaml (`tagKeys`). */
  readonly tagKeys: readonly string[];
  /** ECR registries nodes may pull images from, as `<account>.dkr.ecr.<region>.<suffix>` (platform.yaml's `imageRegistries`). */
  readonly ecrRegistries: readonly string[];
}

/** Names of the managed policies tenancy ships in every account it deploys into. */
export const ACCOUNT_POLICY_NAMES = {
  /** Roles made for one owner that AWS services or pods use (workload, database user job, backups, flow logs): that owner's data. */
  ownerBoundary: 'tenancy-owner-boundary',
  /** A cluster's role: that cluster's interfaces, instances, security groups, load balancers and key. */
  clusterBoundary: 'tenancy-cluster-boundary',
  /** The roles of a cluster's nodes: that cluster's interfaces and instances, and images of the listed registries. */
  nodeBoundary: 'tenancy-node-boundary',
  /**
   * The single boundary of earlier releases, kept unchanged while the rollout that moves each role
   * to its own boundary runs: roles not yet moved keep working, and no role can be put under it again.
   */
  legacyWorkloadBoundary: 'tenancy-workload-boundary',
  /** The most the deployer role itself can ever do. */
  deployerBoundary: (deployerRoleName: string) => `${deployerRoleName}-boundary`,
} as const;

/** Which boundary a role the stacks create carries. */
export type RoleBoundary = 'owner' | 'cluster' | 'nodes';

const BOUNDARY_NAMES: Readonly<Record<RoleBoundary, string>> = {
  owner: ACCOUNT_POLICY_NAMES.ownerBoundary, cluster: ACCOUNT_POLICY_NAMES.clusterBoundary, nodes: ACCOUNT_POLICY_NAMES.nodeBoundary,
};

export function iamArn(scope: Pick<AccountScope, 'partition' | 'accountId'>, resource: string): string {
  return `arn:${scope.partition}:iam::${scope.accountId}:${resource}`;
}

/** ARN of a boundary every role the stacks create carries: the owner's, the cluster's or its nodes'. */
export function roleBoundaryArn(scope: Pick<AccountScope, 'partition' | 'accountId'>, boundary: RoleBoundary): string {
  return iamArn(scope, `policy/${BOUNDARY_NAMES[boundary]}`);
}

/** `arn:<partition>:<service>:*:<account>:<resource>`: any region of the account. */
export function regionalArn(scope: Pick<AccountScope, 'partition' | 'accountId'>, service: string, resource: string): string {
  return `arn:${scope.partition}:${service}:*:${scope.accountId}:${resource}`;
}
