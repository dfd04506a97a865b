import type { HostingModel, PlacementHosting, Platform, TenantHosting } from '@tenancy/model';
import { partitionOf } from '../naming';

/** How the deployer reaches the account a stack's resources live in. */
export interface AccountAccess {
  readonly accountId: string;
  /** Role the deployer assumes in that account. */
  readonly roleName: string;
  /** Control-plane secret holding the external id the role requires (customer accounts only). */
  readonly externalIdSecret?: string;
}

type AnyHosting = TenantHosting | PlacementHosting;

/** One row per hosting model: which account, which role, which external id. */
const ACCESS: { [M in HostingModel]: (hosting: Extract<AnyHosting, { model: M }>, platform: Platform) => AccountAccess } = {
  'provider-account': (_hosting, platform) => ({ accountId: platform.accounts.provider.id, roleName: platform.accounts.provider.roleName }),
  'platform-account': (_hosting, platform) => ({ accountId: platform.accounts.platform.id, roleName: platform.accounts.platform.roleName }),
  'customer-account': (hosting) => ({ accountId: hosting.accountId, roleName: hosting.roleName, externalIdSecret: hosting.externalIdSecret }),
};

export function accessOf(hosting: AnyHosting, platform: Platform): AccountAccess {
  return (ACCESS[hosting.model] as (h: AnyHosting, p: Platform) => AccountAccess)(hosting, platform);
}

export function roleArn(access: AccountAccess, region: string): string {
  return `arn:${partitionOf(region)}:iam::${access.accountId}:role/${access.roleName}`;
}
