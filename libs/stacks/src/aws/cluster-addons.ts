import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import type { ClusterAddon } from '@tenancy/model';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

export interface ClusterAddonsProps {
  readonly clusterName: string;
  /** The pinned version of each add-on, from platform.yaml's `kubernetes.<version>.addons`. */
  readonly versions: Readonly<Record<ClusterAddon, string>>;
  /** Created after these (the node groups): an add-on's pods need nodes to become active. */
  readonly after: readonly ITerraformDependable[];
}

/**
 * How tenancy configures each add-on. The VPC CNI enforces NetworkPolicy (its network policy agent)
 * and gives pods that a SecurityGroupPolicy selects their own security groups through trunk
 * interfaces, enforced in standard mode: kubelet probes and node-local traffic still work.
 */
export const ADDON_CONFIGURATION: Readonly<Partial<Record<ClusterAddon, object>>> = {
  'vpc-cni': { enableNetworkPolicy: 'true', env: { ENABLE_POD_ENI: 'true', POD_SECURITY_GROUP_ENFORCING_MODE: 'standard' } },
};

/** The EKS add-ons every cluster runs, at the versions platform.yaml pins, configured; upgrades overwrite manual drift. */
export class ClusterAddons extends Construct {
  constructor(scope: Construct, id: string, props: ClusterAddonsProps) {
    super(scope, id);
    for (const [name, version] of Object.entries(props.versions) as [ClusterAddon, string][]) {
      const configuration = ADDON_CONFIGURATION[name];
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
