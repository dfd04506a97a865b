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
export function synthesizeExample(fleet: LoadedFleet & { platform: Platform }, state: StateLocation): SynthesizedStack[] {
  return [
    ...fleet.tenants.flatMap((t) => synthesizeTenant(t.id, t.tenant, fleet.platform, { state })),
    ...synthesizeSharedClusters(fleet.platform, state),
  ];
}

/** The example fleet, valid, as the tests read it. */
export async function exampleFleet(): Promise<LoadedFleet & { platform: Platform }> {
  const fleet = await loadFleet(REPO);
  if (!fleet.platform || fleet.diagnostics.length) throw new Error('the example fleet is not valid');
  return fleet as LoadedFleet & { platform: Platform };
}

/** Where the test run's global setup keeps the example fleet's stacks, by the state location they were synthesized with. */
export const SYNTHESIZED_KEY = 'exampleStacks';

/**
 * Every stack of the example fleet, synthesized with `state`: once per test run for the local and
 * S3 state the tests use (the run's global setup provides them), otherwise here.
 */
export async function exampleStacks(state: StateLocation = LOCAL_STATE): Promise<ExampleStacks> {
  const fleet = await exampleFleet();
  const provided = await providedStacks();
  const stacks = provided?.[JSON.stringify(state)] ?? synthesizeExample(fleet, state);
  return {
    fleet,
    stacks,
    byName: new Map(stacks.map((s) => [s.name, JSON.parse(s.json) as TerraformJson])),
    tenant: (id) => fleet.tenants.find((t) => t.id === id)!,
  };
}

/** The stacks the test run's global setup synthesized, when there is one (vitest's `inject`). */
async function providedStacks(): Promise<Record<string, SynthesizedStack[]> | undefined> {
  if (!process.env.VITEST) return undefined;
  const { inject } = await import('vitest');
  return (inject as (key: string) => Record<string, SynthesizedStack[]> | undefined)(SYNTHESIZED_KEY);
}

/** `type.name` of every resource of a stack, sorted. */
export function addresses(stack: TerraformJson): string[] {
  return Object.entries(stack.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`)).sort();
}

/** Every resource of `type` in a stack. */
export function resourcesOf(stack: TerraformJson, type: string): Record<string, unknown>[] {
  return Object.values(stack.resource?.[type] ?? {});
}
