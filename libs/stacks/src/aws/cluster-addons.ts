import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import type { ClusterAddon } from '@tenancy/model';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { CLUSTER_TAG } from '../iam/session-scope';

export interface ClusterAddonsProps {
  /** The cluster's name, as its `cluster_name` output gives it. */
  readonly clusterName: string;
  /** The cluster's name as text: the `tenancy-cluster` tag the VPC CNI gives every interface it makes. */
  readonly cluster: string;
  /** The pinned version of each add-on, from platform.yaml's `kubernetes.<version>.addons`. */
  readonly versions: Readonly<Record<ClusterAddon, string>>;
  /** Created after these (the node groups): an add-on's pods need nodes to become active. */
  readonly after: readonly ITerraformDependable[];
}

/**
 * How tenancy configures each add-on of a cluster. The VPC CNI enforces NetworkPolicy (its network
 * policy agent), gives pods that a SecurityGroupPolicy selects their own security groups through
 * trunk interfaces, enforced in standard mode (kubelet probes and node-local traffic still work),
 * and tags every interface it makes with the cluster, as it makes it: the node roles' boundary
 * reaches those interfaces only.
 */
export function addonConfiguration(addon: ClusterAddon, cluster: string): object | undefined {
  if (addon !== 'vpc-cni') return undefined;
  return {
    enableNetworkPolicy: 'true',
    env: { ENABLE_POD_ENI: 'true', POD_SECURITY_GROUP_ENFORCING_MODE: 'standard', ADDITIONAL_ENI_TAGS: JSON.stringify({ [CLUSTER_TAG]: cluster }) },
  };
}

/** The EKS add-ons every cluster runs, at the versions platform.yaml pins, configured; upgrades overwrite manual drift. */
export class ClusterAddons extends Construct {
  constructor(scope: Construct, id: string, props: ClusterAddonsProps) {
    super(scope, id);
    for (const [name, version] of Object.entries(props.versions) as [ClusterAddon, string][]) {
      const configuration = addonConfiguration(name, props.cluster);
      new EksAddon(this, name, {
        clusterName: props.clusterName,
        addonName: name,
        addonVersion: version,
        ...(configuration ? { configurationValues: JSON.stringify(configuration) } : {}),
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'OVERWRITE',
        dependsOn: [...props.after],
      });
    }
  }
}
