import { s3State, synthesizeControlPlane, type StateLocation } from '@tenancy/stacks';
import { EXIT, UsageError } from '../exit-codes';
import { renderTable } from '../output/table';
import { workspaceDirs } from '../workspace';
import { loadValidFleet } from './load-valid-fleet';
import { synthesizeFleet, writeSynthesized } from './synthesize-fleet';

export interface SynthOptions {
  readonly root: string;
  /** Tenants, cells and pools to synthesize; all empty with `all` for every one. */
  readonly tenants: readonly string[];
  readonly cells: readonly string[];
  readonly pools: readonly string[];
  readonly all: boolean;
  /** Also (or only, when nothing else is named) the control plane's stacks. */
  readonly controlPlane: boolean;
  readonly out?: string;
  readonly backend: 's3' | 'local';
  /** Tenants whose data stack is synthesized in purge mode. */
  readonly purge: readonly string[];
  /** Threads synthesizing tenants at once. @default the machine's cores */
  readonly threads?: number;
}

export async function synthCommand(options: SynthOptions): Promise<number> {
  const named = options.tenants.length + options.cells.length + options.pools.length > 0;
  if (options.all && named) throw new UsageError('name stacks with --tenant, --cell or --pool, or synthesize everything with --all, not both');
  if (!options.all && !named && !options.controlPlane) throw new UsageError('name stacks with --tenant, --cell or --pool, or synthesize everything with --all (add --control-plane for the control plane)');
  const fleet = await loadValidFleet(options.root);
  if (!fleet) return EXIT.invalid;
  const known = new Set(fleet.tenants.map((t) => t.id));
  const unknown = [...options.tenants, ...options.purge].filter((id) => !known.has(id));
  if (unknown.length) throw new UsageError(`no tenant file for ${unknown.join(', ')} in ${options.root}/tenants`);
  const missing = [...options.cells.filter((c) => !fleet.platform.cells[c]).map((c) => `cell ${c}`), ...options.pools.filter((p) => !fleet.platform.pools[p]).map((p) => `pool ${p}`)];
  if (missing.length) throw new UsageError(`not in platform.yaml: ${missing.join(', ')}`);

  const dirs = workspaceDirs(options.root);
  const outDir = options.out ?? dirs.out;
  const state: StateLocation = options.backend === 'local' ? { kind: 'local', stateDir: dirs.state, outDir } : s3State(fleet.platform);
  const started = performance.now();
  const { stacks: written, threads } = options.all || named
    ? await synthesizeFleet(fleet, {
        outDir, state, purge: new Set(options.purge), ...(options.threads ? { threads: options.threads } : {}),
        ...(options.all ? {} : { tenants: new Set(options.tenants), cells: new Set(options.cells), pools: new Set(options.pools) }),
      })
    : { stacks: [], threads: 1 };
  if (options.controlPlane) {
    written.push(...synthesizeControlPlane(fleet.platform, state).map((stack) => writeSynthesized(outDir, stack)));
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const rows = written.map((s) => [s.name, s.kind, String(s.resources)]);
  process.stdout.write(`${renderTable(['stack', 'kind', 'resources'], rows)}\n\nsynthesized ${written.length} stacks into ${outDir} (${options.backend} backend, ${threads === 1 ? 'one thread' : `${threads} threads`}, ${seconds} s)\n`);
  return EXIT.ok;
}
