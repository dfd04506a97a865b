import { hasErrors } from '@tenancy/model';
import { changeUnits, fleetUnits, MAX_JOBS, shardWork, type ShardUnit } from '@tenancy/lifecycle';
import { EXIT, UsageError } from '../exit-codes';
import { printDiagnostics } from '../output/diagnostics';
import { loadChanges } from './changes';
import { loadValidFleet } from './load-valid-fleet';

export type MatrixOptions = {
  readonly root: string;
  readonly maxJobs: number;
} & (
  /** The plan jobs of a commit range. */
  | { readonly base: string; readonly head: string; readonly all?: false }
  /** Every tenant, cell and pool: the drift jobs. */
  | { readonly all: true }
);

/**
 * Jobs as a GitHub Actions matrix: `matrix=` and `shards=` lines for $GITHUB_OUTPUT. Each job of a
 * range runs `tenancy plan --base --head --shard K/N`; each job of `--all` runs `tenancy drift --shard K/N`.
 */
export async function matrixCommand(options: MatrixOptions): Promise<number> {
  if (!Number.isInteger(options.maxJobs) || options.maxJobs < 1 || options.maxJobs > MAX_JOBS) throw new UsageError(`--max-jobs must be from 1 to ${MAX_JOBS}, got ${options.maxJobs}`);
  const units = await unitsOf(options);
  if (!units) return EXIT.invalid;
  const shards = shardWork(units, options.maxJobs);
  const matrix = { include: shards.map((s) => ({ shard: s.shard, stacks: s.weight, tenants: s.units.length })) };
  process.stdout.write(`matrix=${JSON.stringify(matrix)}\nshards=${shards.length}\n`);
  return EXIT.ok;
}

async function unitsOf(options: MatrixOptions): Promise<ShardUnit[] | undefined> {
  if (options.all) {
    const fleet = await loadValidFleet(options.root);
    return fleet && fleetUnits(fleet.platform, fleet.tenants);
  }
  // Split by estimate: each plan job synthesizes only its own tenants' edits (tenancy plan --shard).
  const changes = await loadChanges(options.root, options.base, options.head, { exactFor: new Set() });
  printDiagnostics(changes.diagnostics, (line) => process.stderr.write(`${line}\n`));
  return hasErrors(changes.diagnostics) ? undefined : changeUnits(changes);
}
