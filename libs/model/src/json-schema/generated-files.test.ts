import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from './artifacts';

const REPO = resolve(__dirname, '../../../..');

describe('generated files', () => {
  it.each(generatedFiles().map((f) => [f.path, f] as const))('%s is up to date with the models (run "npx tenancy schema")', (_path, file) => {
    expect(readFileSync(join(REPO, file.path), 'utf8')).toBe(file.content);
  });

  it('the tenant reference documents the id length limit and every top-level key', () => {
    const doc = generatedFiles().find((f) => f.path === 'docs/tenant-file.md')!.content;
    expect(doc).toContain('at most **20 characters**');
    for (const key of ['id', 'tier', 'hosting', 'deployment', 'resources', 'data']) expect(doc).toContain(`| \`${key}\``);
    expect(doc).toContain('`hosting (model: customer-account).externalIdSecret`');
  });
});

describe('the editor schemas', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const schemaOf = (name: string) => JSON.parse(readFileSync(join(REPO, 'schema', name), 'utf8'));
  const tenantSchema = ajv.compile(schemaOf('tenant.schema.json'));
  const platformSchema = ajv.compile(schemaOf('platform.schema.json'));

  it('accept every example tenant file and platform.yaml', () => {
    for (const file of readdirSync(join(REPO, 'tenants'))) {
      expect(tenantSchema(parse(readFileSync(join(REPO, 'tenants', file), 'utf8'))), `${file}: ${ajv.errorsText(tenantSchema.errors)}`).toBe(true);
    }
    expect(platformSchema(parse(readFileSync(join(REPO, 'platform.yaml'), 'utf8'))), ajv.errorsText(platformSchema.errors)).toBe(true);
  });

  it('reject what an editor should flag: an unknown key, a wrong discriminator, a tagged image is left to validate', () => {
    const acme = parse(readFileSync(join(REPO, 'tenants', 'acme.yaml'), 'utf8'));
    expect(tenantSchema({ ...acme, replica: 3 })).toBe(false);
    expect(tenantSchema({ ...acme, hosting: { model: 'provider' } })).toBe(false);
    expect(tenantSchema({ ...acme, hosting: { model: 'customer-account', region: 'us-east-1' } })).toBe(false);
  });
});
