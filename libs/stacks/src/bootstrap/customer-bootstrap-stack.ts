import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Platform } from '@tenancy/model';
import { TerraformOutput, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { AccessLogBucket, accessLogBucketName } from '../aws/access-log-bucket';
import { AccountRoles } from '../aws/account-roles';
import { accessLogDays } from '../control-plane/access-logs';
import { controlPlaneRoles } from '../control-plane/control-plane-roles';
import { FleetStack } from '../stacks/fleet-stack';
import type { StateLocation } from '../state/state-location';
import { customerOwners, customerScope, type CustomerAccount } from './customer-bootstrap';

export interface CustomerBootstrapStackProps {
  readonly account: CustomerAccount;
  readonly platform: Platform;
  readonly region: string;
  /** The customer's own state: their bucket, or a local file. */
  readonly state: StateLocation;
}

/**
 * The customer bootstrap as Terraform, for customers who deploy with Terraform rather than
 * CloudFormation: the same roles, policies and boundaries, the external id a sensitive variable.
 */
export class CustomerBootstrapStack extends FleetStack {
  constructor(scope: Construct, name: string, props: CustomerBootstrapStackProps) {
    super(scope, name, 'account', props.state);
    const { account } = props;
    new AwsProvider(this, 'aws', { region: props.region, allowedAccountIds: [account.accountId], defaultTags: [{ tags: { 'managed-by': 'tenancy' } }] });
    const externalId = new TerraformVariable(this, 'external_id', {
      type: 'string', sensitive: true, description: 'The external id the provider gave you out of band. Do not store it anywhere else.',
    });
    const roles = new AccountRoles(this, 'roles', {
      scope: customerScope(account, props.platform, props.region),
      controlPlane: controlPlaneRoles(props.platform),
      externalId: externalId.stringValue,
      owners: customerOwners(account),
    });
    new AccessLogBucket(this, 'access-logs', {
      name: accessLogBucketName(account.accountId, props.region), accountId: account.accountId, region: props.region,
      retentionDays: accessLogDays(props.platform), sources: [`*-data-${account.accountId}-${props.region}`],
    });
    new TerraformOutput(this, 'deployer_role_arn', { value: roles.deployer.arn });
    new TerraformOutput(this, 'planner_role_arn', { value: roles.planner.arn });
  }
}
