import { EksNodeGroup, type EksNodeGroupTaint } from '@cdktf/provider-aws/lib/eks-node-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Construct } from 'constructs';
import { CLUSTER_TAG } from '../iam/session-scope';
import { clusterNames, partitionOf } from '../naming';

const NODE_POLICIES = ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly'];

export interface NodeGroupProps {
  /** Name of the node group and its launch template; its role is `<name>-nodes`. */
  readonly name: string;
  /** The cluster's name, as its `cluster_name` output gives it. */
  readonly clusterName: string;
  /**
   * The cluster's name as text: the `tenancy-cluster` tag of the node role, the instances, their
   * volumes and first network interfaces, which the node boundary lets the role reach.
   */
  readonly cluster: string;
  readonly subnetIds: string[];
  readonly region: string;
  readonly instanceType: string;
  readonly minSize: number;
  readonly maxSize: number;
  /** @default no labels */
  readonly labels?: Readonly<Record<string, string>>;
  /** Keeps pods without a matching toleration off these nodes. @default none */
  readonly taints?: readonly EksNodeGroupTaint[];
  /** The node boundary, which the node role carries. */
  readonly permissionsBoundary: string;
  /** Tags of the instances, their volumes and first network interfaces (default tags do not reach them). */
  readonly instanceTags: Readonly<Record<string, string>>;
  /**
   * Root volume size.
   * @default 50
   */
  readonly diskGb?: number;
  /** The customer-managed key of the root volumes: the cluster's, whose policy lets EC2 Auto Scaling use it. */
  readonly volumeKeyArn: string;
}

/**
 * A managed node group with its own role and a launch template that requires IMDSv2 with a hop
 * limit of 1 (pods cannot reach the instance's credentials) and encrypts the root volume with the
 * cluster's key.
 */
export class NodeGroup extends Construct {
  readonly nodeGroup: EksNodeGroup;

  constructor(scope: Construct, id: string, props: NodeGroupProps) {
    super(scope, id);
    if (props.minSize < 1 || props.minSize > props.maxSize) throw new Error(`minSize must be from 1 to maxSize (${props.maxSize}), got ${props.minSize}`);
    const partition = partitionOf(props.region);
    const role = new IamRole(this, 'role', {
      name: clusterNames.nodeRole(props.name),
      permissionsBoundary: props.permissionsBoundary,
      tags: { [CLUSTER_TAG]: props.cluster },
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    const attachments = NODE_POLICIES.map((policy) => new IamRolePolicyAttachment(this, `role-${policy}`, {
      role: role.name, policyArn: `arn:${partition}:iam::aws:policy/${policy}`,
    }));
    const template = new LaunchTemplate(this, 'launch-template', {
      name: props.name,
      updateDefaultVersion: true,
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1, instanceMetadataTags: 'disabled' },
      blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: props.diskGb ?? 50, volumeType: 'gp3', encrypted: 'true', kmsKeyId: props.volumeKeyArn, deleteOnTermination: 'true' } }],
      tagSpecifications: ['instance', 'volume', 'network-interface'].map((resourceType) => ({ resourceType, tags: { ...props.instanceTags, [CLUSTER_TAG]: props.cluster, Name: props.name } })),
    });
    this.nodeGroup = new EksNodeGroup(this, 'node-group', {
      clusterName: props.clusterName,
      nodeGroupName: props.name,
      nodeRoleArn: role.arn,
      subnetIds: props.subnetIds,
      amiType: 'AL2023_x86_64_STANDARD',
      instanceTypes: [props.instanceType],
      scalingConfig: { minSize: props.minSize, desiredSize: props.minSize, maxSize: props.maxSize },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: template.id, version: template.latestVersion.toString() },
      labels: { ...props.labels },
      taint: [...(props.taints ?? [])],
      dependsOn: attachments,
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
    });
  }
}
