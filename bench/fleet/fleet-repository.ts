import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFleet, tenantId, writeFleet } from './generate-fleet';

/** How the head commit changes the base fleet. */
export type FleetChange =
  /** One tenant's image: the everyday pull request. */
  | { readonly kind: 'one-tenant' }
  /** The first `count` tenants' images. */
  | { readonly kind: 'tenants'; readonly count: number }
  /** The stable channel's version: a fleet-wide upgrade. */
  | { readonly kind: 'channel' }
  | { readonly kind: 'none' };

/**
 * A temp Git repository holding a generated fleet of `tenants` at its base commit (HEAD~1) and
 * `change` at its head commit (HEAD).
 */
export function fleetRepository(tenants: number, change: FleetChange): string {
  const root = mkdtempSync(join(tmpdir(), `tenancy-bench-${tenants}-`));
  writeFleet(root, generateFleet({ tenants }));
  // No automatic gc: after the base commit of thousands of files Git packs them in the background,
  // removing the loose objects' folders while the head commit writes into them.
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=bench@tenancy.dev', '-c', 'user.name=bench', '-c', 'gc.auto=0', '-c', 'maintenance.auto=false', ...args], { cwd: root });
  writeFileSync(join(root, '.gitignore'), '.tenancy/\n.nx/\nnode_modules\n');
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  const edit = (path: string, from: string, to: string) => {
    const text = readFileSync(join(root, path), 'utf8');
    if (!text.includes(from)) throw new Error(`${path} has no ${from}`);
    writeFileSync(join(root, path), text.replace(from, to));
  };
  const upgrade = (i: number) => edit(`tenants/${tenantId(i)}.yaml`, 'image: ghcr.io/example-saas/api\n', 'image: ghcr.io/example-saas/api-v2\n');
  if (change.kind === 'one-tenant') upgrade(Math.floor(tenants / 2));
  if (change.kind === 'tenants') for (let i = 0; i < change.count; i++) upgrade(i);
  if (change.kind === 'channel') edit('platform.yaml', 'version: 2.14.1', 'version: 2.14.2');
  git('commit', '-q', '--allow-empty', '-am', `head: ${change.kind}`);
  return root;
}
