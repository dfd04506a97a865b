import type { Platform } from '@tenancy/model';
import { partitionOf } from '../naming';

/** ARNs of the control plane's principals, in the provider account. */
export interface ControlPlaneRoles {
  /** Pull requests, drift, the rollout's gates, reap's listing: read-only. */
  readonly planner: string;
  /** The apply workflow's jobs in the production environment. */
  readonly deployer: string;
  /** The reap workflow's purge job in the purge environment: the only principal that may delete data. */
  readonly purger: string;
}

export function controlPlaneRoles(platform: Platform): ControlPlaneRoles {
  const arn = (name: string) => `arn:${partitionOf(platform.controlPlane.region)}:iam::${platform.accounts.provider.id}:role/${name}`;
  const { plannerRoleName, deployerRoleName, purgerRoleName } = platform.controlPlane;
  return { planner: arn(plannerRoleName), deployer: arn(deployerRoleName), purger: arn(purgerRoleName) };
}
