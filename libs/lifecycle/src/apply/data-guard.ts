import type { StackKind } from '@tenancy/stacks';

/**
 * Resource types that hold tenant data wherever they are: buckets, databases, backup vaults. In a
 * data stack its KMS key (without it the data is unreadable) and its log groups (audit and
 * database logs, kept for the retention) hold data too; a cluster's key and a network go with
 * what they serve.
 */
export const DATA_HOLDING_TYPES = ['aws_s3_bucket', 'aws_db_instance', 'aws_backup_vault'] as const;
const DATA_STACK_HOLDING_TYPES = ['aws_kms_key', 'aws_cloudwatch_log_group'] as const;

/** The type of a resource address, modules and indexes aside: `module.m.aws_s3_bucket.b["x"]` is an `aws_s3_bucket`. */
export function resourceTypeOf(address: string): string {
  const parts = address.replace(/\[[^\]]*\]/g, '').split('.');
  let i = 0;
  while (parts[i] === 'module') i += 2;
  if (parts[i] === 'data') i += 1;
  return parts[i] ?? '';
}

/** Whether destroying `address`, a resource of a stack of `kind`, would lose tenant data. */
export function holdsData(address: string, kind: StackKind, type = resourceTypeOf(address)): boolean {
  return (DATA_HOLDING_TYPES as readonly string[]).includes(type) || (kind === 'data' && (DATA_STACK_HOLDING_TYPES as readonly string[]).includes(type));
}

/** A stack's kind from its own name, never from what a record says of it. */
export function stackKindOf(stack: string): StackKind {
  if (stack.startsWith('cell-')) return 'cell';
  if (stack.startsWith('pool-')) return 'pool';
  const suffix = /-(data|compute|workload)$/.exec(stack)?.[1];
  if (suffix) return suffix as StackKind;
  return stack === 'control-plane' ? 'control-plane' : 'account';
}

type Values = Record<string, unknown> | null | undefined;

/** What `terraform show -json` says a saved plan does to one resource. */
interface ResourceChange {
  readonly address: string;
  readonly mode?: string;
  readonly change: { readonly actions: readonly string[]; readonly before?: Values; readonly after?: Values };
}

/** The plan as `terraform show -json` gives it. */
interface PlanJson {
  readonly format_version?: string;
  readonly resource_changes?: readonly ResourceChange[];
  readonly output_changes?: Record<string, { readonly actions: readonly string[] }>;
}

/** What a plan would do to a stack's data, by resource. */
export interface DataRisk {
  readonly address: string;
  /** `destroys`: deletes or replaces what holds data; `weakens`: lowers its protection in place. */
  readonly risk: 'destroys' | 'weakens';
  /** The attribute and its value before and after, for a weakening. */
  readonly detail?: string;
}

export interface GuardContext {
  /** The stack's own name: its kind comes from it. */
  readonly stack: string;
  /**
   * Whether the stack's tenant is under legal hold at head. A hold lifted in platform.yaml (a
   * reviewed change) returns the data to its retention: expiry on again, the hold's locks gone.
   * @default false
   */
  readonly held?: boolean;
}

const first = (value: unknown): Record<string, unknown> | undefined => (Array.isArray(value) ? value[0] : value) as Record<string, unknown> | undefined;
const show = (value: unknown) => (value === undefined || value === null ? 'none' : JSON.stringify(value));
const changed = (attribute: string, before: unknown, after: unknown) => `${attribute} ${show(before)} -> ${show(after)}`;
/** A retention in days where a missing or zero value means forever. */
const lasting = (days: unknown) => (typeof days === 'number' && days > 0 ? days : Number.POSITIVE_INFINITY);

interface Statement { Sid?: string; Effect?: string; Action?: string | string[]; Principal?: unknown }
/** A policy's statements; none for a policy that is absent or not JSON. */
function statements(policy: unknown): Statement[] {
  try {
    const parsed = JSON.parse(policy as string) as { Statement?: Statement | Statement[] } | null;
    return [parsed?.Statement ?? []].flat();
  } catch {
    return [];
  }
}
const actions = (s: Statement) => [s.Action ?? []].flat();

/**
 * How a change in place lowers a resource's protection of data, by type: each check gives the
 * attributes weakened, with their values before and after. Protection may only grow in an
 * ordinary apply; only lifting a legal hold (not held at head) may turn expiry on again and drop
 * the hold's own locks.
 */
