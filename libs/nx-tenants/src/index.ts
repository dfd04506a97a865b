import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createNodesFromFiles, type CreateNodesResultV2, type CreateNodesV2 } from '@nx/devkit';
import { readPlatform, readTenant } from '@tenancy/model';
import { sharedProjects, tenantProject } from './projects';

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
        const platform = readPlatform(file, bytes).value;
        const projects = platform ? sharedProjects(platform) : [];
        return { projects: Object.fromEntries(projects.map((p) => [p.root, p])) };
      }
      const project = tenantProject(file, basename(file, '.yaml'), readTenant(file, bytes).value);
      return { projects: { [project.root]: project } };
    }, files, options, context),
];
