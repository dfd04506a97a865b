import { existsSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
// The subpath, not the library's index: each synthesis thread loads this module too.
import { mapLimit } from '@tenancy/lifecycle/concurrency';
import type { LoadedFleet, Platform, Tenant } from '@tenancy/model';
import { countResources, synthesizeSharedCluster, synthesizeSharedClusters, synthesizeTenant, writeStack, type StackKind, type StateLocation, type SynthesizedStack } from '@tenancy/stacks';

export interface FleetSynthesis {
  readonly outDir: string;
  readonly state: StateLocation;
  /** Tenants, cells and pools to synthesize; undefined: all of them, replacing the out dir. */
  readonly tenants?: ReadonlySet<string>;
  readonly cells?: ReadonlySet<string>;
  readonly pools?: ReadonlySet<string>;
  /** Tenants whose data stack is synthesized in purge mode. @default none */
  readonly purge?: ReadonlySet<string>;
  /** Threads synthesizing tenants at once. @default the machine's cores, one per 50 tenants at most */
  readonly threads?: number;
}

/** A stack as written: its JSON is on disk, not in memory. */
export interface WrittenStack {
  readonly name: string;
  readonly kind: StackKind;
  readonly tenant?: string;
  readonly resources: number;
}

/** One tenant's share of the work, as a thread receives it. */
export interface TenantJob {
  readonly id: string;
  readonly tenant: Tenant;
  readonly purge: boolean;
}

/** What one synthesis thread is given. */
export interface SynthWorkerInput {
  readonly platform: Platform;
  readonly state: StateLocation;
  readonly outDir: string;
  readonly jobs: readonly TenantJob[];
}

/**
 * Tenants one thread synthesizes before it exits and a new one takes the next batch: cdktf keeps
 * every token it ever made in a process-wide registry, so a thread's memory grows with each
 * tenant until the thread ends (one thread per core over 10,000 tenants peaked at 2.5 GiB).
 */
const TENANTS_PER_BATCH = 400;

/** A thread needs something each tenant is worth less than: below this many tenants a thread is not started. */
const TENANTS_PER_THREAD = 50;

/** Synthesizes and writes one tenant's stacks; what was written, without the JSON. */
export function synthesizeTenantJob(job: TenantJob, platform: Platform, state: StateLocation, outDir: string): WrittenStack[] {
  return synthesizeTenant(job.id, job.tenant, platform, { state, purge: job.purge }).map((stack) => writeSynthesized(outDir, stack));
}

/** Writes a synthesized stack under `outDir`; what was written, without the JSON. */
export function writeSynthesized(outDir: string, stack: SynthesizedStack): WrittenStack {
  writeStack(outDir, stack);
  return { name: stack.name, kind: stack.kind, ...(stack.tenant ? { tenant: stack.tenant } : {}), resources: countResources(stack.json).resources };
}

/**
 * The compiled synthesis thread, beside the compiled CLI (bin/build.mjs); absent when this module
 * runs as TypeScript (tests), where synthesis stays on the calling thread.
 */
function workerScript(): string | undefined {
  if (!import.meta.url.endsWith('.mjs')) return undefined;
  // This module is compiled into the build's main file or one of its chunks, a folder below.
  return ['./synth-worker.mjs', '../synth-worker.mjs'].map((path) => fileURLToPath(new URL(path, import.meta.url))).find((path) => existsSync(path));
}

function runThread(script: string, input: SynthWorkerInput): Promise<WrittenStack[][]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: input });
    let result: WrittenStack[][] | undefined;
    worker.once('message', (message: WrittenStack[][]) => { result = message; });
    worker.once('error', reject);
    worker.once('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`a synthesis thread exited with code ${code}`))));
  });
}

/**
 * Synthesizes and writes stacks, tenants spread over threads (batches of tenants, as many threads
 * at once as cores), so both cores of a runner work; each thread writes what it synthesizes, hands
 * back names only and ends after its batch, so memory stays flat on big fleets. What is written
 * does not depend on the number of threads, and the list comes back in fleet order.
 */
export async function synthesizeFleet(fleet: LoadedFleet & { platform: Platform }, options: FleetSynthesis): Promise<{ stacks: WrittenStack[]; threads: number }> {
  // A full synthesis replaces the folder, so stacks of deleted tenants do not linger.
  if (!options.tenants) rmSync(options.outDir, { recursive: true, force: true });
  const jobs: TenantJob[] = fleet.tenants.filter((file) => !options.tenants || options.tenants.has(file.id))
    .map((file) => ({ id: file.id, tenant: file.tenant, purge: options.purge?.has(file.id) ?? false }));
  const threads = Math.min(options.threads ?? availableParallelism(), Math.floor(jobs.length / TENANTS_PER_THREAD));
  const script = workerScript();
  let perTenant: WrittenStack[][];
  const threaded = script !== undefined && threads > 1;
  if (threaded) {
    const size = Math.min(TENANTS_PER_BATCH, Math.ceil(jobs.length / threads));
    const batches = Array.from({ length: Math.ceil(jobs.length / size) }, (_, b) => jobs.slice(b * size, (b + 1) * size));
    const results = await mapLimit(batches, threads, (batch) => runThread(script!, { platform: fleet.platform, state: options.state, outDir: options.outDir, jobs: batch }));
    perTenant = results.flat();
  } else {
    perTenant = jobs.map((job) => synthesizeTenantJob(job, fleet.platform, options.state, options.outDir));
  }
  const stacks = perTenant.flat();
  if (!options.tenants) stacks.push(...synthesizeSharedClusters(fleet.platform, options.state).map((stack) => writeSynthesized(options.outDir, stack)));
  for (const name of options.cells ?? []) stacks.push(writeSynthesized(options.outDir, synthesizeSharedCluster('cell', name, fleet.platform, options.state)));
  for (const name of options.pools ?? []) stacks.push(writeSynthesized(options.outDir, synthesizeSharedCluster('pool', name, fleet.platform, options.state)));
  return { stacks, threads: threaded ? threads : 1 };
}
