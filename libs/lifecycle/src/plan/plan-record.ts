import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Principal, StackKind } from '@tenancy/stacks';
import type { AccessRevocation } from '../changes/change-set';
import type { PlanSummary } from '../terraform/plan-summary';

/** Next to each saved plan: what it was made from, so a stale plan can be refused. */
export interface PlanRecord {
  readonly stack: string;
  readonly kind: StackKind;
  readonly tenant?: string;
  readonly action: 'apply' | 'destroy';
  /** The principal the plan was made as: only the deployer's plans may be applied. */
  readonly principal: Principal;
  /** Reaping: the data stack in purge mode. */
  readonly purge: boolean;
  readonly base: string;
  readonly head: string;
  /** The tenant file the stack came from (its last version for an offboarding). */
  readonly tenantFile?: string;
  /** SHA-256 of that file's content, or null when the stack's tenant file must not exist (offboarding). */
  readonly tenantFileHash?: string | null;
  /** SHA-256 of the synthesized main.tf.json. */
  readonly configHash: string;
  /** Fleet-wide changes (platform.yaml) roll out in waves; a tenant's own change applies at once. */
  readonly rollout: 'immediate' | 'waves';
  readonly reasons: string[];
  readonly summary: PlanSummary;
  readonly offline: boolean;
  readonly plannedAt: string;
  /** For an offboarding: the data stays until then. */
  readonly retainUntil?: string;
  /** For a customer-account offboarding: the access to take away once its stacks are destroyed. */
  readonly revokes?: AccessRevocation;
  /** For an offboarding: the commit that deleted the file; its apply starts the data's retention clock. */
  readonly offboarding?: { readonly deletedIn: string };
}

export const PLAN_RECORD_FILE = 'tenancy-plan.json';
export const PLAN_JSON_FILE = 'tenancy-plan.full.json';

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export function writePlanRecord(dir: string, record: PlanRecord, planJson?: unknown): void {
  writeFileSync(join(dir, PLAN_RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
  if (planJson !== undefined) writeFileSync(join(dir, PLAN_JSON_FILE), `${JSON.stringify(planJson)}\n`);
}

export function readPlanRecord(dir: string): PlanRecord | undefined {
  const path = join(dir, PLAN_RECORD_FILE);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as PlanRecord) : undefined;
}
