import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Platform, Tenant } from '@tenancy/model';
import { s3State, STACK_FILE, stackNames, synthesizeTenant } from '@tenancy/stacks';
import { dataRiskRefusal, dataRisks } from '../apply/data-guard';
import type { OfflineSession } from '../offline/offline-session';
import { PLAN_FILE, planStacks } from '../plan/plan-stacks';
import type { PlanSummary } from '../terraform/plan-summary';
import type { TerraformCli } from '../terraform/terraform-cli';
import { retainUntil, type Offboarded } from './offboarded';

export type ReapStatus =
  /** Under legal hold in platform.yaml: never purged while it stands. */
  | 'held'
  /** Hosted in a customer's account whose access ended with its last tenant: the data is the customer's. */
  | 'customer-held'
  /** Within its retention period. */
  | 'retained'
  /** Past retention and not held: its data stack is destroyed in purge mode. */
  | 'due'
  /** No apply recorded the offboarding: its retention has not started, and its workload may still run. */
  | 'unapplied';

export interface ReapDecision {
  readonly tenant: Offboarded;
  readonly status: ReapStatus;
  readonly detail: string;
  /** When the offboarding was first applied, as recorded then: the retention clock's start. */
  readonly appliedAt?: string;
  /** appliedAt plus the retention of the tenant's last file: the data may not be purged before. */
  readonly retainUntil?: string;
}

/** When each offboarding was first applied, by `<tenant>@<commit that deleted it>`. */
export type AppliedOffboardings = ReadonlyMap<string, string>;
export const offboardingKey = (id: string, deletedIn: string) => `${id}@${deletedIn}`;

/** Whether a customer role still serves a tenant, cell or pool at head, so tenancy still reaches the account. */
function roleInUse(accountId: string, roleName: string, platform: Platform, tenants: Iterable<Tenant>): boolean {
  const same = (h: { model: string; accountId?: string; roleName?: string }) => h.model === 'customer-account' && h.accountId === accountId && h.roleName === roleName;
  return [...tenants].some((t) => same(t.hosting)) || [...Object.values(platform.cells), ...Object.values(platform.pools)].some((c) => same(c.hosting));
}

/**
 * What reaping may do with each offboarded tenant as of a date, given platform.yaml, the tenants
 * at head, and when each offboarding was first applied. The retention clock starts at that apply,
 * never at a commit's date (which its author sets): an offboarding no apply recorded is never due.
 */
export function reapDecisions(offboarded: readonly Offboarded[], platform: Platform, tenants: Iterable<Tenant>, asOf: Date, applied: AppliedOffboardings): ReapDecision[] {
  const current = [...tenants];
  return offboarded.map((tenant): ReapDecision => {
    const appliedAt = applied.get(offboardingKey(tenant.id, tenant.deletedIn));
    const clock = appliedAt ? { appliedAt, retainUntil: retainUntil(appliedAt, tenant.retentionDays) } : {};
    const hold = platform.legalHolds.find((h) => h.tenant === tenant.id);
    if (hold) return { tenant, ...clock, status: 'held', detail: `legal hold: ${hold.reason}${hold.since ? ` (since ${hold.since})` : ''}` };
    const { hosting } = tenant.lastVersion;
    if (hosting.model === 'customer-account' && !roleInUse(hosting.accountId, hosting.roleName, platform, current)) {
      return { tenant, ...clock, status: 'customer-held', detail: `the data is in account ${hosting.accountId}, whose access ended with its last tenant; the customer deletes it` };
    }
    if (!clock.retainUntil) {
      return { tenant, status: 'unapplied', detail: `no apply recorded its offboarding (deleted in ${tenant.deletedIn.slice(0, 12)}): its retention has not started; apply it first` };
    }
    if (asOf.getTime() < Date.parse(clock.retainUntil)) return { tenant, ...clock, status: 'retained', detail: `kept until ${clock.retainUntil}` };
    return { tenant, ...clock, status: 'due', detail: `retention ended ${clock.retainUntil}` };
  });
}

export interface ReapResult {
  readonly decision: ReapDecision;
  /** The destroy plan of a due tenant's data stack. */
  readonly plan?: PlanSummary;
  readonly purged?: boolean;
  readonly error?: string;
}

