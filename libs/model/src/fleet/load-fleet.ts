import { existsSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import { compareDiagnostics, type Diagnostic } from '../diagnostics/diagnostic';
import type { Platform } from '../schema/platform';
import { checkFleet } from '../validation/check-fleet';
import { PLATFORM_FILE_LIMITS, readPlatform, TENANT_FILE_LIMITS } from '../validation/read-document';
import { SourceFile } from '../yaml/source-file';
import { mayHoldValue, namedTenantIds, sharedValues } from './neighbours';
import { readBounded } from './read-bounded';
import { readTenantFiles, type TenantFileRead, type TenantFileToRead } from './read-tenant-files';
import { workTreeSource, type FleetSource } from './fleet-source';
import type { TenantFile } from './tenant-file';
import { attributeProblems, platformFileProblem, tenantEntry, tenantsFolderProblem } from './tenant-paths';

export const PLATFORM_FILE = 'platform.yaml';
export const TENANTS_DIR = 'tenants';

export interface LoadFleetOptions {
  /**
   * Tenant files to report on, relative to the root or absolute. Files outside `tenants/` join the
   * fleet for the checks. Default: every file in `tenants/`.
   */
  readonly files?: readonly string[];
  /** Ids of tenants deleted in the past, which legal holds may name. Default: none. */
  readonly formerTenantIds?: Iterable<string>;
  /**
   * Ids of the tenants a change touches. Only their files are read and checked, with the files
   * that may share a cell, pool or customer account with them and those platform.yaml names: every
   * check a change to these files can reach, when platform.yaml itself is unchanged. Where that
   * finds a capacity or customer-role error, the whole fleet is checked instead, so what is
   * reported is what a check of the whole fleet reports. Default: every tenant file.
   */
  readonly scope?: readonly string[];
  /**
   * Where platform.yaml and tenants/ are read from: a commit's objects for the commands that check
   * a range. Default: the work tree under the root.
   */
  readonly source?: FleetSource;
}

export interface LoadedFleet {
  /** Present when platform.yaml passed its own checks. */
  readonly platform?: Platform;
  readonly platformSource?: SourceFile;
  /** Tenant files that passed their own checks (they may still have cross-file errors). */
  readonly tenants: TenantFile[];
  /** Every problem found, sorted by file and position. */
  readonly diagnostics: Diagnostic[];
}

/** Path shown for a file: relative to the root when inside it, with forward slashes. */
function displayPath(root: string, path: string): string {
  const rel = relative(root, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel.split(sep).join('/');
}

/**
 * The files of tenants/ to read, and a diagnostic for every entry that is not `<id>.yaml` with a
 * valid id: nothing in the folder is skipped in silence. A file whose name is not a valid id is
 * still read, so its other problems show too; a link, a folder or another file is not.
 */
function tenantFiles(source: FleetSource): { files: TenantFileToRead[]; diagnostics: Diagnostic[] } {
  const folder = tenantsFolderProblem(source.tenantsKind);
  if (folder) return { files: [], diagnostics: [folder] };
  const files: TenantFileToRead[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const { name, kind } of [...source.tenantEntries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const entry = tenantEntry(name, kind);
    if ('problem' in entry) diagnostics.push(entry.problem);
    if ('id' in entry || (entry.problem.code === 'invalid-file-name' && kind === 'file')) {
      files.push({ file: `${TENANTS_DIR}/${name}`, ...('id' in entry ? { id: entry.id } : {}), read: (limit) => source.readTenant(name, limit) });
    }
  }
  return { files, diagnostics };
}

/**
 * Errors between files that a scoped check may phrase differently from a check of the whole fleet:
 * capacity hints count the tenants of other cells, and a customer-role conflict is reported at
 * whichever file comes second.
 */
const WHOLE_FLEET_CODES = new Set(['over-capacity', 'customer-roles-differ']);


/**
 * The reads of the files in `scope` and of those that may share a cell, pool or account with them
 * (a byte search of the rest), in the order of `files`.
 */
function readScoped(files: readonly TenantFileToRead[], scope: ReadonlySet<string>, platform: Platform): TenantFileRead[] {
  const named = namedTenantIds(platform);
  const first = files.filter((f) => f.id !== undefined && (scope.has(f.id) || named.has(f.id)));
  const reads = new Map(readTenantFiles(first).map((read, index) => [first[index]!, read]));
  const values = [...new Set(first.flatMap((f) => {
    const tenant = scope.has(f.id!) ? reads.get(f)!.tenant ?? reads.get(f)!.salvaged : undefined;
    return tenant ? sharedValues(tenant) : [];
  }))].map((value) => Buffer.from(value));
  if (values.length) {
    const others = files.filter((f) => !reads.has(f) && mayHoldValue(f.read(TENANT_FILE_LIMITS.maxBytes).bytes, values));
    readTenantFiles(others).forEach((read, index) => reads.set(others[index]!, read));
  }
  return files.filter((f) => reads.has(f)).map((f) => reads.get(f)!);
}

/** Reads platform.yaml and every tenant file under `root` (or those a scope reaches), and runs every check. */
export async function loadFleet(root: string, options: LoadFleetOptions = {}): Promise<LoadedFleet> {
  const absoluteRoot = resolve(root);
  const source = options.source ?? workTreeSource(absoluteRoot);
  const diagnostics: Diagnostic[] = [];
  let platform: Platform | undefined;
  let platformSource: SourceFile | undefined;
  const platformRead = source.readPlatform(PLATFORM_FILE_LIMITS.maxBytes);
  const platformProblem = platformFileProblem(source.platformKind);
  if (platformProblem) {
    diagnostics.push(platformProblem);
  } else if (!platformRead) {
    diagnostics.push({ file: PLATFORM_FILE, line: 1, column: 1, severity: 'error', code: 'missing-platform', message: `${PLATFORM_FILE} is missing from ${absoluteRoot}`, hint: 'run from the repository root, or pass --root' });
  } else {
    const read = readPlatform(PLATFORM_FILE, platformRead.bytes, platformRead.size);
    diagnostics.push(...read.diagnostics);
    platform = read.value;
    platformSource = read.source;
  }

  const listed = tenantFiles(source);
  diagnostics.push(...listed.diagnostics);
  if (source.attributes !== undefined) diagnostics.push(...attributeProblems(source.attributes, [PLATFORM_FILE, ...source.tenantEntries.map((e) => `${TENANTS_DIR}/${e.name}`)]));
  const inTenants = new Set(listed.files.map((f) => f.file));
  const toRead: TenantFileToRead[] = [...listed.files];
  for (const path of (options.files ?? []).map((f) => resolve(absoluteRoot, f))) {
    const file = displayPath(absoluteRoot, path);
    if (inTenants.has(file)) continue;
    if (!existsSync(path)) {
      diagnostics.push({ file, line: 1, column: 1, severity: 'error', code: 'missing-file', message: `${file} does not exist`, hint: 'check the path' });
      continue;
    }
    const entry = tenantEntry(basename(path), 'file');
    if ('problem' in entry) diagnostics.push({ ...entry.problem, file });
    toRead.push({ file, ...('id' in entry ? { id: entry.id } : {}), read: (limit) => readBounded(path, limit) });
  }
  const tenants: TenantFile[] = [];
  // Files with errors of their own that still parse without them: checked against the fleet too.
  const salvaged: TenantFile[] = [];
  const scoped = options.scope !== undefined && platform !== undefined;
  const reads = options.scope && platform ? readScoped(toRead, new Set(options.scope), platform) : readTenantFiles(toRead);
  const idOf = new Map(toRead.map((f) => [f.file, f.id]));
  reads.forEach((read) => {
    const id = idOf.get(read.file);
    diagnostics.push(...read.diagnostics);
    if (read.text === undefined || id === undefined) return;
    if (read.tenant) tenants.push({ id, file: read.file, tenant: read.tenant, source: new SourceFile(read.file, read.text) });
    else if (read.salvaged) salvaged.push({ id, file: read.file, tenant: read.salvaged, source: new SourceFile(read.file, read.text) });
  });

  if (platform && platformSource) {
    const between = checkFleet({ platform, platformSource, tenants: [...tenants, ...salvaged], formerTenantIds: new Set(options.formerTenantIds ?? []) });
    if (scoped && between.some((d) => WHOLE_FLEET_CODES.has(d.code))) return loadFleet(root, { ...options, scope: undefined });
    diagnostics.push(...between);
  }
  const reported = options.files ? new Set([PLATFORM_FILE, ...options.files.map((f) => displayPath(absoluteRoot, resolve(absoluteRoot, f)))]) : undefined;
  return {
    ...(platform ? { platform } : {}),
    ...(platformSource ? { platformSource } : {}),
    tenants,
    diagnostics: (reported ? diagnostics.filter((d) => reported.has(d.file)) : diagnostics).sort(compareDiagnostics),
  };
}
