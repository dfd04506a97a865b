import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics/diagnostic';
import { loadFleet } from '../fleet/load-fleet';
import { copyExampleFleet, REPO_ROOT, type ExampleFleetCopy } from '../testing/fixtures';

const PLATFORM = readFileSync(join(REPO_ROOT, 'platform.yaml'), 'utf8');

/** platform.yaml with one capacity line replaced; throws when the line is not there, so no test edits nothing. */
function withCapacity(from: string, to: string): string {
  if (!PLATFORM.includes(from)) throw new Error(`platform.yaml has no ${from}`);
  return PLATFORM.replace(from, to);
}

let fleet: ExampleFleetCopy | undefined;
afterEach(() => fleet?.dispose());

async function overCapacity(platform: string, change: (root: string) => void = () => undefined): Promise<Diagnostic[]> {
  fleet = copyExampleFleet({ platform });
  change(fleet.root);
  return (await loadFleet(fleet.root)).diagnostics.filter((d) => d.code === 'over-capacity');
}

/** A second tenant of pool shared-1: hooli's file under another id. Each packs 2 replicas of 200m CPU and 256Mi. */
const secondPoolTenant = (root: string) =>
  writeFileSync(join(root, 'tenants/hooli-2.yaml'), readFileSync(join(root, 'tenants/hooli.yaml'), 'utf8').replace('id: hooli\n', 'id: hooli-2\n'));

describe('the capacity of cells and pools', () => {
  it('refuses a cell whose tenants request more memory than it has, though CPU and tenants fit', async () => {
    const found = await overCapacity(withCapacity('capacity: { tenants: 40, cpu: 96, memory: 384Gi }', 'capacity: { tenants: 40, cpu: 96, memory: 1Gi }'));
    expect(found.length).toBeGreaterThan(1);
    for (const d of found) expect(d.message).toMatch(/^cell 'blue-1' is over capacity: [\d.]+[MG]i memory of 1Gi$/);
    expect(found.map((d) => d.file)).toContain('platform.yaml');
  });

  it('refuses a pool whose packed resources request more memory than it has', async () => {
    const found = await overCapacity(withCapacity('capacity: { tenants: 30, cpu: 32, memory: 128Gi }', 'capacity: { tenants: 30, cpu: 32, memory: 128Mi }'));
    expect(found.map((d) => `${d.file} ${d.message}`)).toEqual([
      "platform.yaml pool 'shared-1' is over capacity: 512Mi memory of 128Mi",
      "tenants/hooli.yaml pool 'shared-1' is over capacity: 512Mi memory of 128Mi",
    ]);
  });

  it('refuses a pool whose packed resources request more CPU than it has', async () => {
    const found = await overCapacity(withCapacity('capacity: { tenants: 30, cpu: 32, memory: 128Gi }', 'capacity: { tenants: 30, cpu: 100m, memory: 128Gi }'));
    expect(found.map((d) => d.message)).toEqual(Array(2).fill("pool 'shared-1' is over capacity: 0.4 CPU of 100m"));
  });

  it('refuses a pool with more tenants than it takes, at platform.yaml and at each of its tenants', async () => {
    const found = await overCapacity(withCapacity('capacity: { tenants: 30, cpu: 32, memory: 128Gi }', 'capacity: { tenants: 1, cpu: 32, memory: 128Gi }'), secondPoolTenant);
    expect(found.map((d) => `${d.file} ${d.message}`).sort()).toEqual([
      "platform.yaml pool 'shared-1' is over capacity: 2 tenants of 1",
      "tenants/hooli-2.yaml pool 'shared-1' is over capacity: 2 tenants of 1",
      "tenants/hooli.yaml pool 'shared-1' is over capacity: 2 tenants of 1",
    ]);
  });

  it('takes a pool filled exactly to its capacity', async () => {
    expect(await overCapacity(withCapacity('capacity: { tenants: 30, cpu: 32, memory: 128Gi }', 'capacity: { tenants: 2, cpu: 800m, memory: 1Gi }'), secondPoolTenant)).toEqual([]);
  });
});
