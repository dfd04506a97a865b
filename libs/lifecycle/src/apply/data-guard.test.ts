import { describe, expect, it } from 'vitest';
import { dataLoss, holdsData } from './data-guard';

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
});

describe('data loss in a saved plan', () => {
  const plan = (...changes: [string, string[]][]) => ({ resource_changes: changes.map(([address, actions]) => ({ address, mode: 'managed', change: { actions } })) });

  it('is every delete or replacement of what holds data, read from the plan', () => {
    expect(dataLoss(plan(
      ['aws_s3_bucket.bucket_bucket', ['delete']],
      ['aws_db_instance.database_instance', ['create', 'delete']],
      ['aws_backup_vault.backups_vault', ['delete', 'create']],
      ['aws_kms_key.key_key', ['no-op']],
      ['aws_db_parameter_group.database_parameters', ['create', 'delete']],
      ['aws_s3_bucket_lifecycle_configuration.bucket_lifecycle', ['update']],
    ), 'data')).toEqual(['aws_backup_vault.backups_vault', 'aws_db_instance.database_instance', 'aws_s3_bucket.bucket_bucket']);
  });

  it('is nothing for a plan that creates, updates or replaces only what holds no data', () => {
    expect(dataLoss(plan(['aws_kms_key.cluster_key_key', ['delete']], ['aws_eks_cluster.cluster_cluster', ['delete']]), 'compute')).toEqual([]);
    expect(dataLoss({ resource_changes: [] }, 'data')).toEqual([]);
  });

  it('refuses to judge a plan it cannot read', () => {
    expect(() => dataLoss({}, 'data')).toThrow(/no resource_changes/);
  });
});
