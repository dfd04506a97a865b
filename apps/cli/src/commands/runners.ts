import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasErrors, PLATFORM_FILE, readPlatform } from '@tenancy/model';
import { EXIT } from '../exit-codes';
import { printDiagnostics } from '../output/diagnostics';

/**
 * Prints `runners=<JSON list>`, for $GITHUB_OUTPUT: the runner labels of platform.yaml
 * (`controlPlane.runners`) that jobs reaching cluster APIs run on, as `runs-on: ${{ fromJSON(...) }}`
 * takes them.
 */
export function runnersCommand(options: { readonly root: string }): number {
  const bytes = readFileSync(join(options.root, PLATFORM_FILE));
  const platform = readPlatform(PLATFORM_FILE, bytes);
  if (hasErrors(platform.diagnostics) || !platform.value) {
    printDiagnostics(platform.diagnostics, (line) => process.stderr.write(`${line}\n`));
    return EXIT.invalid;
  }
  process.stdout.write(`runners=${JSON.stringify(platform.value.controlPlane.runners)}\n`);
  return EXIT.ok;
}