const WEAKENINGS: Readonly<Record<string, (before: Record<string, unknown>, after: Record<string, unknown>, held: boolean) => string[]>> = {
  aws_s3_bucket: (b, a) => (b.force_destroy !== true && a.force_destroy === true ? [changed('force_destroy', b.force_destroy, a.force_destroy)] : []),
  aws_s3_bucket_versioning: (b, a) => {
    const [was, is] = [first(b.versioning_configuration)?.status, first(a.versioning_configuration)?.status];
    return was === 'Enabled' && is !== 'Enabled' ? [changed('versioning_configuration.status', was, is)] : [];
  },
  aws_s3_bucket_object_lock_configuration: (b, a, held) => {
    const days = (v: Record<string, unknown>) => first(first(first(v.rule)?.default_retention))?.days;
    const [was, is] = [days(b), days(a)];
    if (held && was !== undefined && (is === undefined || Number(is) < Number(was))) return [changed('rule.default_retention.days', was, is)];
    return b.object_lock_enabled === 'Enabled' && a.object_lock_enabled !== 'Enabled' ? [changed('object_lock_enabled', b.object_lock_enabled, a.object_lock_enabled)] : [];
  },
  aws_s3_bucket_lifecycle_configuration: (b, a, held) => {
    const rules = (v: Record<string, unknown>) => new Map(((v.rule ?? []) as Record<string, unknown>[]).map((r) => [String(r.id), r]));
    const [was, is] = [rules(b), rules(a)];
    // The days after which a rule expires old versions or current objects: a disabled rule expires nothing.
    const noncurrent = (r: Record<string, unknown> | undefined) => (r?.status === 'Enabled' ? first(r.noncurrent_version_expiration)?.noncurrent_days : undefined);
    const current = (r: Record<string, unknown> | undefined) => (r?.status === 'Enabled' ? first(r.expiration)?.days : undefined);
    const found: string[] = [];
    for (const [id, rule] of is) {
      const old = was.get(id);
      if (lasting(noncurrent(rule)) < lasting(noncurrent(old)) && (held || old?.status === 'Enabled' || old === undefined)) {
        found.push(changed(`rule ${id} noncurrent_version_expiration.noncurrent_days`, noncurrent(old) ?? 'never', noncurrent(rule)));
      }
      if (lasting(current(rule)) < lasting(current(old))) found.push(changed(`rule ${id} expiration.days`, current(old) ?? 'never', current(rule)));
    }
    return found;
  },
  aws_s3_bucket_policy: (b, a, held) => {
    const after = new Set(statements(a.policy).filter((s) => s.Effect === 'Deny').map((s) => s.Sid));
    const dropped = statements(b.policy).filter((s) => s.Effect === 'Deny' && !after.has(s.Sid) && !(s.Sid === 'LegalHoldKeepsEveryVersion' && !held)).map((s) => s.Sid ?? 'a deny');
    const opened = statements(a.policy).filter((s) => s.Effect === 'Allow' && actions(s).some((x) => /^s3:(\*|Delete|BypassGovernanceRetention|PutBucketPolicy|PutLifecycle|PutBucketObjectLock)/.test(x)));
    return [...dropped.map((sid) => `policy drops the deny ${sid}`), ...opened.map((s) => `policy allows ${actions(s).join(', ')}${s.Sid ? ` (${s.Sid})` : ''}`)];
  },
  aws_db_instance: (b, a) => [
    ...(b.deletion_protection === true && a.deletion_protection !== true ? [changed('deletion_protection', b.deletion_protection, a.deletion_protection)] : []),
    ...(b.skip_final_snapshot !== true && a.skip_final_snapshot === true ? [changed('skip_final_snapshot', b.skip_final_snapshot, a.skip_final_snapshot)] : []),
    ...(b.delete_automated_backups !== true && a.delete_automated_backups === true ? [changed('delete_automated_backups', b.delete_automated_backups, a.delete_automated_backups)] : []),
    ...(Number(a.backup_retention_period ?? 0) < Number(b.backup_retention_period ?? 0) ? [changed('backup_retention_period', b.backup_retention_period, a.backup_retention_period)] : []),
    ...(b.final_snapshot_identifier && !a.final_snapshot_identifier ? [changed('final_snapshot_identifier', b.final_snapshot_identifier, a.final_snapshot_identifier)] : []),
    ...(b.publicly_accessible !== true && a.publicly_accessible === true ? [changed('publicly_accessible', b.publicly_accessible, a.publicly_accessible)] : []),
  ],
  aws_backup_vault: (b, a) => (b.force_destroy !== true && a.force_destroy === true ? [changed('force_destroy', b.force_destroy, a.force_destroy)] : []),
  aws_backup_vault_lock_configuration: (b, a) => (Number(a.min_retention_days ?? 0) < Number(b.min_retention_days ?? 0) ? [changed('min_retention_days', b.min_retention_days, a.min_retention_days)] : []),
  aws_backup_plan: (b, a, held) => {
    const rules = (v: Record<string, unknown>) => new Map(((v.rule ?? []) as Record<string, unknown>[]).map((r) => [String(r.rule_name), r]));
    const [was, is] = [rules(b), rules(a)];
    const found = [...was.keys()].filter((name) => !is.has(name)).map((name) => `rule ${name} removed: no more backups`);
    const deleteAfter = (r: Record<string, unknown>) => first(r.lifecycle)?.delete_after;
    for (const [name, rule] of is) {
      const old = was.get(name);
      if (old && lasting(deleteAfter(rule)) < lasting(deleteAfter(old)) && (held || Number.isFinite(lasting(deleteAfter(old))))) {
        found.push(changed(`rule ${name} lifecycle.delete_after`, deleteAfter(old) ?? 'never', deleteAfter(rule)));
      }
    }
    return found;
  },
  aws_kms_key: (b, a) => [
    ...(b.is_enabled !== false && a.is_enabled === false ? [changed('is_enabled', b.is_enabled, a.is_enabled)] : []),
    ...(Number(a.deletion_window_in_days ?? 30) < Number(b.deletion_window_in_days ?? 30) ? [changed('deletion_window_in_days', b.deletion_window_in_days, a.deletion_window_in_days)] : []),
    ...statements(a.policy).filter((s) => s.Effect === 'Deny' && !statements(b.policy).some((o) => o.Effect === 'Deny' && o.Sid === s.Sid))
      .map((s) => ['policy adds the deny', s.Sid, actions(s).join(', ')].filter(Boolean).join(' ')),
  ],
  aws_cloudwatch_log_group: (b, a, held) => [
    ...(lasting(a.retention_in_days) < lasting(b.retention_in_days) && (held || Number.isFinite(lasting(b.retention_in_days))) ? [changed('retention_in_days', b.retention_in_days, a.retention_in_days)] : []),
    ...(b.kms_key_id && !a.kms_key_id ? [changed('kms_key_id', b.kms_key_id, a.kms_key_id)] : []),
  ],
};

