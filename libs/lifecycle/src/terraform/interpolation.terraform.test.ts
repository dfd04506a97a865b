import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasErrors, loadFleet, PlatformFields, readPlatform, readTenant, Tenant } from '@tenancy/model';
import { copyExampleFleet, placeAt, stringFields, type StringField } from '@tenancy/model/testing';
import { STACK_FILE, synthesizeSharedCluster, synthesizeTenant, writeStack, type StateLocation, type SynthesizedStack } from '@tenancy/stacks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse, stringify } from 'yaml';
import { OfflineSession } from '../offline/offline-session';
import { planStacks, type StackPlanResult } from '../plan/plan-stacks';
import { terraformFor } from './cli-config';
import { findToolchain, offlineGap } from './toolchain';

vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

const toolchain = findToolchain();
const gap = offlineGap(toolchain);
if (gap) console.warn(`\n*** SKIPPING the interpolation proof with real Terraform: ${gap} ***\n`);

/** What a hostile pull request writes, as the review found: a file read and a template directive. */
const HOSTILE = ['${file("/etc/hostname")}', '%{ if true }x%{ endif }'] as const;
const hostile = (index: number) => HOSTILE[index % 2]!;

/**
 * A tenant file and platform.yaml holding every optional section, so that every string field the
 * schemas have is somewhere to be placed (a field that accepts the text and has nowhere to go
 * fails the test: give the base a value there).
 */
