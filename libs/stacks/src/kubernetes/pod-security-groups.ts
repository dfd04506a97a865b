import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Construct } from 'constructs';

/** The API of the VPC resource controller's SecurityGroupPolicy, which EKS installs on every cluster. */
export const SECURITY_GROUP_POLICY = { apiVersion: 'vpcresources.k8s.aws/v1beta1', kind: 'SecurityGroupPolicy' } as const;

export interface PodSecurityGroupsProps {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The tenant's own security group, which its database admits. */
  readonly tenantSecurityGroupId: string;
  /** The cluster's security group: DNS, the ingress controller and the kubelet's probes reach pods through it. */
  readonly clusterSecurityGroupId: string;
}

/**
 * Every pod of the namespace gets its own network interface carrying the tenant's security group
 * (and the cluster's), instead of its node's: AWS, not Kubernetes, then decides what the pod may
 * reach outside the cluster, and another tenant's pod on the same node cannot pass for it.
 */
export class PodSecurityGroups extends Construct {
  constructor(scope: Construct, id: string, props: PodSecurityGroupsProps) {
    super(scope, id);
    new Manifest(this, 'policy', {
      manifest: {
        ...SECURITY_GROUP_POLICY,
        metadata: { name: 'tenant-pods', namespace: props.namespace, labels: { ...props.labels } },
        spec: {
          podSelector: { matchLabels: {} },
          securityGroups: { groupIds: [props.tenantSecurityGroupId, props.clusterSecurityGroupId] },
        },
      },
    });
  }
}
