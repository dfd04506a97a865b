import { z } from 'zod';
import { PlatformFields } from '../schema/platform';
import { TenantFields } from '../schema/tenant';

export type JsonSchema = Record<string, unknown>;

function toJsonSchema(schema: z.ZodType, id: string, title: string): JsonSchema {
  const generated = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema;
  return { $schema: generated.$schema, $id: id, title, ...Object.fromEntries(Object.entries(generated).filter(([k]) => k !== '$schema')) };
}

/** JSON Schema of a tenant file, for editors. Cross-field and cross-file rules are checked by `tenancy validate` only. */
export function tenantJsonSchema(): JsonSchema {
  return toJsonSchema(TenantFields, 'https://tenancy.dev/schema/tenant.schema.json', 'Tenant file (tenants/<id>.yaml)');
}

/** JSON Schema of platform.yaml, for editors. */
export function platformJsonSchema(): JsonSchema {
  return toJsonSchema(PlatformFields, 'https://tenancy.dev/schema/platform.schema.json', 'Platform file (platform.yaml)');
}
