import type { Diagnostic } from '../diagnostics/diagnostic';
import type { Tenant } from '../schema/tenant';
import { readTenant, TENANT_FILE_LIMITS } from '../validation/read-document';
import type { BoundedRead } from './fleet-source';

export interface TenantFileToRead {
  /** Path shown in diagnostics. */
  readonly file: string;
  /** The tenant id its name gives; undefined when the name is not a valid id (the file is still checked). */
  readonly id?: string;
  /** Its bytes, up to the limit. */
  read(limit: number): BoundedRead;
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
  return files.map(({ file, read: readFile }) => {
    const { bytes, size } = readFile(TENANT_FILE_LIMITS.maxBytes);
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
