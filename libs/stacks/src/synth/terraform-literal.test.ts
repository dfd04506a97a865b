import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { App, Fn } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { FleetStack } from '../stacks/fleet-stack';
import { LOCAL_STATE, type TerraformJson } from '../testing/example-stacks';
import { escapeTemplates, literalConfig } from './terraform-literal';
import { renderStack } from './render';
import { synthesizeTenant } from './synthesize';
import { exampleStacks } from '../testing/example-stacks';

describe('literal text in Terraform JSON', () => {
  it('escapes every template start, and only those', () => {
    expect(escapeTemplates('${file("/etc/hostname")} %{ if true }x%{ endif } $HOME %d {a} $ {b}')).toBe('$${file("/etc/hostname")} %%{ if true }x%%{ endif } $HOME %d {a} $ {b}');
  });

  it('escapes literal parts and keys of a configuration, keeping cdktf token markers and tokens for cdktf', () => {
    const token = Fn.base64decode('x');
    const config = literalConfig({ a: '${x}', 'k${y}': ['%{ if true }', '${TfToken[TOKEN.7]}/${z}'], nested: { token }, n: 3 }) as Record<string, unknown>;
    expect(config).toEqual({ a: '$${x}', 'k$${y}': ['%%{ if true }', '${TfToken[TOKEN.7]}/$${z}'], nested: { token }, n: 3 });
    expect((config.nested as { token: unknown }).token).toBe(token);
  });

  it('keeps null, numbers and objects that are not plain data as they are, and escapes an object without a prototype', () => {
    expect(literalConfig({ a: null, b: 3, c: [null, '${x}'] })).toEqual({ a: null, b: 3, c: [null, '$${x}'] });
    expect(literalConfig(null)).toBeNull();
    const when = new Date(0);
    expect((literalConfig({ when }) as { when: Date }).when).toBe(when);
    const bare = Object.assign(Object.create(null) as object, { '%{k}': '${v}' });
    expect(literalConfig(bare)).toEqual({ '%%{k}': '$${v}' });
  });

  it('reaches every element of a fleet stack: text is written literally, references stay references', () => {
    const stack = new FleetStack(new App({ skipValidation: true }), 'literal', 'data', LOCAL_STATE);
    const bucket = new S3Bucket(stack, 'bucket', { bucket: 'b', tags: { note: '${file("/etc/hostname")}', 'k%{x}': 'v' } });
    new ConfigMapV1(stack, 'config', { metadata: { name: 'c' }, data: { script: 'echo "${HOME}" %{ if true }', bucket: `${bucket.arn}/\${literal}` } });
    const json = JSON.parse(renderStack(stack)) as TerraformJson;
    expect(json.resource!.aws_s3_bucket!.bucket!.tags).toEqual({ note: '$${file("/etc/hostname")}', 'k%%{x}': 'v' });
    expect(json.resource!.kubernetes_config_map_v1!.config!.data).toEqual({ script: 'echo "$${HOME}" %%{ if true }', bucket: '${aws_s3_bucket.bucket.arn}/$${literal}' });
  });

  it('refuses to synthesize a tenant whose text cdktf would read as a reference, whoever calls', async () => {
    const example = await exampleStacks();
    const { tenant } = example.tenant('acme');
    const hostile = { ...tenant, resources: [{ ...tenant.resources[0]!, command: ['/app/api', '${TfToken[TOKEN.3]}'] }] };
    expect(() => synthesizeTenant('acme', hostile, example.fleet.platform, { state: LOCAL_STATE })).toThrow(/tenants\/acme\.yaml: .* reads as a reference/);
  });
});

/** Interpolations (`${`) and directives (`%{`) Terraform would evaluate in a string: escaped ones (`$${`, `%%{`) are text. */
function evaluated(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length - 1; i++) {
    if ((text[i] === '$' || text[i] === '%') && text[i + 1] === text[i] && text[i + 2] === '{') {
      i += 2;
    } else if ((text[i] === '$' || text[i] === '%') && text[i + 1] === '{') {
      found.push(text.slice(i, i + 60));
    }
  }
  return found;
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (value && typeof value === 'object') for (const [key, child] of Object.entries(value)) { out.push(key); strings(child, out); }
  return out;
}

/** What the constructs write as expressions: references to resources, data, variables and ephemeral values, and the functions they call. */
const OUR_EXPRESSION = /^\$\{(?:(?:aws_|kubernetes_)[a-z0-9_]+\.[A-Za-z0-9_-]+|data\.|var\.|ephemeral\.|(?:base64decode|contains|jsonencode)\(|\(var\.tenancy_principal == )/;

describe('every stack of the example fleet', () => {
  it('holds no expression Terraform would evaluate but the references and functions its constructs write', async () => {
    const example = await exampleStacks();
    expect(example.stacks.length).toBeGreaterThan(40);
    const expressions = example.stacks.flatMap((stack) => strings(JSON.parse(stack.json)).flatMap(evaluated).map((e) => `${stack.name}: ${e}`));
    expect(expressions.length, 'the stacks make references').toBeGreaterThan(100);
    expect(expressions.filter((e) => !OUR_EXPRESSION.test(e.slice(e.indexOf(': ') + 2)))).toEqual([]);
    expect(expressions.filter((e) => e.includes(': %{'))).toEqual([]);
  });
});
