import { describe, expect, it } from 'vitest';
import { applyFailureReason } from './apply-failure';

/** Terraform's framed diagnostic, as `terraform apply` prints it on stderr. */
const framed = (summary: string, address: string) => [
  '╷', `│ Error: ${summary}`, '│ ', `│   with ${address},`, `│   on cdk.tf.json line 412, in resource "${address.split('.')[0]}" "${address.split('.')[1]}":`, '│  412:       }', '│ ', '╵', '',
].join('\n');

describe('why an apply failed', () => {
  it('names a failed migration Job, says the old version serves, and where its log is', () => {
    const reason = applyFailureReason(framed('job: tenant-oscorp/migrate-2-15-0 is in failed state', 'kubernetes_job_v1.migration_job'));
    expect(reason).toBe('migration migrate-2-15-0 failed: the old version keeps serving (kubectl logs -n tenant-oscorp job/migrate-2-15-0); the next apply runs it again');
  });

  it('names a migration that ran out of time', () => {
    expect(applyFailureReason(framed('job: tenant-oscorp/migrate-2-15-0 is not in complete state', 'kubernetes_job_v1.migration_job'))).toMatch(/^migration migrate-2-15-0 did not finish in its timeoutMinutes/);
  });

  it('gives the first errors of any other failure, unframed, and never a migration for another job', () => {
    const stderr = framed('job: tenant-acme/database-user-postgres is in failed state', 'kubernetes_job_v1.database-user_job') + framed('creating S3 Bucket: AccessDenied', 'aws_s3_bucket.bucket');
    expect(applyFailureReason(stderr)).toBe('job: tenant-acme/database-user-postgres is in failed state; creating S3 Bucket: AccessDenied');
    expect(applyFailureReason('plain failure\n')).toBe('plain failure');
  });
});
