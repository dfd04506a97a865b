import { existsSync, readdirSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { compareDiagnostics, type Diagnostic } from '../diagnostics/diagnostic';
import { TENANT_ID_MAX_LENGTH, TenantId } from '../schema/primitives';
import type { Platform } from '../schema/platform';
import { checkFleet } from '../validation/check-fleet';
import { PLATFORM_FILE_LIMITS, readPlatform, TENANT_FILE_LIMITS } from '../validation/read-document';
import { SourceFile } from '../yaml/source-file';
import { mayHoldValue, namedTenantIds, sharedValues } from './neighbours';
import { readBounded } from './read-bounded';
import { readTenantFiles, type TenantFileRead, type TenantFileToRead } from './read-tenant-files';
import type { TenantFile } from './tenant-file';

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

/** Path shown for a file: relative to the root when inside it. */
function displayPath(root: string, path: string): string {
  const rel = relative(root, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel.split('\\').join('/');
}

function tenantFilePaths(root: string): { paths: string[]; diagnostics: Diagnostic[] } {
  const dir = join(root, TENANTS_DIR);
  if (!existsSync(dir)) return { paths: [], diagnostics: [] };
  const paths: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    if (entry.name.endsWith('.yaml')) {
      paths.push(join(dir, entry.name));
    } else if (/\.ya?ml$/i.test(entry.name)) {
      diagnostics.push({ file: `${TENANTS_DIR}/${entry.name}`, line: 1, column: 1, severity: 'error', code: 'wrong-extension', message: `'${entry.name}' is not named <id>.yaml, so it would be ignored`, hint: `rename it to ${entry.name.replace(/\.ya?ml$/i, '.yaml').toLowerCase()}` });
    }
  }
  return { paths: paths.sort(), diagnostics };
}

function fileNameDiagnostic(file: string, id: string): Diagnostic | undefined {
  if (TenantId.safeParse(id).success) return undefined;
  return {
    file, line: 1, column: 1, severity: 'error', code: 'invalid-file-name',
    message: `file name '${id}' is not a valid tenant id`,
    hint: `name the file <id>.yaml, the id a lower-case DNS label of at most ${TENANT_ID_MAX_LENGTH} characters without "--" and not prefixed with "cell-" or "pool-", such as acme-prod.yaml`,
  };
}

/**
 * Errors between files that a scoped check may phrase differently from a check of the whole fleet:
 * capacity hints count the tenants of other cells, and a customer-role conflict is reported at
 * whichever file comes second.
 */
const WHOLE_FLEET_CODES = new Set(['over-capacity', 'customer-roles-differ']);

const idOfPath = (path: string) => basename(path).replace(/\.ya?ml$/i, '');

/**
 * The reads of the files in `scope` and of those that may share a cell, pool or account with them
 * (a byte search of the rest), in the order of `files`.
 */
function readScoped(files: readonly TenantFileToRead[], scope: ReadonlySet<string>, platform: Platform): TenantFileRead[] {
  const named = namedTenantIds(platform);
  const first = files.filter((f) => scope.has(idOfPath(f.path)) || named.has(idOfPath(f.path)));
  const reads = new Map(readTenantFiles(first).map((read, index) => [first[index]!, read]));
  const values = [...new Set(first.flatMap((f) => {
    const tenant = scope.has(idOfPath(f.path)) ? reads.get(f)!.tenant ?? reads.get(f)!.salvaged : undefined;
    return tenant ? sharedValues(tenant) : [];
  }))].map((value) => Buffer.from(value));
  if (values.length) {
    const others = files.filter((f) => !reads.has(f) && mayHoldValue(readBounded(f.path, TENANT_FILE_LIMITS.maxBytes).bytes, values));
    readTenantFiles(others).forEach((read, index) => reads.set(others[index]!, read));
  }
  return files.filter((f) => reads.has(f)).map((f) => reads.get(f)!);
}

/** Reads platform.yaml and every tenant file under `root` (or those a scope reaches), and runs every check. */
export async function loadFleet(root: string, options: LoadFleetOptions = {}): Promise<LoadedFleet> {
  const absoluteRoot = resolve(root);
  const diagnostics: Diagnostic[] = [];
  const platformPath = join(absoluteRoot, PLATFORM_FILE);
  let platform: Platform | undefined;
  let platformSource: SourceFile | undefined;
  if (!existsSync(platformPath)) {
    diagnostics.push({ file: PLATFORM_FILE, line: 1, column: 1, severity: 'error', code: 'missing-platform', message: `${PLATFORM_FILE} is missing from ${absoluteRoot}`, hint: 'run from the repository root, or pass --root' });
  } else {
    const { bytes, size } = readBounded(platformPath, PLATFORM_FILE_LIMITS.maxBytes);
    const read = readPlatform(PLATFORM_FILE, bytes, size);
    diagnostics.push(...read.diagnostics);
    platform = read.value;
    platformSource = read.source;
  }

  const listed = tenantFilePaths(absoluteRoot);
  diagnostics.push(...listed.diagnostics);
  const extra = (options.files ?? []).map((f) => resolve(absoluteRoot, f)).filter((f) => !listed.paths.includes(f));
  const toRead: TenantFileToRead[] = [];
  for (const path of [...listed.paths, ...extra]) {
    const file = displayPath(absoluteRoot, path);
    if (extra.includes(path) && !existsSync(path)) {
      diagnostics.push({ file, line: 1, column: 1, severity: 'error', code: 'missing-file', message: `${file} does not exist`, hint: 'check the path' });
    } else {
      toRead.push({ path, file });
    }
  }
  const tenants: TenantFile[] = [];
  // Files with errors of their own that still parse without them: checked against the fleet too.
  const salvaged: TenantFile[] = [];
  const scoped = options.scope !== undefined && platform !== undefined;
  const reads = options.scope && platform ? readScoped(toRead, new Set(options.scope), platform) : readTenantFiles(toRead);
  reads.forEach((read) => {
    const id = idOfPath(read.file);
    const named = fileNameDiagnostic(read.file, id);
    diagnostics.push(...(named ? [named] : []), ...read.diagnostics);
    if (read.text === undefined || named) return;
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
