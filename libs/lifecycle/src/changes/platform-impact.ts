import { regionOf, type Platform, type SharedCluster, type Tenant } from '@tenancy/model';
import { stackNames, type StackKind } from '@tenancy/stacks';
import { describeFieldChange, fieldChanges, pathSegments, type FieldChange } from './field-diff';
import type { StackWork } from './stack-work';

type Kinds = readonly ('data' | 'compute' | 'workload')[];
type TenantFilter = (tenant: Tenant, id: string) => boolean;

interface TenantReach {
  readonly kinds: Kinds;
  readonly which: TenantFilter;
}

interface Impact {
  /** The tenant stacks a change reaches, by kind, for the tenants each filter keeps. */
  readonly tenants?: TenantReach | readonly TenantReach[];
  /** Cell or pool stacks the change reaches. */
  readonly shared?: readonly string[];
  /** Every stack of the fleet. */
  readonly everything?: true;
}

const ALL: Kinds = ['data', 'compute', 'workload'];
const hasCompute = (t: Tenant) => t.deployment.model !== 'multi-tenant';
const inCell = (name: string): TenantFilter => (t) => t.deployment.model === 'multi-tenant' && t.deployment.cell === name;
const inPool = (name: string): TenantFilter => (t) => t.deployment.model === 'resource-shared' && t.deployment.pool === name;

/**
 * What a changed platform.yaml field reaches, by what each field is synthesized into. Fields that
 * only feed validation (capacity, tier deployments), rollout (waves) or the workflows (runners)
 * reach no stack; legal holds are reached by who they hold (`holdChanges`).
 */
function impactOf(path: string[], platform: Platform): Impact {
  const [section, name, field] = path;
  switch (section) {
    case 'controlPlane':
      if (name === 'apiAccessCidrs') return { shared: allShared(platform), tenants: { kinds: ['compute'], which: (t) => t.deployment.model === 'dedicated' } };
      if (name === 'endpoint' || name === 'agentImage') return { tenants: { kinds: ['workload'], which: (t) => t.hosting.model === 'customer-account' } };
      if (name === 'databaseToolsImage') return { tenants: { kinds: ['workload'], which: (t) => t.data.database !== undefined } };
      if (name === 'runners') return {};
      // Only the control plane's own stack is built from these, and a person applies it.
      if (name === 'deployerRoleName' || name === 'plannerRoleName' || name === 'repository' || name === 'externalIdSecretPrefix') return {};
      return { everything: true };
    case 'accounts': {
      const model = name === 'provider' ? 'provider-account' : 'platform-account';
      return {
        shared: allShared(platform).filter((s) => sharedHosting(platform, s) === model),
        tenants: { kinds: ALL, which: (t) => t.hosting.model === model },
      };
    }
    case 'regions':
      return { tenants: { kinds: ['data', 'compute'], which: (t) => t.deployment.model === 'dedicated' && regionOf(t, platform) === name } };
    case 'tiers': {
      const ofTier: TenantFilter = (t) => t.tier === name;
      if (field === 'quota' || field === 'limits') return { tenants: { kinds: ['workload'], which: ofTier } };
      if (field === 'nodes') return { tenants: { kinds: ['compute'], which: (t, id) => ofTier(t, id) && hasCompute(t) } };
      if (field === 'kubernetesVersion') return { tenants: { kinds: ['compute'], which: (t, id) => ofTier(t, id) && t.deployment.model === 'dedicated' } };
      if (field === 'database') return { tenants: { kinds: ['data'], which: (t, id) => ofTier(t, id) && t.data.database !== undefined } };
      if (field === 'retentionDays') {
        // Old versions, backups and a dedicated cluster's logs are kept for it; a tenant's own retention overrides it.
        const kept: TenantFilter = (t, id) => ofTier(t, id) && t.data.retentionDays === undefined;
        return { tenants: [{ kinds: ['data'], which: kept }, { kinds: ['compute'], which: (t, id) => kept(t, id) && t.deployment.model === 'dedicated' }] };
      }
      return {};
    }
    case 'cells':
    case 'pools': {
      const stack = section === 'cells' ? stackNames.cell(name!) : stackNames.pool(name!);
      const members = section === 'cells' ? inCell(name!) : inPool(name!);
      if (field === 'capacity') return {};
      if (field === 'ingressNamespace') return { tenants: { kinds: ['workload'], which: members } };
      if (field === 'vpcCidr') return { shared: [stack], tenants: { kinds: ['data', 'workload'], which: members } };
      return { shared: [stack] };
    }
    case 'kubernetes': {
      // Add-on versions reach every cluster of that Kubernetes version.
      const shared = allShared(platform).filter((s) => clusterOf(platform, s)?.kubernetesVersion === name);
      return { shared, tenants: { kinds: ['compute'], which: (t) => t.deployment.model === 'dedicated' && platform.tiers[t.tier]?.kubernetesVersion === name } };
    }
    case 'legalHolds':
      return {};
    case 'channels':
      if (field === 'version') return { tenants: { kinds: ['workload'], which: (t) => t.channel === name && t.version === undefined } };
      return {};
    default:
      return {};
  }
}

