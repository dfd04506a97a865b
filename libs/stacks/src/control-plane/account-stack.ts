import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { AccessLogBucket, accessLogBucketName } from '../aws/access-log-bucket';
import { AccountRoles } from '../aws/account-roles';
import type { ControlPlaneRoles } from './control-plane-roles';
import type { AccountScope } from '../iam/account';
import type { StateLocation } from '../state/state-location';
import { FleetStack } from '../stacks/fleet-stack';

export interface AccountStackProps {
  /** Stack name, also its folder and state key: `account-provider`, `account-platform`. */
  readonly name: string;
  readonly scope: AccountScope;
  /** Region of the provider (IAM itself is global). */
  readonly region: string;
  readonly controlPlane: ControlPlaneRoles;
  readonly state: StateLocation;
  /** What the stack's resources are tagged with. */
  readonly tags: Readonly<Record<string, string>>;
  /** The regions tenants' data buckets of this account may be in, each given a bucket for their access logs, kept this many days. */
  readonly accessLogs: { readonly regions: readonly string[]; readonly retentionDays: number };
}

/**
 * `account-<name>`: tenancy's roles in the provider or the platform account, and the buckets of its
 * regions that tenants' data buckets log their requests to; applied once by a person with that
 * account's credentials (the provider refuses any other account).
 */
export class AccountStack extends FleetStack {
  constructor(scope: Construct, props: AccountStackProps) {
    super(scope, props.name, 'account', props.state);
    new AwsProvider(this, 'aws', { region: props.region, allowedAccountIds: [props.scope.accountId], defaultTags: [{ tags: { ...props.tags } }] });
    const roles = new AccountRoles(this, 'roles', { scope: props.scope, controlPlane: props.controlPlane });
    for (const region of props.accessLogs.regions) {
      const provider = new AwsProvider(this, `aws-${region}`, { alias: region.replaceAll('-', '_'), region, allowedAccountIds: [props.scope.accountId], defaultTags: [{ tags: { ...props.tags } }] });
      new AccessLogBucket(this, `access-logs-${region}`, {
        name: accessLogBucketName(props.scope.accountId, region), accountId: props.scope.accountId, region, provider,
        retentionDays: props.accessLogs.retentionDays, sources: [`*-data-${props.scope.accountId}-${region}`],
      });
    }
    new TerraformOutput(this, 'deployer_role_arn', { value: roles.deployer.arn });
    new TerraformOutput(this, 'planner_role_arn', { value: roles.planner.arn });
  }
}
