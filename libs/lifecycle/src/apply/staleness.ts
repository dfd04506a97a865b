import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STACK_FILE } from '@tenancy/stacks';
import { PLAN_FILE } from '../plan/plan-stacks';
import type { PlanRecord } from '../plan/plan-record';

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

/** Why a saved plan may no longer be applied, or undefined when it still matches what it was made from. */
export function staleness(record: PlanRecord, dir: string, root: string, head: string): string | undefined {
  if (record.principal !== 'deployer') return `planned as the ${record.principal ?? 'planner'}, which cannot change anything: plan again with --as deployer`;
  if (record.head !== head) return `planned at ${record.head.slice(0, 12)}, but the repository is at ${head.slice(0, 12)}: plan again`;
  if (!existsSync(join(dir, PLAN_FILE))) return 'the saved plan file is missing: plan again';
  if (sha256(readFileSync(join(dir, STACK_FILE))) !== record.configHash) return 'the synthesized configuration changed since the plan: plan again';
  if (record.tenantFile) {
    const path = join(root, record.tenantFile);
    if (record.tenantFileHash === null) {
      if (existsSync(path)) return `${record.tenantFile} exists again, but the plan destroys its stacks: plan again`;
    } else if (!existsSync(path) || sha256(readFileSync(path)) !== record.tenantFileHash) {
      return `${record.tenantFile} changed since the plan: plan again`;
    }
  }
  return undefined;
}
