import type { Tenant } from '../schema/tenant';
import type { SourceFile } from '../yaml/source-file';

/** A tenant file that passed its own checks. */
export interface TenantFile {
  /** The tenant id, which is the file name without `.yaml`. */
  readonly id: string;
  /** Path shown in diagnostics. */
  readonly file: string;
  readonly tenant: Tenant;
  readonly source: SourceFile;
}
