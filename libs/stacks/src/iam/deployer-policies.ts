import { DATABASE_FAMILIES } from '@tenancy/model';
import { clusterNames, networkNames, ownedNames } from '../naming';
import { iamArn, regionalArn, workloadBoundaryArn, type AccountScope } from './account';
import { conditions, CREATES, KEEPS_OWNER, OWNERSHIP_TAG_KEYS, OWNS } from './owners';
import { policy, type PolicyDocument } from './policy-document';
import { HOST, SELF, SESSION_TAG } from './session-scope';

/** EKS managed policies the stacks attach to cluster and node roles: the only policies they may attach. */
export const EKS_MANAGED_POLICIES = [
  'AmazonEKSClusterPolicy', 'AmazonEKSVPCResourceController', 'AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly',
];

/** Services the stacks pass roles to: EKS (clusters, node groups), EKS Pod Identity (workloads), AWS Backup, VPC Flow Logs. */
export const ROLE_CONSUMERS = ['eks.amazonaws.com', 'pods.eks.amazonaws.com', 'backup.amazonaws.com', 'vpc-flow-logs.amazonaws.com'] as const;

/** Service-linked roles the first cluster, node group or database of an account needs. */
export const SERVICE_LINKED_ROLES = ['eks.amazonaws.com', 'eks-nodegroup.amazonaws.com', 'autoscaling.amazonaws.com', 'rds.amazonaws.com', 'elasticloadbalancing.amazonaws.com'];

/** The read-only access policy the planner gets on every cluster: no secrets, no writes. */
export function plannerAccessPolicyArn(partition: string): string {
  return `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSViewPolicy`;
}

/**
 * EC2 create actions, grouped so that no action in a group is also authorized on a parent resource
 * whose type another action of the group creates: a statement allowing `CreateSubnet` on `subnet/*`
 * by request tag must not list `vpc/*`, or it would allow a subnet in anyone's VPC.
 */
