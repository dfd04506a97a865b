import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { detectDrift, fleetUnits, targetsForNames, unitsOfShard, type DriftResult } from '@tenancy/lifecycle';
import { renderDrift, syncDriftIssues } from '@tenancy/github';
import { asUsageError, EXIT } from '../exit-codes';
import { renderTable } from '../output/table';
import { workspaceDirs } from '../workspace';
import { filesUnder } from './files-under';
import { githubFrom } from './github-repository';
import { headFleetOf, loadValidFleet } from './load-valid-fleet';
import { withTerraform } from './terraform-session';

export interface DriftOptions {
  readonly root: string;
  readonly shard?: string;
  readonly out: string;
  readonly offline: boolean;
  readonly concurrency: number;
}

/** Plans every tenant, cell and pool (or one shard of them) as the repository has them, and records which drifted. */
export async function driftCommand(options: DriftOptions): Promise<number> {
  const fleet = await loadValidFleet(options.root);
  if (!fleet) return EXIT.invalid;
  const units = fleetUnits(fleet.platform, fleet.tenants);
  const shard = options.shard;
  const chosen = shard ? asUsageError(() => unitsOfShard(units, shard)) : new Set(units.map((u) => u.unit));
  const targets = targetsForNames(headFleetOf(options.root, fleet), {
    tenants: fleet.tenants.filter((t) => chosen.has(t.id)).map((t) => t.id),
    cells: Object.keys(fleet.platform.cells).filter((c) => chosen.has(`cell-${c}`)),
    pools: Object.keys(fleet.platform.pools).filter((p) => chosen.has(`pool-${p}`)),
  });
  const results = await withTerraform(options.root, options.offline, ({ terraform, offline }) =>
    detectDrift(targets, { outDir: workspaceDirs(options.root).out, terraform, ...(offline ? { offline } : {}), concurrency: options.concurrency }));
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${renderTable(['tenant / stack', 'drift', 'stacks'], results.map((r) => [r.unit, r.status, r.stacks.map((s) => `${s.stack}:${s.status}`).join(' ')]))}\n`);
  process.stdout.write(`${results.filter((r) => r.status === 'drifted').length} drifted, ${results.filter((r) => r.status === 'failed').length} failed, of ${results.length}; results in ${options.out}\n`);
  return results.some((r) => r.status === 'failed') ? EXIT.invalid : EXIT.ok;
}

export interface DriftReportOptions {
  /** Folder holding every shard's results file. */
  readonly results: string;
  readonly repository?: string;
}

/** Opens, updates or closes one `drift` issue per tenant (or cell or pool) from the shards' results. */
export async function driftReportCommand(options: DriftReportOptions): Promise<number> {
  const results = filesUnder(options.results, (name) => name.endsWith('.json')).flatMap((f) => JSON.parse(readFileSync(f, 'utf8')) as DriftResult[]);
  const { github, owner, repo } = githubFrom(options.repository);
  const subject = (unit: string) => (unit.startsWith('cell-') || unit.startsWith('pool-') ? unit : `tenant ${unit}`);
  const findings = results.filter((r) => r.status !== 'failed').map((r) => ({ subject: subject(r.unit), drifted: r.status === 'drifted', summary: renderDrift(r) }));
  const synced = await syncDriftIssues(github, { owner, repo }, findings);
  for (const s of synced.filter((x) => x.action !== 'none')) process.stdout.write(`${s.action} #${s.number}: ${s.subject}\n`);
  process.stdout.write(`${synced.filter((s) => s.action !== 'none').length} drift issues changed; ${results.filter((r) => r.status === 'failed').length} units could not be planned\n`);
  return EXIT.ok;
}
