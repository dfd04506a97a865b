import { DEPLOYMENT_MODELS, hasErrors, HOSTING_MODELS, loadFleet, type Diagnostic, type FleetSource, type LoadedFleet } from '@tenancy/model';
import { templateProblems } from '@tenancy/notifications/templates';
// Not the library's index: validate must not load what synthesis and planning need (cdktf, its providers).
import { formerTenantIds } from '@tenancy/lifecycle/former-tenants';
import { EXIT } from '../exit-codes';
import { githubAnnotation } from '../output/annotations';
import { printDiagnostics, type OutputFormat } from '../output/diagnostics';

export interface ValidateOptions {
  readonly root: string;
  readonly files: readonly string[];
  readonly format: OutputFormat;
}

/** Tenants per `hosting/deployment` combination, every combination listed. */
export function combinationCounts(fleet: LoadedFleet): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const hosting of HOSTING_MODELS) for (const deployment of DEPLOYMENT_MODELS) counts[`${hosting}/${deployment}`] = 0;
  for (const { tenant } of fleet.tenants) counts[`${tenant.hosting.model}/${tenant.deployment.model}`]! += 1;
  return counts;
}

/**
 * Loads and checks the fleet, legal holds resolved against the tenants Git history has seen
 * deleted, and, when notifications are on and the whole repository is checked, the notice
 * templates: a pull request that breaks one fails here, not at the next apply. With a scope, only
 * what a change to those tenants can reach (see the model's `scope`); with a source, the files as
 * a commit holds them instead of the work tree.
 */
export async function validateFleet(root: string, files: readonly string[] = [], scope?: readonly string[], source?: FleetSource): Promise<LoadedFleet> {
  const fleet = await loadFleet(root, { ...(files.length ? { files } : {}), ...(scope ? { scope } : {}), ...(source ? { source } : {}), formerTenantIds: await formerTenantIds(root) });
  if (files.length || !fleet.platform?.notifications) return fleet;
  const templates = templateProblems(root).map((p): Diagnostic => ({ file: p.file, line: p.line, column: p.column, severity: 'error', code: 'notice-template', message: p.message, hint: p.hint }));
  return templates.length ? { ...fleet, diagnostics: [...fleet.diagnostics, ...templates] } : fleet;
}

export async function validateCommand(options: ValidateOptions): Promise<number> {
  const fleet = await validateFleet(options.root, options.files);
  const valid = !hasErrors(fleet.diagnostics);
  const counts = combinationCounts(fleet);
  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify({ valid, tenants: fleet.tenants.length, combinations: counts, diagnostics: fleet.diagnostics }, null, 2)}\n`);
  } else if (options.format === 'github') {
    for (const d of fleet.diagnostics) process.stdout.write(`${githubAnnotation(d)}\n`);
    process.stdout.write(`${valid ? 'valid' : 'invalid'}: ${fleet.tenants.length} tenants, ${fleet.diagnostics.length} problems\n`);
  } else {
    printDiagnostics(fleet.diagnostics, (line) => process.stderr.write(`${line}\n`));
    if (valid) {
      const used = Object.entries(counts).filter(([, n]) => n > 0);
      process.stdout.write(`valid: ${fleet.tenants.length} tenants in ${used.length} of ${Object.keys(counts).length} combinations (${used.map(([c, n]) => `${c} ${n}`).join(', ')})\n`);
    }
  }
  return valid ? EXIT.ok : EXIT.invalid;
}
