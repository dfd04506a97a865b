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

const versioningOf = (status: string) => ({ versioning_configuration: [{ status }] });

describe('each protection of data, on its own', () => {
  const one = (address: string, before: Record<string, unknown>, after: Record<string, unknown>, context: { stack: string; held?: boolean } = data) => weakened(plan(update(address, before, after)), context);
  const lock = (enabled: string | undefined, days?: number) => ({ ...(enabled ? { object_lock_enabled: enabled } : {}), rule: days === undefined ? [] : [{ default_retention: [{ mode: 'GOVERNANCE', days }] }] });

  it('versioning: suspended is refused, turned on or kept on is not', () => {
    expect(one('aws_s3_bucket_versioning.v', versioningOf('Enabled'), versioningOf('Suspended'))).toEqual(['aws_s3_bucket_versioning.v: versioning_configuration.status "Enabled" -> "Suspended"']);
    expect(one('aws_s3_bucket_versioning.v', versioningOf('Suspended'), versioningOf('Enabled'))).toEqual([]);
    expect(one('aws_s3_bucket_versioning.v', versioningOf('Enabled'), versioningOf('Enabled'))).toEqual([]);
    // The provider gives a block as a list, or (older plans) as an object.
    expect(one('aws_s3_bucket_versioning.v', { versioning_configuration: { status: 'Enabled' } }, { versioning_configuration: { status: 'Disabled' } })).toHaveLength(1);
  });

  it('Object Lock: turned off is refused; its retention shortened or dropped only counts under a hold', () => {
    const address = 'aws_s3_bucket_object_lock_configuration.l';
    expect(one(address, lock('Enabled', 90), lock(undefined, 90))).toEqual([`${address}: object_lock_enabled "Enabled" -> none`]);
    expect(one(address, lock('Enabled', 90), lock('Enabled', 30))).toEqual([]);
    expect(one(address, lock('Enabled', 90), lock('Enabled', 30), { ...data, held: true })).toEqual([`${address}: rule.default_retention.days 90 -> 30`]);
    expect(one(address, lock('Enabled', 90), lock('Enabled', 120), { ...data, held: true })).toEqual([]);
    expect(one(address, lock('Enabled', 90), lock('Enabled', 90), { ...data, held: true })).toEqual([]);
    expect(one(address, lock('Enabled'), lock('Enabled', 30), { ...data, held: true })).toEqual([]);
  });

  it('lifecycle: a new rule that expires objects is refused, a disabled one or a longer one is not', () => {
    const address = 'aws_s3_bucket_lifecycle_configuration.c';
    const rule = (id: string, status: string, extra: Record<string, unknown>) => ({ id, status, ...extra });
    expect(one(address, { rule: [] }, { rule: [rule('sweep', 'Enabled', { expiration: [{ days: 7 }], noncurrent_version_expiration: [{ noncurrent_days: 3 }] })] })).toEqual([
      `${address}: rule sweep noncurrent_version_expiration.noncurrent_days "never" -> 3`,
      `${address}: rule sweep expiration.days "never" -> 7`,
    ]);
    expect(one(address, { rule: [] }, { rule: [rule('sweep', 'Disabled', { expiration: [{ days: 7 }] })] })).toEqual([]);
    expect(one(address, { rule: [rule('old', 'Enabled', { expiration: [{ days: 30 }] })] }, { rule: [rule('old', 'Enabled', { expiration: [{ days: 10 }] })] })).toEqual([`${address}: rule old expiration.days 30 -> 10`]);
    expect(one(address, { rule: [rule('old', 'Enabled', { expiration: [{ days: 30 }] })] }, { rule: [rule('old', 'Enabled', { expiration: [{ days: 60 }] })] })).toEqual([]);
    expect(one(address, { rule: [rule('old', 'Enabled', { noncurrent_version_expiration: [{ noncurrent_days: 30 }] })] }, { rule: [rule('old', 'Enabled', { noncurrent_version_expiration: [{ noncurrent_days: 60 }] })] })).toEqual([]);
    // Zero days, like none, means objects never expire.
    expect(one(address, { rule: [rule('old', 'Enabled', { expiration: [{ days: 0 }] })] }, { rule: [rule('old', 'Enabled', { expiration: [{ days: 400 }] })] })).toEqual([`${address}: rule old expiration.days 0 -> 400`]);
    expect(one(address, {}, {})).toEqual([]);
  });

  it('bucket policy: a deny without a name dropped, deletes opened; reads allowed and denies kept are not refused', () => {
    const address = 'aws_s3_bucket_policy.p';
    const policy = (...statements: object[]) => ({ policy: JSON.stringify({ Statement: statements }) });
    expect(one(address, policy({ Effect: 'Deny', Action: 's3:*' }), policy())).toEqual([`${address}: policy drops the deny a deny`]);
    expect(one(address, policy(), policy({ Effect: 'Allow', Action: 's3:DeleteObjectVersion' }))).toEqual([`${address}: policy allows s3:DeleteObjectVersion`]);
    for (const action of ['s3:*', 's3:PutBucketPolicy', 's3:PutLifecycleConfiguration', 's3:PutBucketObjectLockConfiguration']) {
      expect(one(address, policy(), policy({ Sid: 'Open', Effect: 'Allow', Action: [action] })), action).toEqual([`${address}: policy allows ${action} (Open)`]);
    }
    expect(one(address, policy({ Sid: 'Tls', Effect: 'Deny', Action: 's3:*' }), policy({ Sid: 'Tls', Effect: 'Deny', Action: 's3:*' }, { Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject', 'ec2:DeleteVolume'] }))).toEqual([]);
    // A policy given as one statement, not a list, reads the same.
    expect(one(address, { policy: JSON.stringify({ Statement: { Sid: 'Tls', Effect: 'Deny', Action: 's3:*' } }) }, policy())).toEqual([`${address}: policy drops the deny Tls`]);
    // A deny the hold does not own dropped with the hold lifted: refused all the same.
    expect(one(address, policy({ Sid: 'Tls', Effect: 'Deny', Action: 's3:*' }), policy(), { ...data, held: false })).toEqual([`${address}: policy drops the deny Tls`]);
    expect(one(address, { policy: 'not json' }, { policy: '' })).toEqual([]);
    expect(one(address, { policy: '{}' }, { policy: null } as Record<string, unknown>)).toEqual([]);
  });

  it('database: each protection on its own, and none for what grows it', () => {
    const address = 'aws_db_instance.d';
    expect(one(address, { deletion_protection: true }, { deletion_protection: null } as Record<string, unknown>)).toEqual([`${address}: deletion_protection true -> none`]);
    expect(one(address, { skip_final_snapshot: false }, { skip_final_snapshot: true })).toEqual([`${address}: skip_final_snapshot false -> true`]);
    expect(one(address, { delete_automated_backups: false }, { delete_automated_backups: true })).toEqual([`${address}: delete_automated_backups false -> true`]);
    expect(one(address, { backup_retention_period: 7 }, {})).toEqual([`${address}: backup_retention_period 7 -> none`]);
    expect(one(address, { final_snapshot_identifier: 'final' }, { final_snapshot_identifier: '' })).toEqual([`${address}: final_snapshot_identifier "final" -> ""`]);
    expect(one(address, { publicly_accessible: false }, { publicly_accessible: true })).toEqual([`${address}: publicly_accessible false -> true`]);
    expect(one(address,
      { deletion_protection: true, skip_final_snapshot: true, delete_automated_backups: true, publicly_accessible: true, final_snapshot_identifier: null },
      { deletion_protection: true, skip_final_snapshot: true, delete_automated_backups: true, publicly_accessible: true, final_snapshot_identifier: 'final', backup_retention_period: 1 })).toEqual([]);
  });

  it('backups: force destroy on a vault, a shorter vault lock, a shorter kept backup; longer ones are not refused', () => {
    expect(one('aws_backup_vault.v', { force_destroy: true }, { force_destroy: true })).toEqual([]);
    expect(one('aws_backup_vault.v', {}, { force_destroy: true })).toEqual(['aws_backup_vault.v: force_destroy none -> true']);
    expect(one('aws_backup_vault_lock_configuration.l', { min_retention_days: 30 }, { min_retention_days: 7 })).toEqual(['aws_backup_vault_lock_configuration.l: min_retention_days 30 -> 7']);
    expect(one('aws_backup_vault_lock_configuration.l', { min_retention_days: 7 }, { min_retention_days: 30 })).toEqual([]);
    expect(one('aws_backup_vault_lock_configuration.l', { min_retention_days: 7 }, {})).toEqual(['aws_backup_vault_lock_configuration.l: min_retention_days 7 -> none']);
    const backupPlan = (deleteAfter?: number) => ({ rule: [{ rule_name: 'daily', lifecycle: deleteAfter === undefined ? [] : [{ delete_after: deleteAfter }] }] });
    expect(one('aws_backup_plan.p', backupPlan(90), backupPlan(30))).toEqual(['aws_backup_plan.p: rule daily lifecycle.delete_after 90 -> 30']);
    expect(one('aws_backup_plan.p', backupPlan(), backupPlan(30))).toEqual([]);
    expect(one('aws_backup_plan.p', { rule: [] }, backupPlan(30))).toEqual([]);
    expect(one('aws_backup_plan.p', {}, {})).toEqual([]);
  });

  it('a data stack\'s key: a deny added without a name, a deny it had kept; its window read as 30 days when unset', () => {
    const address = 'aws_kms_key.k';
    const policy = (...statements: object[]) => JSON.stringify({ Statement: statements });
    expect(one(address, { policy: policy() }, { policy: policy({ Effect: 'Deny', Action: ['kms:Decrypt', 'kms:Encrypt'] }) })).toEqual([`${address}: policy adds the deny kms:Decrypt, kms:Encrypt`]);
    expect(one(address, { policy: policy({ Sid: 'D', Effect: 'Deny', Action: 'kms:*' }) }, { policy: policy({ Sid: 'D', Effect: 'Deny', Action: 'kms:*' }, { Sid: 'A', Effect: 'Allow', Action: 'kms:*' }) })).toEqual([]);
    expect(one(address, { policy: policy({ Sid: 'D', Effect: 'Allow', Action: 'kms:*' }) }, { policy: policy({ Sid: 'D', Effect: 'Deny', Action: 'kms:*' }) })).toEqual([`${address}: policy adds the deny D kms:*`]);
    expect(one(address, {}, { deletion_window_in_days: 7 })).toEqual([`${address}: deletion_window_in_days none -> 7`]);
    expect(one(address, { deletion_window_in_days: 7 }, {})).toEqual([]);
    expect(one(address, { is_enabled: false }, { is_enabled: false })).toEqual([]);
  });

  it('a data stack\'s logs: kept for less than a finite retention, or under a hold for less than forever; their key removed', () => {
    const address = 'aws_cloudwatch_log_group.g';
    expect(one(address, { retention_in_days: 0 }, { retention_in_days: 90 })).toEqual([]);
    expect(one(address, { retention_in_days: 0 }, { retention_in_days: 90 }, { ...data, held: true })).toEqual([`${address}: retention_in_days 0 -> 90`]);
    expect(one(address, { retention_in_days: 90 }, { retention_in_days: 0 })).toEqual([]);
    expect(one(address, { kms_key_id: 'arn:aws:kms:us-east-1:111122223333:key/k' }, { kms_key_id: null } as Record<string, unknown>)).toEqual([`${address}: kms_key_id "arn:aws:kms:us-east-1:111122223333:key/k" -> none`]);
    expect(one(address, {}, { kms_key_id: 'arn:aws:kms:us-east-1:111122223333:key/k' })).toEqual([]);
  });

  it('reads only managed resources that change in place, and a compute stack\'s data protections but not its key and logs', () => {
    const compute = { stack: 'tenant-acme-compute' };
    expect(weakened({ format_version: '1.2', resource_changes: [
      { address: 'data.aws_s3_bucket.b', mode: 'data', type: 'aws_s3_bucket', change: { actions: ['delete'] } },
      { address: 'aws_db_instance.d', mode: 'managed', type: 'aws_db_instance', change: { actions: ['create'], before: { deletion_protection: true }, after: { deletion_protection: false } } },
      { address: 'aws_db_instance.e', mode: 'managed', type: 'aws_db_instance', change: { actions: ['update'], before: null, after: { deletion_protection: false } } },
      { address: 'aws_db_instance.f', mode: 'managed', type: 'aws_db_instance', change: { actions: ['update'], before: { deletion_protection: true }, after: null } },
      { address: 'aws_iam_role.r', mode: 'managed', type: 'aws_iam_role', change: { actions: ['update'], before: { force_destroy: false }, after: { force_destroy: true } } },
    ] }, data)).toEqual([]);
    // A change's type, when the plan leaves it out, read from its address.
    expect(dataLoss({ format_version: '1.2', resource_changes: [{ address: 'module.m.aws_s3_bucket.b', change: { actions: ['delete'] } }] }, data)).toEqual(['module.m.aws_s3_bucket.b']);
    expect(weakened(plan(update('aws_db_instance.d', { publicly_accessible: false }, { publicly_accessible: true })), compute)).toEqual(['aws_db_instance.d: publicly_accessible false -> true']);
    expect(weakened(plan(update('aws_cloudwatch_log_group.g', { retention_in_days: 90 }, { retention_in_days: 1 })), compute)).toEqual([]);
    expect(weakened(plan(['aws_s3_bucket_versioning.v', ['delete']], ['aws_backup_plan.p', ['delete']]), compute)).toEqual([]);
    expect(weakened(plan(['aws_s3_bucket_public_access_block.b', ['delete']], ['aws_s3_bucket_object_lock_configuration.l', ['delete']], ['aws_s3_bucket_policy.p', ['delete']]))).toEqual([
      'aws_s3_bucket_object_lock_configuration.l: aws_s3_bucket_object_lock_configuration deleted',
      'aws_s3_bucket_policy.p: aws_s3_bucket_policy deleted',
      'aws_s3_bucket_public_access_block.b: aws_s3_bucket_public_access_block deleted',
    ]);
  });

  it('says a refusal of destroys alone, or of weakenings alone', () => {
    expect(dataRiskRefusal([{ address: 'aws_s3_bucket.b', risk: 'destroys' }, { address: 'aws_db_instance.d', risk: 'destroys' }]))
      .toBe('refused: the saved plan destroys aws_s3_bucket.b, aws_db_instance.d, which hold tenant data; only the reaping of a tenant past its retention and not on legal hold may');
    expect(dataRiskRefusal([{ address: 'aws_s3_bucket_versioning.v', risk: 'weakens', detail: 'x' }, { address: 'aws_kms_key.k', risk: 'weakens', detail: 'y' }]))
      .toBe('refused: the saved plan weakens the protection of tenant data (aws_s3_bucket_versioning.v: x; aws_kms_key.k: y); only the reaping of a tenant past its retention and not on legal hold may');
  });

  it('counts a plan as a change only for a resource or output that changes', () => {
    expect(planChanges(plan(['aws_s3_bucket.b', ['create']]))).toBe(true);
    expect(planChanges(plan(['aws_s3_bucket.b', ['no-op']]))).toBe(false);
    expect(planChanges({ ...plan(), output_changes: { a: { actions: ['no-op'] } } })).toBe(false);
    expect(planChanges({ format_version: '1.2' })).toBe(false);
  });

  it('leaves alone what changes beside a protection that stays as it was', () => {
    const tags = (value: string, extra: Record<string, unknown>) => ({ tags: { team: value }, ...extra });
    const cases: [string, Record<string, unknown>][] = [
      ['aws_s3_bucket.b', { force_destroy: false }],
      ['aws_s3_bucket.b', { force_destroy: true }],
      ['aws_s3_bucket_versioning.v', {}],
      ['aws_s3_bucket_versioning.v', versioningOf('Suspended')],
      ['aws_s3_bucket_object_lock_configuration.l', { rule: [] }],
      ['aws_backup_vault.v', {}],
      ['aws_backup_vault_lock_configuration.l', { min_retention_days: 30 }],
      ['aws_backup_plan.p', { rule: [{ rule_name: 'daily', lifecycle: [{ delete_after: 30 }] }] }],
      ['aws_cloudwatch_log_group.g', { retention_in_days: 90 }],
    ];
    for (const [address, protection] of cases) {
      for (const held of [false, true]) expect(weakened(plan(update(address, tags('a', protection), tags('b', protection))), { ...data, held }), `${address} held: ${held}`).toEqual([]);
    }
    expect(weakened(plan(update('aws_s3_bucket_versioning.v', versioningOf('Suspended'), versioningOf('Disabled'))))).toEqual([]);
    expect(weakened(plan(update('aws_s3_bucket_versioning.v', {}, versioningOf('Enabled'))))).toEqual([]);
  });

  it('reads old versions\' expiry added to a rule that only expired current objects as never expiring before', () => {
    const address = 'aws_s3_bucket_lifecycle_configuration.c';
    expect(weakened(plan(update(address,
      { rule: [{ id: 'r', status: 'Enabled', expiration: [{ days: 30 }] }] },
      { rule: [{ id: 'r', status: 'Enabled', expiration: [{ days: 30 }], noncurrent_version_expiration: [{ noncurrent_days: 3 }] }] })))).toEqual([
      `${address}: rule r noncurrent_version_expiration.noncurrent_days "never" -> 3`,
    ]);
  });

  it('bucket policy: a deny turned into an allow of the same name is dropped; an allow removed is not; any delete among reads opens', () => {
    const address = 'aws_s3_bucket_policy.p';
    const policy = (...statements: object[]) => ({ policy: JSON.stringify({ Statement: statements }) });
    expect(weakened(plan(update(address, policy({ Sid: 'Tls', Effect: 'Deny', Action: 's3:*' }), policy({ Sid: 'Tls', Effect: 'Allow', Action: 's3:GetObject' }))))).toEqual([`${address}: policy drops the deny Tls`]);
    expect(weakened(plan(update(address, policy({ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject' }), policy())))).toEqual([]);
    expect(weakened(plan(update(address, policy(), policy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:DeleteObject'] }))))).toEqual([`${address}: policy allows s3:GetObject, s3:DeleteObject`]);
  });

  it('a data stack\'s key: a deny with no action named says so plainly', () => {
    expect(weakened(plan(update('aws_kms_key.k', { policy: JSON.stringify({ Statement: [] }) }, { policy: JSON.stringify({ Statement: [{ Sid: 'D', Effect: 'Deny' }] }) })))).toEqual(['aws_kms_key.k: policy adds the deny D']);
    const denies = (...sids: string[]) => ({ policy: JSON.stringify({ Statement: sids.map((Sid) => ({ Sid, Effect: 'Deny', Action: 'kms:Decrypt' })) }) });
    expect(weakened(plan(update('aws_kms_key.k', denies('Old'), denies('Old', 'New'))))).toEqual(['aws_kms_key.k: policy adds the deny New kms:Decrypt']);
  });

  it('refuses each protection of a data stack deleted, and reads stack kinds and types from names with dots and dashes', () => {
    const protecting = ['aws_s3_bucket_versioning.v', 'aws_s3_bucket_object_lock_configuration.l', 'aws_s3_bucket_policy.p', 'aws_s3_bucket_public_access_block.b', 'aws_backup_plan.p', 'aws_backup_selection.s', 'aws_backup_vault_lock_configuration.l'];
    for (const held of [false, true]) {
      expect(weakened(plan(...protecting.map((address): Change => [address, ['delete']])), { ...data, held })).toEqual([...protecting].sort().map((address) => `${address}: ${address.split('.')[0]} deleted`));
    }
    expect(dataRisks(plan(['aws_s3_bucket_versioning.v', ['delete']]), data)).toEqual([{ address: 'aws_s3_bucket_versioning.v', risk: 'weakens', detail: 'aws_s3_bucket_versioning deleted' }]);
    expect(resourceTypeOf('module.m["eu.west-1"].aws_s3_bucket.b["a.b"]')).toBe('aws_s3_bucket');
    expect(resourceTypeOf('module.m')).toBe('');
    expect(stackKindOf('tenant-data-lake-compute')).toBe('compute');
    expect(stackKindOf('tenant-workload-co-data')).toBe('data');
  });

  it('counts only destroys as data loss, and equal retentions as no weakening', () => {
    expect(dataLoss(plan(update('aws_db_instance.d', { deletion_protection: true }, { deletion_protection: false })), data)).toEqual([]);
    expect(weakened(plan(
      update('aws_backup_vault_lock_configuration.l', { min_retention_days: 30, tags: {} }, { min_retention_days: 30, tags: { a: 'b' } }),
      update('aws_backup_plan.p', { rule: [{ rule_name: 'daily', lifecycle: [{ delete_after: 30 }], tags: {} }] }, { rule: [{ rule_name: 'daily', lifecycle: [{ delete_after: 30 }], tags: { a: 'b' } }] }),
      update('aws_cloudwatch_log_group.g', { retention_in_days: 90, tags: {} }, { retention_in_days: 90, tags: { a: 'b' } }),
    ), { ...data, held: true })).toEqual([]);
  });

  it('counts a plan as a change when any one resource or output changes', () => {
    expect(planChanges(plan(['aws_s3_bucket.a', ['no-op']], ['aws_s3_bucket.b', ['update']]))).toBe(true);
    expect(planChanges({ ...plan(), output_changes: { a: { actions: ['no-op'] }, b: { actions: ['create'] } } })).toBe(true);
  });
});

