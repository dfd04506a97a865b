import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFleet, type Platform } from '@tenancy/model';
import { countResources, synthesizeSharedCluster, synthesizeTenant, writeStack, type StateLocation, type SynthesizedStack } from '@tenancy/stacks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { offlineExternalId } from '../offline/aws-stand-in';
import { OfflineSession } from '../offline/offline-session';
import { planStacks, type StackPlanResult } from '../plan/plan-stacks';
import { writeCliConfig } from './cli-config';
import { TerraformCli } from './terraform-cli';
import { findToolchain, offlineGap } from './toolchain';

// Terraform inits and plans real stacks: minutes, not seconds.
vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

const REPO = fileURLToPath(new URL('../../../..', import.meta.url));
const toolchain = findToolchain();
const gap = offlineGap(toolchain);
if (gap) console.warn(`\n*** SKIPPING the real Terraform tests: ${gap} ***\n`);

/** One example tenant of each of the nine combinations. */
const COMBINATIONS = ['globex', 'hooli', 'acme', 'umbrella', 'initech-ops', 'initech-fin', 'soylent', 'tyrell', 'oscorp'];
const SECRET = 'tenancy/customers/umbrella/external-id';

/**
 * Every AWS stack of one tenant of each combination, and of every cell and pool of the example
 * fleet, initialized once (one shared provider cache) and planned offline as the planner, with
 * the real roles and external ids: each test reads what that one run left.
 */
describe.skipIf(gap !== undefined)(`real Terraform ${toolchain?.terraform ?? ''} with the hashicorp/aws 5.100.0 mirror`, () => {
  let work: string;
  let tf: TerraformCli;
  let aws: SynthesizedStack[];
  let platform: Platform;
  let session: OfflineSession;
  let results: Map<string, StackPlanResult>;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'tenancy-terraform-'));
    const fleet = await loadFleet(REPO);
    platform = fleet.platform!;
    const state: StateLocation = { kind: 'local', stateDir: join(work, 'state'), outDir: join(work, 'out') };
    const stacks = [
      ...COMBINATIONS.flatMap((id) => synthesizeTenant(id, fleet.tenants.find((t) => t.id === id)!.tenant, platform, { state })),
      ...Object.keys(platform.cells).map((name) => synthesizeSharedCluster('cell', name, platform, state)),
      ...Object.keys(platform.pools).map((name) => synthesizeSharedCluster('pool', name, platform, state)),
    ];
    for (const stack of stacks) writeStack(join(work, 'out'), stack);
    aws = stacks.filter((s) => s.kind !== 'workload');
    // Never from the run's result cache: the tests read the requests the stand-in got, which only a real plan makes.
    tf = new TerraformCli(toolchain!.terraform, writeCliConfig(toolchain!, join(work, 'terraform.rc')));
    session = await OfflineSession.start(join(work, 'offline-state'));
    const planned = await planStacks(aws.map((s) => ({ ...s, dir: dirOf(s.name) })), { terraform: tf, principal: 'planner', offline: session, concurrency: 2 });
    results = new Map(planned.map((r) => [r.stack.name, r]));
  });
  afterAll(async () => {
    await session?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const dirOf = (name: string) => join(work, 'out', name);

  it('covers every combination\'s data and compute stacks and every cell and pool', () => {
    expect(aws.filter((s) => s.kind === 'data')).toHaveLength(9);
    expect(aws.filter((s) => s.kind === 'compute')).toHaveLength(6);
    expect(aws.filter((s) => s.kind === 'cell' || s.kind === 'pool').map((s) => s.name).sort()).toEqual(
      [...Object.keys(platform.cells).map((n) => `cell-${n}`), ...Object.keys(platform.pools).map((n) => `pool-${n}`)].sort(),
    );
  });

  it('links the provider from the shared cache: no stack holds a copy', () => {
    for (const stack of aws) {
      const providers = join(dirOf(stack.name), '.terraform', 'providers', 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0');
      const entries = readdirSync(providers, { withFileTypes: true });
      expect(entries.map((e) => e.name), stack.name).toEqual(['linux_amd64']);
      expect(entries[0]!.isSymbolicLink(), stack.name).toBe(true);
    }
  });

  // A plan validates the configuration against the provider's schema first: planned is valid.
  it('plans each of them offline: every resource of its configuration, as the planner, in its own account', () => {
    for (const stack of aws) {
      const result = results.get(stack.name)!;
      expect(result.status === 'failed' ? result.error : result.status, stack.name).toBe('planned');
      expect(result.status === 'planned' && result.summary, stack.name).toEqual({ add: countResources(stack.json).resources, change: 0, destroy: 0, destroys: [], replaces: [] });
    }
    expect(['tenant-acme-data', 'tenant-umbrella-data', 'tenant-umbrella-compute', 'tenant-oscorp-data'].map((n) => (results.get(n) as { summary: { add: number } }).summary.add)).toEqual([25, 49, 18, 25]);
  });

  it('assumes each account\'s planner role, with the external id read from its secret in customer accounts only', () => {
    const assumed = new Set(session.standIn.requests.filter((r) => r.service === 'sts' && r.action === 'AssumeRole').map((r) => `${r.params.RoleSessionName} ${r.params.RoleArn} ${r.params.ExternalId ?? '-'}`));
    expect(assumed.size).toBe(aws.length);
    expect(assumed).toContain('tenancy-tenant-acme-data arn:aws:iam::111122223333:role/tenancy-plan -');
    expect(assumed).toContain(`tenancy-tenant-umbrella-compute arn:aws:iam::123456789012:role/TenancyPlanner ${offlineExternalId(SECRET)}`);
    expect(assumed).toContain(`tenancy-cell-initech arn:aws:iam::777788889999:role/TenancyPlanner ${offlineExternalId('tenancy/customers/initech/external-id')}`);
    expect(assumed).toContain('tenancy-pool-hosted-shared arn:aws:iam::444455556666:role/tenancy-plan -');
    for (const a of assumed) {
      const customer = / arn:aws:iam::(123456789012|777788889999):/.test(a);
      expect(a.endsWith(' -'), `${a}: an external id in customer accounts only`).toBe(!customer);
    }
    const secretReads = new Set(session.standIn.requests.filter((r) => r.service === 'secretsmanager').map((r) => r.params.SecretId));
    expect(secretReads).toEqual(new Set([SECRET, 'tenancy/customers/initech/external-id']));
  });
});
