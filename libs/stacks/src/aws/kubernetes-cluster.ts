import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { roleBoundaryArn } from '../iam/account';
import { plannerAccessPolicyArn } from '../iam/deployer-policies';
import { CLUSTER_TAG, type StackOwner } from '../iam/session-scope';
import { clusterNames, partitionOf } from '../naming';
import { roleArn, type AccountAccess } from './account-access';
import { EncryptionKey } from './encryption-key';
import { logRetentionDays, MINIMUM_LOG_DAYS } from './log-retention';

export interface KubernetesClusterProps {
  readonly name: string;
  /** Minor version, such as "1.31". */
  readonly version: string;
  /** The account the cluster lives in, and its planner and deployer roles. */
  readonly access: AccountAccess;
  readonly region: string;
  /** The stack that owns the cluster. */
  readonly owner: StackOwner;
  /** Private subnets for the control plane's interfaces and the nodes. */
  readonly subnetIds: string[];
  /**
   * Networks allowed to reach the API endpoint over the internet; never 0.0.0.0/0.
   * @default none: the endpoint is private, reachable from inside the VPC only
   */
  readonly apiAccessCidrs?: readonly string[];
  /**
   * Days control-plane logs are kept (the next period CloudWatch accepts); 0 keeps them forever.
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * Keep the control-plane logs when the cluster is destroyed, under a key that outlives it (a
   * dedicated tenant's data key): its audit logs then last their retention after offboarding.
   * @default the logs go with the cluster, under the cluster's key
   */
  readonly retainedLogs?: { readonly keyArn: string };
  /**
   * Other log groups, by name, the cluster's key encrypts (its network's flow logs).
   * @default none
   */
  readonly keyLogGroups?: readonly string[];
}

/** The managed policies of a cluster's role: EKS itself, and the VPC resource controller that gives pods their own security groups. */
const CLUSTER_POLICIES = ['AmazonEKSClusterPolicy', 'AmazonEKSVPCResourceController'];

/** Every control-plane log type: API, audit, authenticator, controller manager and scheduler. */
export const CLUSTER_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

/**
 * An EKS cluster: secrets encrypted with its own KMS key, every control-plane log in an encrypted
 * log group, an API endpoint private to the VPC unless networks are listed (only those may reach it
 * from outside), its role under the cluster boundary, authentication by access entries
 * only: the deployer that creates it administers it, the planner reads it (no secrets).
 */
export class KubernetesCluster extends Construct {
  readonly cluster: EksCluster;
  /** Encrypts the cluster's secrets, its logs and its nodes' root volumes. */
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: KubernetesClusterProps) {
    super(scope, id);
    if (props.apiAccessCidrs && (props.apiAccessCidrs.length === 0 || props.apiAccessCidrs.some((c) => c.endsWith('/0')))) {
      throw new Error(`apiAccessCidrs must list networks and never 0.0.0.0/0, got [${props.apiAccessCidrs.join(', ')}]`);
    }
    const partition = partitionOf(props.region);
    const key = new EncryptionKey(this, 'key', {
      description: `Secrets, logs and node volumes of cluster ${props.name}`,
      alias: clusterNames.keyAlias(props.name),
      access: props.access,
      region: props.region,
      owner: props.owner,
      logGroups: [...(props.retainedLogs ? [] : [clusterNames.logGroup(props.name)]), ...(props.keyLogGroups ?? [])],
      allowAutoScalingVolumes: true,
    });
    const logs = new CloudwatchLogGroup(this, 'logs', {
      name: clusterNames.logGroup(props.name),
      retentionInDays: props.logRetentionDays === 0 ? 0 : logRetentionDays(props.logRetentionDays ?? MINIMUM_LOG_DAYS),
      kmsKeyId: props.retainedLogs?.keyArn ?? key.key.arn,
      ...(props.retainedLogs ? { skipDestroy: true } : {}),
    });
    const role = new IamRole(this, 'role', {
      name: clusterNames.clusterRole(props.name),
      permissionsBoundary: roleBoundaryArn({ partition, accountId: props.access.accountId }, 'cluster'),
      tags: { [CLUSTER_TAG]: props.name },
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
      }),
    });
    const managed = CLUSTER_POLICIES.map((policy) => new IamRolePolicyAttachment(this, `role-${policy}`, {
      role: role.name, policyArn: `arn:${partition}:iam::aws:policy/${policy}`,
    }));
    const useKey = new IamRolePolicy(this, 'role-use-key', {
      role: role.id,
      name: 'encrypt-secrets',
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'], Resource: key.key.arn }],
      }),
    });
    this.cluster = new EksCluster(this, 'cluster', {
      name: props.name,
      version: props.version,
      roleArn: role.arn,
      vpcConfig: {
        subnetIds: props.subnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: props.apiAccessCidrs !== undefined,
        ...(props.apiAccessCidrs ? { publicAccessCidrs: [...props.apiAccessCidrs] } : {}),
      },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: key.key.arn } },
      enabledClusterLogTypes: CLUSTER_LOG_TYPES,
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
      dependsOn: [logs, ...managed, useKey],
    });
    this.key = key.key;
    const planner = new EksAccessEntry(this, 'planner-access', {
      clusterName: this.cluster.name,
      principalArn: roleArn(props.access, props.region, 'planner'),
      type: 'STANDARD',
    });
    new EksAccessPolicyAssociation(this, 'planner-view', {
      clusterName: this.cluster.name,
      principalArn: planner.principalArn,
      policyArn: plannerAccessPolicyArn(partition),
      accessScope: { type: 'cluster' },
    });
  }
}