function baseDocuments(root: string): { tenant: Record<string, unknown>; platform: Record<string, unknown> } {
  const tenant = parse(readFileSync(join(root, 'tenants/hooli.yaml'), 'utf8')) as Record<string, unknown>;
  // Its critical resource runs a Deployment of its own: with a command, one reaches the Deployment's container as it is.
  (tenant.resources as Record<string, unknown>[])[0]!.command = ['/app/api', '--listen', ':8080'];
  Object.assign(tenant, {
    maintenanceWindow: { days: ['sat'], start: '02:00', hours: 4 },
    contact: { email: 'infra@hooli.example', name: 'Hooli infrastructure', webhook: 'https://hooks.hooli.example/tenancy' },
    tags: { 'cost-center': '5100' },
    data: { database: { engine: 'mysql', engineVersion: '8.0', instanceClass: 'db.t4g.medium' } },
  });
  const platform = parse(readFileSync(join(root, 'platform.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
  const fast = (platform.channels as Record<string, Record<string, unknown>>).fast!;
  fast.health = { url: 'https://{tenant}.example-saas.com/healthz', alarms: ['{tenant}-5xx'] };
  (fast.waves as Record<string, unknown>[])[0]!.health = { url: 'https://{tenant}.example-saas.com/ready' };
  return { tenant, platform };
}

interface Placement { readonly field: StringField; readonly document: unknown; readonly accepted: boolean }

/** Each string field with the hostile text placed, and whether its document (on its own) takes it. */
function placements(schema: Parameters<typeof stringFields>[0], base: unknown, read: (text: string) => boolean): { placed: Placement[]; nowhere: string[] } {
  const placed: Placement[] = [];
  const nowhere: string[] = [];
  for (const field of stringFields(schema)) {
    const leafTakesIt = HOSTILE.some((text) => field.schema.safeParse(text).success);
    const document = placeAt(base, field.path, hostile);
    if (document === undefined) {
      if (leafTakesIt) nowhere.push(field.path.join('.'));
      continue;
    }
    placed.push({ field, document, accepted: leafTakesIt && read(stringify(document)) });
  }
  return { placed, nowhere };
}

/** Every accepted field's text placed in one document. */
function combined(base: unknown, accepted: readonly Placement[]): unknown {
  return accepted.reduce((document, p) => placeAt(document, p.field.path, hostile) ?? document, base);
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (value && typeof value === 'object') for (const [key, child] of Object.entries(value)) { out.push(key); strings(child, out); }
  return out;
}

/** A JSON string of the configuration as Terraform reads it when it evaluates nothing: `$${` is `${`, `%%{` is `%{`. */
const asText = (json: string) => json.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');

/**
 * A workload stack Terraform can plan without the Kubernetes provider, which has no offline mirror:
 * each Kubernetes object becomes a `terraform_data` whose input is the object's configuration, so
 * Terraform evaluates every string of it as it would for the provider; references to other
 * Kubernetes objects become a constant.
 */
function withoutKubernetes(json: string): string {
  const stack = JSON.parse(json) as { provider?: Record<string, unknown>; ephemeral?: unknown; terraform: { required_providers: Record<string, unknown> }; resource: Record<string, Record<string, Record<string, unknown>>> };
  delete stack.provider!.kubernetes;
  delete stack.terraform.required_providers.kubernetes;
  delete stack.ephemeral;
  // The stack's own terraform_data (a trust's record) stays: its roles name it in replace_triggered_by.
  const data: Record<string, Record<string, unknown>> = { ...stack.resource.terraform_data };
  for (const [type, byName] of Object.entries(stack.resource)) {
    if (!type.startsWith('kubernetes_')) continue;
    for (const [name, { depends_on: _, lifecycle: __, ...config }] of Object.entries(byName)) data[`${type}__${name}`] = { input: config };
    delete stack.resource[type];
  }
  stack.resource.terraform_data = data;
  return JSON.stringify(stack, null, 1).replace(/(?<!\$)\$\{kubernetes_[a-z0-9_]+\.[^}"]*\}/g, 'kubernetes-reference');
}

describe.skipIf(gap !== undefined)('text from tenant files and platform.yaml, planned by real Terraform', () => {
  let work: string;
  let session: OfflineSession;
  let synthesized: SynthesizedStack[];
  let results: StackPlanResult[];
  let accepted: string[];
  const fleet = copyExampleFleet({ prefix: 'tenancy-hostile-' });

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'tenancy-interpolation-'));
    const base = baseDocuments(fleet.root);
    const tenants = placements(Tenant, base.tenant, (text) => readTenant('tenants/hooli.yaml', Buffer.from(text)).value !== undefined);
    const platforms = placements(PlatformFields, base.platform, (text) => readPlatform('platform.yaml', Buffer.from(text)).value !== undefined);
    expect([...tenants.nowhere, ...platforms.nowhere], 'fields that take the text but the base documents have no place for').toEqual([]);
    const takers = [...tenants.placed, ...platforms.placed].filter((p) => p.accepted);
    accepted = takers.map((p) => p.field.path.join('.'));
    writeFileSync(join(fleet.root, 'tenants/hooli.yaml'), stringify(combined(base.tenant, tenants.placed.filter((p) => p.accepted))));
    writeFileSync(join(fleet.root, 'platform.yaml'), stringify(combined(base.platform, platforms.placed.filter((p) => p.accepted))));
    const loaded = await loadFleet(fleet.root);
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(hasErrors(loaded.diagnostics)).toBe(false);

    const state: StateLocation = { kind: 'local', stateDir: join(work, 'state'), outDir: join(work, 'out') };
    const hooli = loaded.tenants.find((t) => t.id === 'hooli')!;
    synthesized = [...synthesizeTenant('hooli', hooli.tenant, loaded.platform!, { state }), synthesizeSharedCluster('pool', 'shared-1', loaded.platform!, state)];
    for (const stack of synthesized) writeStack(state.outDir, { ...stack, json: stack.kind === 'workload' ? withoutKubernetes(stack.json) : stack.json });
    const tf = terraformFor(toolchain!, join(work, 'terraform.rc'));
    mkdirSync(join(work, 'offline-state'), { recursive: true });
    session = await OfflineSession.start(join(work, 'offline-state'));
    // The workload stack, its Kubernetes objects as terraform_data, is planned as any AWS stack is.
    const stacks = synthesized.map((s) => ({ name: s.name, kind: s.kind === 'workload' ? 'compute' as const : s.kind, dir: join(state.outDir, s.name) }));
    results = await planStacks(stacks, { terraform: tf, principal: 'planner', offline: session, concurrency: 2, planJson: true });
  });
  afterAll(async () => {
    await session?.stop();
    rmSync(work, { recursive: true, force: true });
    fleet.dispose();
  });

  it('accepts the text in the fields whose rules allow free text, among them commands and migration commands', () => {
    expect(accepted).toEqual(expect.arrayContaining(['resources.[].command.[]', 'releases.{}.migration.command.[]', 'displayName', 'contact.name']));
    const identifiers = ['id', 'tier', 'channel', 'deployment.cell', 'deployment.pool', 'resources.[].name', 'resources.[].image', 'hosting.region', 'tags.{key}', 'tiers.{key}', 'cells.{key}', 'pools.{key}', 'channels.{key}', 'releases.{key}'];
    expect(accepted.filter((path) => identifiers.includes(path))).toEqual([]);
  });

  it('plans every stack the text reaches, and Terraform reads each string of it as text', () => {
    expect(results.map((r) => `${r.stack.name}: ${r.status === 'failed' ? r.error : r.status}`)).toEqual(synthesized.map((s) => `${s.name}: planned`));
    const planned = new Set(results.flatMap((r) => (r.status === 'planned' ? strings(r.planJson) : [])));
    const written = synthesized.flatMap((stack) => strings(JSON.parse(stack.kind === 'workload' ? withoutKubernetes(stack.json) : stack.json)))
      .map(asText).filter((text) => HOSTILE.some((h) => text.includes(h)));
    expect(written.length, 'strings of the stacks holding the text').toBeGreaterThan(4);
    for (const text of written) expect(planned.has(text), `Terraform's value of ${JSON.stringify(text.slice(0, 120))}`).toBe(true);
    expect(planned).toContain(HOSTILE[0]);
    expect(planned).toContain(HOSTILE[1]);
  });

  it('never evaluates it: no file read, no directive run', () => {
    const planned = results.flatMap((r) => (r.status === 'planned' ? strings(r.planJson) : []));
    const hostname = readFileSync('/etc/hostname', 'utf8').trim();
    expect(hostname.length).toBeGreaterThan(0);
    expect(planned.filter((text) => text.includes(`${hostname}\n`) || text === hostname)).toEqual([]);
    expect(planned.filter((text) => text === 'x')).toEqual([]);
    const migration = JSON.parse(readFileSync(join(work, 'out', 'tenant-hooli-workload', STACK_FILE), 'utf8')).resource.terraform_data['kubernetes_job_v1__migration_job'].input;
    expect(JSON.stringify(migration)).toContain('"command":["$${file(\\"/etc/hostname\\")}","%%{ if true }x%%{ endif }"]');
  });
});
