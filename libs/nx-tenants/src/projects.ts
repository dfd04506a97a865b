import type { ProjectConfiguration, TargetConfiguration } from '@nx/devkit';
import type { Platform, Tenant } from '@tenancy/model';

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

/**
 * The project of one tenant file. `tenant` is undefined when the file does not validate: the
 * project still exists, so its validate target reports why.
 */
export function tenantProject(file: string, id: string, tenant: Tenant | undefined): ProjectConfiguration {
  const inputs = tenantInputs(file);
  const placement = tenant?.deployment.model === 'multi-tenant' ? `cell-${tenant.deployment.cell}`
    : tenant?.deployment.model === 'resource-shared' ? `pool-${tenant.deployment.pool}` : undefined;
  return {
    name: `tenant-${id}`,
    root: `tenants/${id}`,
    projectType: 'application',
    tags: ['tenant', ...(tenant ? [`hosting:${tenant.hosting.model}`, `deployment:${tenant.deployment.model}`, `tier:${tenant.tier}`] : [])],
    implicitDependencies: placement ? [placement] : [],
    targets: {
      validate: command(`tenancy validate ${file}`, true, inputs),
      synth: command(`tenancy synth --tenant ${id} --backend local`, true, inputs, tenantOutputs(id)),
      plan: command(`tenancy plan --tenant ${id}`, false, inputs),
      apply: command(`tenancy apply --tenant ${id}`, false, inputs),
    },
  };
}

/** The projects of the cells and pools of platform.yaml. */
export function sharedProjects(platform: Platform): ProjectConfiguration[] {
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
  return [...Object.keys(platform.cells).map((n) => project('cell', n)), ...Object.keys(platform.pools).map((n) => project('pool', n))];
}
