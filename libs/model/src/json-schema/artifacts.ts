import { platformJsonSchema, tenantJsonSchema } from './generate';
import { renderTenantReference } from './reference-doc';

export interface GeneratedFile {
  /** Path relative to the repository root. */
  readonly path: string;
  readonly content: string;
}

/** Every file generated from the models: the editor schemas and the tenant file reference. */
export function generatedFiles(): GeneratedFile[] {
  const tenant = tenantJsonSchema();
  return [
    { path: 'schema/tenant.schema.json', content: `${JSON.stringify(tenant, null, 2)}\n` },
    { path: 'schema/platform.schema.json', content: `${JSON.stringify(platformJsonSchema(), null, 2)}\n` },
    { path: 'docs/tenant-file.md', content: renderTenantReference(tenant) },
  ];
}
