import { describe, expect, it } from 'vitest';
import { dataLoss, dataRiskRefusal, dataRisks, holdsData, planChanges, resourceTypeOf, stackKindOf } from './data-guard';

describe('what holds tenant data', () => {
  it('is every bucket, database and backup vault, and the data stack\'s key and log groups', () => {
    for (const address of ['aws_s3_bucket.bucket_bucket', 'aws_db_instance.database_instance', 'aws_backup_vault.backups_vault', 'aws_kms_key.key_key', 'aws_cloudwatch_log_group.database_logs-postgresql']) {
      expect(holdsData(address, 'data'), address).toBe(true);
    }
    expect(holdsData('aws_db_instance.database_instance', 'compute')).toBe(true);
  });

  it('is not a cluster\'s key or logs, nor anything else of compute or workload, nor what only configures data', () => {
    expect(holdsData('aws_kms_key.cluster_key_key', 'compute')).toBe(false);
    expect(holdsData('aws_cloudwatch_log_group.cluster_logs', 'compute')).toBe(false);
    expect(holdsData('aws_eks_cluster.cluster_cluster', 'compute')).toBe(false);
    expect(holdsData('aws_iam_role.identity_role', 'workload')).toBe(false);
    expect(holdsData('aws_db_parameter_group.database_parameters', 'data')).toBe(false);
  });

  it('reads a resource\'s type through modules, indexes and data sources', () => {
    expect(resourceTypeOf('module.m.aws_s3_bucket.bucket_bucket')).toBe('aws_s3_bucket');
    expect(resourceTypeOf('module.a["x"].module.b[0].aws_kms_key.key["k"]')).toBe('aws_kms_key');
    expect(resourceTypeOf('data.aws_iam_policy_document.trust')).toBe('aws_iam_policy_document');
    expect(holdsData('module.m.aws_kms_key.key_key', 'data')).toBe(true);
  });

  it('knows a stack\'s kind from its name', () => {
    expect(['tenant-acme-data', 'tenant-acme-compute', 'tenant-acme-workload', 'cell-blue-1', 'pool-shared-1', 'control-plane', 'account-provider'].map(stackKindOf))
      .toEqual(['data', 'compute', 'workload', 'cell', 'pool', 'control-plane', 'account']);
  });
});

type Change = [address: string, actions: string[], before?: Record<string, unknown>, after?: Record<string, unknown>];
const plan = (...changes: Change[]) => ({
  format_version: '1.2',
  resource_changes: changes.map(([address, actions, before, after]) => ({ address, mode: 'managed', type: resourceTypeOf(address), change: { actions, before: before ?? null, after: after ?? null } })),
});
const update = (address: string, before: Record<string, unknown>, after: Record<string, unknown>): Change => [address, ['update'], before, after];
const data = { stack: 'tenant-acme-data' };
const weakened = (p: unknown, context: { stack: string; held?: boolean } = data) => dataRisks(p, context).map((r) => `${r.address}: ${r.detail}`);

describe('data loss in a saved plan', () => {
  it('is every delete or replacement of what holds data, read from the plan', () => {
    expect(dataLoss(plan(
      ['aws_s3_bucket.bucket_bucket', ['delete']],
      ['aws_db_instance.database_instance', ['create', 'delete']],
      ['aws_backup_vault.backups_vault', ['delete', 'create']],
      ['aws_kms_key.key_key', ['no-op']],
      ['aws_db_parameter_group.database_parameters', ['create', 'delete']],
      ['aws_s3_bucket_lifecycle_configuration.bucket_lifecycle', ['update'], { rule: [] }, { rule: [] }],
    ), data)).toEqual(['aws_backup_vault.backups_vault', 'aws_db_instance.database_instance', 'aws_s3_bucket.bucket_bucket']);
  });

  it('sees what holds data inside a module as it sees it outside one', () => {
    expect(dataLoss(plan(
      ['module.m.aws_s3_bucket.bucket_bucket', ['delete']], ['module.m.aws_db_instance.database_instance', ['delete']], ['module.m.aws_kms_key.key_key', ['delete']],
      ['module.m.aws_cloudwatch_log_group.database_logs-error', ['delete']], ['module.m.aws_backup_vault.backups_vault', ['delete']],
    ), data)).toEqual(['module.m.aws_backup_vault.backups_vault', 'module.m.aws_cloudwatch_log_group.database_logs-error', 'module.m.aws_db_instance.database_instance', 'module.m.aws_kms_key.key_key', 'module.m.aws_s3_bucket.bucket_bucket']);
  });

  it('takes the stack\'s kind from its name: a data stack\'s key and logs hold data whatever a record says', () => {
    const keyGone = plan(['aws_kms_key.key_key', ['delete']], ['aws_cloudwatch_log_group.flow-logs_logs', ['delete']]);
    expect(dataLoss(keyGone, { stack: 'tenant-acme-data' })).toEqual(['aws_cloudwatch_log_group.flow-logs_logs', 'aws_kms_key.key_key']);
    expect(dataLoss(keyGone, { stack: 'tenant-acme-compute' })).toEqual([]);
  });

  it('is nothing for a plan that creates, updates or replaces only what holds no data', () => {
    expect(dataLoss(plan(['aws_kms_key.cluster_key_key', ['delete']], ['aws_eks_cluster.cluster_cluster', ['delete']]), { stack: 'tenant-acme-compute' })).toEqual([]);
    expect(dataLoss({ format_version: '1.2', resource_changes: [] }, data)).toEqual([]);
  });

  it('reads a plan that changes nothing (Terraform leaves out resource_changes), and refuses what is not a plan', () => {
    expect(dataRisks({ format_version: '1.2', planned_values: {} }, data)).toEqual([]);
    expect(planChanges({ format_version: '1.2', planned_values: {} })).toBe(false);
    expect(planChanges(plan(['aws_kms_key.key_key', ['no-op']], ['aws_iam_policy_document.x', ['read']]))).toBe(false);
    expect(planChanges({ ...plan(), output_changes: { tenancy_configuration: { actions: ['update'] } } })).toBe(true);
    expect(() => dataRisks({}, data)).toThrow(/not a Terraform plan/);
  });
});

