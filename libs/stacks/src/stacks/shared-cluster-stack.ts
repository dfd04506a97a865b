import type { Platform, SharedCluster } from '@tenancy/model';
import type { Construct } from 'constructs';
import { accessOf } from '../aws/account-access';
import { configureAwsProvider } from '../aws/aws-provider';
import { ClusterAddons } from '../aws/cluster-addons';
import { FlowLogs } from '../aws/flow-logs';
import { KubernetesCluster } from '../aws/kubernetes-cluster';
import { Network } from '../aws/network';
import { NodeGroup } from '../aws/node-group';
import { roleBoundaryArn } from '../iam/account';
import { ownerName, SESSION_TAG, type StackOwner } from '../iam/session-scope';
import { clusterNames, networkNames, nodeLabels, partitionOf, stackNames } from '../naming';
import type { StateLocation } from '../state/state-location';
import { publishClusterOutputs } from './cluster-outputs';
import { FleetStack } from './fleet-stack';

export interface SharedClusterStackProps {
  readonly kind: 'cell' | 'pool';
  readonly name: string;
  readonly cluster: SharedCluster;
  readonly platform: Platform;
  readonly state: StateLocation;
}

/**
 * `cell-<name>` or `pool-<name>`: a shared cluster in its own network, whose flow is logged, in
 * the one account it serves. A pool's shared nodes carry the pool label that packed workloads select.
 */
export class SharedClusterStack extends FleetStack {
  constructor(scope: Construct, props: SharedClusterStackProps) {
    const stackName = props.kind === 'cell' ? stackNames.cell(props.name) : stackNames.pool(props.name);
    super(scope, stackName, props.kind, props.state);
    const { cluster, platform } = props;
    const access = accessOf(cluster.hosting, platform);
    const owner: StackOwner = { kind: props.kind, name: props.name };
    const tags = { [props.kind]: props.name, hosting: cluster.hosting.model, 'managed-by': 'tenancy', [SESSION_TAG.owner]: ownerName(owner) };
    configureAwsProvider(this, { access, region: cluster.region, controlPlaneRegion: platform.controlPlane.region, sessionName: `tenancy-${stackName}`, tags, owner });

    const network = new Network(this, 'network', { name: stackName, cidr: cluster.vpcCidr, availabilityZones: cluster.availabilityZones, clusterName: stackName });
    const kubernetes = new KubernetesCluster(this, 'cluster', {
      name: stackName,
      version: cluster.kubernetesVersion,
      access,
      region: cluster.region,
      owner,
      subnetIds: network.privateSubnetIds,
      ...(platform.controlPlane.apiAccessCidrs ? { apiAccessCidrs: platform.controlPlane.apiAccessCidrs } : {}),
      keyLogGroups: [networkNames.flowLogGroup(stackName)],
    });
    const boundary = (kind: 'owner' | 'nodes') => roleBoundaryArn({ partition: partitionOf(cluster.region), accountId: access.accountId }, kind);
    new FlowLogs(this, 'flow-logs', { name: stackName, vpcId: network.vpc.id, region: cluster.region, accountId: access.accountId, keyArn: kubernetes.key.arn, permissionsBoundary: boundary('owner') });
    const nodes = new NodeGroup(this, 'nodes', {
      name: clusterNames.sharedNodeGroup(stackName),
      clusterName: kubernetes.cluster.name,
      cluster: stackName,
      subnetIds: network.privateSubnetIds,
      region: cluster.region,
      instanceType: cluster.nodes.instanceType,
      minSize: cluster.nodes.min,
      maxSize: cluster.nodes.max,
      labels: props.kind === 'pool' ? { [nodeLabels.pool]: props.name } : {},
      permissionsBoundary: boundary('nodes'),
      instanceTags: tags,
      volumeKeyArn: kubernetes.key.arn,
    });
    new ClusterAddons(this, 'addons', { clusterName: kubernetes.cluster.name, cluster: stackName, versions: platform.kubernetes[cluster.kubernetesVersion]!.addons, after: [nodes.nodeGroup] });
    publishClusterOutputs(this, kubernetes, { vpcId: network.vpc.id, cidr: cluster.vpcCidr, privateSubnetIds: network.privateSubnetIds });
  }
}
