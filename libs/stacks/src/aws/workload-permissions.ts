import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';

export interface TenantDataAccess {
  /** The tenant's key: the only key the role may use. */
  readonly kmsKeyArn: string;
  /** The tenant's bucket, when it has one. @default no bucket access */
  readonly bucketArn?: string;
  /** The database user the application connects as, by its `rds-db:connect` ARN. @default no database access */
  readonly databaseUserArn?: string;
}

/** The ARN IAM authentication checks `rds-db:connect` against: one user of one database instance. */
export function databaseUserArn(scope: { partition: string; region: string; accountId: string }, resourceId: string, user: string): string {
  return `arn:${scope.partition}:rds-db:${scope.region}:${scope.accountId}:dbuser:${resourceId}/${user}`;
}

/** What a tenant's application may do: use its key, its bucket's objects, and connect to its database as its own user. */
export function tenantDataStatements(access: TenantDataAccess): DataAwsIamPolicyDocumentStatement[] {
  const statements: DataAwsIamPolicyDocumentStatement[] = [{
    sid: 'TenantKey', effect: 'Allow', actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], resources: [access.kmsKeyArn],
  }];
  if (access.bucketArn) {
    statements.push(
      { sid: 'TenantBucket', effect: 'Allow', actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [access.bucketArn] },
      { sid: 'TenantObjects', effect: 'Allow', actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'], resources: [`${access.bucketArn}/*`] },
    );
  }
  if (access.databaseUserArn) {
    statements.push({ sid: 'TenantDatabaseUser', effect: 'Allow', actions: ['rds-db:connect'], resources: [access.databaseUserArn] });
  }
  return statements;
}

/** What the job that makes the application's database user may do: read the master password RDS keeps, nothing else. */
export function databaseAdminStatements(masterSecretArn: string): DataAwsIamPolicyDocumentStatement[] {
  return [{ sid: 'DatabaseMasterSecret', effect: 'Allow', actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: [masterSecretArn] }];
}
