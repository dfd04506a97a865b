import type { Diagnostic } from '../diagnostics/diagnostic';
import { closest, oneOfHint } from '../diagnostics/suggest';
import { imageRegistryProblem } from '../schema/image-registries';
import { formatMemory, parseCpu, parseMemory } from '../schema/quantities';
import type { Platform, PlacementHosting, SharedCluster } from '../schema/platform';
import type { Tenant } from '../schema/tenant';
import { namespaceUsageOf, packedContainer, packedResources, sharedUsageOf } from '../fleet/effective';
import type { TenantFile } from '../fleet/tenant-file';
import type { PathSegment, SourceFile, Target } from '../yaml/source-file';

export interface FleetContext {
  readonly platform: Platform;
  readonly platformSource: SourceFile;
  readonly tenants: readonly TenantFile[];
  /** Ids of tenants whose files were deleted in the past; legal holds may still name them. */
  readonly formerTenantIds: ReadonlySet<string>;
}

/** CPU for people: cores with up to three decimals, as in "14.75". */
function cores(millicores: number): string {
  return String(Math.round(millicores) / 1000);
}

type Report = (source: SourceFile, path: readonly PathSegment[], code: string, message: string, hint?: string, target?: Target, severity?: 'error' | 'warning') => void;

/** Checks that need more than one file: references, placement, capacity, limits, holds, waves. */
export function checkFleet(context: FleetContext): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report: Report = (source, path, code, message, hint, target = 'value', severity = 'error') => {
    diagnostics.push({ file: source.file, ...source.position(path, target), severity, code, message, ...(hint ? { hint } : {}) });
  };
  for (const file of context.tenants) checkTenant(file, context.platform, report);
  checkCustomerRoles(context, report);
  checkCapacity(context, report);
  checkLegalHolds(context, report);
  checkWaves(context, report);
  return diagnostics;
}

function describeHosting(hosting: PlacementHosting | Tenant['hosting']): string {
  return hosting.model === 'customer-account' ? `customer account ${hosting.accountId}` : `the ${hosting.model.replace('-account', '')} account`;
}

type AnyHosting = PlacementHosting | Tenant['hosting'];

/** Whether two hostings are the same AWS account: same model and, for customers, the same account id. */
function sameAccount(a: AnyHosting, b: AnyHosting): boolean {
  const customerId = (h: AnyHosting) => (h.model === 'customer-account' ? h.accountId : undefined);
  return a.model === b.model && customerId(a) === customerId(b);
}