const EC2_CREATE_GROUPS: readonly { actions: string[]; creates: string[] }[] = [
  { actions: ['ec2:CreateVpc', 'ec2:CreateInternetGateway', 'ec2:AllocateAddress', 'ec2:CreateLaunchTemplate'], creates: ['vpc', 'internet-gateway', 'elastic-ip', 'launch-template'] },
  { actions: ['ec2:CreateSubnet', 'ec2:CreateRouteTable', 'ec2:CreateSecurityGroup', 'ec2:CreateFlowLogs'], creates: ['subnet', 'route-table', 'security-group', 'vpc-flow-log'] },
  { actions: ['ec2:CreateNatGateway', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress'], creates: ['natgateway', 'security-group-rule'] },
];

/** EC2 actions on resources the session's owner already has (parents of new resources included). */
const EC2_MANAGE = [
  'ec2:ModifyVpcAttribute', 'ec2:DeleteVpc', 'ec2:ModifySubnetAttribute', 'ec2:DeleteSubnet',
  'ec2:AttachInternetGateway', 'ec2:DetachInternetGateway', 'ec2:DeleteInternetGateway',
  'ec2:DeleteRouteTable', 'ec2:CreateRoute', 'ec2:ReplaceRoute', 'ec2:DeleteRoute',
  'ec2:AssociateRouteTable', 'ec2:DisassociateRouteTable', 'ec2:ReplaceRouteTableAssociation',
  'ec2:AuthorizeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress',
  'ec2:ModifySecurityGroupRules', 'ec2:UpdateSecurityGroupRuleDescriptionsIngress', 'ec2:DeleteSecurityGroup',
  'ec2:ReleaseAddress', 'ec2:DeleteNatGateway',
  'ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate', 'ec2:DeleteLaunchTemplate',
  'ec2:CreateSubnet', 'ec2:CreateRouteTable', 'ec2:CreateSecurityGroup', 'ec2:CreateNatGateway', 'ec2:CreateFlowLogs', 'ec2:DeleteFlowLogs',
];

/** What Terraform reads to plan EC2 resources; EC2 allows these on "*" only. */
export const EC2_READ = [
  'ec2:DescribeVpcs', 'ec2:DescribeVpcAttribute', 'ec2:DescribeSubnets', 'ec2:DescribeInternetGateways', 'ec2:DescribeRouteTables',
  'ec2:DescribeSecurityGroups', 'ec2:DescribeSecurityGroupRules', 'ec2:DescribeNetworkAcls', 'ec2:DescribeAddresses', 'ec2:DescribeAddressesAttribute',
  'ec2:DescribeNatGateways', 'ec2:DescribeLaunchTemplates', 'ec2:DescribeLaunchTemplateVersions', 'ec2:DescribeFlowLogs',
  'ec2:DescribeNetworkInterfaces', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeAccountAttributes', 'ec2:DescribeInstanceTypes',
];

const KEEPS_OWNERSHIP = { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': OWNERSHIP_TAG_KEYS } };
const IS_PURGE = { StringEquals: { [`aws:PrincipalTag/${SESSION_TAG.purge}`]: 'true' } };

/**
 * The deployer's EC2 permissions. EC2 resources carry ids, not names, so ownership is the
 * `tenancy-owner` tag: written only while creating (`ec2:CreateAction`), so no existing resource
 * of anyone else's can ever be tagged into a session's reach.
 */
export function deployerNetworkPolicy(scope: AccountScope): PolicyDocument {
  const ec2 = (resource: string) => regionalArn(scope, 'ec2', resource);
  return policy([
    { Sid: 'Ec2Read', Effect: 'Allow', Action: EC2_READ, Resource: '*' },
    ...EC2_CREATE_GROUPS.map((group, i) => ({
      Sid: `Ec2Create${i + 1}`, Effect: 'Allow' as const, Action: group.actions, Resource: group.creates.map((type) => ec2(`${type}/*`)), Condition: CREATES,
    })),
    {
      Sid: 'Ec2TagWhileCreating', Effect: 'Allow', Action: 'ec2:CreateTags', Resource: EC2_CREATE_GROUPS.flatMap((g) => g.creates).map((type) => ec2(`${type}/*`)),
      Condition: conditions(CREATES, { StringEquals: { 'ec2:CreateAction': EC2_CREATE_GROUPS.flatMap((g) => g.actions).map((a) => a.slice('ec2:'.length)) } }),
    },
    { Sid: 'Ec2Manage', Effect: 'Allow', Action: EC2_MANAGE, Resource: ec2('*'), Condition: OWNS },
    { Sid: 'Ec2Retag', Effect: 'Allow', Action: 'ec2:CreateTags', Resource: ec2('*'), Condition: conditions(OWNS, KEEPS_OWNER) },
    { Sid: 'Ec2Untag', Effect: 'Allow', Action: 'ec2:DeleteTags', Resource: ec2('*'), Condition: conditions(OWNS, KEEPS_OWNERSHIP) },
    {
      // A tenant of a cell or pool lives in its host's network: it may add its own security group there, nothing else.
      Sid: 'Ec2SecurityGroupsInHost', Effect: 'Allow', Action: 'ec2:CreateSecurityGroup', Resource: ec2('vpc/*'),
      Condition: { StringEquals: { [`aws:ResourceTag/${SESSION_TAG.owner}`]: HOST } },
    },
  ]);
}

/** The deployer's permissions on what holds data: buckets, databases, keys. It reads none of it. */
export function deployerDataPolicy(scope: AccountScope): PolicyDocument {
  const rds = (resource: string) => regionalArn(scope, 'rds', resource);
  const database = ownedNames.database(SELF);
  // Parameter groups are named by family, each listed: a wildcard would reach a tenant whose id extends this one's.
  const families = Object.entries(DATABASE_FAMILIES).flatMap(([engine, versions]) => versions.map((v) => `${engine}${v.replace('.', '-')}`));
  const rdsOwned = [rds(`db:${database}`), rds(`subgrp:${database}`), ...families.map((family) => rds(`pg:${database}-${family}`))];
  const bucket = `arn:${scope.partition}:s3:::${ownedNames.bucket(SELF, scope.accountId, '*')}`;
  return policy([
    {
      Sid: 'BucketsConfiguration', Effect: 'Allow', Resource: bucket,
      Action: [
        's3:CreateBucket', 's3:ListBucket', 's3:GetBucketTagging', 's3:PutBucketTagging', 's3:GetBucketVersioning', 's3:PutBucketVersioning',
        's3:GetEncryptionConfiguration', 's3:PutEncryptionConfiguration', 's3:GetBucketPublicAccessBlock', 's3:PutBucketPublicAccessBlock',
        's3:GetBucketOwnershipControls', 's3:PutBucketOwnershipControls', 's3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy',
        's3:GetLifecycleConfiguration', 's3:PutLifecycleConfiguration', 's3:GetBucketAcl', 's3:GetBucketCORS', 's3:GetBucketWebsite',
        's3:GetAccelerateConfiguration', 's3:GetBucketRequestPayment', 's3:GetBucketLogging', 's3:GetReplicationConfiguration',
        's3:GetBucketObjectLockConfiguration', 's3:PutBucketObjectLockConfiguration',
      ],
    },
    {
      Sid: 'BucketsPurge', Effect: 'Allow', Action: ['s3:DeleteBucket', 's3:ListBucketVersions', 's3:DeleteObject', 's3:DeleteObjectVersion'],
      Resource: [bucket, `${bucket}/*`], Condition: IS_PURGE,
    },
    { Sid: 'DatabasesCreate', Effect: 'Allow', Action: ['rds:CreateDBInstance', 'rds:CreateDBSubnetGroup', 'rds:CreateDBParameterGroup', 'rds:AddTagsToResource'], Resource: rdsOwned, Condition: CREATES },
    {
      Sid: 'DatabasesManage', Effect: 'Allow', Resource: rdsOwned,
      Action: ['rds:ModifyDBInstance', 'rds:RebootDBInstance', 'rds:ModifyDBSubnetGroup', 'rds:ModifyDBParameterGroup', 'rds:DeleteDBSubnetGroup', 'rds:DeleteDBParameterGroup', 'rds:RemoveTagsFromResource'],
    },
    { Sid: 'DatabasesPurge', Effect: 'Allow', Action: 'rds:DeleteDBInstance', Resource: rds(`db:${database}`), Condition: IS_PURGE },
    { Sid: 'DatabaseMasterSecretByRds', Effect: 'Allow', Action: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'], Resource: regionalArn(scope, 'secretsmanager', 'secret:rds!db-*') },
    {
      Sid: 'DatabasesRead', Effect: 'Allow', Resource: rds('*'),
      Action: ['rds:DescribeDBInstances', 'rds:DescribeDBSubnetGroups', 'rds:DescribeDBParameterGroups', 'rds:DescribeDBParameters', 'rds:ListTagsForResource'],
    },
    { Sid: 'KeysCreate', Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*', Condition: CREATES },
    // KMS authorizes tags given to CreateKey against the IAM policy, on any key of the account. No
    // permission of any principal tenancy creates keys off KMS tags: keys are managed through their
    // own key policies, which name the deployer and the owning session.
    { Sid: 'KeysTagWhileCreating', Effect: 'Allow', Action: 'kms:TagResource', Resource: regionalArn(scope, 'kms', 'key/*'), Condition: CREATES },
    {
      Sid: 'KeyAliases', Effect: 'Allow', Action: ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'],
      Resource: [ownedNames.keyAlias(SELF), clusterNames.keyAlias(SELF)].map((alias) => regionalArn(scope, 'kms', alias)),
    },
    // Only tenants have data keys: `alias/cell-x-cluster` is never a cell's data key alias.
    {
      Sid: 'DataKeyAliasesAreTenants', Effect: 'Deny', Action: ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'], Resource: regionalArn(scope, 'kms', ownedNames.keyAlias(SELF)),
      Condition: { StringNotLike: { [`aws:PrincipalTag/${SESSION_TAG.owner}`]: 'tenant-*' } },
    },
    { Sid: 'KeyAliasesRead', Effect: 'Allow', Action: 'kms:ListAliases', Resource: '*' },
  ]);
}

/**
 * The deployer's permissions on database backups: a vault of the owner's name, plans tagged as the
 * owner's, backups deleted only by the purge.
 */
export function deployerBackupPolicy(scope: AccountScope): PolicyDocument {
  const vault = regionalArn(scope, 'backup', `backup-vault:${ownedNames.backups(SELF)}`);
  const plans = regionalArn(scope, 'backup', 'backup-plan:*');
  return policy([
    { Sid: 'BackupVaultsCreate', Effect: 'Allow', Action: 'backup:CreateBackupVault', Resource: vault, Condition: CREATES },
    {
      Sid: 'BackupVaults', Effect: 'Allow', Resource: vault,
      Action: ['backup:DescribeBackupVault', 'backup:ListTags', 'backup:UntagResource', 'backup:PutBackupVaultLockConfiguration', 'backup:DeleteBackupVaultLockConfiguration'],
    },
    // A legal hold locks a vault in governance mode, which lifting the hold undoes; compliance mode could never be undone.
    { Sid: 'BackupVaultLocksAreGovernance', Effect: 'Deny', Action: 'backup:PutBackupVaultLockConfiguration', Resource: '*', Condition: { Null: { 'backup:ChangeableForDays': 'false' } } },
    { Sid: 'BackupVaultsPurge', Effect: 'Allow', Action: ['backup:ListRecoveryPointsByBackupVault', 'backup:DeleteBackupVault'], Resource: vault, Condition: IS_PURGE },
    { Sid: 'BackupsPurge', Effect: 'Allow', Action: 'backup:DeleteRecoveryPoint', Resource: '*', Condition: conditions(OWNS, IS_PURGE) },
    { Sid: 'BackupPlansCreate', Effect: 'Allow', Action: 'backup:CreateBackupPlan', Resource: plans, Condition: CREATES },
    {
      Sid: 'BackupPlans', Effect: 'Allow', Resource: plans, Condition: OWNS,
      Action: ['backup:GetBackupPlan', 'backup:UpdateBackupPlan', 'backup:DeleteBackupPlan', 'backup:ListTags', 'backup:UntagResource', 'backup:CreateBackupSelection', 'backup:GetBackupSelection', 'backup:DeleteBackupSelection'],
    },
    { Sid: 'BackupsRetag', Effect: 'Allow', Action: 'backup:TagResource', Resource: [vault, plans], Condition: KEEPS_OWNER },
    { Sid: 'BackupStorage', Effect: 'Allow', Action: 'backup-storage:MountCapsule', Resource: '*' },
  ]);
}

/** Names of the roles an owner's stacks create, by the service each is passed to and by who may own it. */
const ROLES: readonly { readonly name: string; readonly service: (typeof ROLE_CONSUMERS)[number]; readonly owner: 'any' | 'tenant' | 'shared' }[] = [
  { name: clusterNames.clusterRole(SELF), service: 'eks.amazonaws.com', owner: 'any' },
  { name: networkNames.flowLogRole(SELF), service: 'vpc-flow-logs.amazonaws.com', owner: 'any' },
  { name: clusterNames.nodeRole(SELF), service: 'eks.amazonaws.com', owner: 'tenant' },
  { name: clusterNames.nodeRole(ownedNames.criticalNodeGroup(SELF)), service: 'eks.amazonaws.com', owner: 'tenant' },
  { name: `tenancy/${ownedNames.workloadRole(SELF)}`, service: 'pods.eks.amazonaws.com', owner: 'tenant' },
  { name: `tenancy/${ownedNames.databaseAdminRole(SELF)}`, service: 'pods.eks.amazonaws.com', owner: 'tenant' },
  { name: ownedNames.backupRole(SELF), service: 'backup.amazonaws.com', owner: 'tenant' },
  { name: clusterNames.nodeRole(clusterNames.sharedNodeGroup(SELF)), service: 'eks.amazonaws.com', owner: 'shared' },
];

const roleArns = (scope: AccountScope, which: (role: (typeof ROLES)[number]) => boolean) => ROLES.filter(which).map((r) => iamArn(scope, `role/${r.name}`));
/** Roles only a tenant's stacks create. */
const tenantRoles = (scope: AccountScope) => roleArns(scope, (r) => r.owner === 'tenant');
/** Roles only a cell's or pool's stack creates: its shared nodes'. */
const sharedRoles = (scope: AccountScope) => roleArns(scope, (r) => r.owner === 'shared');

/** Roles an owner's stacks create. */
function ownedRoleArns(scope: AccountScope): string[] {
  return roleArns(scope, () => true);
}

const IS_TENANT = { [`aws:PrincipalTag/${SESSION_TAG.owner}`]: 'tenant-*' };

/** The deployer's permissions on clusters, their service-linked roles, and the log groups of clusters, networks and databases. */
export function deployerClusterPolicy(scope: AccountScope): PolicyDocument {
  const eks = (resource: string) => regionalArn(scope, 'eks', resource);
  const cluster = eks(`cluster/${ownedNames.cluster(SELF)}`);
  const parts = [eks(`nodegroup/${SELF}/*`), eks(`nodegroup/${HOST}/${ownedNames.criticalNodeGroup(SELF)}/*`), eks(`addon/${SELF}/*`), eks(`access-entry/${SELF}/*`)];
  const logGroups = [clusterNames.logGroup(SELF), networkNames.flowLogGroup(SELF), `/aws/rds/instance/${ownedNames.database(SELF)}/*`]
    .flatMap((name) => [regionalArn(scope, 'logs', `log-group:${name}`), regionalArn(scope, 'logs', `log-group:${name}:*`)]);
  return policy([
    { Sid: 'ClustersCreate', Effect: 'Allow', Action: 'eks:CreateCluster', Resource: '*', Condition: CREATES },
    {
      Sid: 'Clusters', Effect: 'Allow', Resource: cluster,
      Action: [
        'eks:DescribeCluster', 'eks:UpdateClusterConfig', 'eks:UpdateClusterVersion', 'eks:AssociateEncryptionConfig', 'eks:DeleteCluster',
        'eks:CreateNodegroup', 'eks:CreateAddon', 'eks:CreatePodIdentityAssociation', 'eks:ListNodegroups', 'eks:ListAddons', 'eks:ListUpdates', 'eks:DescribeUpdate',
      ],
    },
    // A tenant of a pool runs its critical nodes on the pool's cluster; a tenant of a cell or pool gives its pods their role there.
    { Sid: 'HostCluster', Effect: 'Allow', Action: ['eks:CreateNodegroup', 'eks:CreatePodIdentityAssociation'], Resource: eks(`cluster/${HOST}`), Condition: CREATES },
    {
      Sid: 'ClusterParts', Effect: 'Allow', Resource: parts,
      Action: [
        'eks:DescribeNodegroup', 'eks:UpdateNodegroupConfig', 'eks:UpdateNodegroupVersion', 'eks:DeleteNodegroup',
        'eks:DescribeAddon', 'eks:UpdateAddon', 'eks:DeleteAddon', 'eks:DescribeAccessEntry', 'eks:DeleteAccessEntry', 'eks:ListAssociatedAccessPolicies',
      ],
    },
    { Sid: 'ClustersRetag', Effect: 'Allow', Action: ['eks:TagResource', 'eks:UntagResource'], Resource: [cluster, ...parts], Condition: KEEPS_OWNER },
    {
      Sid: 'PodIdentity', Effect: 'Allow', Resource: eks('podidentityassociation/*'), Condition: conditions(OWNS, KEEPS_OWNER),
      Action: ['eks:DescribePodIdentityAssociation', 'eks:UpdatePodIdentityAssociation', 'eks:DeletePodIdentityAssociation', 'eks:TagResource', 'eks:UntagResource'],
    },
    {
      Sid: 'ClustersPlannerAccess', Effect: 'Allow', Action: 'eks:CreateAccessEntry', Resource: cluster,
      Condition: conditions(CREATES, { StringEquals: { 'eks:principalArn': iamArn(scope, `role/${scope.plannerRoleName}`) } }),
    },
    {
      Sid: 'ClustersPlannerView', Effect: 'Allow', Action: ['eks:AssociateAccessPolicy', 'eks:DisassociateAccessPolicy'], Resource: eks(`access-entry/${SELF}/*`),
      Condition: { StringEquals: { 'eks:policyArn': plannerAccessPolicyArn(scope.partition) } },
    },
    {
      Sid: 'LogGroups', Effect: 'Allow', Resource: logGroups, Condition: KEEPS_OWNER,
      Action: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy', 'logs:AssociateKmsKey', 'logs:DisassociateKmsKey', 'logs:DeleteLogGroup', 'logs:ListTagsForResource', 'logs:ListTagsLogGroup', 'logs:TagResource', 'logs:UntagResource', 'logs:TagLogGroup', 'logs:UntagLogGroup'],
    },
    { Sid: 'ClustersRead', Effect: 'Allow', Action: ['eks:DescribeAddonVersions', 'logs:DescribeLogGroups'], Resource: '*' },
    // The first cluster, node group or database of an account makes the service's own role.
    { Sid: 'ServiceLinkedRoles', Effect: 'Allow', Action: 'iam:CreateServiceLinkedRole', Resource: iamArn(scope, 'role/aws-service-role/*'), Condition: { StringEquals: { 'iam:AWSServiceName': SERVICE_LINKED_ROLES } } },
  ]);
}

/**
 * The deployer's permissions on the roles of clusters, nodes and workloads: only the owner's names,
 * only with the workload boundary, only the EKS managed policies attached, only passed to EKS.
 */
export function deployerRolesPolicy(scope: AccountScope): PolicyDocument {
  const roles = ownedRoleArns(scope);
  return policy([
    {
      Sid: 'RolesBounded', Effect: 'Allow', Resource: roles,
      Action: [
        'iam:CreateRole', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:DetachRolePolicy', 'iam:PutRolePermissionsBoundary',
        'iam:UpdateAssumeRolePolicy', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:DeleteRole',
      ],
      Condition: conditions({ StringEquals: { 'iam:PermissionsBoundary': workloadBoundaryArn(scope) } }, KEEPS_OWNER),
    },
    {
      Sid: 'RolesAttachEksPolicies', Effect: 'Allow', Action: 'iam:AttachRolePolicy', Resource: roles,
      Condition: {
        StringEquals: { 'iam:PermissionsBoundary': workloadBoundaryArn(scope) },
        ArnEquals: { 'iam:PolicyARN': EKS_MANAGED_POLICIES.map((p) => `arn:${scope.partition}:iam::aws:policy/${p}`) },
      },
    },
    {
      Sid: 'Roles', Effect: 'Allow', Resource: roles,
      Action: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:ListInstanceProfilesForRole', 'iam:UntagRole'],
    },
    { Sid: 'RolesTag', Effect: 'Allow', Action: 'iam:TagRole', Resource: roles, Condition: KEEPS_OWNER },
    // Each role only to the service that uses it: a backup role is never a cluster's.
    ...ROLE_CONSUMERS.map((service) => ({
      Sid: `RolesPassTo${service.split('.')[0]!.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}`, Effect: 'Allow' as const, Action: 'iam:PassRole',
      Resource: roleArns(scope, (r) => r.service === service), Condition: { StringEquals: { 'iam:PassedToService': service } },
    })),
    // A tenant's role names are never a cell's or pool's, and theirs never a tenant's: with a
    // cell named `x`, a tenant could otherwise not take `cell-x-shared-nodes`, nor a pool `pool-y-nodes`.
    { Sid: 'TenantRolesAreTenants', Effect: 'Deny', Action: 'iam:*', Resource: tenantRoles(scope), Condition: { StringNotLike: IS_TENANT } },
    { Sid: 'SharedRolesAreShared', Effect: 'Deny', Action: 'iam:*', Resource: sharedRoles(scope), Condition: { StringLike: IS_TENANT } },
  ]);
}

/** The deployer role's permissions, as managed policies within IAM's 6,144-character limit. */
export function deployerPolicies(scope: AccountScope): { readonly name: string; readonly document: PolicyDocument }[] {
  return [
    { name: `${scope.deployerRoleName}-network`, document: deployerNetworkPolicy(scope) },
    { name: `${scope.deployerRoleName}-data`, document: deployerDataPolicy(scope) },
    { name: `${scope.deployerRoleName}-backups`, document: deployerBackupPolicy(scope) },
    { name: `${scope.deployerRoleName}-clusters`, document: deployerClusterPolicy(scope) },
    { name: `${scope.deployerRoleName}-roles`, document: deployerRolesPolicy(scope) },
  ];
}
