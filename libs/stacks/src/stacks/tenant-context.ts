import {
  placementOf, regionOf, retentionDaysOf, versionOf, type Placement, type Platform, type Tenant, type Tier,
} from '@tenancy/model';
import { accessOf, type AccountAccess } from '../aws/account-access';
import { ownerName, SESSION_TAG, type StackOwner } from '../iam/session-scope';
import type { StateLocation } from '../state/state-location';

/** Everything a tenant's stacks are built from. */
export interface TenantContext {
  readonly id: string;
  readonly tenant: Tenant;
  readonly platform: Platform;
  readonly tier: Tier;
  readonly access: AccountAccess;
  /** Region of the tenant's resources. */
  readonly region: string;
  /** Application version its workloads run. */
  readonly version: string;
  readonly placement: Placement;
  readonly state: StateLocation;
  /** Whether the data stack is synthesized to be destroyed (data past retention, reaped). */
  readonly purge: boolean;
  /** The tenant file, as named in generated comments. */
  readonly source: string;
  /** Whose stacks these are, as their sessions are tagged: the tenant, and the cell or pool it runs in. */
  readonly owner: StackOwner;
  /** Days the tenant's data is kept: old object versions, backups, retained logs. */
  readonly retentionDays: number;
  /** A legal hold names the tenant: nothing of its data may expire or be deleted. */
  readonly legalHold: boolean;
}

export function tenantContext(id: string, tenant: Tenant, platform: Platform, state: StateLocation, purge = false): TenantContext {
  const tier = platform.tiers[tenant.tier];
  if (!tier) throw new Error(`tier ${tenant.tier} of tenant ${id} is not defined in platform.yaml`);
  const placement = placementOf(tenant, platform);
  return {
    id, tenant, platform, tier, state, purge, placement,
    access: accessOf(tenant.hosting, platform),
    region: regionOf(tenant, platform),
    version: versionOf(tenant, platform),
    source: `tenants/${id}.yaml`,
    retentionDays: retentionDaysOf(tenant, platform),
    legalHold: platform.legalHolds.some((hold) => hold.tenant === id),
    owner: {
      kind: 'tenant', id,
      ...(placement.kind === 'cell' ? { cell: placement.name } : {}),
      ...(placement.kind === 'pool' ? { pool: placement.name } : {}),
    },
  };
}

/**
 * Tags of every resource of the tenant. Platform-account tenants also carry their billing
 * reference, as a cost allocation tag, so the extra infrastructure charge can be billed.
 */
export function tenantTags(ctx: TenantContext): Record<string, string> {
  const { tenant, placement } = ctx;
  return {
    ...tenant.tags,
    tenant: ctx.id,
    hosting: tenant.hosting.model,
    deployment: tenant.deployment.model,
    tier: tenant.tier,
    'managed-by': 'tenancy',
    [SESSION_TAG.owner]: ownerName(ctx.owner),
    ...(tenant.hosting.model === 'platform-account' ? { 'billing-reference': tenant.hosting.billingReference } : {}),
    ...(placement.kind === 'cell' ? { cell: placement.name } : {}),
    ...(placement.kind === 'pool' ? { pool: placement.name } : {}),
  };
}
