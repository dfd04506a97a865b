import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ecrRegistryHosts, synthesizerMarker, type Platform, type Tenant } from '@tenancy/model';
import { App } from 'cdktf';
import { CustomerBootstrapStack } from '../bootstrap/customer-bootstrap-stack';
import type { CustomerAccount } from '../bootstrap/customer-bootstrap';
import { compositionOf } from '../combinations';
import { controlPlaneRoles } from '../control-plane/control-plane-roles';
import { accessLogDays, accountRegions } from '../control-plane/access-logs';
import { AccountStack } from '../control-plane/account-stack';
import { ControlPlaneStack } from '../control-plane/control-plane-stack';
import { partitionOf, stackNames } from '../naming';
import type { StackKind } from '../naming';
import type { FleetStack } from '../stacks/fleet-stack';
import { SharedClusterStack } from '../stacks/shared-cluster-stack';
import { TenantComputeStack } from '../stacks/tenant-compute-stack';
import { tenantContext } from '../stacks/tenant-context';
import { TenantDataStack } from '../stacks/tenant-data-stack';
import { TenantWorkloadStack } from '../stacks/tenant-workload-stack';
import type { StateLocation } from '../state/state-location';
import { renderStack } from './render';

/** One synthesized stack: its name (also its folder) and its Terraform JSON. */
export interface SynthesizedStack {
  readonly name: string;
  readonly kind: StackKind;
  /** The tenant the stack belongs to; absent for cells and pools. */
  readonly tenant?: string;
  /** The stack, as `main.tf.json`. */
  readonly json: string;
}

export interface TenantSynthesisOptions {
  readonly state: StateLocation;
  /**
   * Synthesize the data stack in purge mode: nothing protected from destruction. Only for data
   * past its retention period and not under legal hold.
   * @default false
   */
  readonly purge?: boolean;
}

/**
 * cdktf captures a full stack trace for every token it creates, only to quote it in errors we never
 * show; formatting those traces (source-mapped under tsx) was two thirds of synthesis time. While
 * building, traces format to nothing, unless TENANCY_DEBUG asks for them.
 */
function withoutTokenStackTraces<T>(build: () => T): T {
  if (process.env.TENANCY_DEBUG) return build();
  const [prepare, capture] = [Error.prepareStackTrace, Error.captureStackTrace];
  Error.prepareStackTrace = () => '';
  // cdktf captures a full-depth trace for every token; collecting the frames alone cost a sixth of
  // synthesis. Errors thrown while building still get V8's own stack.
  Error.captureStackTrace = () => undefined;
  try {
    return build();
  } finally {
    Error.prepareStackTrace = prepare;
    Error.captureStackTrace = capture;
  }
}

const checked = new WeakSet<object>();

/**
 * Refuses text that cdktf would read as a reference to another resource. Validation refuses it at
 * its file and position; this keeps any other caller from synthesizing it.
 */
function assertPlainText(value: unknown, what: string): void {
  if (typeof value === 'string') {
    const why = synthesizerMarker(value);
    if (why) throw new Error(`${what}: ${JSON.stringify(value.slice(0, 80))} ${why}`);
  } else if (value !== null && typeof value === 'object' && !checked.has(value)) {
    for (const [key, child] of Object.entries(value)) {
      assertPlainText(key, what);
      assertPlainText(child, what);
    }
    checked.add(value);
  }
}

/** A fresh cdktf app: one per tenant, so a fleet's construct trees never pile up in memory. */
function app(): App {
  return new App({ skipValidation: true, outdir: 'cdktf.out' });
}

function synthesized(stack: FleetStack, tenant?: string): SynthesizedStack {
  return { name: stack.stackName, kind: stack.kind, ...(tenant ? { tenant } : {}), json: renderStack(stack) };
}

