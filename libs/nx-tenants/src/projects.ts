import type { ProjectConfiguration, TargetConfiguration } from '@nx/devkit';
import type { TenantPeek } from '@tenancy/model/peek';

/** The generated stacks of a tenant, as Nx outputs. */
function tenantOutputs(id: string): string[] {
  return ['data', 'compute', 'workload'].map((kind) => `{workspaceRoot}/.tenancy/out/tenant-${id}-${kind}`);
}

/** What every target of a tenant depends on: its own file, platform.yaml, and the code that turns them into stacks. */
function tenantInputs(file: string): TargetConfiguration['inputs'] {
  return [`{workspaceRoot}/${file}`, '{workspaceRoot}/platform.yaml', 'tenancySources'];
}

function command(command: string, cache: boolean, inputs: TargetConfiguration['inputs'], outputs: string[] = []): TargetConfiguration {
  return { command, options: { cwd: '{workspaceRoot}' }, cache, inputs, ...(outputs.length ? { outputs } : {}) };
}

/** Where a tenant project records the cell or pool project it runs on, for createDependencies. */
export interface TenantMetadata {
  readonly placement?: string;
}

/**
 * The project of one tenant file, from the fields read without validation: an invalid file still
 * gets its project, so its validate target reports why. Its dependency on its cell or pool is
 * recorded in metadata, not `implicitDependencies`, which Nx resolves in quadratic time.
 */
export function tenantProject(file: string, id: string, tenant: TenantPeek): ProjectConfiguration {
  const inputs = tenantInputs(file);
  const placement = tenant.deployment === 'multi-tenant' && tenant.cell ? `cell-${tenant.cell}`
    : tenant.deployment === 'resource-shared' && tenant.pool ? `pool-${tenant.pool}` : undefined;
  return {
    name: `tenant-${id}`,
    root: `tenants/${id}`,
    projectType: 'application',
    tags: ['tenant', ...(['hosting', 'deployment', 'tier'] as const).flatMap((key) => (tenant[key] ? [`${key}:${tenant[key]}`] : []))],
    metadata: { tenancy: { ...(placement ? { placement } : {}) } satisfies TenantMetadata },
    targets: {
      validate: command(`tenancy validate ${file}`, true, inputs),
      synth: command(`tenancy synth --tenant ${id} --backend local`, true, inputs, tenantOutputs(id)),
      plan: command(`tenancy plan --tenant ${id}`, false, inputs),
      apply: command(`tenancy apply --tenant ${id}`, false, inputs),
    },
  };
}

/** The projects of the cells and pools of platform.yaml. */
export function sharedProjects(platform: { cells: readonly string[]; pools: readonly string[] }): ProjectConfiguration[] {
  const inputs = ['{workspaceRoot}/platform.yaml', 'tenancySources'];
  const project = (kind: 'cell' | 'pool', name: string): ProjectConfiguration => ({
    name: `${kind}-${name}`,
    root: `platform/${kind}s/${name}`,
    projectType: 'application',
    tags: [kind],
    targets: {
      synth: command(`tenancy synth --${kind} ${name} --backend local`, true, inputs, [`{workspaceRoot}/.tenancy/out/${kind}-${name}`]),
      plan: command(`tenancy plan --${kind} ${name}`, false, inputs),
      apply: command(`tenancy apply --${kind} ${name}`, false, inputs),
    },
  });
  return [...platform.cells.map((n) => project('cell', n)), ...platform.pools.map((n) => project('pool', n))];
}
