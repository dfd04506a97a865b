import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Platform } from '@tenancy/model';
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { AccessLogBucket } from '../aws/access-log-bucket';
import { MINIMUM_LOG_DAYS } from '../aws/log-retention';
import { TenantBucket } from '../aws/tenant-bucket';
import {
  controlPlaneDeployerPolicy, controlPlanePlannerPolicy, controlPlanePurgerPolicy, GITHUB_OIDC, githubJobs, githubTrust, type ControlPlaneScope,
} from '../iam/control-plane-policies';
import { policy, terraformPolicy } from '../iam/policy-document';
import { partitionOf } from '../naming';
import { STATE_KEY_ALIAS, type StateLocation } from '../state/state-location';
import { FleetStack } from '../stacks/fleet-stack';

/** The control plane's stack name. */
export const CONTROL_PLANE_STACK = 'control-plane';

/** Days an overwritten or deleted state version stays recoverable. */
const STATE_HISTORY_DAYS = 365;

export interface ControlPlaneStackProps {
  readonly platform: Platform;
  readonly state: StateLocation;
  readonly tags: Readonly<Record<string, string>>;
}

/** The bucket the state bucket's access logs go to. */
export function stateAccessLogBucketName(accountId: string, region: string): string {
  return `tenancy-state-access-logs-${accountId}-${region}`;
}

/**
 * `control-plane`: the state bucket (its requests logged to a bucket of their own) and its key,
 * GitHub's OIDC provider, and the three principals workflows become: the planner (pull requests,
 * drift, the rollout's gates, reap's listing; read-only), the deployer (the apply workflow in the
 * `production` environment) and the purger (the reap workflow in the `purge` environment). Each
 * trusts only its workflows on their branch. Applied once by a person, in the provider account.
 */
export class ControlPlaneStack extends FleetStack {
  constructor(scope: Construct, props: ControlPlaneStackProps) {
    super(scope, CONTROL_PLANE_STACK, 'control-plane', props.state);
    const { controlPlane, accounts } = props.platform;
    const partition = partitionOf(controlPlane.region);
    new AwsProvider(this, 'aws', { region: controlPlane.region, allowedAccountIds: [accounts.provider.id], defaultTags: [{ tags: { ...props.tags } }] });

    const key = new KmsKey(this, 'state-key', {
      description: 'tenancy: Terraform state of every stack',
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: terraformPolicy(policy([{
        Sid: 'AccountAdministersKeyThroughIam', Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${accounts.provider.id}:root` }, Action: 'kms:*', Resource: '*',
      }])),
      lifecycle: { preventDestroy: true },
    });
    new KmsAlias(this, 'state-key-alias', { name: STATE_KEY_ALIAS, targetKeyId: key.keyId });
    const logs = new AccessLogBucket(this, 'state-access-logs', {
      name: stateAccessLogBucketName(accounts.provider.id, controlPlane.region), accountId: accounts.provider.id, region: controlPlane.region,
      retentionDays: Math.max(STATE_HISTORY_DAYS, MINIMUM_LOG_DAYS), sources: [controlPlane.state.bucket],
    });
    const bucket = new TenantBucket(this, 'state', {
      name: controlPlane.state.bucket, key, noncurrentVersionDays: STATE_HISTORY_DAYS, bucketKey: false, accessLogs: { bucket: logs.bucket.bucket },
    });

    new IamOpenidConnectProvider(this, 'github', { url: `https://${GITHUB_OIDC.host}`, clientIdList: [GITHUB_OIDC.audience] });
    const cp: ControlPlaneScope = {
      partition, accountId: accounts.provider.id, region: controlPlane.region, repository: controlPlane.repository,
      stateBucket: controlPlane.state.bucket, keyPrefix: controlPlane.state.keyPrefix, stateKeyArn: key.arn, externalIdSecretPrefix: controlPlane.externalIdSecretPrefix,
      ...(controlPlane.state.lock.type === 'dynamodb' ? { lockTable: controlPlane.state.lock.table } : {}),
    };
    const jobs = githubJobs(controlPlane.repository);
    const planner = this.principal('planner', controlPlane.plannerRoleName, terraformPolicy(githubTrust(cp, jobs.planner)), terraformPolicy(controlPlanePlannerPolicy(cp)));
    const deployer = this.principal('deployer', controlPlane.deployerRoleName, terraformPolicy(githubTrust(cp, jobs.deployer)), terraformPolicy(controlPlaneDeployerPolicy(cp)));
    const purger = this.principal('purger', controlPlane.purgerRoleName, terraformPolicy(githubTrust(cp, jobs.purger)), terraformPolicy(controlPlanePurgerPolicy(cp)));

    new TerraformOutput(this, 'state_bucket', { value: bucket.bucket.bucket });
    new TerraformOutput(this, 'planner_role_arn', { value: planner.arn });
    new TerraformOutput(this, 'deployer_role_arn', { value: deployer.arn });
    new TerraformOutput(this, 'purger_role_arn', { value: purger.arn });
  }

  /** A control-plane role, capped by a boundary that is its own policy: it can never be given more. */
  private principal(id: string, name: string, trust: string, permissions: string): IamRole {
    const boundary = new IamPolicy(this, `${id}-boundary`, { name: `${name}-boundary`, description: `tenancy: the most ${name} can ever do`, policy: permissions });
    const role = new IamRole(this, id, { name, assumeRolePolicy: trust, maxSessionDuration: 3600, permissionsBoundary: boundary.arn, description: `tenancy: the ${id} GitHub workflows of this repository run as` });
    new IamRolePolicy(this, `${id}-policy`, { role: role.id, name: `tenancy-${id}`, policy: permissions });
    return role;
  }
}
