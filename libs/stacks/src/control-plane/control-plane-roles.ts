import type { Platform } from '@tenancy/model';
import { partitionOf } from '../naming';

/** ARNs of the control plane's two principals, in the provider account. */
export function controlPlaneRoles(platform: Platform): { readonly planner: string; readonly deployer: string } {
  const arn = (name: string) => `arn:${partitionOf(platform.controlPlane.region)}:iam::${platform.accounts.provider.id}:role/${name}`;
  return { planner: arn(platform.controlPlane.plannerRoleName), deployer: arn(platform.controlPlane.deployerRoleName) };
}
