import { changeScope, Repository } from '@tenancy/lifecycle';
import { countResources, writeStack } from '@tenancy/stacks';
import { EXIT, UsageError } from '../exit-codes';
import { renderTable } from '../output/table';
import { workspaceDirs } from '../workspace';
import { headFleetOf, loadValidFleet } from './load-valid-fleet';
import { rangeTargets } from './range-targets';

export interface SynthRangeOptions {
  readonly root: string;
  readonly base: string;
  /** Must be the checked-out commit. */
  readonly head: string;
  readonly out?: string;
}

/**
 * The stacks a commit range changes, synthesized as its plan would (S3 backend), in one process:
 * the change from Git, then a check of what it reaches (the changed tenant files and those sharing
 * a cell, pool or account with them; every file when platform.yaml changed), then synthesis of
 * only the stacks whose Terraform JSON changes. What a one-tenant pull request costs before Terraform.
 */
export async function synthRangeCommand(options: SynthRangeOptions): Promise<number> {
  const started = performance.now();
  const repository = new Repository(options.root);
  const [current, scope] = await Promise.all([
    repository.resolve('HEAD').catch(() => { throw new UsageError(`${options.root} holds no commit to synthesize a range at`); }),
    changeScope(repository, options.base, options.head).catch(() => undefined),
  ]);
  const fleet = await loadValidFleet(options.root, { ...(scope ? { scope } : {}), atHead: true });
  if (!fleet) return EXIT.invalid;
  const range = await rangeTargets({ root: options.root, base: options.base, head: options.head, principal: 'planner' }, headFleetOf(options.root, fleet), repository, current);
  if (!range) return EXIT.invalid;
  for (const warning of range.warnings) process.stderr.write(`warning: ${warning}\n`);
  const outDir = options.out ?? workspaceDirs(options.root).out;
  const rows = range.targets.map((target) => {
    writeStack(outDir, { name: target.work.stack, kind: target.work.kind, json: target.json });
    return [target.work.tenant ?? '-', target.work.stack, target.work.action, String(countResources(target.json).resources), target.work.reasons.join('; ')];
  });
  const read = scope ? `${fleet.tenants.length} tenant files checked` : 'platform.yaml changed: every tenant file checked';
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`${rows.length ? `${renderTable(['tenant', 'stack', 'action', 'resources', 'why'], rows)}\n\n` : ''}synthesized ${rows.length} stacks that ${range.base.slice(0, 12)}..${current.slice(0, 12)} changes into ${outDir} (${read}, ${seconds} s)\n`);
  return EXIT.ok;
}
