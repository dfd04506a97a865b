import type { Platform, TenantFile } from '@tenancy/model';
import { partitionOf } from '../naming';

/** What a customer account hosts, as the bootstrap role must allow. */
export interface CustomerAccount {
  readonly accountId: string;
  readonly roleName: string;
  readonly tenants: readonly string[];
  readonly cells: readonly string[];
  readonly pools: readonly string[];
}

/** Everything hosted in the account (and behind the role) of a customer-account tenant. */
export function customerAccountOf(tenantId: string, tenants: readonly TenantFile[], platform: Platform): CustomerAccount {
  const self = tenants.find((t) => t.id === tenantId);
  if (!self) throw new Error(`tenant ${tenantId} does not exist`);
  const { hosting } = self.tenant;
  if (hosting.model !== 'customer-account') throw new Error(`tenant ${tenantId} is hosted in the ${hosting.model}; only customer-account tenants have a bootstrap template`);
  const sameRole = (h: { model: string; accountId?: string; roleName?: string }) => h.model === 'customer-account' && h.accountId === hosting.accountId && h.roleName === hosting.roleName;
  return {
    accountId: hosting.accountId,
    roleName: hosting.roleName,
    tenants: tenants.filter((t) => sameRole(t.tenant.hosting)).map((t) => t.id).sort(),
    cells: Object.entries(platform.cells).filter(([, c]) => sameRole(c.hosting)).map(([n]) => n).sort(),
    pools: Object.entries(platform.pools).filter(([, p]) => sameRole(p.hosting)).map(([n]) => n).sort(),
  };
}

/** Actions that create a resource; allowed only when the request tags it for a hosted tenant, cell or pool. */
const CREATE = [
  'ec2:CreateVpc', 'ec2:CreateSubnet', 'ec2:CreateInternetGateway', 'ec2:CreateNatGateway', 'ec2:AllocateAddress',
  'ec2:CreateRouteTable', 'ec2:CreateSecurityGroup', 'ec2:CreateLaunchTemplate', 'ec2:CreateLaunchTemplateVersion',
  'eks:CreateCluster', 'eks:CreateNodegroup', 'eks:CreateAccessEntry',
  'rds:CreateDBInstance', 'rds:CreateDBSubnetGroup', 'rds:CreateDBParameterGroup',
  'kms:CreateKey', 'logs:CreateLogGroup',
];

/** Actions on existing resources; allowed only on resources tagged for a hosted tenant, cell or pool. */
const MANAGE = [
  'ec2:Delete*', 'ec2:Modify*', 'ec2:Associate*', 'ec2:Disassociate*', 'ec2:Attach*', 'ec2:Detach*',
  'ec2:AuthorizeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress',
  'ec2:CreateRoute', 'ec2:ReplaceRoute', 'ec2:ReleaseAddress', 'ec2:CreateTags', 'ec2:DeleteTags',
  'eks:Update*', 'eks:Delete*', 'eks:TagResource', 'eks:UntagResource', 'eks:AssociateAccessPolicy', 'eks:DisassociateAccessPolicy',
  'rds:Modify*', 'rds:Delete*', 'rds:AddTagsToResource', 'rds:RemoveTagsFromResource', 'rds:RebootDBInstance',
  'kms:EnableKeyRotation', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias',
  'kms:TagResource', 'kms:UntagResource', 'kms:CreateGrant', 'kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*',
  'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags', 'kms:UpdateKeyDescription',
  'logs:PutRetentionPolicy', 'logs:DeleteLogGroup', 'logs:AssociateKmsKey', 'logs:TagResource', 'logs:UntagResource', 'logs:TagLogGroup',
  'secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:TagResource',
];

/**
 * Tag actions these services authorize when a resource is created with tags. The request must carry
 * a hosted tenant's, cell's or pool's tag; EC2's own tagging is limited to its create actions.
 */
const TAG_ON_CREATE = ['rds:AddTagsToResource', 'kms:TagResource', 'logs:TagResource', 'eks:TagResource'];

/** Read-only calls Terraform makes to refresh and plan; they carry no resource tags. */
const READ = [
  'ec2:Describe*', 'eks:Describe*', 'eks:List*', 'rds:Describe*', 'rds:ListTagsForResource', 'kms:DescribeKey', 'kms:ListAliases',
  'logs:DescribeLogGroups', 'logs:ListTagsForResource', 'logs:ListTagsLogGroup', 'iam:GetRole', 'iam:GetRolePolicy',
  'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:ListInstanceProfilesForRole', 'iam:GetOpenIDConnectProvider',
  'iam:ListOpenIDConnectProviders', 's3:ListAllMyBuckets', 'sts:GetCallerIdentity',
];

/** The AWS managed policies the tenant stacks attach to their cluster and node roles. */
const MANAGED_POLICIES = ['AmazonEKSClusterPolicy', 'AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly'];

function tagConditions(kind: 'Request' | 'Resource', account: CustomerAccount): object[] {
  return ([['tenant', account.tenants], ['cell', account.cells], ['pool', account.pools]] as const)
    .filter(([, values]) => values.length > 0)
    .map(([key, values]) => ({ StringEquals: { [`aws:${kind}Tag/${key}`]: [...values] } }));
}

/**
 * The CloudFormation template the customer deploys to let the provider in: one role, trusted only
 * by the provider's deployer and only with the external id (given to the customer out of band and
 * passed as a NoEcho parameter, never written here), capped by a permissions boundary, and allowed
 * to create and manage only resources tagged for the tenants, cells and pools hosted in the account.
 */