describe('weakening in place', () => {
  it('refuses what the purge configuration does to a live tenant: protections off, force destroy, no final snapshot', () => {
    expect(weakened(plan(
      update('aws_s3_bucket.bucket_bucket', { force_destroy: false }, { force_destroy: true }),
      update('aws_db_instance.database_instance', { deletion_protection: true, skip_final_snapshot: false, delete_automated_backups: false, final_snapshot_identifier: 'tenant-acme-final-k', backup_retention_period: 14 },
        { deletion_protection: false, skip_final_snapshot: true, delete_automated_backups: true, final_snapshot_identifier: null, backup_retention_period: 0 }),
      update('aws_backup_vault.backups_vault', { force_destroy: false }, { force_destroy: true }),
    ))).toEqual([
      'aws_backup_vault.backups_vault: force_destroy false -> true',
      'aws_db_instance.database_instance: deletion_protection true -> false',
      'aws_db_instance.database_instance: skip_final_snapshot false -> true',
      'aws_db_instance.database_instance: delete_automated_backups false -> true',
      'aws_db_instance.database_instance: backup_retention_period 14 -> 0',
      'aws_db_instance.database_instance: final_snapshot_identifier "tenant-acme-final-k" -> none',
      'aws_s3_bucket.bucket_bucket: force_destroy false -> true',
    ]);
  });

  it('refuses what IAM cannot see in a ModifyDBInstance: a database made public, or its automated backups cut below what they were', () => {
    // rds:ModifyDBInstance has no condition key for either (only rds:ManageMasterUserPassword): this guard is the only one.
    expect(weakened(plan(update('aws_db_instance.database_instance', { publicly_accessible: false, backup_retention_period: 14 }, { publicly_accessible: true, backup_retention_period: 1 })))).toEqual([
      'aws_db_instance.database_instance: backup_retention_period 14 -> 1',
      'aws_db_instance.database_instance: publicly_accessible false -> true',
    ]);
  });

  it('refuses shorter expiry of old versions, expiry of current objects, and the end of backups', () => {
    const rule = (id: string, days: number, extra: Record<string, unknown> = {}) => ({ id, status: 'Enabled', noncurrent_version_expiration: [{ noncurrent_days: days }], ...extra });
    expect(weakened(plan(
      update('aws_s3_bucket_lifecycle_configuration.bucket_lifecycle', { rule: [rule('expire-old-versions', 90)] }, { rule: [rule('expire-old-versions', 1, { expiration: [{ days: 1 }] })] }),
      update('aws_backup_plan.backups_plan', { rule: [{ rule_name: 'daily', lifecycle: [{ delete_after: 90 }] }] }, { rule: [] }),
      ['aws_backup_selection.backups_selection', ['delete']],
    ))).toEqual([
      'aws_backup_plan.backups_plan: rule daily removed: no more backups',
      'aws_backup_selection.backups_selection: aws_backup_selection deleted',
      'aws_s3_bucket_lifecycle_configuration.bucket_lifecycle: rule expire-old-versions noncurrent_version_expiration.noncurrent_days 90 -> 1',
      'aws_s3_bucket_lifecycle_configuration.bucket_lifecycle: rule expire-old-versions expiration.days "never" -> 1',
    ]);
  });

  it('refuses a data key disabled, its window shortened, or a policy that denies, and logs kept for less', () => {
    const policy = (...sids: string[]) => JSON.stringify({ Statement: sids.map((Sid) => ({ Sid, Effect: 'Deny', Action: 'kms:*', Principal: '*' })) });
    expect(weakened(plan(
      update('aws_kms_key.key_key', { is_enabled: true, deletion_window_in_days: 30, policy: policy() }, { is_enabled: false, deletion_window_in_days: 7, policy: policy('DenyAll') }),
      update('aws_cloudwatch_log_group.database_logs-error', { retention_in_days: 2557 }, { retention_in_days: 90 }),
    ))).toEqual([
      'aws_cloudwatch_log_group.database_logs-error: retention_in_days 2557 -> 90',
      'aws_kms_key.key_key: is_enabled true -> false',
      'aws_kms_key.key_key: deletion_window_in_days 30 -> 7',
      'aws_kms_key.key_key: policy adds the deny DenyAll kms:*',
    ]);
    // A cluster's key and logs are not the tenant's data.
    expect(weakened(plan(update('aws_kms_key.cluster_key_key', { is_enabled: true }, { is_enabled: false })), { stack: 'tenant-acme-compute' })).toEqual([]);
  });

  it('refuses a bucket policy that drops its denies or opens deletes and bypasses', () => {
    const policy = (statements: object[]) => ({ policy: JSON.stringify({ Statement: statements }) });
    const tls = { Sid: 'DenyRequestsWithoutTls', Effect: 'Deny', Action: 's3:*' };
    expect(weakened(plan(update('aws_s3_bucket_policy.bucket_policy', policy([tls]), policy([{ Sid: 'Open', Effect: 'Allow', Action: ['s3:BypassGovernanceRetention'] }]))))).toEqual([
      'aws_s3_bucket_policy.bucket_policy: policy drops the deny DenyRequestsWithoutTls',
      'aws_s3_bucket_policy.bucket_policy: policy allows s3:BypassGovernanceRetention (Open)',
    ]);
  });

  it('lets a lifted legal hold return data to its retention, and refuses the same under the hold', () => {
    const hold = { Sid: 'LegalHoldKeepsEveryVersion', Effect: 'Deny', Action: ['s3:DeleteObjectVersion', 's3:BypassGovernanceRetention'] };
    const lift = plan(
      update('aws_s3_bucket_lifecycle_configuration.bucket_lifecycle',
        { rule: [{ id: 'expire-old-versions', status: 'Disabled', noncurrent_version_expiration: [{ noncurrent_days: 90 }] }] },
        { rule: [{ id: 'expire-old-versions', status: 'Enabled', noncurrent_version_expiration: [{ noncurrent_days: 90 }] }] }),
      update('aws_s3_bucket_policy.bucket_policy', { policy: JSON.stringify({ Statement: [hold] }) }, { policy: JSON.stringify({ Statement: [] }) }),
      update('aws_s3_bucket_object_lock_configuration.bucket_object-lock', { object_lock_enabled: 'Enabled', rule: [{ default_retention: [{ mode: 'GOVERNANCE', days: 90 }] }] }, { object_lock_enabled: 'Enabled', rule: [] }),
      update('aws_backup_plan.backups_plan', { rule: [{ rule_name: 'daily', lifecycle: [] }] }, { rule: [{ rule_name: 'daily', lifecycle: [{ delete_after: 90 }] }] }),
    );
    expect(weakened(lift, { stack: 'tenant-acme-data', held: false })).toEqual([]);
    // The vault's lock is no hold's: it stays until the purge, whether a hold is lifted or not.
    for (const held of [false, true]) {
      expect(weakened(plan(['aws_backup_vault_lock_configuration.backups_lock', ['delete']]), { stack: 'tenant-acme-data', held })).toEqual([
        'aws_backup_vault_lock_configuration.backups_lock: aws_backup_vault_lock_configuration deleted',
      ]);
    }
    expect(weakened(lift, { stack: 'tenant-acme-data', held: true })).toEqual([
      'aws_backup_plan.backups_plan: rule daily lifecycle.delete_after "never" -> 90',
      'aws_s3_bucket_lifecycle_configuration.bucket_lifecycle: rule expire-old-versions noncurrent_version_expiration.noncurrent_days "never" -> 90',
      'aws_s3_bucket_object_lock_configuration.bucket_object-lock: rule.default_retention.days 90 -> none',
      'aws_s3_bucket_policy.bucket_policy: policy drops the deny LegalHoldKeepsEveryVersion',
    ]);
  });

  it('lets protection grow: longer retention, backups kept longer, deletion protection on', () => {
    expect(weakened(plan(
      update('aws_db_instance.database_instance', { deletion_protection: false, backup_retention_period: 7 }, { deletion_protection: true, backup_retention_period: 14 }),
      update('aws_cloudwatch_log_group.database_logs-error', { retention_in_days: 90 }, { retention_in_days: 365 }),
      update('aws_backup_plan.backups_plan', { rule: [{ rule_name: 'daily', lifecycle: [{ delete_after: 30 }] }] }, { rule: [{ rule_name: 'daily', lifecycle: [{ delete_after: 90 }] }] }),
    ))).toEqual([]);
  });

  it('says what it refuses: each destroyed address, and each weakened attribute before and after', () => {
    const risks = dataRisks(plan(['aws_s3_bucket.bucket_bucket', ['delete']], update('aws_db_instance.database_instance', { deletion_protection: true }, { deletion_protection: false })), data);
    expect(dataRiskRefusal(risks)).toBe('refused: the saved plan destroys aws_s3_bucket.bucket_bucket, which hold tenant data, and weakens the protection of tenant data (aws_db_instance.database_instance: deletion_protection true -> false); only the reaping of a tenant past its retention and not on legal hold may');
  });
});
