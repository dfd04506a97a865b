import { fileURLToPath } from 'node:url';
import { loadFleet, type LoadedFleet, type Platform, type TenantFile } from '@tenancy/model';
import type { StateLocation } from '../state/state-location';
import { synthesizeSharedClusters, synthesizeTenant, type SynthesizedStack } from '../synth/synthesize';

export const REPO = fileURLToPath(new URL('../../../..', import.meta.url));

/** Local state under a fixed, imaginary folder: the JSON only holds paths relative to it. */
export const LOCAL_STATE: StateLocation = { kind: 'local', stateDir: '/repo/.tenancy/state', outDir: '/repo/.tenancy/out' };

export interface ExampleStacks {
  readonly fleet: LoadedFleet & { platform: Platform };
  readonly stacks: SynthesizedStack[];
  /** Parsed JSON by stack name. */
  readonly byName: Map<string, TerraformJson>;
  tenant(id: string): TenantFile;
}

/** The synthesized JSON of a stack, loosely typed for assertions. */
export interface TerraformJson {
  terraform: { backend: Record<string, Record<string, unknown>>; required_providers: Record<string, { source: string; version: string }> };
  provider?: Record<string, Record<string, unknown>[]>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  ephemeral?: Record<string, Record<string, Record<string, unknown>>>;
  variable?: Record<string, Record<string, unknown>>;
  output?: Record<string, { value: unknown }>;
}

/** Every stack of the example fleet, synthesized with `state`. */
export async function exampleStacks(state: StateLocation = LOCAL_STATE): Promise<ExampleStacks> {
  const fleet = await loadFleet(REPO);
  if (!fleet.platform || fleet.diagnostics.length) throw new Error('the example fleet is not valid');
  const platform = fleet.platform;
  const stacks = [
    ...fleet.tenants.flatMap((t) => synthesizeTenant(t.id, t.tenant, platform, { state })),
    ...synthesizeSharedClusters(platform, state),
  ];
  return {
    fleet: fleet as LoadedFleet & { platform: Platform },
    stacks,
    byName: new Map(stacks.map((s) => [s.name, JSON.parse(s.json) as TerraformJson])),
    tenant: (id) => fleet.tenants.find((t) => t.id === id)!,
  };
}

/** `type.name` of every resource of a stack, sorted. */
export function addresses(stack: TerraformJson): string[] {
  return Object.entries(stack.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`)).sort();
}

/** Every resource of `type` in a stack. */
export function resourcesOf(stack: TerraformJson, type: string): Record<string, unknown>[] {
  return Object.values(stack.resource?.[type] ?? {});
}
