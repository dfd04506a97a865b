import { rmSync } from 'node:fs';
import type { LoadedFleet, Platform } from '@tenancy/model';
import { synthesizeSharedCluster, synthesizeSharedClusters, synthesizeTenant, writeStack, type StateLocation, type SynthesizedStack } from '@tenancy/stacks';

export interface FleetSynthesis {
  readonly outDir: string;
  readonly state: StateLocation;
  /** Tenants, cells and pools to synthesize; undefined: all of them, replacing the out dir. */
  readonly tenants?: ReadonlySet<string>;
  readonly cells?: ReadonlySet<string>;
  readonly pools?: ReadonlySet<string>;
  /** Tenants whose data stack is synthesized in purge mode. @default none */
  readonly purge?: ReadonlySet<string>;
}

/** Synthesizes and writes stacks one tenant at a time, so memory stays flat on big fleets. */
export function synthesizeFleet(fleet: LoadedFleet & { platform: Platform }, options: FleetSynthesis): SynthesizedStack[] {
  // A full synthesis replaces the folder, so stacks of deleted tenants do not linger.
  if (!options.tenants) rmSync(options.outDir, { recursive: true, force: true });
  const written: SynthesizedStack[] = [];
  const write = (stack: SynthesizedStack) => {
    writeStack(options.outDir, stack);
    written.push({ name: stack.name, kind: stack.kind, ...(stack.tenant ? { tenant: stack.tenant } : {}), json: stack.json });
  };
  for (const file of fleet.tenants) {
    if (options.tenants && !options.tenants.has(file.id)) continue;
    synthesizeTenant(file.id, file.tenant, fleet.platform, { state: options.state, purge: options.purge?.has(file.id) ?? false }).forEach(write);
  }
  if (!options.tenants) synthesizeSharedClusters(fleet.platform, options.state).forEach(write);
  for (const name of options.cells ?? []) write(synthesizeSharedCluster('cell', name, fleet.platform, options.state));
  for (const name of options.pools ?? []) write(synthesizeSharedCluster('pool', name, fleet.platform, options.state));
  return written;
}
