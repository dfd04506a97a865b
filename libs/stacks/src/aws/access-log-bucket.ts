import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { policy, terraformPolicy, type PolicyDocument } from '../iam/policy-document';
import { partitionOf } from '../naming';

/** The bucket of an account and region that tenant data buckets log their requests to. */
export function accessLogBucketName(accountId: string, region: string): string {
  return `tenancy-access-logs-${accountId}-${region}`;
}

/** The policy of an access log bucket: S3's logging service may write the logs of the listed buckets of the account; nothing without TLS. */
export function accessLogBucketPolicy(props: Pick<AccessLogBucketProps, 'name' | 'accountId' | 'region' | 'sources'>): PolicyDocument {
  const partition = partitionOf(props.region);
  const arn = `arn:${partition}:s3:::${props.name}`;
  return policy([
    {
      Sid: 'S3LogsOfListedBuckets', Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Resource: `${arn}/*`,
      Condition: { StringEquals: { 'aws:SourceAccount': props.accountId }, ArnLike: { 'aws:SourceArn': props.sources.map((source) => `arn:${partition}:s3:::${source}`) } },
    },
    { Sid: 'DenyRequestsWithoutTls', Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource: [arn, `${arn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
  ]);
}

export interface AccessLogBucketProps {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  /** Days each log object is kept. */
  readonly retentionDays: number;
  /** Names, with `*` as a wildcard, of the buckets whose requests S3 may log here. */
  readonly sources: readonly string[];
  /** @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/**
 * A bucket S3 server access logs are delivered to: written only by S3's logging service for the
 * listed buckets of this account, versioned, encrypted with S3's own key (log delivery cannot use a
 * KMS key), private, TLS only, each log kept its retention.
 */
export class AccessLogBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) throw new Error(`retentionDays must be a whole number >= 1, got ${props.retentionDays}`);
    const provider = props.provider ? { provider: props.provider } : {};
    this.bucket = new S3Bucket(this, 'bucket', { ...provider, bucket: props.name, lifecycle: { preventDestroy: true } });
    const bucket = { ...provider, bucket: this.bucket.id };
    new S3BucketVersioningA(this, 'versioning', { ...bucket, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', { ...bucket, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] });
    new S3BucketPublicAccessBlock(this, 'public-access-block', { ...bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    new S3BucketOwnershipControls(this, 'ownership', { ...bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketPolicy(this, 'policy', { ...bucket, policy: terraformPolicy(accessLogBucketPolicy(props)) });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      ...bucket,
      rule: [{
        id: 'expire-logs', status: 'Enabled', filter: [{ prefix: '' }],
        expiration: [{ days: props.retentionDays }], noncurrentVersionExpiration: [{ noncurrentDays: 1 }],
      }],
    });
  }
}
