import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import { ACCOUNT_POLICY_NAMES, type AccountScope } from '../iam/account';
import { clusterBoundary, deployerBoundary, legacyWorkloadBoundary, nodeBoundary, ownerBoundary, plannerBoundary } from '../iam/boundaries';
import { deployerPolicies } from '../iam/deployer-policies';
import { plannerPolicy } from '../iam/planner-policy';
import { terraformPolicy, type PolicyDocument } from '../iam/policy-document';
import { accountRoleTrust, ROLE_KIND_TAG, type AccountRoleTrustProps } from '../iam/trust-policies';
import type { ControlPlaneRoles } from '../control-plane/control-plane-roles';

/** The boundaries every account gets for the roles its stacks create, by Terraform id, name and text. */
export const ROLE_BOUNDARIES: readonly { readonly id: string; readonly name: string; readonly description: string; readonly document: (scope: AccountScope) => PolicyDocument }[] = [
  { id: 'owner-boundary', name: ACCOUNT_POLICY_NAMES.ownerBoundary, description: 'tenancy: the most a role made for one tenant, cell or pool can do: that owner\'s data', document: ownerBoundary },
  { id: 'cluster-boundary', name: ACCOUNT_POLICY_NAMES.clusterBoundary, description: 'tenancy: the most a cluster\'s role can do: that cluster\'s interfaces, instances, security groups, load balancers and key', document: clusterBoundary },
  { id: 'node-boundary', name: ACCOUNT_POLICY_NAMES.nodeBoundary, description: 'tenancy: the most a node role can do: its cluster\'s interfaces and instances, images of the listed registries', document: nodeBoundary },
  // The description of earlier releases: a policy's description cannot change without replacing it, and roles still carry it.
  { id: 'workload-boundary', name: ACCOUNT_POLICY_NAMES.legacyWorkloadBoundary, description: 'tenancy: the most any role its stacks create can ever do', document: legacyWorkloadBoundary },
];

export interface AccountRolesProps {
  readonly scope: AccountScope;
  /** The control plane's principals: the planner role trusts the planner, the deployer role the deployer and the purger. */
  readonly controlPlane: ControlPlaneRoles;
  /**
   * External id both roles require (customer accounts): a Terraform expression.
   * @default none
   */
  readonly externalId?: string;
  /**
   * The tenants, cells and pools whose stacks may use the roles (customer accounts).
   * @default any of the account
   */
  readonly owners?: AccountRoleTrustProps['owners'];
}

/**
 * What tenancy needs in an account it deploys into: a deployer role and a read-only planner role,
 * each trusting exactly its control-plane principals, each capped by a boundary, and the
 * boundaries that every role the stacks create must carry (the owner's and the cluster's).
 */
export class AccountRoles extends Construct {
  readonly deployer: IamRole;
  readonly planner: IamRole;

  constructor(scope: Construct, id: string, props: AccountRolesProps) {
    super(scope, id);
    const account = props.scope;
    const managed = (policyId: string, name: string, document: PolicyDocument, description: string) =>
      new IamPolicy(this, policyId, { name, description, policy: terraformPolicy(document) });
    for (const boundary of ROLE_BOUNDARIES) managed(boundary.id, boundary.name, boundary.document(account), boundary.description);
    const trust = (principal: string, purger?: string) => terraformPolicy(accountRoleTrust({
      principal, ...(purger ? { purger } : {}), ...(props.externalId !== undefined ? { externalId: props.externalId } : {}), ...(props.owners ? { owners: props.owners } : {}),
    }));

    const deployerCap = managed('deployer-boundary', ACCOUNT_POLICY_NAMES.deployerBoundary(account.deployerRoleName), deployerBoundary(account), 'tenancy: the most the deployer role can ever do');
    this.deployer = new IamRole(this, 'deployer', {
      name: account.deployerRoleName, maxSessionDuration: 3600, permissionsBoundary: deployerCap.arn,
      assumeRolePolicy: trust(props.controlPlane.deployer, props.controlPlane.purger), tags: { [ROLE_KIND_TAG]: 'deployer' },
      description: 'tenancy: applies the stacks of this account\'s tenants, cells and pools',
    });
    for (const { name, document } of deployerPolicies(account)) {
      const policy = managed(`deployer-${name.slice(account.deployerRoleName.length + 1)}`, name, document, `tenancy: what the deployer may do (${name})`);
      new IamRolePolicyAttachment(this, `deployer-${name.slice(account.deployerRoleName.length + 1)}-attachment`, { role: this.deployer.name, policyArn: policy.arn });
    }

    const plannerCap = managed('planner-boundary', `${account.plannerRoleName}-boundary`, plannerBoundary(account), 'tenancy: the most the planner role can ever do');
    this.planner = new IamRole(this, 'planner', {
      name: account.plannerRoleName, maxSessionDuration: 3600, permissionsBoundary: plannerCap.arn,
      assumeRolePolicy: trust(props.controlPlane.planner), tags: { [ROLE_KIND_TAG]: 'planner' },
      description: 'tenancy: reads the configuration of this account\'s tenants, cells and pools to plan them',
    });
    const reads = managed('planner-reads', `${account.plannerRoleName}-reads`, plannerPolicy(account), 'tenancy: what the planner may read');
    new IamRolePolicyAttachment(this, 'planner-reads-attachment', { role: this.planner.name, policyArn: reads.arn });
  }
}
