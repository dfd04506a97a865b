import type { Diagnostic } from '../diagnostics/diagnostic';
import type { Tenant } from '../schema/tenant';
import { readTenant, TENANT_FILE_LIMITS } from '../validation/read-document';
import { readBounded } from './read-bounded';

export interface TenantFileToRead {
  /** Absolute path. */
  readonly path: string;
  /** Path shown in diagnostics. */
  readonly file: string;
}

/** What reading one tenant file gave, as plain data that can cross a worker boundary. */
export interface TenantFileRead {
  readonly file: string;
  readonly tenant?: Tenant;
  /** The file without its values in error, when that parses: checked against the others all the same. */
  readonly salvaged?: Tenant;
  /** The file's text, kept so positions can be found later. */
  readonly text?: string;
  readonly diagnostics: Diagnostic[];
}

/** Reads and checks tenant files one after the other, in this thread. */
export function readTenantFiles(files: readonly TenantFileToRead[]): TenantFileRead[] {
  return files.map(({ path, file }) => {
    const { bytes, size } = readBounded(path, TENANT_FILE_LIMITS.maxBytes);
    const read = readTenant(file, bytes, size);
    return {
      file,
      diagnostics: read.diagnostics,
      ...(read.value ? { tenant: read.value } : {}),
      ...(read.salvaged ? { salvaged: read.salvaged } : {}),
      ...(read.source ? { text: read.source.text } : {}),
    };
  });
}
