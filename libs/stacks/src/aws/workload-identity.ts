import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { DataResource } from 'cdktf';
import { Construct } from 'constructs';

export interface WorkloadIdentityProps {
  readonly roleName: string;
  /** The cluster the tenant's pods run on. */
  readonly clusterName: string;
  readonly clusterArn: string;
  /** The account the role lives in. */
  readonly accountId: string;
  /** The owner boundary, which the role carries. */
  readonly permissionsBoundary: string;
  /** Namespace and name of the one service account whose pods get the role. */
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Name of the role's inline policy. */
  readonly policyName: string;
  /** What the role may do. */
  readonly statements: readonly DataAwsIamPolicyDocumentStatement[];
}

/**
 * An IAM role given to pods by EKS Pod Identity: only to pods of one service account of one
 * namespace of one cluster (the trust checks the session tags EKS sets). The deployer may write a
 * role's trust only when it makes the role, so a trust that changes (the tenant's cluster is
 * another) replaces the role and its policy.
 */
export class WorkloadIdentity extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [{
        effect: 'Allow',
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        principals: [{ type: 'Service', identifiers: ['pods.eks.amazonaws.com'] }],
        condition: [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.accountId] },
          { test: 'StringEquals', variable: 'aws:RequestTag/eks-cluster-arn', values: [props.clusterArn] },
          { test: 'StringEquals', variable: 'aws:RequestTag/kubernetes-namespace', values: [props.namespace] },
          { test: 'StringEquals', variable: 'aws:RequestTag/kubernetes-service-account', values: [props.serviceAccount] },
        ],
      }],
    });
    const trustWritten = new DataResource(this, 'trust-written', { triggersReplace: { trust: trust.json } });
    // An address, as Terraform's JSON syntax takes it here: not an interpolation.
    const replacedWithTrust = { replaceTriggeredBy: [`${DataResource.tfResourceType}.${trustWritten.friendlyUniqueId}`] };
    this.role = new IamRole(this, 'role', {
      name: props.roleName, path: '/tenancy/', assumeRolePolicy: trust.json, maxSessionDuration: 3600, permissionsBoundary: props.permissionsBoundary,
      lifecycle: replacedWithTrust,
    });
    const access = new DataAwsIamPolicyDocument(this, 'access', { statement: [...props.statements] });
    new IamRolePolicy(this, 'access-policy', { role: this.role.id, name: props.policyName, policy: access.json, lifecycle: replacedWithTrust });
    new EksPodIdentityAssociation(this, 'pod-identity', {
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: this.role.arn,
    });
  }
}
