import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { partitionOf } from '../naming';
import { EncryptionKey } from './encryption-key';

export interface KubernetesClusterProps {
  readonly name: string;
  /** Minor version, such as "1.31". */
  readonly version: string;
  readonly accountId: string;
  readonly region: string;
  /** Private subnets for the control plane's interfaces and the nodes. */
  readonly subnetIds: string[];
  /** Networks allowed to reach the public API endpoint; never 0.0.0.0/0. */
  readonly apiAccessCidrs: readonly string[];
  /**
   * Days control-plane logs are kept.
   * @default 90
   */
  readonly logRetentionDays?: number;
}

/**
 * An EKS cluster: secrets encrypted with its own KMS key, API, audit and authenticator logs in an
 * encrypted log group, API access limited to listed networks, access entries for authentication,
 * and the OIDC provider that service accounts use to assume IAM roles (IRSA).
 */
export class KubernetesCluster extends Construct {
  readonly cluster: EksCluster;
  readonly oidcProvider: IamOpenidConnectProvider;
  /** The OIDC issuer without its scheme, as IAM condition keys spell it. */
  readonly oidcIssuerHost: string;

  constructor(scope: Construct, id: string, props: KubernetesClusterProps) {
    super(scope, id);
    if (props.apiAccessCidrs.length === 0 || props.apiAccessCidrs.some((c) => c.endsWith('/0'))) {
      throw new Error(`apiAccessCidrs must list networks and never 0.0.0.0/0, got [${props.apiAccessCidrs.join(', ')}]`);
    }
    const partition = partitionOf(props.region);
    const key = new EncryptionKey(this, 'key', {
      description: `Secrets and logs of cluster ${props.name}`,
      alias: `alias/${props.name}-cluster`,
      accountId: props.accountId,
      region: props.region,
      allowCloudWatchLogs: true,
    });
    const logs = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/eks/${props.name}/cluster`,
      retentionInDays: props.logRetentionDays ?? 90,
      kmsKeyId: key.key.arn,
    });
    const role = new IamRole(this, 'role', {
      name: `${props.name}-cluster`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
      }),
    });
    const managed = new IamRolePolicyAttachment(this, 'role-AmazonEKSClusterPolicy', {
      role: role.name, policyArn: `arn:${partition}:iam::aws:policy/AmazonEKSClusterPolicy`,
    });
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
        endpointPublicAccess: true,
        publicAccessCidrs: [...props.apiAccessCidrs],
      },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: key.key.arn } },
      enabledClusterLogTypes: ['api', 'audit', 'authenticator'],
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
      dependsOn: [logs, managed, useKey],
    });
    const issuer = this.cluster.identity.get(0).oidc.get(0).issuer;
    this.oidcProvider = new IamOpenidConnectProvider(this, 'oidc-provider', { url: issuer, clientIdList: ['sts.amazonaws.com'] });
    this.oidcIssuerHost = Fn.replace(issuer, 'https://', '');
  }
}
