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

/** The EKS add-ons every cluster runs, at the versions platform.yaml pins; upgrades overwrite manual drift. */
export class ClusterAddons extends Construct {
  constructor(scope: Construct, id: string, props: ClusterAddonsProps) {
    super(scope, id);
    for (const [name, version] of Object.entries(props.versions)) {
      new EksAddon(this, name, {
        clusterName: props.clusterName,
        addonName: name,
        addonVersion: version,
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'OVERWRITE',
        dependsOn: [...props.after],
      });
    }
  }
}
