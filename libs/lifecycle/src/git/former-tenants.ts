import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Repository } from './repository';

/**
 * Ids of tenants whose file was deleted at some point and does not exist now, from Git history.
 * Empty when `root` is not a Git work tree or has no commits yet.
 */
export async function formerTenantIds(root: string): Promise<string[]> {
  const repository = new Repository(root);
  if (!(await repository.hasCommits().catch(() => false))) return [];
  const ids = new Set<string>();
  for (const { path } of await repository.deletions('HEAD', 'tenants')) {
    const match = /^tenants\/([^/]+)\.yaml$/.exec(path);
    if (match && !existsSync(join(root, path))) ids.add(match[1]!);
  }
  return [...ids].sort();
}
