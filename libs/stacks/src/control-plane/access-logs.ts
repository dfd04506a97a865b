import type { Platform } from '@tenancy/model';
import { MINIMUM_LOG_DAYS } from '../aws/log-retention';

/** The regions of the provider's or the platform's account where tenants keep data: platform.yaml's regions (dedicated tenants) and those of its cells and pools. */
export function accountRegions(platform: Platform, model: 'provider-account' | 'platform-account'): string[] {
  const shared = [...Object.values(platform.cells), ...Object.values(platform.pools)].filter((c) => c.hosting.model === model).map((c) => c.region);
  return [...new Set([...Object.keys(platform.regions), ...shared])].sort();
}

/** Days access logs of tenant data are kept: a year at least, and at least every tier's retention. */
export function accessLogDays(platform: Platform): number {
  return Math.max(MINIMUM_LOG_DAYS, ...Object.values(platform.tiers).map((tier) => tier.retentionDays));
}
