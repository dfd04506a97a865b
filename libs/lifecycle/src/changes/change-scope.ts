import { PLATFORM_FILE, TENANTS_DIR } from '@tenancy/model';
import type { Repository } from '../git/repository';
import { tenantIdOf } from './fleet-at';

/**
 * The tenants whose files a range adds or edits, which is all a check of the head needs to read
 * (see the model's `scope`), or undefined when platform.yaml changed and every file may be reached.
 */
export async function changeScope(repository: Repository, base: string, head: string): Promise<string[] | undefined> {
  const files = await repository.changes(base, head, [PLATFORM_FILE, TENANTS_DIR]);
  if (files.some((f) => f.path === PLATFORM_FILE)) return undefined;
  return files.filter((f) => f.status !== 'deleted').map((f) => tenantIdOf(f.path)).filter((id): id is string => id !== undefined);
}
