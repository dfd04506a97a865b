import type { Platform } from '../schema/platform';
import type { Tenant } from '../schema/tenant';

/**
 * The values a tenant shares with other tenant files, on which checks across files depend: its
 * cell or pool (capacity) and its customer account (one pair of roles per account).
 */
export function sharedValues(tenant: Tenant): string[] {
  const { deployment, hosting } = tenant;
  return [
    ...(deployment.model === 'multi-tenant' ? [deployment.cell] : []),
    ...(deployment.model === 'resource-shared' ? [deployment.pool] : []),
    ...(hosting.model === 'customer-account' ? [hosting.accountId] : []),
  ];
}

/** Tenants platform.yaml names, in channel waves and legal holds: checked against their files. */
export function namedTenantIds(platform: Platform): Set<string> {
  return new Set([
    ...Object.values(platform.channels).flatMap((channel) => channel.waves.flatMap((wave) => wave.tenants ?? [])),
    ...platform.legalHolds.map((hold) => hold.tenant),
  ]);
}

const BACKSLASH = 0x5c;

/**
 * Whether a file may hold a value equal to one of `values`, judged from its bytes without parsing.
 * A YAML scalar equal to a value either holds it literally (plain, quoted, block or aliased) or
 * spells it with escapes, which need a backslash; folding a line breaks it with a space. So a file
 * with neither cannot share a cell, pool or account with the tenants the values came from.
 */
export function mayHoldValue(bytes: Uint8Array, values: readonly Buffer[]): boolean {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.includes(BACKSLASH) || values.some((value) => buffer.includes(value));
}