export interface ReapOptions {
  readonly outDir: string;
  readonly terraform: TerraformCli;
  readonly offline?: OfflineSession;
  /** platform.yaml now: where state lives. */
  readonly platform: Platform;
  /** Destroy the data (unlock with the purge config, then destroy); otherwise plan only. */
  readonly apply: boolean;
  /** The time a purge is checked against just before it is applied: retention must have ended by then. */
  readonly now: Date;
}

/**
 * Why a tenant's data may not be destroyed now, or undefined: checked again right before the
 * destroy is applied, against platform.yaml's holds and the clock, whatever decided it was due.
 */
export function purgeRefusal(decision: ReapDecision, platform: Platform, now: Date): string | undefined {
  if (decision.status !== 'due') return `${decision.tenant.id} is ${decision.status}, not due`;
  const hold = platform.legalHolds.find((h) => h.tenant === decision.tenant.id);
  if (hold) return `${decision.tenant.id} is under legal hold (${hold.reason})`;
  if (!decision.retainUntil) return `no apply recorded ${decision.tenant.id}'s offboarding: its retention has not started`;
  if (now.getTime() < Date.parse(decision.retainUntil)) return `${decision.tenant.id} is retained until ${decision.retainUntil}`;
  return undefined;
}

/**
 * Plans (and with `apply`, carries out) the destruction of due tenants' data stacks, synthesized in
 * purge mode from their last file and platform.yaml. Destroying takes two applies: the purge config
 * first lifts deletion protection and lets the bucket go with its objects, then the destroy.
 */
export async function reap(decisions: readonly ReapDecision[], options: ReapOptions): Promise<ReapResult[]> {
  const results: ReapResult[] = [];
  for (const decision of decisions) {
    if (decision.status !== 'due') {
      results.push({ decision });
      continue;
    }
    const { tenant } = decision;
    const stack = synthesizeTenant(tenant.id, tenant.lastVersion, tenant.platform, { state: s3State(options.platform), purge: true }).find((s) => s.kind === 'data')!;
    const dir = join(options.outDir, stackNames.data(tenant.id));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, STACK_FILE), stack.json);
    const target = { name: stack.name, kind: stack.kind, tenant: tenant.id, dir, purge: true };
    // Listing what is due needs only reads; the purge itself is the deployer's.
    const common = { terraform: options.terraform, principal: options.apply ? 'deployer' as const : 'planner' as const, ...(options.offline ? { offline: options.offline } : {}), concurrency: 1 };
    if (options.apply && !options.offline) {
      const [unlock] = await planStacks([target], common);
      if (unlock?.status !== 'planned') { results.push({ decision, error: `purge config did not plan: ${unlock?.status === 'failed' ? unlock.error : ''}` }); continue; }
      // Lifting the protections (what it is for) destroys nothing: a plan that does is not the purge config's.
      const lost = dataRisks(await options.terraform.showPlan(dir, PLAN_FILE), { stack: stack.name }).filter((r) => r.risk === 'destroys');
      if (lost.length) { results.push({ decision, error: dataRiskRefusal(lost) }); continue; }
      const unlocked = await options.terraform.apply(dir, PLAN_FILE);
      if (unlocked.code !== 0) { results.push({ decision, error: `purge config did not apply: ${unlocked.stderr.trim()}` }); continue; }
    }
    const [destroy] = await planStacks([{ ...target, destroy: true }], common);
    if (destroy?.status !== 'planned') { results.push({ decision, error: destroy?.status === 'failed' ? destroy.error : 'not planned' }); continue; }
    if (!options.apply || options.offline) { results.push({ decision, plan: destroy.summary }); continue; }
    const refusal = purgeRefusal(decision, options.platform, options.now);
    if (refusal) { results.push({ decision, plan: destroy.summary, error: `refused: ${refusal}` }); continue; }
    const destroyed = await options.terraform.apply(dir, PLAN_FILE);
    results.push(destroyed.code === 0 ? { decision, plan: destroy.summary, purged: true } : { decision, plan: destroy.summary, error: `destroy failed: ${destroyed.stderr.trim()}` });
  }
  return results;
}
