import { ecrRegistryHosts, type Platform, type TenantFile } from '@tenancy/model';
import { ACCOUNT_POLICY_NAMES, type AccountScope } from '../iam/account';
import { deployerBoundary, plannerBoundary } from '../iam/boundaries';
import { ROLE_BOUNDARIES } from '../aws/account-roles';
import { accessLogBucketName, accessLogBucketPolicy } from '../aws/access-log-bucket';
import { accessLogDays } from '../control-plane/access-logs';
import { deployerPolicies } from '../iam/deployer-policies';
import { plannerPolicy } from '../iam/planner-policy';
import type { PolicyDocument } from '../iam/policy-document';
import { accountRoleTrust, ROLE_KIND_TAG, type AccountRoleTrustProps } from '../iam/trust-policies';
import { controlPlaneRoles } from '../control-plane/control-plane-roles';
import { partitionOf } from '../naming';

/** What a customer account hosts behind one pair of tenancy roles, as its bootstrap must allow. */
export interface CustomerAccount {
  readonly accountId: string;
  /** The deployer's role, and the planner's. */
  readonly roleName: string;
  readonly plannerRoleName: string;
  readonly tenants: readonly string[];
  readonly cells: readonly string[];
  readonly pools: readonly string[];
}

type Customer = { model: string; accountId?: string; roleName?: string };

/** Everything hosted in the account (and behind the roles) of a customer-account tenant. */
export function customerAccountOf(tenantId: string, tenants: readonly TenantFile[], platform: Platform): CustomerAccount {
  const self = tenants.find((t) => t.id === tenantId);
  if (!self) throw new Error(`tenant ${tenantId} does not exist`);
  const { hosting } = self.tenant;
  if (hosting.model !== 'customer-account') throw new Error(`tenant ${tenantId} is hosted in the ${hosting.model}; only customer-account tenants have a bootstrap template`);
  const sameRole = (h: Customer) => h.model === 'customer-account' && h.accountId === hosting.accountId && h.roleName === hosting.roleName;
  return {
    accountId: hosting.accountId,
    roleName: hosting.roleName,
    plannerRoleName: hosting.plannerRoleName,
    tenants: tenants.filter((t) => sameRole(t.tenant.hosting)).map((t) => t.id).sort(),
    cells: Object.entries(platform.cells).filter(([, c]) => sameRole(c.hosting)).map(([n]) => n).sort(),
    pools: Object.entries(platform.pools).filter(([, p]) => sameRole(p.hosting)).map(([n]) => n).sort(),
  };
}

/** The account as the role policies see it. */
export function customerScope(account: CustomerAccount, platform: Platform, region: string): AccountScope {
  return { partition: partitionOf(region), accountId: account.accountId, deployerRoleName: account.roleName, plannerRoleName: account.plannerRoleName, tagKeys: platform.tagKeys, ecrRegistries: ecrRegistryHosts(platform.controlPlane.imageRegistries) };
}

/** The owners whose stacks may use the customer's roles, and the cells and pools that host them. */
export function customerOwners(account: CustomerAccount): NonNullable<AccountRoleTrustProps['owners']> {
  const hosts = [...account.cells.map((c) => `cell-${c}`), ...account.pools.map((p) => `pool-${p}`)];
  return { owners: [...account.tenants.map((t) => `tenant-${t}`), ...hosts], hosts };
}

/** Stands for the external id in the trust policies, until the template format puts its own reference there. */
const EXTERNAL_ID = '<external-id>';

/** Replaces every string equal to `from` in a JSON value with `to`. */
function substitute(value: unknown, from: string, to: unknown): unknown {
  if (value === from) return to;
  if (Array.isArray(value)) return value.map((v) => substitute(v, from, to));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, from, to)]));
  return value;
}

/** CloudFormation's name for a policy of the template: `DeployerNetworkPolicy` for `TenancyDeployer-network`. */
function logicalId(name: string, prefix: string): string {
  return `${prefix}${name.slice(name.lastIndexOf('-') + 1).replace(/^./, (c) => c.toUpperCase())}Policy`;
}

/**
 * The CloudFormation template the customer deploys to let the provider in: a deployer role and a
 * read-only planner role, each trusted only by its control-plane principal and only with the
 * external id (given to the customer out of band and passed as a NoEcho parameter, never written
 * here), each capped by a boundary; the owner, cluster and node boundaries the roles the stacks
 * create carry (and the workload boundary earlier releases gave them, until they are replaced);
 * and the bucket the account's data buckets log to. The policies are the ones tenancy's own accounts get, and the simulation proves.
 */
