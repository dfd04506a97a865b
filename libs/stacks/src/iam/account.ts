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
}

/** Names of the managed policies tenancy ships in every account it deploys into. */
export const ACCOUNT_POLICY_NAMES = {
  /** Every role the stacks create carries it: the most such a role can ever do. */
  workloadBoundary: 'tenancy-workload-boundary',
  /** The most the deployer role itself can ever do. */
  deployerBoundary: (deployerRoleName: string) => `${deployerRoleName}-boundary`,
} as const;

export function iamArn(scope: AccountScope, resource: string): string {
  return `arn:${scope.partition}:iam::${scope.accountId}:${resource}`;
}

/** ARN of the workload boundary of an account. */
export function workloadBoundaryArn(scope: Pick<AccountScope, 'partition' | 'accountId'>): string {
  return `arn:${scope.partition}:iam::${scope.accountId}:policy/${ACCOUNT_POLICY_NAMES.workloadBoundary}`;
}

/** `arn:<partition>:<service>:*:<account>:<resource>`: any region of the account. */
export function regionalArn(scope: AccountScope, service: string, resource: string): string {
  return `arn:${scope.partition}:${service}:*:${scope.accountId}:${resource}`;
}
