import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import { ACCOUNT_POLICY_NAMES, type AccountScope } from '../iam/account';
import { deployerBoundary, plannerBoundary, workloadBoundary } from '../iam/boundaries';
import { deployerPolicies } from '../iam/deployer-policies';
import { plannerPolicy } from '../iam/planner-policy';
import { terraformPolicy, type PolicyDocument } from '../iam/policy-document';
import { accountRoleTrust, ROLE_KIND_TAG, type AccountRoleTrustProps } from '../iam/trust-policies';

export interface AccountRolesProps {
  readonly scope: AccountScope;
  /** The control plane's planner and deployer roles, each the one principal its account role trusts. */
  readonly controlPlane: { readonly planner: string; readonly deployer: string };
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
 * each trusting exactly its control-plane principal, each capped by a boundary, and the workload
 * boundary that every role the stacks create must carry.
 */
export class AccountRoles extends Construct {
  readonly deployer: IamRole;
  readonly planner: IamRole;

  constructor(scope: Construct, id: string, props: AccountRolesProps) {
    super(scope, id);
    const account = props.scope;
    const managed = (policyId: string, name: string, document: PolicyDocument, description: string) =>
      new IamPolicy(this, policyId, { name, description, policy: terraformPolicy(document) });
    managed('workload-boundary', ACCOUNT_POLICY_NAMES.workloadBoundary, workloadBoundary(account), 'tenancy: the most any role its stacks create can ever do');
    const trust = (principal: string) => terraformPolicy(accountRoleTrust({
      principal, ...(props.externalId !== undefined ? { externalId: props.externalId } : {}), ...(props.owners ? { owners: props.owners } : {}),
    }));

    const deployerCap = managed('deployer-boundary', ACCOUNT_POLICY_NAMES.deployerBoundary(account.deployerRoleName), deployerBoundary(account), 'tenancy: the most the deployer role can ever do');
    this.deployer = new IamRole(this, 'deployer', {
      name: account.deployerRoleName, maxSessionDuration: 3600, permissionsBoundary: deployerCap.arn,
      assumeRolePolicy: trust(props.controlPlane.deployer), tags: { [ROLE_KIND_TAG]: 'deployer' },
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
