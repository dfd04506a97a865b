import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OFFLINE_OVERRIDE_FILE } from '../offline/offline-override';
import { PLAN_FILE } from '../plan/plan-stacks';
import type { TerraformCli } from '../terraform/terraform-cli';

type CtyType = string | [string, CtyType] | ['object', Record<string, CtyType>] | ['tuple', CtyType[]];
interface Block { attributes?: Record<string, { type?: CtyType }>; block_types?: Record<string, { nesting_mode: string; block: Block }> }
interface ResourceChange { address: string; mode: string; type: string; name: string; provider_name: string; change: { after: Record<string, unknown>; after_unknown: Record<string, unknown> } }
interface PlanJson { terraform_version: string; resource_changes?: ResourceChange[]; planned_values: { outputs?: Record<string, { value?: unknown }> } }

const schemas = new Map<string, { version: number; block: Block }>();

/** A placeholder for a value known only after a real apply, shaped by its schema type. */
function placeholder(type: CtyType | undefined, name: string, address: string): unknown {
  if (type === 'string') {
    if (name === 'arn' || name.endsWith('_arn')) return `arn:aws:simulated:us-east-1:000000000000:${address}`;
    if (name === 'url' || name === 'issuer' || name === 'endpoint') return `https://simulated.invalid/${address}`;
    return `simulated-${address}-${name}`;
  }
  if (type === 'number') return 1;
  if (type === 'bool') return false;
  if (Array.isArray(type)) {
    const [kind, inner] = type;
    if (kind === 'object') return Object.fromEntries(Object.entries(inner as Record<string, CtyType>).map(([k, t]) => [k, placeholder(t, k, address)]));
    if (kind === 'map') return {};
    if ((kind === 'list' || kind === 'set') && Array.isArray(inner) && inner[0] === 'object') return [placeholder(inner, name, address)];
    return [];
  }
  return null;
}

/** `after` with every value Terraform marked unknown filled in from the schema. */
function fill(after: Record<string, unknown>, unknown: Record<string, unknown>, block: Block, address: string): Record<string, unknown> {
  const result: Record<string, unknown> = { ...after };
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    if (unknown[name] === true) result[name] = placeholder(attribute.type, name, address);
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const marks = unknown[name];
    const items = result[name];
    if (marks === true) result[name] = [fill({}, Object.fromEntries(Object.keys(nested.block.attributes ?? {}).map((k) => [k, true])), nested.block, address)];
    else if (Array.isArray(items) && Array.isArray(marks)) result[name] = items.map((item, i) => fill(item as Record<string, unknown>, (marks[i] ?? {}) as Record<string, unknown>, nested.block, address));
  }
  return result;
}

function ctyTypeOf(value: unknown): CtyType {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return ['tuple', value.map(ctyTypeOf)];
  return ['object', Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, ctyTypeOf(v)]))];
}

/**
 * Writes the state an apply of the saved plan would leave to the stack's offline state file,
 * values known only after apply filled with placeholders shaped by the provider schema: an offline
 * apply's rehearsal. The next offline plan then sees the stack as existing (updates and destroys
 * by address, as a real run would), and the state holds the configuration applied, as the state
 * bucket would after a real apply.
 */
export async function simulateApply(terraform: TerraformCli, dir: string): Promise<number> {
  const plan = (await terraform.showPlan(dir, PLAN_FILE)) as PlanJson;
  if (schemas.size === 0) {
    const schema = JSON.parse((await terraform.run(['providers', 'schema', '-json'], dir)).stdout) as { provider_schemas: Record<string, { resource_schemas: Record<string, { version: number; block: Block }> }> };
    for (const provider of Object.values(schema.provider_schemas)) for (const [type, s] of Object.entries(provider.resource_schemas)) schemas.set(type, s);
  }
  const resources = (plan.resource_changes ?? []).filter((r) => r.mode === 'managed' && r.change.after).map((r) => {
    const schema = schemas.get(r.type)!;
    return {
      mode: 'managed', type: r.type, name: r.name, provider: `provider["${r.provider_name}"]`,
      instances: [{ schema_version: schema.version, attributes: { ...fill(r.change.after, r.change.after_unknown, schema.block, r.address), id: `simulated-${r.address}` }, sensitive_attributes: [] }],
    };
  });
  const outputs = Object.fromEntries(Object.entries(plan.planned_values.outputs ?? {}).filter(([, o]) => o.value !== undefined).map(([k, o]) => [k, { value: o.value, type: ctyTypeOf(o.value) }]));
  const override = JSON.parse(readFileSync(join(dir, OFFLINE_OVERRIDE_FILE), 'utf8')) as { terraform: { backend: { local: { path: string } } } };
  const path = join(dir, override.terraform.backend.local.path);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify({ version: 4, terraform_version: plan.terraform_version, serial: 1, lineage: randomUUID(), outputs, resources, check_results: null }));
  return resources.length;
}
