import { hasErrors } from '@tenancy/model';
import { changeUnits, MAX_JOBS, shardWork } from '@tenancy/lifecycle';
import { EXIT, UsageError } from '../exit-codes';
import { printDiagnostics } from '../output/diagnostics';
import { loadChanges } from './changes';

export interface MatrixOptions {
  readonly root: string;
  readonly base: string;
  readonly head: string;
  readonly maxJobs: number;
}

/**
 * The plan jobs a change needs, as a GitHub Actions matrix: `matrix=` and `shards=` lines for
 * $GITHUB_OUTPUT. Each job runs `tenancy plan --base --head --shard K/N`.
 */
export async function matrixCommand(options: MatrixOptions): Promise<number> {
  if (options.maxJobs < 1 || options.maxJobs > MAX_JOBS) throw new UsageError(`--max-jobs must be from 1 to ${MAX_JOBS}, got ${options.maxJobs}`);
  const changes = await loadChanges(options.root, options.base, options.head);
  printDiagnostics(changes.diagnostics, (line) => process.stderr.write(`${line}\n`));
  if (hasErrors(changes.diagnostics)) return EXIT.invalid;
  const shards = shardWork(changeUnits(changes), options.maxJobs);
  const matrix = { include: shards.map((s) => ({ shard: s.shard, stacks: s.weight, tenants: s.units.length })) };
  process.stdout.write(`matrix=${JSON.stringify(matrix)}\nshards=${shards.length}\n`);
  return EXIT.ok;
}
