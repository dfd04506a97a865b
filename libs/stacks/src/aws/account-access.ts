import type { HostingModel, PlacementHosting, Platform, TenantHosting } from '@tenancy/model';
import { partitionOf } from '../naming';

/** How the control plane reaches the account a stack's resources live in. */
export interface AccountAccess {
  readonly accountId: string;
  /** Role the deployer assumes in that account. */
  readonly roleName: string;
  /** Read-only role the planner assumes in that account. */
  readonly plannerRoleName: string;
  /** Control-plane secret holding the external id the roles require (customer accounts only). */
  readonly externalIdSecret?: string;
}

/** Which control-plane principal runs Terraform: the planner plans and detects drift; the deployer applies and reaps. */
export type Principal = 'planner' | 'deployer';

type AnyHosting = TenantHosting | PlacementHosting;

/** One row per hosting model: which account, which roles, which external id. */
const ACCESS: { [M in HostingModel]: (hosting: Extract<AnyHosting, { model: M }>, platform: Platform) => AccountAccess } = {
  'provider-account': (_hosting, platform) => ({ accountId: platform.accounts.provider.id, roleName: platform.accounts.provider.roleName, plannerRoleName: platform.accounts.provider.plannerRoleName }),
  'platform-account': (_hosting, platform) => ({ accountId: platform.accounts.platform.id, roleName: platform.accounts.platform.roleName, plannerRoleName: platform.accounts.platform.plannerRoleName }),
  'customer-account': (hosting) => ({ accountId: hosting.accountId, roleName: hosting.roleName, plannerRoleName: hosting.plannerRoleName, externalIdSecret: hosting.externalIdSecret }),
};

export function accessOf(hosting: AnyHosting, platform: Platform): AccountAccess {
  return (ACCESS[hosting.model] as (h: AnyHosting, p: Platform) => AccountAccess)(hosting, platform);
}

/** ARN of the account role a principal assumes. */
export function roleArn(access: AccountAccess, region: string, principal: Principal = 'deployer'): string {
  return `arn:${partitionOf(region)}:iam::${access.accountId}:role/${principal === 'deployer' ? access.roleName : access.plannerRoleName}`;
}
