import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';

export interface WorkloadIdentityProps {
  readonly roleName: string;
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** The cluster's OIDC issuer without `https://`. */
  readonly oidcIssuerHost: string;
  /** Namespace and name of the one service account that may assume the role. */
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The tenant's key: the only key the role may use. */
  readonly kmsKeyArn: string;
  /** The tenant's bucket, when it has one. @default no bucket access */
  readonly bucketArn?: string;
  /** The secret RDS keeps the tenant database's credentials in. @default no secret access */
  readonly databaseSecretArn?: string;
}

/**
 * The IAM role of a tenant's workloads, assumed through IRSA: only by one service account of one
 * namespace of one cluster, and reaching only the tenant's own bucket, key and database secret.
 */
export class WorkloadIdentity extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [{
        effect: 'Allow',
        actions: ['sts:AssumeRoleWithWebIdentity'],
        principals: [{ type: 'Federated', identifiers: [props.oidcProviderArn] }],
        condition: [
          { test: 'StringEquals', variable: `${props.oidcIssuerHost}:sub`, values: [`system:serviceaccount:${props.namespace}:${props.serviceAccount}`] },
          { test: 'StringEquals', variable: `${props.oidcIssuerHost}:aud`, values: ['sts.amazonaws.com'] },
        ],
      }],
    });
    this.role = new IamRole(this, 'role', { name: props.roleName, path: '/tenancy/', assumeRolePolicy: trust.json, maxSessionDuration: 3600 });

    const statements: DataAwsIamPolicyDocumentStatement[] = [{
      sid: 'TenantKey',
      effect: 'Allow',
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      resources: [props.kmsKeyArn],
    }];
    if (props.bucketArn) {
      statements.push(
        { sid: 'TenantBucket', effect: 'Allow', actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [props.bucketArn] },
        { sid: 'TenantObjects', effect: 'Allow', actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'], resources: [`${props.bucketArn}/*`] },
      );
    }
    if (props.databaseSecretArn) {
      statements.push({ sid: 'TenantDatabaseCredentials', effect: 'Allow', actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: [props.databaseSecretArn] });
    }
    const access = new DataAwsIamPolicyDocument(this, 'access', { statement: statements });
    new IamRolePolicy(this, 'access-policy', { role: this.role.id, name: 'tenant-data', policy: access.json });
  }
}