export function customerBootstrapTemplate(account: CustomerAccount, platform: Platform, region: string): object {
  const scope = customerScope(account, platform, region);
  const controlPlane = controlPlaneRoles(platform);
  const owners = customerOwners(account);
  const trust = (principal: string, purger?: string) => substitute(accountRoleTrust({ principal, ...(purger ? { purger } : {}), externalId: EXTERNAL_ID, owners }), EXTERNAL_ID, { Ref: 'ExternalId' });
  const managed = (name: string, description: string, document: PolicyDocument) => ({
    Type: 'AWS::IAM::ManagedPolicy', Properties: { ManagedPolicyName: name, Description: description, PolicyDocument: document },
  });
  const deployerPolicyResources = Object.fromEntries(deployerPolicies(scope).map(({ name, document }) => [logicalId(name, 'Deployer'), managed(name, `tenancy: what the deployer may do (${name})`, document)]));
  const tags = (kind: string) => [{ Key: ROLE_KIND_TAG, Value: kind }, { Key: 'managed-by', Value: 'tenancy' }];
  const logs = { name: accessLogBucketName(account.accountId, region), accountId: account.accountId, region, sources: [`*-data-${account.accountId}-${region}`] };
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `tenancy: lets the provider plan and deploy tenants ${account.tenants.join(', ')} in this account, and nothing else`,
    Parameters: {
      ExternalId: {
        Type: 'String', NoEcho: true, MinLength: 2, MaxLength: 1224, AllowedPattern: '[\\w+=,.@:/-]*',
        Description: 'The external id the provider gave you out of band. Do not store it anywhere else.',
      },
    },
    Resources: {
      // OwnerBoundary, ClusterBoundary, NodeBoundary and WorkloadBoundary, the last as earlier templates named it, so a stack update keeps it.
      ...Object.fromEntries(ROLE_BOUNDARIES.map((b) => [b.id.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join(''), managed(b.name, b.description, b.document(scope))])),
      DeployerBoundary: managed(ACCOUNT_POLICY_NAMES.deployerBoundary(account.roleName), 'tenancy: the most the deployer role can ever do', deployerBoundary(scope)),
      ...deployerPolicyResources,
      DeployerRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: account.roleName, MaxSessionDuration: 3600, PermissionsBoundary: { Ref: 'DeployerBoundary' },
          AssumeRolePolicyDocument: trust(controlPlane.deployer, controlPlane.purger),
          ManagedPolicyArns: Object.keys(deployerPolicyResources).map((id) => ({ Ref: id })),
          Tags: tags('deployer'),
        },
      },
      AccessLogBucket: {
        Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain',
        Properties: {
          BucketName: logs.name,
          VersioningConfiguration: { Status: 'Enabled' },
          BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
          LifecycleConfiguration: { Rules: [{ Id: 'expire-logs', Status: 'Enabled', ExpirationInDays: accessLogDays(platform), NoncurrentVersionExpiration: { NoncurrentDays: 1 } }] },
          Tags: [{ Key: 'managed-by', Value: 'tenancy' }],
        },
      },
      AccessLogBucketPolicy: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: { Ref: 'AccessLogBucket' }, PolicyDocument: accessLogBucketPolicy(logs) } },
      PlannerBoundary: managed(`${account.plannerRoleName}-boundary`, 'tenancy: the most the planner role can ever do', plannerBoundary(scope)),
      PlannerReadsPolicy: managed(`${account.plannerRoleName}-reads`, 'tenancy: what the planner may read', plannerPolicy(scope)),
      PlannerRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: account.plannerRoleName, MaxSessionDuration: 3600, PermissionsBoundary: { Ref: 'PlannerBoundary' },
          AssumeRolePolicyDocument: trust(controlPlane.planner),
          ManagedPolicyArns: [{ Ref: 'PlannerReadsPolicy' }],
          Tags: tags('planner'),
        },
      },
    },
    Outputs: {
      DeployerRoleArn: { Description: 'Give this ARN back to the provider', Value: { 'Fn::GetAtt': ['DeployerRole', 'Arn'] } },
      PlannerRoleArn: { Description: 'Give this ARN back to the provider', Value: { 'Fn::GetAtt': ['PlannerRole', 'Arn'] } },
    },
  };
}
