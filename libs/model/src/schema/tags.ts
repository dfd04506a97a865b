import { z } from 'zod';
import { problem, whenPresent } from '../diagnostics/problem';

/** Tags that tenancy sets on every resource itself; a file may not override them. */
export const RESERVED_TAG_KEYS = ['tenant', 'hosting', 'deployment', 'tier', 'managed-by', 'billing-reference', 'cell', 'pool', 'tenancy-owner', 'tenancy-cluster'] as const;

export const TagKey = z
  .string()
  .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u, { error: problem('is not a valid AWS tag key', 'use up to 128 letters, digits, spaces and _.:/=+-@') })
  .refine((k) => !k.toLowerCase().startsWith('aws:'), { error: problem('is reserved by AWS (the "aws:" prefix)', 'choose another key') })
  .refine((k) => !(RESERVED_TAG_KEYS as readonly string[]).includes(k), { error: problem('is set by tenancy itself', `choose a key other than ${RESERVED_TAG_KEYS.join(', ')}`) });

const TagValue = z
  .string({ error: whenPresent('must be a string', 'quote the tag value') })
  .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u, { error: problem('is not a valid AWS tag value', 'use up to 256 letters, digits, spaces and _.:/=+-@') });

export const Tags = z.record(TagKey, TagValue).meta({ description: 'Extra AWS tags for every resource of the tenant.' });
