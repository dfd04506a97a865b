import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HeadFleet } from '@tenancy/lifecycle';
import { commitSource } from '@tenancy/lifecycle/commit-source';
import { Repository } from '@tenancy/lifecycle/repository';
import { hasErrors, TENANT_FILE_LIMITS, type FleetSource, type LoadedFleet, type Platform } from '@tenancy/model';
import { printDiagnostics } from '../output/diagnostics';
import { validateFleet } from './validate';

/** A fleet that passed validation, and where its files were read from. */
export type ValidFleet = LoadedFleet & { platform: Platform; source?: FleetSource };

export interface ValidFleetOptions {
  /** Only what a change to these tenants reaches: the others are neither read nor in the result. @default every tenant */
  readonly scope?: readonly string[];
  /**
   * Read the checked-out commit's files from Git's objects, as the commands that check a range do:
   * attributes, filters and uncommitted edits cannot change what is checked and synthesized.
   * @default the work tree
   */
  readonly atHead?: boolean;
}

/** A fleet that passed validation, or undefined after printing why not. */
export async function loadValidFleet(root: string, options: ValidFleetOptions = {}): Promise<ValidFleet | undefined> {
  const source = options.atHead ? await commitSource(new Repository(root), 'HEAD') : undefined;
  const fleet = await validateFleet(root, [], options.scope, source);
  if (hasErrors(fleet.diagnostics) || !fleet.platform) {
    printDiagnostics(fleet.diagnostics, (line) => process.stderr.write(`${line}\n`));
    process.stderr.write('tenancy: the fleet is invalid; nothing was synthesized\n');
    return undefined;
  }
  return { ...(fleet as LoadedFleet & { platform: Platform }), ...(source ? { source } : {}) };
}

/** A valid fleet with each tenant file's text, as targets are synthesized from it and hashed: from where the fleet was read. */
export function headFleetOf(root: string, fleet: ValidFleet): HeadFleet {
  const text = (file: string) => (fleet.source
    ? Buffer.from(fleet.source.readTenant(file.slice('tenants/'.length), TENANT_FILE_LIMITS.maxBytes).bytes).toString('utf8')
    : readFileSync(join(root, file), 'utf8'));
  return { platform: fleet.platform, tenants: fleet.tenants, texts: new Map(fleet.tenants.map((t) => [t.id, text(t.file)])) };
}
