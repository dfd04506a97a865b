import { TerraformOutput, type TerraformStack } from 'cdktf';
import type { KubernetesCluster } from '../aws/kubernetes-cluster';

/** What a stack that owns a cluster publishes for the workload stacks on it. */
export function publishClusterOutputs(stack: TerraformStack, cluster: KubernetesCluster, network: { vpcId: string; cidr: string; privateSubnetIds: string[] }): void {
  new TerraformOutput(stack, 'cluster_name', { value: cluster.cluster.name });
  new TerraformOutput(stack, 'cluster_endpoint', { value: cluster.cluster.endpoint });
  new TerraformOutput(stack, 'cluster_certificate_authority', { value: cluster.cluster.certificateAuthority.get(0).data });
  new TerraformOutput(stack, 'cluster_arn', { value: cluster.cluster.arn });
  new TerraformOutput(stack, 'cluster_security_group_id', { value: cluster.cluster.vpcConfig.clusterSecurityGroupId });
  new TerraformOutput(stack, 'cluster_key_arn', { value: cluster.key.arn });
  new TerraformOutput(stack, 'vpc_id', { value: network.vpcId });
  new TerraformOutput(stack, 'vpc_cidr', { value: network.cidr });
  new TerraformOutput(stack, 'private_subnet_ids', { value: network.privateSubnetIds });
}
