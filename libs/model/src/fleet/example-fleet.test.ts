import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEPLOYMENT_MODELS, HOSTING_MODELS } from '../schema/tenant';
import { copyExampleFleet, REPO_ROOT, type ExampleFleetCopy } from '../testing/fixtures';
import { loadFleet, type LoadedFleet } from './load-fleet';

const REPO = REPO_ROOT;

describe('the example fleet', () => {
  let fleet: LoadedFleet;
  beforeAll(async () => {
    fleet = await loadFleet(REPO);
  });

  it('is valid, with no diagnostics at all', () => {
    expect(fleet.diagnostics).toEqual([]);
    expect(fleet.platform).toBeDefined();
  });

  it('covers all nine hosting x deployment combinations with at least 12 tenants', () => {
    expect(fleet.tenants.length).toBeGreaterThanOrEqual(12);
    const seen = new Set(fleet.tenants.map((t) => `${t.tenant.hosting.model}/${t.tenant.deployment.model}`));
    for (const hosting of HOSTING_MODELS) for (const deployment of DEPLOYMENT_MODELS) expect(seen).toContain(`${hosting}/${deployment}`);
  });

  it('uses at least 2 cells, a pool, 2 channels and 3 tiers', () => {
    const used = (pick: (t: (typeof fleet.tenants)[number]) => string | undefined) => new Set(fleet.tenants.map(pick).filter(Boolean));
    expect(used((t) => (t.tenant.deployment.model === 'multi-tenant' ? t.tenant.deployment.cell : undefined)).size).toBeGreaterThanOrEqual(2);
    expect(used((t) => (t.tenant.deployment.model === 'resource-shared' ? t.tenant.deployment.pool : undefined)).size).toBeGreaterThanOrEqual(1);
    expect(used((t) => t.tenant.channel).size).toBeGreaterThanOrEqual(2);
    expect(used((t) => t.tenant.tier).size).toBe(3);
  });

  it('starts every file with the yaml-language-server modeline', () => {
    expect(readFileSync(join(REPO, 'platform.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./schema/platform.schema.json');
    for (const file of readdirSync(join(REPO, 'tenants'))) {
      expect(readFileSync(join(REPO, 'tenants', file), 'utf8').split('\n')[0], file).toBe('# yaml-language-server: $schema=../schema/tenant.schema.json');
    }
  });
});

describe('breaking an example file', () => {
  let root: string;
  let copy: ExampleFleetCopy;
  beforeEach(() => {
    copy = copyExampleFleet({ prefix: 'tenancy-break-' });
    root = copy.root;
  });
  afterEach(() => copy.dispose());

  const breakFile = (file: string, from: string, to: string) => {
    const path = join(root, 'tenants', file);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain(from);
    writeFileSync(path, text.replace(from, to));
  };
  const only = async () => (await loadFleet(root)).diagnostics.map((d) => ({ at: `${d.file}:${d.line}:${d.column}`, code: d.code, message: d.message, hint: d.hint }));

  it('an unknown key points at the key and suggests the right one', async () => {
    breakFile('acme.yaml', '    replicas: 3\n', '    replica: 3\n');
    expect(await only()).toEqual([expect.objectContaining({ at: 'tenants/acme.yaml:26:5', code: 'unknown-key', hint: expect.stringContaining("did you mean 'replicas'?") })]);
  });

  it('a wrong type points at the value', async () => {
    breakFile('wayne.yaml', '    storageGb: 100', '    storageGb: lots');
    expect(await only()).toEqual([expect.objectContaining({ at: 'tenants/wayne.yaml:34:16', code: 'invalid-type', message: 'data.database.storageGb must be a number, not the text "lots"' })]);
  });

  it('an unknown cell points at the cell name and lists the cells', async () => {
    breakFile('stark.yaml', 'cell: blue-1', 'cell: blue-9');
    expect(await only()).toEqual([expect.objectContaining({ at: 'tenants/stark.yaml:10:9', code: 'unknown-cell', hint: "did you mean 'blue-1'? use one of: blue-1, blue-2, hosted-1, initech" })]);
  });

  it('over capacity is reported in platform.yaml and in every tenant of the cell, with cells of the same account that have room', async () => {
    breakFile('initech-hr.yaml', '    replicas: 2\n', '    replicas: 16\n');
    const found = (await only()).filter((d) => d.code === 'over-capacity');
    expect(found.map((d) => d.at)).toEqual(['platform.yaml:109:5', 'tenants/initech-fin.yaml:14:9', 'tenants/initech-hr.yaml:14:9']);
    expect(found[0]!.message).toBe("cell 'initech' is over capacity: 9.25 CPU of 8");
    expect(found[0]!.hint).toBe('add a cell, or raise cells.initech.capacity in platform.yaml');
  });

  it('an inline secret points at the value and says to rotate it', async () => {
    breakFile('globex.yaml', '  cost-center: GLX-77', '  cost-center: AKIAIOSFODNN7EXAMPLE');
    expect(await only()).toEqual([expect.objectContaining({ at: 'tenants/globex.yaml:20:16', code: 'inline-secret', hint: expect.stringContaining('rotate it') })]);
  });
});