export function customerBootstrapTemplate(account: CustomerAccount, platform: Platform, region: string): object {
  const partition = partitionOf(region);
  const deployer = `arn:${partition}:iam::${platform.accounts.provider.id}:role/${platform.controlPlane.deployerRoleName}`;
  const names = [...account.tenants.map((t) => `tenant-${t}`), ...account.cells.map((c) => `cell-${c}`), ...account.pools.map((p) => `pool-${p}`)];
  const roleArns = names.flatMap((n) => [`arn:${partition}:iam::${account.accountId}:role/${n}-*`, `arn:${partition}:iam::${account.accountId}:role/tenancy/${n}-*`]);
  const tagged = (kind: 'Request' | 'Resource', sid: string, actions: string[]) =>
    tagConditions(kind, account).map((condition, i) => ({ Sid: `${sid}${i}`, Effect: 'Allow', Action: actions, Resource: '*', Condition: condition }));
  const policy = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Read', Effect: 'Allow', Action: READ, Resource: '*' },
      ...tagged('Request', 'CreateTagged', [...CREATE, ...TAG_ON_CREATE]),
      ...tagged('Resource', 'ManageTagged', MANAGE),
      {
        Sid: 'Ec2TagsOnlyWhileCreating', Effect: 'Allow', Action: 'ec2:CreateTags', Resource: '*',
        Condition: { StringEquals: { 'ec2:CreateAction': CREATE.filter((a) => a.startsWith('ec2:')).map((a) => a.slice(4)) } },
      },
      { Sid: 'TenantBuckets', Effect: 'Allow', Action: 's3:*', Resource: names.filter((n) => n.startsWith('tenant-')).flatMap((n) => [`arn:${partition}:s3:::${n}-data-*`, `arn:${partition}:s3:::${n}-data-*/*`]) },
      {
        Sid: 'TenantRoles', Effect: 'Allow', Resource: roleArns,
        Action: ['iam:CreateRole', 'iam:DeleteRole', 'iam:TagRole', 'iam:UntagRole', 'iam:UpdateAssumeRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:UpdateRole'],
      },
      {
        Sid: 'OnlyEksManagedPolicies', Effect: 'Allow', Action: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'], Resource: roleArns,
        Condition: { ArnEquals: { 'iam:PolicyARN': MANAGED_POLICIES.map((p) => `arn:${partition}:iam::aws:policy/${p}`) } },
      },
      {
        Sid: 'PassRolesToEksAndEc2', Effect: 'Allow', Action: 'iam:PassRole', Resource: roleArns,
        Condition: { StringEquals: { 'iam:PassedToService': ['eks.amazonaws.com', 'ec2.amazonaws.com'] } },
      },
      {
        Sid: 'ClusterOidcProviders', Effect: 'Allow', Resource: `arn:${partition}:iam::${account.accountId}:oidc-provider/oidc.eks.*`,
        Action: ['iam:CreateOpenIDConnectProvider', 'iam:DeleteOpenIDConnectProvider', 'iam:TagOpenIDConnectProvider', 'iam:UpdateOpenIDConnectProviderThumbprint'],
      },
      { Sid: 'ServiceLinkedRoles', Effect: 'Allow', Action: 'iam:CreateServiceLinkedRole', Resource: '*', Condition: { StringEquals: { 'iam:AWSServiceName': ['eks.amazonaws.com', 'eks-nodegroup.amazonaws.com', 'rds.amazonaws.com', 'autoscaling.amazonaws.com'] } } },
    ],
  };
  const boundary = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AtMostTheDeployPolicy', Effect: 'Allow', Action: ['ec2:*', 'eks:*', 'rds:*', 'kms:*', 'logs:*', 's3:*', 'secretsmanager:*', 'iam:*', 'sts:GetCallerIdentity'], Resource: '*' },
      { Sid: 'NeverPeopleOrKeys', Effect: 'Deny', Action: ['iam:CreateUser', 'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:CreateGroup', 'iam:AddUserToGroup', 'iam:CreatePolicy', 'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion'], Resource: '*' },
      {
        Sid: 'NeverItsOwnAccess', Effect: 'Deny', Action: 'iam:*',
        Resource: [`arn:${partition}:iam::${account.accountId}:role/${account.roleName}`, `arn:${partition}:iam::${account.accountId}:policy/${account.roleName}-boundary`],
      },
    ],
  };
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `tenancy: lets the provider's deployer manage tenants ${account.tenants.join(', ')} in this account, and nothing else`,
    Parameters: {
      ExternalId: {
        Type: 'String', NoEcho: true, MinLength: 2, MaxLength: 1224, AllowedPattern: '[\\w+=,.@:/-]*',
        Description: 'The external id the provider gave you out of band. Do not store it anywhere else.',
      },
    },
    Resources: {
      PermissionsBoundary: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: { ManagedPolicyName: `${account.roleName}-boundary`, Description: 'The most the tenancy deploy role can ever do', PolicyDocument: boundary },
      },
      DeployRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: account.roleName,
          MaxSessionDuration: 3600,
          PermissionsBoundary: { Ref: 'PermissionsBoundary' },
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{
              Effect: 'Allow', Principal: { AWS: deployer }, Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
            }],
          },
          Policies: [{ PolicyName: 'tenancy-deploy', PolicyDocument: policy }],
          Tags: [{ Key: 'managed-by', Value: 'tenancy' }],
        },
      },
    },
    Outputs: {
      RoleArn: { Description: 'Give this ARN back to the provider', Value: { 'Fn::GetAtt': ['DeployRole', 'Arn'] } },
    },
  };
}
