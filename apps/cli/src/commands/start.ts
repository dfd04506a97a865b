import { DEPLOYMENT_MODELS, hasErrors, HOSTING_MODELS } from '@tenancy/model';
import { EXIT } from '../exit-codes';
import { printDiagnostics } from '../output/diagnostics';
import { renderTable } from '../output/table';
import { validateFleet } from './validate';

export interface StartOptions {
  readonly root: string;
}

/** The quick start: validate the fleet and show where every tenant runs. */
export async function startCommand(options: StartOptions): Promise<number> {
  const fleet = await validateFleet(options.root);
  printDiagnostics(fleet.diagnostics, (line) => process.stderr.write(`${line}\n`));
  if (hasErrors(fleet.diagnostics)) return EXIT.invalid;
  const rows = HOSTING_MODELS.map((hosting) => [
    hosting,
    ...DEPLOYMENT_MODELS.map((deployment) =>
      fleet.tenants.filter((t) => t.tenant.hosting.model === hosting && t.tenant.deployment.model === deployment).map((t) => t.id).join(', ') || '-'),
  ]);
  process.stdout.write(`validated ${fleet.tenants.length} tenants\n\n${renderTable(['hosting \\ deployment', ...DEPLOYMENT_MODELS], rows)}\n`);
  return EXIT.ok;
}
