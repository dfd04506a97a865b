import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PlanOptions, TerraformCli, TerraformResult } from '../terraform/terraform-cli';
import { planStacks } from './plan-stacks';

/** A Terraform that plans nothing and remembers how each plan was asked for. */
function recordingTerraform(): { terraform: TerraformCli; plans: PlanOptions[] } {
  const plans: PlanOptions[] = [];
  const ok = (stdout = ''): TerraformResult => ({ code: 0, stdout, stderr: '' });
  const terraform = {
    init: async () => ok(),
    plan: async (_dir: string, options: PlanOptions) => {
      plans.push(options);
      return ok('{"type":"change_summary","changes":{"add":0,"change":0,"remove":0}}');
    },
  } as unknown as TerraformCli;
  return { terraform, plans };
}

describe('plans and the state lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tenancy-lock-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const stack = { name: 'tenant-acme-data', kind: 'data' as const, dir };

  it('takes the lock only for the deployer\'s plans, which are applied: the planner may neither write one nor hold one against an apply', async () => {
    for (const [principal, lock] of [['planner', false], ['deployer', true]] as const) {
      const { terraform, plans } = recordingTerraform();
      const [result] = await planStacks([stack], { terraform, principal });
      expect(result!.status, principal).toBe('planned');
      expect(plans.map((p) => p.lock), principal).toEqual([lock]);
    }
  });
});
