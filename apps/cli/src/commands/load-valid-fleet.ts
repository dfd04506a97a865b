import { hasErrors, type LoadedFleet, type Platform } from '@tenancy/model';
import { printDiagnostics } from '../output/diagnostics';
import { validateFleet } from './validate';

/** A fleet that passed validation, or undefined after printing why not. */
export async function loadValidFleet(root: string): Promise<(LoadedFleet & { platform: Platform }) | undefined> {
  const fleet = await validateFleet(root);
  if (hasErrors(fleet.diagnostics) || !fleet.platform) {
    printDiagnostics(fleet.diagnostics, (line) => process.stderr.write(`${line}\n`));
    process.stderr.write('tenancy: the fleet is invalid; nothing was synthesized\n');
    return undefined;
  }
  return fleet as LoadedFleet & { platform: Platform };
}
