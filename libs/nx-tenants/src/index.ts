import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createNodesFromFiles, DependencyType, type CreateDependencies, type CreateNodesResultV2, type CreateNodesV2 } from '@nx/devkit';
import { peekPlatform, peekTenant } from '@tenancy/model/peek';
import { sharedProjects, tenantProject, type TenantMetadata } from './projects';

/**
 * One project per tenant file (`tenant-<id>`, root `tenants/<id>`), and one per cell and pool of
 * platform.yaml. Each file given is read once, and nothing is cached by hand: Nx hashes the files.
 */
export const createNodesV2: CreateNodesV2 = [
  '{platform.yaml,tenants/*.yaml}',
  (files, options, context): Promise<CreateNodesResultV2> =>
    createNodesFromFiles((file, _options, ctx) => {
      const bytes = readFileSync(join(ctx.workspaceRoot, file));
      if (file === 'platform.yaml') {
        return { projects: Object.fromEntries(sharedProjects(peekPlatform(bytes)).map((p) => [p.root, p])) };
      }
      const project = tenantProject(file, basename(file, '.yaml'), peekTenant(bytes));
      return { projects: { [project.root]: project } };
    }, files, options, context),
];

/**
 * Each tenant depends on the cell or pool it runs on (an implicit dependency: no file imports
 * it), so a change to that cell reaches its tenants. Declared here in one pass over the projects;
 * `implicitDependencies` would cost Nx a scan of every project per tenant.
 */
export const createDependencies: CreateDependencies = (_options, context) =>
  Object.entries(context.projects).flatMap(([name, project]) => {
    const placement = (project.metadata?.tenancy as TenantMetadata | undefined)?.placement;
    return placement && context.projects[placement] ? [{ source: name, target: placement, type: DependencyType.implicit }] : [];
  });