function checkTenant({ id, tenant, source }: TenantFile, platform: Platform, report: Report): void {
  if (tenant.id !== id) {
    report(source, ['id'], 'id-mismatch', `id '${tenant.id}' differs from the file name '${id}'`, `set "id: ${id}", or rename the file; the file name is the tenant's identity`);
  }
  const tier = platform.tiers[tenant.tier];
  if (!tier) {
    report(source, ['tier'], 'unknown-tier', `tier '${tenant.tier}' is not defined in platform.yaml`, oneOfHint(tenant.tier, Object.keys(platform.tiers)));
  } else if (!tier.deployments.includes(tenant.deployment.model)) {
    report(source, ['deployment', 'model'], 'deployment-not-in-tier', `tier '${tenant.tier}' does not allow the ${tenant.deployment.model} deployment model`,
      `use one the tier allows (${tier.deployments.join(', ')}), or a tier that allows ${tenant.deployment.model}: ${Object.entries(platform.tiers).filter(([, t]) => t.deployments.includes(tenant.deployment.model)).map(([n]) => n).join(', ') || 'none'}`);
  }
  if (tenant.channel !== undefined && !platform.channels[tenant.channel]) {
    report(source, ['channel'], 'unknown-channel', `channel '${tenant.channel}' is not defined in platform.yaml`, oneOfHint(tenant.channel, Object.keys(platform.channels)));
  }
  if (tenant.contact?.webhook && !platform.notifications?.webhookSecret) {
    report(source, ['contact', 'webhook'], 'webhook-without-secret', 'platform.yaml names no notifications.webhookSecret to sign this webhook with',
      'add notifications.webhookSecret (a GitHub Actions secret name) to platform.yaml: an unsigned webhook cannot be told from a forged one');
  }
  const { hosting, deployment } = tenant;
  if (hosting.model === 'customer-account' && [platform.accounts.provider.id, platform.accounts.platform.id].includes(hosting.accountId)) {
    report(source, ['hosting', 'accountId'], 'customer-account-is-own', `account ${hosting.accountId} is the provider's or the platform's own account`, "use hosting model provider-account or platform-account, or the customer's account id");
  }
  Object.keys(tenant.tags ?? {}).forEach((key) => {
    if (!platform.tagKeys.includes(key)) {
      report(source, ['tags', key], 'unknown-tag-key', `tag key '${key}' is not listed in platform.yaml tagKeys`,
        `${closest(key, platform.tagKeys) ? `did you mean '${closest(key, platform.tagKeys)}'? or ` : ''}add it to tagKeys in platform.yaml, then apply the account stacks again and send customers a new bootstrap`, 'key');
    }
  });
  if (hosting.model === 'customer-account' && !hosting.externalIdSecret.startsWith(platform.controlPlane.externalIdSecretPrefix)) {
    report(source, ['hosting', 'externalIdSecret'], 'external-id-outside-prefix', `secret ${hosting.externalIdSecret} is not under controlPlane.externalIdSecretPrefix ${platform.controlPlane.externalIdSecretPrefix} of platform.yaml`,
      `name it ${platform.controlPlane.externalIdSecretPrefix}${id}/external-id: the planner and deployer may read no other secret`);
  }
  if (deployment.model === 'dedicated') {
    const region = hosting.region ?? platform.controlPlane.region;
    if (!platform.regions[region]) {
      report(source, hosting.region ? ['hosting', 'region'] : ['deployment', 'model'], 'unknown-region', `region ${region} has no availability zones in platform.yaml`, `add it under "regions" in platform.yaml, or use one of: ${Object.keys(platform.regions).join(', ')}`);
    }
  } else {
    const kind = deployment.model === 'multi-tenant' ? 'cell' : 'pool';
    const name = deployment.model === 'multi-tenant' ? deployment.cell : deployment.pool;
    const clusters = kind === 'cell' ? platform.cells : platform.pools;
    const cluster = clusters[name];
    if (!cluster) {
      report(source, ['deployment', kind], `unknown-${kind}`, `${kind} '${name}' is not defined in platform.yaml`, oneOfHint(name, Object.keys(clusters)));
    } else {
      if (!sameAccount(cluster.hosting, hosting)) {
        const fitting = Object.entries(clusters).filter(([, c]) => sameAccount(c.hosting, hosting)).map(([n]) => n);
        report(source, ['deployment', kind], 'placement-account-mismatch', `${kind} '${name}' runs in ${describeHosting(cluster.hosting)}, but the tenant is hosted in ${describeHosting(hosting)}`,
          fitting.length ? `use a ${kind} of the same account: ${fitting.join(', ')}` : `add a ${kind} for ${describeHosting(hosting)} to platform.yaml`);
      }
      if (hosting.region !== undefined && hosting.region !== cluster.region) {
        report(source, ['hosting', 'region'], 'region-mismatch', `region ${hosting.region} differs from ${kind} '${name}' in ${cluster.region}`, `set region ${cluster.region}, or choose a ${kind} in ${hosting.region}`);
      }
    }
  }
  if (tenant.data.database && !platform.controlPlane.databaseToolsImage) {
    report(source, ['data', 'database'], 'database-without-tools-image', 'the tenant has a database, but platform.yaml names no controlPlane.databaseToolsImage',
      'add controlPlane.databaseToolsImage (an image with sh, the AWS CLI, jq, psql and mysql): its job creates the IAM-authenticated user the application connects as', 'key');
  }
  tenant.resources.forEach((resource, index) => {
    const found = imageRegistryProblem(resource.image, platform.controlPlane.imageRegistries);
    if (found) report(source, ['resources', index, 'image'], 'image-registry', found.message, found.hint);
  });
  if (tier) checkTierLimits(tenant, tier, source, report);
}

/**
 * One customer account, one pair of roles per bootstrap: a deployer role always goes with the same
 * planner role, and neither is the other, or two bootstraps would fight over one role.
 */
