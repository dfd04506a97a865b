import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFleet, type Platform, type TenantFile } from '@tenancy/model';
import { countResources, synthesizeSharedCluster, synthesizeTenant, writeStack, type StateLocation, type SynthesizedStack } from '@tenancy/stacks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapLimit } from '../concurrency';
import { offlineExternalId } from '../offline/aws-stand-in';
import { OfflineSession } from '../offline/offline-session';
import { planStacks } from '../plan/plan-stacks';
import { writeCliConfig } from './cli-config';
import { initStacks } from './prepare-stacks';
import { TerraformCli } from './terraform-cli';
import { findToolchain, offlineGap } from './toolchain';

const REPO = fileURLToPath(new URL('../../../..', import.meta.url));
const toolchain = findToolchain();
const gap = offlineGap(toolchain);
if (gap) console.warn(`\n*** SKIPPING the real Terraform tests: ${gap} ***\n`);

/** One example tenant of each combination (their data and compute stacks), a cell and a pool. */
const VALIDATED = ['globex', 'hooli', 'acme', 'umbrella', 'initech-ops', 'initech-fin', 'soylent', 'tyrell', 'oscorp'];

describe.skipIf(gap !== undefined)(`real Terraform ${toolchain?.terraform ?? ''} with the hashicorp/aws 5.100.0 mirror`, () => {
  let work: string;
  let tf: TerraformCli;
  let stacks: SynthesizedStack[];
  let tenants: Map<string, TenantFile>;
  let platform: Platform;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'tenancy-terraform-'));
    const fleet = await loadFleet(REPO);
    platform = fleet.platform!;
    tenants = new Map(fleet.tenants.map((t) => [t.id, t]));
    const state: StateLocation = { kind: 'local', stateDir: join(work, 'state'), outDir: join(work, 'out') };
    stacks = [
      ...VALIDATED.flatMap((id) => synthesizeTenant(id, tenants.get(id)!.tenant, platform, { state })),
      synthesizeSharedCluster('cell', 'blue-1', platform, state),
      synthesizeSharedCluster('pool', 'initech-shared', platform, state),
    ];
    for (const stack of stacks) writeStack(join(work, 'out'), stack);
    tf = new TerraformCli(toolchain!.terraform, writeCliConfig(toolchain!, join(work, 'terraform.rc')));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const dirOf = (name: string) => join(work, 'out', name);

  it('validates every AWS stack kind of every combination, a cell and a pool, against the provider schema', async () => {
    const aws = stacks.filter((s) => s.kind !== 'workload');
    expect(aws.map((s) => s.kind).filter((k) => k === 'data')).toHaveLength(9);
    expect(aws.map((s) => s.kind).filter((k) => k === 'compute')).toHaveLength(6);
    const inits = await initStacks(tf, aws.map((s) => dirOf(s.name)), { backend: false, concurrency: 2 });
    inits.forEach((init, i) => expect(init.code, `${aws[i]!.name}: ${init.stderr}`).toBe(0));
    const results = await mapLimit(aws, 2, (s) => tf.validate(dirOf(s.name)));
    results.forEach((result, i) => {
      expect(result.diagnostics.filter((d) => d.severity === 'error'), aws[i]!.name).toEqual([]);
      expect(result.valid, aws[i]!.name).toBe(true);
    });
  });

  it('links the provider from the shared cache: no stack holds a copy', () => {
    for (const stack of stacks.filter((s) => s.kind !== 'workload')) {
      const providers = join(dirOf(stack.name), '.terraform', 'providers', 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0');
      const entries = readdirSync(providers, { withFileTypes: true });
      expect(entries.map((e) => e.name), stack.name).toEqual(['linux_amd64']);
      expect(entries[0]!.isSymbolicLink(), stack.name).toBe(true);
    }
  });

  it('plans one tenant of each hosting model offline, with the real role and external id', async () => {
    const session = await OfflineSession.start(join(work, 'offline-state'));
    try {
      const planned = ['tenant-acme-data', 'tenant-umbrella-data', 'tenant-umbrella-compute', 'tenant-oscorp-data', 'tenant-oscorp-workload'];
      const results = await planStacks(planned.map((name) => ({ ...stacks.find((s) => s.name === name)!, dir: dirOf(name) })), { terraform: tf, principal: 'planner', offline: session });
      const summaries = results.map((result) => {
        if (result.status === 'failed') throw new Error(`${result.stack.name}: ${result.error}`);
        return result.status === 'planned' ? result.summary : result.reason;
      });
      expect(summaries.slice(0, 4)).toEqual(planned.slice(0, 4).map((name) => {
        const add = countResources(stacks.find((s) => s.name === name)!.json).resources;
        return { add, change: 0, destroy: 0, destroys: [], replaces: [] };
      }));
      expect(summaries.slice(0, 4).map((s) => (s as { add: number }).add)).toEqual([23, 48, 18, 23]);
      expect(summaries[4]).toMatch(/Kubernetes objects: checked by synthesis only/);

      const assumed = session.standIn.requests.filter((r) => r.service === 'sts' && r.action === 'AssumeRole');
      expect(new Set(assumed.map((r) => `${r.params.RoleSessionName} ${r.params.RoleArn} ${r.params.ExternalId ?? '-'}`))).toEqual(new Set([
        'tenancy-tenant-acme-data arn:aws:iam::111122223333:role/tenancy-plan -',
        `tenancy-tenant-umbrella-data arn:aws:iam::123456789012:role/TenancyPlanner ${offlineExternalId('tenancy/customers/umbrella/external-id')}`,
        `tenancy-tenant-umbrella-compute arn:aws:iam::123456789012:role/TenancyPlanner ${offlineExternalId('tenancy/customers/umbrella/external-id')}`,
        'tenancy-tenant-oscorp-data arn:aws:iam::444455556666:role/tenancy-plan -',
      ]));
      const secretReads = session.standIn.requests.filter((r) => r.service === 'secretsmanager').map((r) => r.params.SecretId);
      expect(new Set(secretReads)).toEqual(new Set(['tenancy/customers/umbrella/external-id']));
    } finally {
      await session.stop();
    }
  });
});
