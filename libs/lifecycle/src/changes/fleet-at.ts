import {
  attributeProblems, readPlatform, readTenant, PLATFORM_FILE, TENANTS_DIR, tenantPathEntry, tenantsFolderProblem, type Diagnostic, type Platform, type Tenant,
} from '@tenancy/model';
import type { Repository } from '../git/repository';

/** platform.yaml and some tenant files as they are at one commit. */
export interface FleetAt {
  readonly ref: string;
  readonly platform?: Platform;
  /** Tenants that parsed, by id. */
  readonly tenants: Map<string, Tenant>;
  /** File contents, by path, for hashing. */
  readonly texts: Map<string, Buffer>;
  readonly diagnostics: Diagnostic[];
}

export const tenantPath = (id: string) => `${TENANTS_DIR}/${id}.yaml`;
/** The tenant a path of a commit is the file of: `tenants/<id>.yaml` with a valid id, nothing else. */
export function tenantIdOf(path: string): string | undefined {
  const entry = tenantPathEntry(path, 'file');
  return entry && 'id' in entry ? entry.id : undefined;
}

/** Reads platform.yaml and the given tenants' files at `ref`, each checked on its own. */
export async function fleetAt(repository: Repository, ref: string, ids: readonly string[]): Promise<FleetAt> {
  const paths = [PLATFORM_FILE, ...ids.map(tenantPath)];
  const texts = await repository.readMany(ref, paths);
  const diagnostics: Diagnostic[] = [];
  const platformText = texts.get(PLATFORM_FILE);
  let platform: Platform | undefined;
  if (platformText) {
    const read = readPlatform(`${PLATFORM_FILE}@${ref.slice(0, 12)}`, platformText);
    platform = read.value;
    diagnostics.push(...read.diagnostics);
  }
  const tenants = new Map<string, Tenant>();
  for (const id of ids) {
    const text = texts.get(tenantPath(id));
    if (!text) continue;
    const read = readTenant(tenantPath(id), text);
    diagnostics.push(...read.diagnostics);
    if (read.value) tenants.set(id, read.value);
  }
  return { ref, ...(platform ? { platform } : {}), tenants, texts, diagnostics };
}

/** Ids of the tenant files at `ref`. */
export async function tenantIdsAt(repository: Repository, ref: string): Promise<string[]> {
  return (await tenantsAt(repository, ref)).ids;
}

/**
 * The tenant files at `ref`, and a diagnostic for every other entry of tenants/ (a link, a folder,
 * a name that is not `<id>.yaml` with a valid id), for tenants/ itself when it is not a folder,
 * and for attributes that would rewrite these files on checkout: as `tenancy validate` of a
 * clean checkout of `ref` reports them.
 */
export async function tenantsAt(repository: Repository, ref: string): Promise<{ ids: string[]; problems: Diagnostic[] }> {
  const [folder, attributes] = await Promise.all([repository.entry(ref, TENANTS_DIR), repository.read(ref, '.gitattributes')]);
  const folderProblem = folder ? tenantsFolderProblem(folder.kind) : undefined;
  if (folderProblem) return { ids: [], problems: [folderProblem] };
  const entries = folder ? await repository.entries(ref, TENANTS_DIR) : [];
  const ids: string[] = [];
  const problems: Diagnostic[] = [];
  for (const { path, kind } of entries) {
    const entry = tenantPathEntry(path, kind);
    if (entry && 'id' in entry) ids.push(entry.id);
    else if (entry) problems.push(entry.problem);
  }
  if (attributes) problems.push(...attributeProblems(attributes.toString('utf8'), [PLATFORM_FILE, ...entries.map((e) => e.path)]));
  return { ids: ids.sort(), problems };
}