function checkCustomerRoles({ platform, platformSource, tenants }: FleetContext, report: Report): void {
  const users: { hosting: Extract<AnyHosting, { model: 'customer-account' }>; source: SourceFile; path: PathSegment[] }[] = [];
  for (const kind of ['cells', 'pools'] as const) {
    for (const [name, cluster] of Object.entries(platform[kind])) {
      if (cluster.hosting.model === 'customer-account') users.push({ hosting: cluster.hosting, source: platformSource, path: [kind, name, 'hosting'] });
    }
  }
  for (const { tenant, source } of tenants) {
    if (tenant.hosting.model === 'customer-account') users.push({ hosting: tenant.hosting, source, path: ['hosting'] });
  }
  const plannerOf = new Map<string, string>();
  const deployerOf = new Map<string, string>();
  for (const { hosting, source, path } of users) {
    const { accountId, roleName, plannerRoleName } = hosting;
    if (roleName === plannerRoleName) {
      report(source, [...path, 'plannerRoleName'], 'planner-is-deployer', `the planner's role is the deployer's role ${roleName}`, 'give the read-only planner a role of its own, such as TenancyPlanner');
      continue;
    }
    const planner = plannerOf.get(`${accountId}/${roleName}`);
    const deployer = deployerOf.get(`${accountId}/${plannerRoleName}`);
    if (planner !== undefined && planner !== plannerRoleName) {
      report(source, [...path, 'plannerRoleName'], 'customer-roles-differ', `deployer role ${roleName} of account ${accountId} goes with planner role ${planner} elsewhere, ${plannerRoleName} here`, `use plannerRoleName: ${planner}, as the account's bootstrap creates it`);
    } else if (deployer !== undefined && deployer !== roleName) {
      report(source, [...path, 'plannerRoleName'], 'customer-roles-differ', `planner role ${plannerRoleName} of account ${accountId} goes with deployer role ${deployer} elsewhere, ${roleName} here`, `give each deployer role of the account its own planner role, or use roleName: ${deployer}`);
    }
    plannerOf.set(`${accountId}/${roleName}`, planner ?? plannerRoleName);
    deployerOf.set(`${accountId}/${plannerRoleName}`, deployer ?? roleName);
  }
}

function checkTierLimits(tenant: Tenant, tier: Platform['tiers'][string], source: SourceFile, report: Report): void {
  const maxCpu = parseCpu(tier.limits.maxCpu)!;
  const maxMemory = parseMemory(tier.limits.maxMemory)!;
  const packed = new Set(packedResources(tenant));
  tenant.resources.forEach((resource, index) => {
    if (packed.has(resource)) return;
    if (parseCpu(resource.cpu)! > maxCpu) {
      report(source, ['resources', index, 'cpu'], 'over-container-limit', `cpu ${resource.cpu} is over the ${tenant.tier} tier's limit of ${tier.limits.maxCpu} per container`, `request at most ${tier.limits.maxCpu}, or move the tenant to a larger tier`);
    }
    if (parseMemory(resource.memory)! > maxMemory) {
      report(source, ['resources', index, 'memory'], 'over-container-limit', `memory ${resource.memory} is over the ${tenant.tier} tier's limit of ${tier.limits.maxMemory} per container`, `request at most ${tier.limits.maxMemory}, or move the tenant to a larger tier`);
    }
  });
  const container = packedContainer(tenant);
  if (container && (container.cpu > maxCpu || container.memory > maxMemory)) {
    const first = tenant.resources.findIndex((r) => packed.has(r));
    report(source, ['resources', first], 'over-container-limit', `the packed non-critical resources request ${cores(container.cpu)} CPU and ${formatMemory(container.memory)} together, over the ${tenant.tier} tier's limit of ${tier.limits.maxCpu} CPU and ${tier.limits.maxMemory} per container`, 'mark some of them critical, or lower their requests');
  }
  const usage = namespaceUsageOf(tenant);
  const quota = { cpu: parseCpu(tier.quota.cpu)!, memory: parseMemory(tier.quota.memory)!, pods: tier.quota.pods };
  const over = [
    usage.cpu > quota.cpu ? `${cores(usage.cpu)} CPU of ${tier.quota.cpu}` : undefined,
    usage.memory > quota.memory ? `${formatMemory(usage.memory)} memory of ${tier.quota.memory}` : undefined,
    usage.pods > quota.pods ? `${usage.pods} pods of ${tier.quota.pods}` : undefined,
  ].filter(Boolean);
  if (over.length) {
    report(source, ['resources'], 'over-tier-quota', `the resources request ${over.join(', ')} allowed by the ${tenant.tier} tier's quota`, 'lower requests or replicas, or move the tenant to a larger tier', 'key');
  }
}

