import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import type { KmsKey } from '@cdktf/provider-aws/lib/kms-key';

export interface TenantBucketProps {
  /** Globally unique bucket name. */
  readonly name: string;
  /** KMS key that encrypts every object. */
  readonly key: KmsKey;
  /**
   * Days a replaced or deleted object version is kept.
   * @default 30
   */
  readonly noncurrentVersionDays?: number;
  /**
   * S3 Object Lock: enabled on the bucket (new buckets are created with it; an existing bucket has
   * it turned on in place), so that a legal hold can lock versions.
   * @default false
   */
  readonly objectLock?: boolean;
  /**
   * A legal hold: no version ever expires, no one may delete a version or bypass a lock, and every
   * version written during the hold is locked in governance mode for `lockDays`. Needs `objectLock`.
   * @default no hold
   */
  readonly legalHold?: { readonly lockDays: number };
  /**
   * Purge mode: the bucket may be destroyed, objects included. Only for data past its retention.
   * @default false
   */
  readonly purge?: boolean;
  /**
   * S3 Bucket Keys: fewer KMS requests, but KMS then sees the bucket rather than each object, so key
   * policies and IAM conditions cannot tell objects apart by `kms:EncryptionContext:aws:s3:arn`.
   * @default true
   */
  readonly bucketKey?: boolean;
  /**
   * The bucket S3 server access logs of every request go to, each under this bucket's name.
   * @default no access logs
   */
  readonly accessLogs?: { readonly bucket: string };
}

/**
 * A private bucket: versioned, SSE-KMS with its own key, all public access blocked, ACLs disabled,
 * a policy that refuses any request not made over TLS, old versions expired after their
 * retention unless a legal hold keeps them, and every request logged to the account's log bucket. It holds a tenant's data, or the fleet's Terraform state.
 */
export class TenantBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: TenantBucketProps) {
    super(scope, id);
    const days = props.noncurrentVersionDays ?? 30;
    if (!Number.isInteger(days) || days < 1) throw new Error(`noncurrentVersionDays must be a whole number >= 1, got ${days}`);
    const purge = props.purge ?? false;
    const objectLock = props.objectLock ?? false;
    if (props.legalHold && !objectLock) throw new Error(`bucket ${props.name}: a legal hold needs objectLock`);
    if (props.legalHold && purge) throw new Error(`bucket ${props.name} is on legal hold and cannot be purged`);
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.name,
      forceDestroy: purge,
      ...(objectLock ? { objectLockEnabled: true } : {}),
      // A bucket made before Object Lock was turned on gets it from its lock configuration, not by being replaced.
      lifecycle: { ...(purge ? {} : { preventDestroy: true }), ...(objectLock ? { ignoreChanges: ['object_lock_enabled'] } : {}) },
    });
    const versioning = new S3BucketVersioningA(this, 'versioning', { bucket: this.bucket.id, versioningConfiguration: { status: 'Enabled' } });
    if (objectLock) {
      new S3BucketObjectLockConfigurationA(this, 'object-lock', {
        bucket: this.bucket.id,
        objectLockEnabled: 'Enabled',
        ...(props.legalHold ? { rule: { defaultRetention: { mode: 'GOVERNANCE', days: props.legalHold.lockDays } } } : {}),
        dependsOn: [versioning],
      });
    }
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [{ bucketKeyEnabled: props.bucketKey ?? true, applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.key.arn } }],
    });
    new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: this.bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket: this.bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    if (props.accessLogs) {
      new S3BucketLoggingA(this, 'access-logs', { bucket: this.bucket.id, targetBucket: props.accessLogs.bucket, targetPrefix: `${props.name}/` });
    }
    const tlsOnly = new DataAwsIamPolicyDocument(this, 'tls-only', {
      statement: [
        {
          sid: 'DenyRequestsWithoutTls',
          effect: 'Deny',
          principals: [{ type: '*', identifiers: ['*'] }],
          actions: ['s3:*'],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
        ...(props.legalHold ? [{
          sid: 'LegalHoldKeepsEveryVersion',
          effect: 'Deny',
          principals: [{ type: '*', identifiers: ['*'] }],
          actions: ['s3:DeleteObjectVersion', 's3:BypassGovernanceRetention'],
          resources: [`${this.bucket.arn}/*`],
        }] : []),
      ],
    });
    new S3BucketPolicy(this, 'policy', { bucket: this.bucket.id, policy: tlsOnly.json });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: this.bucket.id,
      rule: [
        { id: 'expire-old-versions', status: props.legalHold ? 'Disabled' : 'Enabled', filter: [{ prefix: '' }], noncurrentVersionExpiration: [{ noncurrentDays: days }] },
        { id: 'abort-incomplete-uploads', status: 'Enabled', filter: [{ prefix: '' }], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] },
      ],
    });
  }
}
