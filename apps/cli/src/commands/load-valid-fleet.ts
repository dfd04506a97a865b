import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HeadFleet } from '@tenancy/lifecycle';
import { hasErrors, type LoadedFleet, type Platform } from '@tenancy/model';
import { printDiagnostics } from '../output/diagnostics';
import { validateFleet } from './validate';

/**
 * A fleet that passed validation, or undefined after printing why not. With a scope, the tenants a
 * change touches and those their checks need: the others are neither read nor in the result.
 */
export async function loadValidFleet(root: string, scope?: readonly string[]): Promise<(LoadedFleet & { platform: Platform }) | undefined> {
  const fleet = await validateFleet(root, [], scope);
  if (hasErrors(fleet.diagnostics) || !fleet.platform) {
    printDiagnostics(fleet.diagnostics, (line) => process.stderr.write(`${line}\n`));
    process.stderr.write('tenancy: the fleet is invalid; nothing was synthesized\n');
    return undefined;
  }
  return fleet as LoadedFleet & { platform: Platform };
}

/** A valid fleet with each tenant file's text, as targets are synthesized from it and hashed. */
export function headFleetOf(root: string, fleet: LoadedFleet & { platform: Platform }): HeadFleet {
  return { platform: fleet.platform, tenants: fleet.tenants, texts: new Map(fleet.tenants.map((t) => [t.id, readFileSync(join(root, t.file), 'utf8')])) };
}