/** Tenants a legal hold now names and did not, or named and no longer does: their data stacks lock or unlock. */
function holdChanges(base: Platform, head: Platform): { id: string; held: boolean }[] {
  const before = new Set(base.legalHolds.map((h) => h.tenant));
  const after = new Set(head.legalHolds.map((h) => h.tenant));
  return [...new Set([...before, ...after])].filter((id) => before.has(id) !== after.has(id)).sort().map((id) => ({ id, held: after.has(id) }));
}

function allShared(platform: Platform): string[] {
  return [...Object.keys(platform.cells).map(stackNames.cell), ...Object.keys(platform.pools).map(stackNames.pool)];
}

function clusterOf(platform: Platform, stack: string): SharedCluster | undefined {
  const [kind, ...rest] = stack.split('-');
  const name = rest.join('-');
  return kind === 'cell' ? platform.cells[name] : platform.pools[name];
}

function sharedHosting(platform: Platform, stack: string): string | undefined {
  return clusterOf(platform, stack)?.hosting.model;
}

export interface PlatformImpact {
  /** Changed platform.yaml fields. */
  readonly changes: FieldChange[];
  /** Stacks of tenants, cells and pools the changes reach, with why. */
  readonly work: StackWork[];
  /** Cells and pools that disappeared: their stacks are never destroyed automatically. */
  readonly removedShared: string[];
}

/**
 * The stacks a platform.yaml change reaches. `tenants` are the tenants at head, by id, with the
 * stack kinds each has. Cells and pools that appear are created; ones that disappear are reported
 * for a person to destroy once empty.
 */
export function platformImpact(base: Platform, head: Platform, tenants: ReadonlyMap<string, Tenant>): PlatformImpact {
  const changes = fieldChanges(base, head);
  const work = new Map<string, { kind: StackKind; tenant?: string; reasons: Set<string> }>();
  const reach = (stack: string, kind: StackKind, reason: string, tenant?: string) => {
    const entry = work.get(stack) ?? { kind, ...(tenant ? { tenant } : {}), reasons: new Set<string>() };
    entry.reasons.add(reason);
    work.set(stack, entry);
  };
  const removedShared: string[] = [];
  for (const change of changes) {
    const path = pathSegments(change.path);
    const reason = `platform.yaml ${describeFieldChange(change)}`;
    if ((path[0] === 'cells' || path[0] === 'pools') && path.length === 2 && change.to === undefined) {
      removedShared.push(path[0] === 'cells' ? stackNames.cell(path[1]!) : stackNames.pool(path[1]!));
      continue;
    }
    const impact = impactOf(path, head);
    for (const stack of impact.everything ? allShared(head) : impact.shared ?? []) {
      if (sharedHosting(head, stack)) reach(stack, stack.startsWith('cell-') ? 'cell' : 'pool', reason);
    }
    const reaches = impact.everything ? [{ kinds: ALL, which: () => true }] : [impact.tenants ?? []].flat();
    for (const [id, tenant] of tenants) {
      for (const kind of reaches.filter((r) => r.which(tenant, id)).flatMap((r) => r.kinds)) {
        if (kind === 'compute' && !hasCompute(tenant)) continue;
        reach(stackNames[kind](id), kind, reason, id);
      }
    }
  }
  for (const { id, held } of holdChanges(base, head)) {
    if (tenants.has(id)) reach(stackNames.data(id), 'data', `platform.yaml legal hold ${held ? 'placed on' : 'lifted from'} ${id}`, id);
  }
  return {
    changes,
    work: [...work].map(([stack, w]) => ({ stack, kind: w.kind, ...(w.tenant ? { tenant: w.tenant } : {}), action: 'apply' as const, reasons: [...w.reasons] })),
    removedShared,
  };
}
