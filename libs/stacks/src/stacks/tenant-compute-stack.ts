import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { tenantLogDays } from '../aws/log-retention';
import { configureAwsProvider } from '../aws/aws-provider';
import { ClusterAddons } from '../aws/cluster-addons';
import { KubernetesCluster } from '../aws/kubernetes-cluster';
import { NodeGroup } from '../aws/node-group';
import { compositionOf } from '../combinations';
import { roleBoundaryArn } from '../iam/account';
import { nodeLabels, partitionOf, stackNames, tenantNames } from '../naming';
import { stackOutputs } from '../state/stack-outputs';
import { publishClusterOutputs } from './cluster-outputs';
import { FleetStack } from './fleet-stack';
import { clusterStackOf } from './placement-stack';
import { tenantTags, type TenantContext } from './tenant-context';

/**
 * `tenant-<id>-compute`: a dedicated tenant's own cluster in the network of its data stack, or a
 * resource-shared tenant's own tainted node group on its pool's cluster. Destroyed on offboarding.
 */
export class TenantComputeStack extends FleetStack {
  constructor(scope: Construct, ctx: TenantContext) {
    super(scope, stackNames.compute(ctx.id), 'compute', ctx.state);
    const { tenant, platform, tier, access, region, owner } = ctx;
    const parts = compositionOf(tenant.hosting.model, tenant.deployment.model).compute;
    const tags = tenantTags(ctx);
    const permissionsBoundary = roleBoundaryArn({ partition: partitionOf(region), accountId: access.accountId }, 'nodes');
    configureAwsProvider(this, { access, region, controlPlaneRegion: platform.controlPlane.region, sessionName: `tenancy-${this.stackName}`, tags, owner });

    if (parts.includes('cluster')) {
      const data = stackOutputs(this, 'data', ctx.state, this.stackName, stackNames.data(ctx.id));
      const network = { vpcId: data.getString('vpc_id'), cidr: data.getString('vpc_cidr'), privateSubnetIds: data.getList('private_subnet_ids') };
      const cluster = new KubernetesCluster(this, 'cluster', {
        name: tenantNames.cluster(ctx.id),
        version: tier.kubernetesVersion,
        access,
        region,
        owner,
        subnetIds: network.privateSubnetIds,
        ...(platform.controlPlane.apiAccessCidrs ? { apiAccessCidrs: platform.controlPlane.apiAccessCidrs } : {}),
        // The audit logs outlive the cluster, for the tenant's retention (a year at least), under its data key.
        logRetentionDays: tenantLogDays(ctx.retentionDays, ctx.legalHold),
        retainedLogs: { keyArn: data.getString('kms_key_arn') },
      });
      const nodes = new NodeGroup(this, 'nodes', {
        name: tenantNames.cluster(ctx.id),
        clusterName: cluster.cluster.name,
        cluster: tenantNames.cluster(ctx.id),
        subnetIds: network.privateSubnetIds,
        region,
        instanceType: tier.nodes.instanceType,
        minSize: tier.nodes.min,
        maxSize: tier.nodes.max,
        permissionsBoundary,
        instanceTags: tags,
        volumeKeyArn: cluster.key.arn,
      });
      new ClusterAddons(this, 'addons', { clusterName: cluster.cluster.name, cluster: tenantNames.cluster(ctx.id), versions: platform.kubernetes[tier.kubernetesVersion]!.addons, after: [nodes.nodeGroup] });
      publishClusterOutputs(this, cluster, network);
    }

    const critical = tenant.resources.some((r) => r.critical === true);
    if (parts.includes('critical-nodes') && critical && ctx.placement.kind === 'pool') {
      const pool = stackOutputs(this, 'pool', ctx.state, this.stackName, clusterStackOf(ctx.id, ctx.placement));
      const nodes = new NodeGroup(this, 'critical-nodes', {
        name: tenantNames.criticalNodeGroup(ctx.id),
        clusterName: pool.getString('cluster_name'),
        cluster: stackNames.pool(ctx.placement.name),
        subnetIds: pool.getList('private_subnet_ids'),
        region,
        instanceType: tier.nodes.instanceType,
        minSize: tier.nodes.min,
        maxSize: tier.nodes.max,
        labels: { [nodeLabels.tenant]: ctx.id },
        taints: [{ key: nodeLabels.tenant, value: ctx.id, effect: 'NO_SCHEDULE' }],
        permissionsBoundary,
        instanceTags: tags,
        volumeKeyArn: pool.getString('cluster_key_arn'),
      });
      new TerraformOutput(this, 'node_group_name', { value: nodes.nodeGroup.nodeGroupName });
    }
  }
}
