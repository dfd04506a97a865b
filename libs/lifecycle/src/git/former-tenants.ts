import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';

/**
 * Ids of tenants whose file was deleted at some point and does not exist now, from Git history.
 * Empty when `root` is not a Git work tree or has no commits yet.
 */
export async function formerTenantIds(root: string): Promise<string[]> {
  const git = simpleGit(root);
  if (!(await git.checkIsRepo().catch(() => false))) return [];
  if ((await git.raw(['rev-list', '--max-count=1', '--all'])).trim() === '') return [];
  const log = await git.raw(['log', '--diff-filter=D', '--name-only', '--format=', '--', 'tenants/*.yaml']);
  const ids = new Set<string>();
  for (const line of log.split('\n')) {
    const match = /^tenants\/([^/]+)\.yaml$/.exec(line.trim());
    if (match && !existsSync(join(root, line.trim()))) ids.add(match[1]!);
  }
  return [...ids].sort();
}
