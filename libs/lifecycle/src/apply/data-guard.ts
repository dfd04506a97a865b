import type { StackKind } from '@tenancy/stacks';

/**
 * Resource types that hold tenant data wherever they are: buckets, databases, backup vaults. In a
 * data stack its KMS key (without it the data is unreadable) and its log groups (audit and
 * database logs, kept for the retention) hold data too; a cluster's key and a network go with
 * what they serve.
 */
export const DATA_HOLDING_TYPES = ['aws_s3_bucket', 'aws_db_instance', 'aws_backup_vault'] as const;
const DATA_STACK_HOLDING_TYPES = ['aws_kms_key', 'aws_cloudwatch_log_group'] as const;

/** Whether destroying `address`, a resource of a stack of `kind`, would lose tenant data. */
export function holdsData(address: string, kind: StackKind): boolean {
  const type = address.split('.')[0]!;
  return (DATA_HOLDING_TYPES as readonly string[]).includes(type) || (kind === 'data' && (DATA_STACK_HOLDING_TYPES as readonly string[]).includes(type));
}

/** What `terraform show -json` says a saved plan does to each resource. */
interface PlanJson {
  readonly resource_changes?: readonly { readonly address: string; readonly mode?: string; readonly change: { readonly actions: readonly string[] } }[];
}

/**
 * The data-holding resources a saved plan deletes or replaces, read from the plan itself
 * (`terraform show -json`), not from what its maker says it is: the last check before `apply`.
 */
export function dataLoss(plan: unknown, kind: StackKind): string[] {
  const changes = (plan as PlanJson).resource_changes;
  if (!Array.isArray(changes)) throw new Error('the saved plan has no resource_changes: it cannot be checked for data loss');
  return changes
    .filter((c) => c.mode !== 'data' && c.change.actions.includes('delete') && holdsData(c.address, kind))
    .map((c) => c.address)
    .sort();
}

/** Why a plan that loses `lost` may not be applied. */
export function dataLossRefusal(lost: readonly string[]): string {
  return `refused: the saved plan destroys ${lost.join(', ')}, which hold tenant data; only the reaping of a tenant past its retention and not on legal hold may`;
}
