import { PLATFORM_FILE, TENANTS_DIR, type BoundedRead, type FleetSource } from '@tenancy/model';
import type { Repository } from './repository';

const ATTRIBUTES_FILE = '.gitattributes';

/**
 * The fleet as a commit holds it, read from Git's objects: what a range command checks is what
 * was committed, whatever the work tree's attributes, filters or uncommitted edits.
 */
export async function commitSource(repository: Repository, ref: string): Promise<FleetSource> {
  const [tenants, platform] = await Promise.all([repository.entry(ref, TENANTS_DIR), repository.entry(ref, PLATFORM_FILE)]);
  const entries = tenants?.kind === 'directory' ? await repository.entries(ref, TENANTS_DIR) : [];
  const tenantEntries = entries.map((e) => ({ name: e.path.slice(TENANTS_DIR.length + 1), kind: e.kind }));
  const files = entries.filter((e) => e.kind === 'file').map((e) => e.path);
  const contents = await repository.readMany(ref, [...(platform?.kind === 'file' ? [PLATFORM_FILE] : []), ATTRIBUTES_FILE, ...files]);
  const bounded = (path: string, limit: number): BoundedRead => {
    const bytes = contents.get(path) ?? Buffer.alloc(0);
    return bytes.length > limit ? { bytes: new Uint8Array(0), size: bytes.length } : { bytes, size: bytes.length };
  };
  const attributes = contents.get(ATTRIBUTES_FILE);
  return {
    tenantsKind: tenants?.kind ?? 'missing',
    platformKind: platform?.kind ?? 'missing',
    tenantEntries,
    readPlatform: (limit) => (contents.has(PLATFORM_FILE) ? bounded(PLATFORM_FILE, limit) : undefined),
    readTenant: (name, limit) => bounded(`${TENANTS_DIR}/${name}`, limit),
    ...(attributes ? { attributes: attributes.toString('utf8') } : {}),
  };
}