function checkCapacity({ platform, platformSource, tenants }: FleetContext, report: Report): void {
  for (const kind of ['cells', 'pools'] as const) {
    const singular = kind === 'cells' ? 'cell' : 'pool';
    const members = new Map<string, TenantFile[]>();
    for (const file of tenants) {
      const { deployment } = file.tenant;
      const name = deployment.model === 'multi-tenant' && kind === 'cells' ? deployment.cell
        : deployment.model === 'resource-shared' && kind === 'pools' ? deployment.pool : undefined;
      if (name !== undefined && platform[kind][name]) members.set(name, [...(members.get(name) ?? []), file]);
    }
    for (const [name, files] of members) {
      const cluster = platform[kind][name]!;
      const over = overCapacity(cluster, files);
      if (over.length === 0) continue;
      const room = Object.entries(platform[kind])
        .filter(([other, c]) => other !== name && sameAccount(c.hosting, cluster.hosting) && (members.get(other)?.length ?? 0) < c.capacity.tenants)
        .map(([other, c]) => `${other} (${members.get(other)?.length ?? 0}/${c.capacity.tenants} tenants)`);
      const what = `${singular} '${name}' is over capacity: ${over.join(', ')}`;
      const hint = room.length ? `move tenants to a ${singular} with room: ${room.join(', ')}; or raise ${kind}.${name}.capacity in platform.yaml` : `add a ${singular}, or raise ${kind}.${name}.capacity in platform.yaml`;
      report(platformSource, [kind, name, 'capacity'], 'over-capacity', what, hint, 'key');
      for (const file of files) report(file.source, ['deployment', singular], 'over-capacity', what, hint);
    }
  }
}

function overCapacity(cluster: SharedCluster, files: readonly TenantFile[]): string[] {
  const cpu = files.reduce((sum, f) => sum + sharedUsageOf(f.tenant).cpu, 0);
  const memory = files.reduce((sum, f) => sum + sharedUsageOf(f.tenant).memory, 0);
  const { capacity } = cluster;
  return [
    files.length > capacity.tenants ? `${files.length} tenants of ${capacity.tenants}` : undefined,
    cpu > parseCpu(capacity.cpu)! ? `${cores(cpu)} CPU of ${capacity.cpu}` : undefined,
    memory > parseMemory(capacity.memory)! ? `${formatMemory(memory)} memory of ${capacity.memory}` : undefined,
  ].filter((x): x is string => x !== undefined);
}

function checkLegalHolds({ platform, platformSource, tenants, formerTenantIds }: FleetContext, report: Report): void {
  const current = new Set(tenants.map((t) => t.id));
  platform.legalHolds.forEach((hold, index) => {
    if (!current.has(hold.tenant) && !formerTenantIds.has(hold.tenant)) {
      report(platformSource, ['legalHolds', index, 'tenant'], 'unknown-legal-hold-tenant', `legal hold names '${hold.tenant}', which is neither a tenant nor a former tenant`,
        oneOfHint(hold.tenant, [...current, ...formerTenantIds].sort(), 'a tenant id such as'));
    }
  });
}

function checkWaves({ platform, platformSource, tenants }: FleetContext, report: Report): void {
  const byId = new Map(tenants.map((t) => [t.id, t.tenant]));
  for (const [channelName, channel] of Object.entries(platform.channels)) {
    channel.waves.forEach((wave, w) => {
      (wave.tenants ?? []).forEach((id, t) => {
        const path = ['channels', channelName, 'waves', w, 'tenants', t];
        const tenant = byId.get(id);
        if (!tenant) {
          report(platformSource, path, 'unknown-wave-tenant', `wave '${wave.name}' of channel '${channelName}' names '${id}', which is not a tenant`, 'remove it from the wave', 'value', 'warning');
        } else if (tenant.channel !== channelName) {
          report(platformSource, path, 'wave-tenant-not-on-channel', `wave '${wave.name}' names '${id}', which ${tenant.channel ? `follows channel '${tenant.channel}'` : `is pinned to ${tenant.version}`}`, `remove it from channel '${channelName}'s waves`, 'value', 'warning');
        }
      });
    });
  }
}
