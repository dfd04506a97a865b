import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyExampleFleet, type ExampleFleetCopy } from '../testing';
import { loadFleet } from './load-fleet';
import { mayHoldValue, namedTenantIds, sharedValues } from './neighbours';

let fleet: ExampleFleetCopy;
afterEach(() => fleet?.dispose());

function edit(file: string, from: string, to: string): void {
  const path = join(fleet.root, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
  writeFileSync(path, text.replace(from, to));
}

const ids = (loaded: Awaited<ReturnType<typeof loadFleet>>) => loaded.tenants.map((t) => t.id);

describe('a fleet checked only where a change reaches', () => {
  it('reads the changed file, the files sharing its cell, and the tenants platform.yaml names; nothing else', async () => {
    fleet = copyExampleFleet();
    const whole = await loadFleet(fleet.root);
    const scoped = await loadFleet(fleet.root, { scope: ['stark'] });
    const blue1 = whole.tenants.filter((t) => t.tenant.deployment.model === 'multi-tenant' && t.tenant.deployment.cell === 'blue-1').map((t) => t.id);
    expect(blue1.length).toBeGreaterThan(1);
    // wonka and oscorp are their channels' canaries, umbrella is under a legal hold.
    expect(ids(scoped)).toEqual([...new Set([...blue1, 'oscorp', 'umbrella', 'wonka'])].sort());
    expect(ids(scoped).length).toBeLessThan(ids(whole).length);
    expect(scoped.diagnostics).toEqual([]);
  });

  it('reads no other file for a tenant that shares nothing', async () => {
    fleet = copyExampleFleet();
    const globex = (await loadFleet(fleet.root)).tenants.find((t) => t.id === 'globex')!.tenant;
    expect([globex.deployment.model, globex.hosting.model]).toEqual(['dedicated', 'provider-account']);
    expect(ids(await loadFleet(fleet.root, { scope: ['globex'] }))).toEqual(['globex', 'oscorp', 'umbrella', 'wonka']);
  });

  // Each edit, checked with the edited tenant as the scope, reports exactly what the whole fleet's check does.
  const edits = [
    { what: 'a tier that does not exist', scope: 'stark', file: 'tenants/stark.yaml', from: 'tier: basic', to: 'tier: bronze', code: 'unknown-tier' },
    { what: 'a planner role another tenant of the account contradicts', scope: 'initech-hr', file: 'tenants/initech-hr.yaml', from: 'roleName: TenancyDeployer\n', to: 'roleName: TenancyDeployer\n  plannerRoleName: OtherPlanner\n', code: 'customer-roles-differ' },
    { what: 'a cell pushed over its capacity', scope: 'initech-fin', file: 'tenants/initech-fin.yaml', from: 'replicas: 2', to: 'replicas: 16', code: 'over-capacity' },
    { what: 'a canary that leaves its channel', scope: 'wonka', file: 'tenants/wonka.yaml', from: 'channel: stable', to: 'channel: fast', code: 'wave-tenant-not-on-channel' },
  ];
  it.each(edits)('$what: the same report as the whole fleet\'s', async ({ scope, file, from, to, code }) => {
    fleet = copyExampleFleet();
    edit(file, from, to);
    const whole = await loadFleet(fleet.root);
    expect(whole.diagnostics.map((d) => d.code)).toContain(code);
    expect((await loadFleet(fleet.root, { scope: [scope] })).diagnostics).toEqual(whole.diagnostics);
  });

  it('reads the files sharing its pool, so the pool\'s capacity counts them as the whole fleet\'s check does', async () => {
    fleet = copyExampleFleet();
    writeFileSync(join(fleet.root, 'tenants/hooli-2.yaml'), readFileSync(join(fleet.root, 'tenants/hooli.yaml'), 'utf8').replace('id: hooli\n', 'id: hooli-2\n'));
    edit('platform.yaml', 'capacity: { tenants: 30, cpu: 32, memory: 128Gi }', 'capacity: { tenants: 1, cpu: 32, memory: 128Gi }');
    const whole = await loadFleet(fleet.root);
    expect(whole.diagnostics.map((d) => d.code)).toContain('over-capacity');
    const scoped = await loadFleet(fleet.root, { scope: ['hooli'] });
    expect(ids(scoped)).toContain('hooli-2');
    expect(scoped.diagnostics).toEqual(whole.diagnostics);
  });

  it('finds a tenant of the same cell whose file escapes the name, so its capacity counts', async () => {
    fleet = copyExampleFleet();
    edit('tenants/acme.yaml', 'cell: blue-1', 'cell: "\\x62lue-1"');
    expect(ids(await loadFleet(fleet.root, { scope: ['stark'] }))).toContain('acme');
  });

  it('names a scope tenant without a file nowhere, as the deleted tenant it is', async () => {
    fleet = copyExampleFleet();
    const scoped = await loadFleet(fleet.root, { scope: ['gone'] });
    expect(scoped.diagnostics).toEqual([]);
    expect(ids(scoped)).toEqual(['oscorp', 'umbrella', 'wonka']);
  });
});

describe('mayHoldValue', () => {
  const values = [Buffer.from('blue-1')];
  it('is true for the value written plainly, quoted or in a block, and for any escape', () => {
    for (const text of ['cell: blue-1', 'cell: "blue-1"', "cell: 'blue-1'", 'cell: |-\n  blue-1', 'cell: "\\u0062lue-1"']) {
      expect(mayHoldValue(Buffer.from(text), values), text).toBe(true);
    }
  });
  it('is false for a file that cannot spell it', () => {
    expect(mayHoldValue(Buffer.from('cell: blue-2\nother: blue- 1'), values)).toBe(false);
  });
});

describe('what a tenant shares with other files, and whom platform.yaml names', () => {
  const base = { deployment: { model: 'dedicated' }, hosting: { model: 'provider-account' } };
  const tenant = (change: object) => ({ ...base, ...change }) as Parameters<typeof sharedValues>[0];
  it('shares its cell, its pool, and its customer account; nothing for a dedicated tenant of the provider', () => {
    expect(sharedValues(tenant({}))).toEqual([]);
    expect(sharedValues(tenant({ deployment: { model: 'multi-tenant', cell: 'blue-1' } }))).toEqual(['blue-1']);
    expect(sharedValues(tenant({ deployment: { model: 'resource-shared', pool: 'shared-1' } }))).toEqual(['shared-1']);
    expect(sharedValues(tenant({ deployment: { model: 'multi-tenant', cell: 'initech' }, hosting: { model: 'customer-account', accountId: '777788889999' } }))).toEqual(['initech', '777788889999']);
  });

  it('names the tenants of channel waves and legal holds, and no one for a wave by percent', async () => {
    fleet = copyExampleFleet();
    const { platform } = await loadFleet(fleet.root);
    expect([...namedTenantIds(platform!)].sort()).toEqual(['oscorp', 'umbrella', 'wonka']);
    expect([...namedTenantIds({ ...platform!, legalHolds: [] })].sort()).toEqual(['oscorp', 'wonka']);
  });

  it('may hold any of several values: one found is enough', () => {
    expect(mayHoldValue(Buffer.from('cell: blue-2'), [Buffer.from('blue-1'), Buffer.from('blue-2')])).toBe(true);
  });
});
