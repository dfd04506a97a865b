import { join } from 'node:path';
import type { StackKind } from '@tenancy/stacks';
import {
  computeChanges, findToolchain, OfflineSession, offlineGap, planStacks, Repository, terraformFor, type StackPlanResult,
} from '@tenancy/lifecycle';
import { EXIT } from '../exit-codes';
import { renderTable } from '../output/table';
import { workspaceDirs } from '../workspace';
import { loadValidFleet } from './load-valid-fleet';
import { synthesizeFleet } from './synthesize-fleet';

export interface StartOptions {
  readonly root: string;
}

function describeResult(result: StackPlanResult): string {
  if (result.status === 'planned') return `+${result.summary.add} ~${result.summary.change} -${result.summary.destroy} (${result.seconds.toFixed(1)} s)`;
  if (result.status === 'skipped') return 'synthesized only';
  return `FAILED: ${result.error.split('\n').find((l) => l.trim()) ?? 'see terraform output'}`;
}

/** What the last commit changed in the fleet, when the work tree has one with a parent. */
async function lastCommitChanges(root: string): Promise<string> {
  const repository = new Repository(root);
  const parent = await repository.resolve('HEAD~1').catch(() => undefined);
  if (!parent) return 'changes: no previous commit to compare with';
  const changes = await computeChanges(repository, parent, 'HEAD');
  const changed = changes.tenants.filter((t) => t.kind !== 'unchanged');
  const stacks = [...changed.flatMap((t) => t.work), ...changes.shared];
  const list = changed.map((t) => `${t.id} (${t.kind})`).join(', ');
  return `changes in the last commit: ${changed.length ? list : 'no tenant'}; ${stacks.length} stacks reached${changes.diagnostics.length ? `; ${changes.diagnostics.length} problems (run tenancy changes)` : ''}`;
}

/**
 * The quick start on the example fleet: validate, synthesize every stack with local state, and plan
 * offline where Terraform and the provider mirror are present; then a table per tenant.
 */
export async function startCommand(options: StartOptions): Promise<number> {
  const write = (line = '') => process.stdout.write(`${line}\n`);
  const fleet = await loadValidFleet(options.root);
  if (!fleet) return EXIT.invalid;
  write(`validated ${fleet.tenants.length} tenants and platform.yaml`);
  write(await lastCommitChanges(options.root));

  const dirs = workspaceDirs(options.root);
  const { stacks } = await synthesizeFleet(fleet, { outDir: dirs.out, state: { kind: 'local', stateDir: dirs.state, outDir: dirs.out } });
  write(`synthesized ${stacks.length} stacks into ${dirs.out} (local backend)`);

  const toolchain = findToolchain();
  const gap = offlineGap(toolchain);
  const results = new Map<string, StackPlanResult>();
  if (gap) {
    write(`\n*** not planning: ${gap} ***\n`);
  } else {
    const terraform = terraformFor(toolchain!, dirs.cliConfig);
    const session = await OfflineSession.start(join(dirs.base, 'offline-state'));
    write(`planning offline with ${toolchain!.terraform} and the provider mirror ${toolchain!.providerMirror}; AWS calls go to a stand-in on ${session.standIn.url}`);
    try {
      let done = 0;
      const planned = await planStacks(stacks.map((s) => ({ name: s.name, kind: s.kind, ...(s.tenant ? { tenant: s.tenant } : {}), dir: join(dirs.out, s.name) })), {
        terraform, principal: 'planner', offline: session,
        onResult: (result) => write(`  [${String(++done).padStart(2)}/${stacks.length}] ${result.stack.name.padEnd(30)} ${describeResult(result)}`),
      });
      for (const result of planned) results.set(result.stack.name, result);
    } finally {
      await session.stop();
    }
  }

  const added = (names: string[]) => names.reduce((sum, n) => { const r = results.get(n); return sum + (r?.status === 'planned' ? r.summary.add : 0); }, 0);
  const resources = (names: string[]) => names.reduce((sum, n) => sum + stacks.find((s) => s.name === n)!.resources, 0);
  const failed = [...results.values()].filter((r) => r.status === 'failed');
  const rows = fleet.tenants.map(({ id, tenant }) => {
    const own = stacks.filter((s) => s.tenant === id);
    const names = own.map((s) => s.name);
    const kinds = own.map((s) => s.kind as StackKind).join(', ');
    return [id, tenant.hosting.model, tenant.deployment.model, kinds, String(resources(names)), results.size ? String(added(names)) : '-'];
  });
  write();
  write(renderTable(['tenant', 'hosting', 'deployment', 'stacks', 'resources', 'planned to add'], rows));
  const shared = stacks.filter((s) => !s.tenant);
  write();
  write(renderTable(['cell / pool', 'resources', 'planned to add'], shared.map((s) => [s.name, String(resources([s.name])), results.size ? String(added([s.name])) : '-'])));
  write();
  if (results.size) {
    const skipped = [...results.values()].filter((r) => r.status === 'skipped').length;
    write(`planned ${results.size - skipped - failed.length} AWS stacks offline; ${skipped} workload stacks synthesized only (the Kubernetes provider needs the registry); ${failed.length} failed`);
  }
  for (const result of failed) write(`${result.stack.name}: ${result.status === 'failed' ? result.error : ''}`);
  return failed.length ? EXIT.invalid : EXIT.ok;
}