/** The data, compute (dedicated and resource-shared only) and workload stacks of one tenant. */
export function synthesizeTenant(id: string, tenant: Tenant, platform: Platform, options: TenantSynthesisOptions): SynthesizedStack[] {
  assertPlainText(tenant, `tenants/${id}.yaml`);
  assertPlainText(platform, 'platform.yaml');
  return withoutTokenStackTraces(() => {
    const scope = app();
    const ctx = tenantContext(id, tenant, platform, options.state, options.purge ?? false);
    const stacks: FleetStack[] = [new TenantDataStack(scope, ctx)];
    if (compositionOf(tenant.hosting.model, tenant.deployment.model).compute.length > 0) stacks.push(new TenantComputeStack(scope, ctx));
    stacks.push(new TenantWorkloadStack(scope, ctx));
    return stacks.map((stack) => synthesized(stack, id));
  });
}

/** The stack of one cell or pool of platform.yaml. */
export function synthesizeSharedCluster(kind: 'cell' | 'pool', name: string, platform: Platform, state: StateLocation): SynthesizedStack {
  const cluster = (kind === 'cell' ? platform.cells : platform.pools)[name];
  if (!cluster) throw new Error(`${kind} ${name} is not defined in platform.yaml`);
  assertPlainText(platform, 'platform.yaml');
  return withoutTokenStackTraces(() => synthesized(new SharedClusterStack(app(), { kind, name, cluster, platform, state })));
}

/** Every cell and pool stack of platform.yaml. */
export function synthesizeSharedClusters(platform: Platform, state: StateLocation): SynthesizedStack[] {
  return [
    ...Object.keys(platform.cells).map((name) => synthesizeSharedCluster('cell', name, platform, state)),
    ...Object.keys(platform.pools).map((name) => synthesizeSharedCluster('pool', name, platform, state)),
  ];
}

/**
 * The control plane's stacks, which a person applies once with their own credentials:
 * `control-plane` (state bucket, GitHub OIDC provider, planner and deployer) in the provider
 * account, and `account-provider` and `account-platform` (each account's planner and deployer roles).
 */
export function synthesizeControlPlane(platform: Platform, state: StateLocation): SynthesizedStack[] {
  assertPlainText(platform, 'platform.yaml');
  const tags = { 'managed-by': 'tenancy', component: 'control-plane' };
  const controlPlane = controlPlaneRoles(platform);
  return withoutTokenStackTraces(() => [
    synthesized(new ControlPlaneStack(app(), { platform, state, tags })),
    ...(['provider', 'platform'] as const).map((name) => {
      const account = platform.accounts[name];
      const scope = { partition: partitionOf(platform.controlPlane.region), accountId: account.id, deployerRoleName: account.roleName, plannerRoleName: account.plannerRoleName, tagKeys: platform.tagKeys, ecrRegistries: ecrRegistryHosts(platform.controlPlane.imageRegistries) };
      const accessLogs = { regions: accountRegions(platform, `${name}-account`), retentionDays: accessLogDays(platform) };
      return synthesized(new AccountStack(app(), { name: stackNames.account(name), scope, region: platform.controlPlane.region, controlPlane, state, tags, accessLogs }));
    }),
  ]);
}

/** The Terraform form of a customer account's bootstrap, with its state where the customer says. */
export function synthesizeCustomerBootstrap(account: CustomerAccount, platform: Platform, region: string, state: StateLocation): SynthesizedStack {
  const name = `bootstrap-${account.accountId}-${account.roleName}`;
  return withoutTokenStackTraces(() => synthesized(new CustomerBootstrapStack(app(), name, { account, platform, region, state })));
}

/** The file each stack is written to, in its own folder. */
export const STACK_FILE = 'main.tf.json';

/** Writes a stack to `<outDir>/<name>/main.tf.json`, replacing the folder's synthesized file only. */
export function writeStack(outDir: string, stack: SynthesizedStack): string {
  const dir = join(outDir, stack.name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, STACK_FILE), stack.json);
  return dir;
}

/** Removes a stack's folder, for stacks that no longer exist (a deleted tenant). */
export function removeStack(outDir: string, name: string): void {
  rmSync(join(outDir, name), { recursive: true, force: true });
}
