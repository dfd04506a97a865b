import { readPlatform, readTenant, PLATFORM_FILE, TENANTS_DIR, type Diagnostic, type Platform, type Tenant } from '@tenancy/model';
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
export const tenantIdOf = (path: string) => /^tenants\/([^/]+)\.yaml$/.exec(path)?.[1];

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
  return (await repository.list(ref, TENANTS_DIR)).map(tenantIdOf).filter((id): id is string => id !== undefined).sort();
}
