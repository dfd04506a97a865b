import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { AccountRoles } from '../aws/account-roles';
import type { AccountScope } from '../iam/account';
import type { StateLocation } from '../state/state-location';
import { FleetStack } from '../stacks/fleet-stack';

export interface AccountStackProps {
  /** Stack name, also its folder and state key: `account-provider`, `account-platform`. */
  readonly name: string;
  readonly scope: AccountScope;
  /** Region of the provider (IAM itself is global). */
  readonly region: string;
  readonly controlPlane: { readonly planner: string; readonly deployer: string };
  readonly state: StateLocation;
  /** What the stack's resources are tagged with. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * `account-<name>`: tenancy's roles in the provider or the platform account, applied once by a
 * person with that account's credentials (the provider refuses any other account).
 */
export class AccountStack extends FleetStack {
  constructor(scope: Construct, props: AccountStackProps) {
    super(scope, props.name, 'account', props.state);
    new AwsProvider(this, 'aws', { region: props.region, allowedAccountIds: [props.scope.accountId], defaultTags: [{ tags: { ...props.tags } }] });
    const roles = new AccountRoles(this, 'roles', { scope: props.scope, controlPlane: props.controlPlane });
    new TerraformOutput(this, 'deployer_role_arn', { value: roles.deployer.arn });
    new TerraformOutput(this, 'planner_role_arn', { value: roles.planner.arn });
  }
}
