import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFleet, type Platform, type TenantFile } from '@tenancy/model';
import {
  customerAccountOf, synthesizeControlPlane, synthesizeCustomerBootstrap, synthesizeTenant, writeStack, type StateLocation, type SynthesizedStack,
} from '@tenancy/stacks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mapLimit } from '../concurrency';
import { offlineExternalId } from '../offline/aws-stand-in';
import { OfflineSession } from '../offline/offline-session';
import { PLAN_FILE } from '../plan/plan-stacks';
import { writeCliConfig } from './cli-config';
import { initStacks } from './prepare-stacks';
import { TerraformCli } from './terraform-cli';
import { findToolchain, offlineGap } from './toolchain';

// Terraform inits and plans real stacks: minutes, not seconds.
vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

const REPO = fileURLToPath(new URL('../../../..', import.meta.url));
const toolchain = findToolchain();
const gap = offlineGap(toolchain);
if (gap) console.warn(`\n*** SKIPPING the trust chain's Terraform tests: ${gap} ***\n`);

/**
 * The stacks a person applies once (control plane, account roles, customers' Terraform bootstraps)
 * against the real provider schema, planned offline through the STS stand-in; and the proof that
 * no external id reaches a saved plan or the state.
 */
describe.skipIf(gap !== undefined)('the trust chain, with real Terraform', () => {
  let work: string;
  let tf: TerraformCli;
  let platform: Platform;
  let tenants: TenantFile[];
  let shipped: SynthesizedStack[];
  const dirOf = (name: string) => join(work, 'out', name);

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'tenancy-trust-'));
    const fleet = await loadFleet(REPO);
    platform = fleet.platform!;
    tenants = fleet.tenants;
    const state: StateLocation = { kind: 'local', stateDir: join(work, 'state'), outDir: join(work, 'out') };
    const customers = tenants.filter((t) => t.tenant.hosting.model === 'customer-account');
    const bootstraps = new Map(customers.map((t) => {
      const account = customerAccountOf(t.id, tenants, platform);
      return [account.accountId, synthesizeCustomerBootstrap(account, platform, (t.tenant.hosting as { region: string }).region, state)];
    }));
    shipped = [...synthesizeControlPlane(platform, state), ...bootstraps.values()];
    for (const stack of shipped) writeStack(join(work, 'out'), stack);
    // Never from the run's result cache: the tests read the requests the stand-in got, which only a real plan makes.
    tf = new TerraformCli(toolchain!.terraform, writeCliConfig(toolchain!, join(work, 'terraform.rc')));
    const inits = await initStacks(tf, shipped.map((s) => dirOf(s.name)), { backend: false, concurrency: 2 });
    inits.forEach((init, i) => expect(init.code, `${shipped[i]!.name}: ${init.stderr}`).toBe(0));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('validates the control plane, both accounts\' roles and every customer\'s Terraform bootstrap', async () => {
    expect(shipped.map((s) => s.name)).toEqual(['control-plane', 'account-provider', 'account-platform', 'bootstrap-777788889999-TenancyDeployer', 'bootstrap-123456789012-TenancyDeployer']);
    const results = await mapLimit(shipped, 2, (s) => tf.validate(dirOf(s.name)));
    results.forEach((result, i) => expect(result.diagnostics.filter((d) => d.severity === 'error'), shipped[i]!.name).toEqual([]));
    expect(results.every((r) => r.valid)).toBe(true);
  });

  it('plans the control plane and the accounts\' roles offline, each provider asking STS which account it reached', async () => {
    const session = await OfflineSession.start(join(work, 'offline-state'));
    try {
      const names = ['control-plane', 'account-provider', 'account-platform'];
      const plans = await mapLimit(names, 2, async (name) => {
        session.prepare(dirOf(name), name);
        const init = await tf.init(dirOf(name), { backend: true });
        if (init.code !== 0) return init;
        return tf.plan(dirOf(name), { out: PLAN_FILE, lock: false, refresh: false, json: true });
      });
      plans.forEach((plan, i) => expect(plan.code, `${names[i]}: ${plan.stderr}${plan.stdout.slice(-2000)}`).toBe(0));
      const changes = plans.map((plan) => JSON.parse(plan.stdout.split('\n').filter((l) => l.includes('"change_summary"'))[0]!).changes as { add: number });
      // The control plane: key, state bucket and its access log bucket, OIDC provider, planner, deployer and purger.
      // Each account: its roles' boundaries and policies, and an access log bucket in each of its two regions.
      expect(changes.map((c) => c.add)).toEqual([27, 36, 36]);
      const answered = session.standIn.requests.filter((r) => r.action === 'GetCallerIdentity:answered').map((r) => r.params.Account);
      expect(new Set(answered)).toEqual(new Set([platform.accounts.provider.id, platform.accounts.platform.id]));
    } finally {
      await session.stop();
    }
  });

  it('keeps the external id out of the saved plan and the state (an ephemeral read), where a data source would leak it', async () => {
    const umbrella = tenants.find((t) => t.id === 'umbrella')!;
    const state: StateLocation = { kind: 'local', stateDir: join(work, 'state'), outDir: join(work, 'out') };
    const data = synthesizeTenant('umbrella', umbrella.tenant, platform, { state }).find((s) => s.kind === 'data')!;
    // The same stack with the external id read by a data source, as it was before: the check must see that leak.
    const leaky = { ...data, name: 'leaky-umbrella-data', json: asDataSource(data.json) };
    const secret = offlineExternalId('tenancy/customers/umbrella/external-id');
    const session = await OfflineSession.start(join(work, 'offline-state'));
    try {
      const found: Record<string, { plan: boolean; state: boolean }> = {};
      for (const stack of [data, leaky]) {
        const dir = writeStack(join(work, 'out'), stack);
        session.prepare(dir, stack.name);
        expect((await tf.init(dir, { backend: true })).code).toBe(0);
        const plan = await tf.plan(dir, { out: PLAN_FILE, lock: false, refresh: false, variables: { tenancy_principal: 'deployer' } });
        expect(plan.code, plan.stderr).toBe(0);
        const show = JSON.stringify(await tf.showPlan(dir, PLAN_FILE));
        // A refresh-only apply writes the state a real apply would start from: data sources, outputs.
        const refreshed = await tf.run(['apply', '-refresh-only', '-auto-approve', '-input=false', '-no-color', '-lock=false', '-var=tenancy_principal=deployer'], dir);
        expect(refreshed.code, refreshed.stderr).toBe(0);
        const stateFile = readFileSync(join(work, 'offline-state', `${stack.name}.tfstate`), 'utf8');
        found[stack.name] = { plan: show.includes(secret), state: stateFile.includes(secret) };
      }
      expect(found).toEqual({ 'tenant-umbrella-data': { plan: false, state: false }, 'leaky-umbrella-data': { plan: true, state: true } });
      expect(session.standIn.requests.filter((r) => r.service === 'secretsmanager' && r.action === 'GetSecretValue').length).toBeGreaterThanOrEqual(2);
    } finally {
      await session.stop();
    }
  });
});

/** A stack's JSON with its ephemeral external-id read turned back into a data source. */
function asDataSource(json: string): string {
  const stack = JSON.parse(json) as { ephemeral?: Record<string, unknown>; data?: Record<string, unknown> };
  stack.data = { ...stack.data, aws_secretsmanager_secret_version: (stack.ephemeral as Record<string, unknown>).aws_secretsmanager_secret_version };
  delete stack.ephemeral;
  return JSON.stringify(stack).replaceAll('ephemeral.aws_secretsmanager_secret_version', 'data.aws_secretsmanager_secret_version');
}
