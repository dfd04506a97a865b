import { retentionDaysOf, PLATFORM_FILE, type Diagnostic, type Platform, type Tenant } from '@tenancy/model';
import { tenantPath } from './fleet-at';

/** A tenant at both ends of a range: its file before (absent when unchanged) and after. */
export interface TenantAtBothEnds {
  readonly id: string;
  readonly before?: Tenant;
  readonly after: Tenant;
}

/**
 * Warnings for every tenant whose data a range would keep for less time: a lower retention (its
 * own, or its tier's) or fewer days of database backups. Data may only be kept longer, so the
 * data guard refuses the plan; the warning says so before anyone reads a plan.
 */
export function retentionShortenings(tenants: readonly TenantAtBothEnds[], basePlatform: Platform, headPlatform: Platform): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  for (const { id, before, after } of tenants) {
    const was = before ?? after;
    const file = before && before.data.retentionDays !== after.data.retentionDays ? tenantPath(id) : PLATFORM_FILE;
    const [kept, keeps] = [retentionDaysOf(was, basePlatform), retentionDaysOf(after, headPlatform)];
    if (keeps < kept) {
      warnings.push({
        file, line: 1, column: 1, severity: 'warning', code: 'retention-shortened',
        message: `shortens how long ${id}'s deleted objects and backups are kept from ${kept} to ${keeps} days`,
        hint: `data may only be kept longer: the plan of tenant-${id}-data is refused; keep ${kept} days or more`,
      });
    }
    const backups = (tenant: Tenant, platform: Platform) => (tenant.data.database ? platform.tiers[tenant.tier]?.database.backupRetentionDays : undefined);
    const [backedUp, backsUp] = [backups(was, basePlatform), backups(after, headPlatform)];
    if (backedUp !== undefined && backsUp !== undefined && backsUp < backedUp) {
      warnings.push({
        file: PLATFORM_FILE, line: 1, column: 1, severity: 'warning', code: 'retention-shortened',
        message: `shortens how long ${id}'s automated database backups are kept from ${backedUp} to ${backsUp} days`,
        hint: `data may only be kept longer: the plan of tenant-${id}-data is refused; keep ${backedUp} days or more`,
      });
    }
  }
  return warnings;
}
