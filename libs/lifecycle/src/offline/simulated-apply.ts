import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OFFLINE_OVERRIDE_FILE } from '../offline/offline-override';
import { PLAN_FILE } from '../plan/plan-stacks';
import type { TerraformCli } from '../terraform/terraform-cli';

type CtyType = string | [string, CtyType] | ['object', Record<string, CtyType>] | ['tuple', CtyType[]];
interface Block { attributes?: Record<string, { type?: CtyType }>; block_types?: Record<string, { nesting_mode: string; block: Block }> }
interface ResourceChange { address: string; mode: string; type: string; name: string; provider_name: string; change: { after: Record<string, unknown>; after_unknown: Record<string, unknown> } }
interface ConfigResource { address: string; expressions?: Record<string, unknown> }
interface PlanJson {
  terraform_version: string; resource_changes?: ResourceChange[]; planned_values: { outputs?: Record<string, { value?: unknown }> };
  configuration?: { root_module?: { resources?: ConfigResource[] } };
}

const schemas = new Map<string, { version: number; block: Block }>();

/** A placeholder for a value known only after a real apply, shaped by its schema type. */
function placeholder(type: CtyType | undefined, name: string, address: string): unknown {
  if (type === 'string') {
    // Letters, digits and hyphens only: ids end up in other names (a final snapshot's), which AWS validates.
    const id = createHash('sha256').update(`${address} ${name}`).digest('hex').slice(0, 16);
    if (name === 'arn' || name.endsWith('_arn')) return `arn:aws:simulated:us-east-1:000000000000:simulated-${id}`;
    if (name === 'url' || name === 'issuer' || name === 'endpoint') return `https://simulated-${id}.invalid/`;
    return `simulated-${id}`;
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

/** EC2 ids the provider validates by their prefix. */
const ID_PREFIXES: Readonly<Record<string, string>> = {
  aws_launch_template: 'lt-', aws_security_group: 'sg-', aws_vpc: 'vpc-', aws_subnet: 'subnet-', aws_route_table: 'rtb-', aws_internet_gateway: 'igw-',
  aws_nat_gateway: 'nat-', aws_eip: 'eipalloc-', aws_network_acl: 'acl-', aws_flow_log: 'fl-',
};

/** The id a real apply would give a resource: its type's prefix, then hex. */
function simulatedId(type: string, address: string): string {
  const hex = createHash('sha256').update(address).digest('hex').slice(0, 17);
  return ID_PREFIXES[type] ? `${ID_PREFIXES[type]}${hex}` : `simulated-${hex}`;
}

/** `after` with every value Terraform marked unknown filled in from the schema. */
function fill(after: Record<string, unknown>, unknown: Record<string, unknown>, block: Block, address: string): Record<string, unknown> {
  const result: Record<string, unknown> = { ...after };
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    const marks = unknown[name];
    if (marks === true) result[name] = placeholder(attribute.type, name, address);
    // A list or set of which some items are unknown: each unknown item its own placeholder.
    else if (Array.isArray(marks) && Array.isArray(result[name]) && Array.isArray(attribute.type) && typeof attribute.type[1] === 'string') {
      result[name] = (result[name] as unknown[]).map((item, i) => (marks[i] === true ? placeholder(attribute.type![1] as CtyType, `${name}[${i}]`, address) : item));
    }
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
    const schema = (await terraform.providerSchemas(dir)) as { provider_schemas: Record<string, { resource_schemas: Record<string, { version: number; block: Block }> }> };
    for (const provider of Object.values(schema.provider_schemas)) for (const [type, s] of Object.entries(provider.resource_schemas)) schemas.set(type, s);
  }
  const changes = (plan.resource_changes ?? []).filter((r) => r.mode === 'managed' && r.change.after);
  const values = new Map<string, Record<string, unknown>>(changes.map((r) => {
    const attributes = fill(r.change.after, r.change.after_unknown, schemas.get(r.type)!.block, r.address);
    return [r.address, { ...attributes, id: r.change.after_unknown.id === true || attributes.id === undefined ? simulatedId(r.type, r.address) : attributes.id }];
  }));
  // A value known only after apply that is another resource's attribute (a bucket's id, a key's
  // ARN) is that attribute's placeholder, as a real apply would make it: the next plan then
  // compares like with like.
  const expressions = new Map((plan.configuration?.root_module?.resources ?? []).map((r) => [r.address, r.expressions ?? {}]));
  const referenced = (ref: string | undefined) => {
    const [type, target, attribute] = ref?.split('.') ?? [];
    return attribute ? values.get(`${type}.${target}`)?.[attribute] : undefined;
  };
  const isAttribute = (ref: string) => /^[a-z0-9_]+\.[A-Za-z0-9_-]+\.[a-z0-9_]+$/.test(ref);
  /** Fills `attributes`' unknowns that the configuration takes from other resources' attributes, nested blocks included. */
  const resolve = (attributes: Record<string, unknown>, unknowns: Record<string, unknown>, config: Record<string, unknown>, block: Block): void => {
    for (const [name, unknown] of Object.entries(unknowns)) {
      const expression = config[name];
      const nested = block.block_types?.[name];
      if (nested && Array.isArray(expression) && Array.isArray(attributes[name]) && Array.isArray(unknown)) {
        (attributes[name] as Record<string, unknown>[]).forEach((item, i) => resolve(item, (unknown[i] ?? {}) as Record<string, unknown>, (expression[i] ?? {}) as Record<string, unknown>, nested.block));
        continue;
      }
      const references = ((expression as { references?: string[] } | undefined)?.references ?? []).filter(isAttribute);
      const type = block.attributes?.[name]?.type;
      if (unknown === true && Array.isArray(type) && (type[0] === 'list' || type[0] === 'set') && typeof type[1] === 'string') {
        const items = references.map(referenced).filter((v) => v !== undefined);
        if (items.length) attributes[name] = items;
      } else if (unknown === true && references.length === 1) {
        // One reference and nothing else (a function of several, such as jsonencode, is left a placeholder).
        const value = referenced(references[0]);
        if (value !== undefined) attributes[name] = value;
      } else if (Array.isArray(unknown) && Array.isArray(attributes[name]) && unknown.some((u) => u === true)) {
        // A list of references: its unknown items are the referenced attributes, in order.
        attributes[name] = (attributes[name] as unknown[]).map((item, i) => (unknown[i] === true ? referenced(references[i]) ?? item : item));
      }
    }
  };
  for (const r of changes) resolve(values.get(r.address)!, r.change.after_unknown, expressions.get(r.address) ?? {}, schemas.get(r.type)!.block);
  const resources = changes.map((r) => ({
    mode: 'managed', type: r.type, name: r.name, provider: `provider["${r.provider_name}"]`,
    instances: [{ schema_version: schemas.get(r.type)!.version, attributes: values.get(r.address)!, sensitive_attributes: [] }],
  }));
  const outputs = Object.fromEntries(Object.entries(plan.planned_values.outputs ?? {}).filter(([, o]) => o.value !== undefined).map(([k, o]) => [k, { value: o.value, type: ctyTypeOf(o.value) }]));
  const override = JSON.parse(readFileSync(join(dir, OFFLINE_OVERRIDE_FILE), 'utf8')) as { terraform: { backend: { local: { path: string } } } };
  const path = join(dir, override.terraform.backend.local.path);
  mkdirSync(dirname(path), { recursive: true });
  // The lineage is the content's hash: the same apply rehearsed twice leaves the same state, so a
  // result cache knows the next plan (a random lineage would make every later plan new).
  const content = JSON.stringify({ outputs, resources });
  const lineage = createHash('sha256').update(content).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5');
  writeFileSync(path, JSON.stringify({ version: 4, terraform_version: plan.terraform_version, serial: 1, lineage, outputs, resources, check_results: null }));
  return resources.length;
}
