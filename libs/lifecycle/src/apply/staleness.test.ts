import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256, type PlanRecord } from '../plan/plan-record';
import { staleness } from './staleness';

const HEAD = 'a'.repeat(40);
const CONFIG = '{"resource":{}}';
const TENANT = 'id: acme\n';

let root: string;
let dir: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tenancy-staleness-'));
  dir = join(root, '.tenancy/plans/tenant-acme-data');
  mkdirSync(join(root, 'tenants'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.tf.json'), CONFIG);
  writeFileSync(join(dir, 'tenancy.tfplan'), 'plan');
  writeFileSync(join(root, 'tenants/acme.yaml'), TENANT);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** The record of a plan made from what the folders above hold. */
function recordOf(change: Partial<PlanRecord> = {}): PlanRecord {
  return {
    stack: 'tenant-acme-data', kind: 'data', tenant: 'acme', action: 'apply', principal: 'deployer', purge: false, base: 'b'.repeat(40), head: HEAD,
    tenantFile: 'tenants/acme.yaml', tenantFileHash: sha256(TENANT), configHash: sha256(CONFIG), rollout: 'immediate', reasons: [],
    summary: { add: 1, change: 0, destroy: 0, destroys: [], replaces: [] }, offline: true, plannedAt: '2026-12-07T10:00:00Z', ...change,
  };
}

describe('staleness of a saved plan', () => {
  it('takes a plan that matches the commit, the plan file, the configuration and the tenant file', () => {
    expect(staleness(recordOf(), dir, root, HEAD)).toBeUndefined();
  });

  it('refuses a plan made as the planner, and a record of earlier releases (no principal) as the planner\'s', () => {
    expect(staleness(recordOf({ principal: 'planner' }), dir, root, HEAD)).toBe('planned as the planner, which cannot change anything: plan again with --as deployer');
    const { principal: _, ...earlier } = recordOf();
    expect(staleness(earlier as PlanRecord, dir, root, HEAD)).toBe('planned as the planner, which cannot change anything: plan again with --as deployer');
  });

  it('refuses a plan of another commit', () => {
    expect(staleness(recordOf(), dir, root, 'c'.repeat(40))).toBe('planned at aaaaaaaaaaaa, but the repository is at cccccccccccc: plan again');
  });

  it('refuses a plan whose plan file is gone', () => {
    rmSync(join(dir, 'tenancy.tfplan'));
    expect(staleness(recordOf(), dir, root, HEAD)).toBe('the saved plan file is missing: plan again');
  });

  it('refuses a plan whose synthesized configuration changed', () => {
    writeFileSync(join(dir, 'main.tf.json'), '{"resource":{"x":{}}}');
    expect(staleness(recordOf(), dir, root, HEAD)).toBe('the synthesized configuration changed since the plan: plan again');
  });

  it('refuses a plan whose tenant file changed, or is gone', () => {
    writeFileSync(join(root, 'tenants/acme.yaml'), 'id: acme\nreplicas: 2\n');
    expect(staleness(recordOf(), dir, root, HEAD)).toBe('tenants/acme.yaml changed since the plan: plan again');
    rmSync(join(root, 'tenants/acme.yaml'));
    expect(staleness(recordOf(), dir, root, HEAD)).toBe('tenants/acme.yaml changed since the plan: plan again');
  });

  it('refuses an offboarding\'s plan once the tenant\'s file exists again: it would destroy a tenant that is back', () => {
    const offboarding = recordOf({ action: 'destroy', tenantFileHash: null });
    expect(staleness(offboarding, dir, root, HEAD)).toBe('tenants/acme.yaml exists again, but the plan destroys its stacks: plan again');
    rmSync(join(root, 'tenants/acme.yaml'));
    expect(staleness(offboarding, dir, root, HEAD)).toBeUndefined();
  });
});
