import { describe, expect, it } from 'vitest';
import { holdsData } from './plan-stacks';

describe('what holds tenant data', () => {
  it('is every bucket and database, and the data stack\'s key', () => {
    expect(holdsData('aws_s3_bucket.bucket_bucket', 'data')).toBe(true);
    expect(holdsData('aws_db_instance.database_instance', 'compute')).toBe(true);
    expect(holdsData('aws_kms_key.key_key', 'data')).toBe(true);
  });

  it('is not a cluster\'s key, nor anything else of compute or workload', () => {
    expect(holdsData('aws_kms_key.cluster_key_key', 'compute')).toBe(false);
    expect(holdsData('aws_eks_cluster.cluster_cluster', 'compute')).toBe(false);
    expect(holdsData('aws_iam_role.identity_role', 'workload')).toBe(false);
  });
});