/**
 * Resources whose deletion lowers the protection of data without deleting it: versioning, Object
 * Lock, the bucket's policy, backups and their lock. A legal hold's lock may go once the hold is
 * lifted.
 */
const PROTECTING_TYPES: Readonly<Record<string, (held: boolean) => boolean>> = {
  aws_s3_bucket_versioning: () => true,
  aws_s3_bucket_object_lock_configuration: () => true,
  aws_s3_bucket_policy: () => true,
  aws_s3_bucket_public_access_block: () => true,
  aws_backup_plan: () => true,
  aws_backup_selection: () => true,
  // Every vault stays locked until its tenant's purge, held or not.
  aws_backup_vault_lock_configuration: () => true,
};

/** Types whose in-place weakenings count in any stack; the key and log group ones in data stacks only. */
const WEAKENING_EVERYWHERE = new Set(Object.keys(WEAKENINGS).filter((type) => !(DATA_STACK_HOLDING_TYPES as readonly string[]).includes(type)));

/**
 * What a saved plan (`terraform show -json`) would do to data, read from the plan itself, not from
 * what its maker says it is: every delete or replacement of what holds data, and every lowering of
 * its protection in place, with the attribute and its values before and after.
 */
export function dataRisks(plan: unknown, context: GuardContext): DataRisk[] {
  const json = plan as PlanJson;
  if (!Array.isArray(json.resource_changes)) {
    // Terraform leaves resource_changes out of a plan that changes no resource.
    if (typeof json.format_version === 'string') return [];
    throw new Error('the saved plan is not a Terraform plan (no format_version): it cannot be checked for data loss');
  }
  const kind = stackKindOf(context.stack);
  const held = context.held ?? false;
  const risks: DataRisk[] = [];
  for (const c of json.resource_changes) {
    if (c.mode === 'data') continue;
    const type = resourceTypeOf(c.address);
    const { actions: done } = c.change;
    if (done.includes('delete')) {
      if (holdsData(c.address, kind, type)) risks.push({ address: c.address, risk: 'destroys' });
      else if (PROTECTING_TYPES[type]?.(held) && kind === 'data') risks.push({ address: c.address, risk: 'weakens', detail: `${type} deleted` });
    }
    if (!done.includes('update') || !c.change.before || !c.change.after) continue;
    if (!WEAKENING_EVERYWHERE.has(type) && kind !== 'data') continue;
    for (const detail of WEAKENINGS[type]?.(c.change.before, c.change.after, held) ?? []) risks.push({ address: c.address, risk: 'weakens', detail });
  }
  return risks.sort((a, b) => a.address.localeCompare(b.address));
}

/** The data-holding resources a saved plan deletes or replaces. */
export function dataLoss(plan: unknown, context: GuardContext): string[] {
  return dataRisks(plan, context).filter((r) => r.risk === 'destroys').map((r) => r.address);
}

/** Why a plan with these risks may not be applied. */
export function dataRiskRefusal(risks: readonly DataRisk[]): string {
  const destroyed = risks.filter((r) => r.risk === 'destroys').map((r) => r.address);
  const weakened = risks.filter((r) => r.risk === 'weakens').map((r) => `${r.address}: ${r.detail}`);
  return `refused: the saved plan ${[
    destroyed.length ? `destroys ${destroyed.join(', ')}, which hold tenant data` : '',
    weakened.length ? `weakens the protection of tenant data (${weakened.join('; ')})` : '',
  ].filter(Boolean).join(', and ')}; only the reaping of a tenant past its retention and not on legal hold may`;
}

/** Whether a plan changes anything at all: a resource (reads aside) or an output. */
export function planChanges(plan: unknown): boolean {
  const json = plan as PlanJson;
  const resources = (json.resource_changes ?? []).some((c) => c.change.actions.some((a) => a !== 'no-op' && a !== 'read'));
  const outputs = Object.values(json.output_changes ?? {}).some((c) => c.actions.some((a) => a !== 'no-op'));
  return resources || outputs;
}
