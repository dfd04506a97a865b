import { existsSync, lstatSync, readdirSync, readFileSync, type Dirent, type Stats } from 'node:fs';
import { join } from 'node:path';
import { readBounded } from './read-bounded';

/** What an entry of a folder is. A symbolic link is never followed: its target is not the repository's file. */
export type EntryKind = 'file' | 'symlink' | 'directory' | 'submodule' | 'other';

/** A file's bytes, left unread when over the limit; its size either way. */
export interface BoundedRead {
  readonly bytes: Uint8Array;
  readonly size: number;
}

/**
 * Where a fleet's files are read from: the work tree (`tenancy validate`), or the objects of a
 * commit (the commands that check a range), which attributes, filters and a dirty tree cannot
 * make differ from what was committed.
 */
export interface FleetSource {
  /** What `tenants` is; `missing` when there is nothing of that name. */
  readonly tenantsKind: EntryKind | 'missing';
  /** What `platform.yaml` is. */
  readonly platformKind: EntryKind | 'missing';
  /** Every entry of `tenants/`, files or not, by the name it is stored under. */
  readonly tenantEntries: readonly { readonly name: string; readonly kind: EntryKind }[];
  /** platform.yaml, or undefined when there is none. */
  readPlatform(limit: number): BoundedRead | undefined;
  /** The file `tenants/<name>`. */
  readTenant(name: string, limit: number): BoundedRead;
  /** The repository's root `.gitattributes`, when it has one. */
  readonly attributes?: string;
}

function kindOf(entry: Dirent | Stats): EntryKind {
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isDirectory()) return 'directory';
  return entry.isFile() ? 'file' : 'other';
}

/** The fleet as the work tree under `root` holds it. */
export function workTreeSource(root: string): FleetSource {
  const dir = join(root, 'tenants');
  const kindAt = (path: string) => { const stat = lstatSync(path, { throwIfNoEntry: false }); return stat ? kindOf(stat) : 'missing'; };
  const tenantsKind = kindAt(dir);
  const tenantEntries = tenantsKind === 'directory' ? readdirSync(dir, { withFileTypes: true }).map((entry) => ({ name: entry.name, kind: kindOf(entry) })) : [];
  const attributes = join(root, '.gitattributes');
  const platformKind = kindAt(join(root, 'platform.yaml'));
  return {
    tenantsKind,
    platformKind,
    tenantEntries,
    readPlatform: (limit) => (platformKind === 'file' ? readBounded(join(root, 'platform.yaml'), limit) : undefined),
    readTenant: (name, limit) => readBounded(join(dir, name), limit),
    ...(existsSync(attributes) ? { attributes: readFileSync(attributes, 'utf8') } : {}),
  };
}
