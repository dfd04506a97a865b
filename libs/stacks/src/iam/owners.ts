import { RESERVED_TAG_KEYS } from '@tenancy/model';
import { CLUSTER_TAG, SELF, SESSION_TAG } from './session-scope';

/** Conditions matching resources the session's owner already has. */
export const OWNS = { StringEquals: { [`aws:ResourceTag/${SESSION_TAG.owner}`]: SELF } } as const;

/** Conditions matching a request that creates a resource for the session's owner. */
export const CREATES = { StringEquals: { [`aws:RequestTag/${SESSION_TAG.owner}`]: SELF, 'aws:RequestTag/managed-by': 'tenancy' } } as const;

/** A request that sets tags may not hand the resource to another owner. */
export const KEEPS_OWNER = { StringEqualsIfExists: { [`aws:RequestTag/${SESSION_TAG.owner}`]: SELF } } as const;

/** Tag keys that say who owns a resource: never removed, once set. */
export const OWNERSHIP_TAG_KEYS = [SESSION_TAG.owner, CLUSTER_TAG, 'managed-by'];

/**
 * Tag keys the stacks write besides tenancy's own and the fleet's custom keys, and the ones AWS
 * services write for them (the `aws:` prefix is AWS's alone: RDS tags a master secret with its database).
 */
const STRUCTURAL_TAG_KEYS = ['Name', 'kubernetes.io/cluster/*', 'kubernetes.io/role/elb', 'kubernetes.io/role/internal-elb', 'aws:*'];

/** `aws:TagKeys` a request may carry: what the stacks set, and nothing a customer's own ABAC could key on. */
export function allowedTagKeys(customTagKeys: readonly string[]): string[] {
  return [...RESERVED_TAG_KEYS, ...STRUCTURAL_TAG_KEYS, ...customTagKeys];
}

type Block = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

/** Merges condition blocks, operator by operator. */
export function conditions(...blocks: Block[]): Record<string, Record<string, string | readonly string[]>> {
  const merged: Record<string, Record<string, string | readonly string[]>> = {};
  for (const block of blocks) {
    for (const [operator, keys] of Object.entries(block)) merged[operator] = { ...merged[operator], ...keys };
  }
  return merged;
}
