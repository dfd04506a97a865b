import { DATABASE_FAMILIES } from '@tenancy/model';
import { clusterNames, networkNames, ownedNames } from '../naming';
import { ACCOUNT_POLICY_NAMES, iamArn, regionalArn, roleBoundaryArn, type AccountScope, type RoleBoundary } from './account';
import { conditions, CREATES, KEEPS_OWNER, OWNERSHIP_TAG_KEYS, OWNS } from './owners';
import { policy, type PolicyDocument, type Statement } from './policy-document';
import { CLUSTER_TAG, HOST, SELF, SESSION_TAG } from './session-scope';

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
        's3:GetBucketObjectLockConfiguration', 's3:PutBucketObjectLockConfiguration', 's3:PutBucketLogging',
      ],
    },
    {
      Sid: 'BucketsPurge', Effect: 'Allow', Action: ['s3:DeleteBucket', 's3:ListBucketVersions', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:BypassGovernanceRetention'],
      Resource: [bucket, `${bucket}/*`], Condition: IS_PURGE,
    },
    { Sid: 'DatabasesCreate', Effect: 'Allow', Action: ['rds:CreateDBInstance', 'rds:CreateDBSubnetGroup', 'rds:CreateDBParameterGroup', 'rds:AddTagsToResource'], Resource: rdsOwned, Condition: CREATES },
    {
      Sid: 'DatabasesManage', Effect: 'Allow', Resource: rdsOwned,
      Action: ['rds:ModifyDBInstance', 'rds:RebootDBInstance', 'rds:ModifyDBSubnetGroup', 'rds:ModifyDBParameterGroup', 'rds:DeleteDBSubnetGroup', 'rds:DeleteDBParameterGroup', 'rds:RemoveTagsFromResource'],
    },
    { Sid: 'DatabasesPurge', Effect: 'Allow', Action: 'rds:DeleteDBInstance', Resource: rds(`db:${database}`), Condition: IS_PURGE },
    {
      // RDS creates and tags the master secret of a database it creates, with the caller's rights and
      // under a name it chooses; the tag it sets names the database, and no one but AWS may write an aws: tag.
      Sid: 'DatabaseMasterSecretByRds', Effect: 'Allow', Action: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'], Resource: regionalArn(scope, 'secretsmanager', 'secret:rds!db-*'),
      Condition: {
        'ForAnyValue:StringEquals': { 'aws:CalledVia': 'rds.amazonaws.com' },
        StringLikeIfExists: {
          'aws:RequestTag/aws:rds:primaryDBInstanceArn': regionalArn(scope, 'rds', `db:${database}`),
          'aws:ResourceTag/aws:rds:primaryDBInstanceArn': regionalArn(scope, 'rds', `db:${database}`),
        },
      },
    },
    {
      Sid: 'DatabasesRead', Effect: 'Allow', Resource: rds('*'),
      Action: ['rds:DescribeDBInstances', 'rds:DescribeDBSubnetGroups', 'rds:DescribeDBParameterGroups', 'rds:DescribeDBParameters', 'rds:ListTagsForResource'],
    },
    // Keys are made without tags (their stacks' providers leave them out): KMS would authorize tags
    // given to CreateKey as kms:TagResource on any key of the account. A key is managed through its
    // own policy, which names the deployer and the owning session, and found by its alias.
    { Sid: 'KeysCreate', Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*', Condition: { Null: { 'aws:TagKeys': 'true' } } },
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
 * The deployer's permissions on database backups: a vault of the owner's name, locked (governance
 * mode) from the day it is made until the purge lifts the lock; plans tagged as the owner's;
 * backups deleted only by the purge.
 */
export function deployerBackupPolicy(scope: AccountScope): PolicyDocument {
  const vault = regionalArn(scope, 'backup', `backup-vault:${ownedNames.backups(SELF)}`);
  const plans = regionalArn(scope, 'backup', 'backup-plan:*');
  return policy([
    { Sid: 'BackupVaultsCreate', Effect: 'Allow', Action: 'backup:CreateBackupVault', Resource: vault, Condition: CREATES },
    {
      Sid: 'BackupVaults', Effect: 'Allow', Resource: vault,
      Action: ['backup:DescribeBackupVault', 'backup:ListTags', 'backup:UntagResource', 'backup:PutBackupVaultLockConfiguration'],
    },
    // Governance mode, which only the purge lifts: compliance mode could never be lifted, a maximum would refuse backups kept longer.
    { Sid: 'BackupVaultLocksAreGovernance', Effect: 'Deny', Action: 'backup:PutBackupVaultLockConfiguration', Resource: '*', Condition: { Null: { 'backup:ChangeableForDays': 'false' } } },
    { Sid: 'BackupVaultLocksHaveNoMaximum', Effect: 'Deny', Action: 'backup:PutBackupVaultLockConfiguration', Resource: '*', Condition: { Null: { 'backup:MaxRetentionDays': 'false' } } },
    { Sid: 'BackupVaultsPurge', Effect: 'Allow', Action: ['backup:ListRecoveryPointsByBackupVault', 'backup:DeleteBackupVaultLockConfiguration', 'backup:DeleteBackupVault'], Resource: vault, Condition: IS_PURGE },
    { Sid: 'BackupsPurge', Effect: 'Allow', Action: 'backup:DeleteRecoveryPoint', Resource: '*', Condition: conditions(OWNS, IS_PURGE) },
    { Sid: 'BackupPlansCreate', Effect: 'Allow', Action: 'backup:CreateBackupPlan', Resource: plans, Condition: CREATES },
    {
      Sid: 'BackupPlans', Effect: 'Allow', Resource: plans, Condition: OWNS,
      Action: ['backup:GetBackupPlan', 'backup:UpdateBackupPlan', 'backup:DeleteBackupPlan', 'backup:ListTags', 'backup:UntagResource', 'backup:CreateBackupSelection', 'backup:GetBackupSelection', 'backup:DeleteBackupSelection'],
    },
    // A plan's or vault's tags change only where the owner's tag is there already: a customer's plan is never tagged into reach.
    { Sid: 'BackupsRetag', Effect: 'Allow', Action: 'backup:TagResource', Resource: [vault, plans], Condition: conditions(OWNS, KEEPS_OWNER) },
    { Sid: 'BackupStorage', Effect: 'Allow', Action: 'backup-storage:MountCapsule', Resource: '*' },
  ]);
}

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
 * The roles an owner's stacks create: by name, the service each is passed to, who may own it, the
 * boundary it carries, and (cluster and node roles) whose cluster it serves: its own, or for a
 * tenant's own node group on a pool, the pool's.
 */
const ROLES: readonly {
  readonly name: string; readonly service: (typeof ROLE_CONSUMERS)[number]; readonly owner: 'any' | 'tenant' | 'shared'; readonly boundary: RoleBoundary; readonly cluster?: string;
}[] = [
  { name: clusterNames.clusterRole(SELF), service: 'eks.amazonaws.com', owner: 'any', boundary: 'cluster', cluster: SELF },
  { name: networkNames.flowLogRole(SELF), service: 'vpc-flow-logs.amazonaws.com', owner: 'any', boundary: 'owner' },
  { name: clusterNames.nodeRole(SELF), service: 'eks.amazonaws.com', owner: 'tenant', boundary: 'nodes', cluster: SELF },
  { name: clusterNames.nodeRole(ownedNames.criticalNodeGroup(SELF)), service: 'eks.amazonaws.com', owner: 'tenant', boundary: 'nodes', cluster: HOST },
  { name: `tenancy/${ownedNames.workloadRole(SELF)}`, service: 'pods.eks.amazonaws.com', owner: 'tenant', boundary: 'owner' },
  { name: `tenancy/${ownedNames.databaseAdminRole(SELF)}`, service: 'pods.eks.amazonaws.com', owner: 'tenant', boundary: 'owner' },
  { name: ownedNames.backupRole(SELF), service: 'backup.amazonaws.com', owner: 'tenant', boundary: 'owner' },
  { name: clusterNames.nodeRole(clusterNames.sharedNodeGroup(SELF)), service: 'eks.amazonaws.com', owner: 'shared', boundary: 'nodes', cluster: SELF },
];

type Role = (typeof ROLES)[number];
const roleArns = (scope: AccountScope, which: (role: Role) => boolean) => ROLES.filter(which).map((r) => iamArn(scope, `role/${r.name}`));
const IS_TENANT = { [`aws:PrincipalTag/${SESSION_TAG.owner}`]: 'tenant-*' };

/** The boundary a role carries, as the request names it. */
const carries = (scope: AccountScope, boundary: RoleBoundary) => ({ StringEquals: { 'iam:PermissionsBoundary': roleBoundaryArn(scope, boundary) } });

/** The `tenancy-cluster` tag a request may give a role: its cluster's name, or none for a role that serves no cluster. */
function clusterTag(role: Role, ifAny: boolean): Record<string, Record<string, string>> {
  if (!role.cluster) return { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'true' } };
  return ifAny ? { StringEqualsIfExists: { [`aws:RequestTag/${CLUSTER_TAG}`]: role.cluster } } : { StringEquals: { [`aws:RequestTag/${CLUSTER_TAG}`]: role.cluster } };
}

/** The statement id of a kind of role: its boundary, and for node roles whose cluster. */
const kindSid = (role: Role) => ({ owner: 'Owner', cluster: 'Cluster', nodes: role.cluster === HOST ? 'HostNodes' : 'Nodes' })[role.boundary];

/** One role of each kind: boundary and cluster. */
const kinds = () => [...new Map(ROLES.map((r) => [`${r.boundary}/${r.cluster ?? ''}`, r])).values()];
const ofKind = (scope: AccountScope, role: Role) => roleArns(scope, (r) => r.boundary === role.boundary && r.cluster === role.cluster);

/**
 * The deployer's permissions to make the roles of clusters, nodes, workloads, backups and flow logs:
 * only the owner's names, each under its own boundary and tagged as the owner's (a cluster or node
 * role also with its cluster, the session's own or its host's), only the EKS managed policies
 * attached to cluster and node roles. A role's trust is written when it is made and never changed
 * (the deployer's boundary denies it): a trust that changes replaces the role.
 */
export function deployerRolesPolicy(scope: AccountScope): PolicyDocument {
  const boundaries = [...new Set(ROLES.map((r) => r.boundary))];
  return policy([
    ...kinds().map((role): Statement => ({
      Sid: `RolesCreate${kindSid(role)}`, Effect: 'Allow', Action: 'iam:CreateRole', Resource: ofKind(scope, role),
      Condition: conditions(carries(scope, role.boundary), CREATES, clusterTag(role, false)),
    })),
    ...boundaries.map((boundary): Statement => ({
      Sid: `RolesBounded${kindSid(ROLES.find((r) => r.boundary === boundary && r.cluster !== HOST)!)}`, Effect: 'Allow', Resource: roleArns(scope, (r) => r.boundary === boundary),
      Action: ['iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:DetachRolePolicy', 'iam:PutRolePermissionsBoundary', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:DeleteRole'],
      Condition: carries(scope, boundary),
    })),
    {
      // Roles made by earlier releases under their single boundary are only cleared and deleted, or moved to their own boundary (above).
      Sid: 'RolesLeaveTheLegacyBoundary', Effect: 'Allow', Resource: roleArns(scope, () => true), Action: ['iam:DeleteRolePolicy', 'iam:DetachRolePolicy', 'iam:DeleteRole'],
      Condition: { StringEquals: { 'iam:PermissionsBoundary': iamArn(scope, `policy/${ACCOUNT_POLICY_NAMES.legacyWorkloadBoundary}`) } },
    },
    {
      Sid: 'RolesAttachEksPolicies', Effect: 'Allow', Action: 'iam:AttachRolePolicy', Resource: roleArns(scope, (r) => r.boundary !== 'owner'),
      Condition: {
        StringEquals: { 'iam:PermissionsBoundary': [roleBoundaryArn(scope, 'cluster'), roleBoundaryArn(scope, 'nodes')] },
        ArnEquals: { 'iam:PolicyARN': EKS_MANAGED_POLICIES.map((p) => `arn:${scope.partition}:iam::aws:policy/${p}`) },
      },
    },
  ]);
}

/**
 * The deployer's permissions to read, tag and pass the roles its stacks make: tags that keep the
 * owner's (and the cluster's) name, never removing either; each role passed only to the service
 * that uses it; a tenant's names never a cell's or pool's, theirs never a tenant's.
 */
export function deployerRoleUsePolicy(scope: AccountScope): PolicyDocument {
  const everyRole = roleArns(scope, () => true);
  return policy([
    // IAM tells a tag request nothing of the role's boundary: the role's name is the owner's, and the tags keep it so.
    ...kinds().map((role): Statement => ({ Sid: `RolesTag${kindSid(role)}`, Effect: 'Allow', Action: 'iam:TagRole', Resource: ofKind(scope, role), Condition: conditions(KEEPS_OWNER, clusterTag(role, true)) })),
    { Sid: 'Roles', Effect: 'Allow', Resource: everyRole, Action: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:ListInstanceProfilesForRole'] },
    { Sid: 'RolesUntag', Effect: 'Allow', Action: 'iam:UntagRole', Resource: everyRole, Condition: { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': OWNERSHIP_TAG_KEYS } } },
    // Each role only to the service that uses it: a backup role is never a cluster's.
    ...ROLE_CONSUMERS.map((service) => ({
      Sid: `RolesPassTo${service.split('.')[0]!.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}`, Effect: 'Allow' as const, Action: 'iam:PassRole',
      Resource: roleArns(scope, (r) => r.service === service), Condition: { StringEquals: { 'iam:PassedToService': service } },
    })),
    // A tenant's role names are never a cell's or pool's, and theirs never a tenant's: with a
    // cell named `x`, a tenant could otherwise not take `cell-x-shared-nodes`, nor a pool `pool-y-nodes`.
    { Sid: 'TenantRolesAreTenants', Effect: 'Deny', Action: 'iam:*', Resource: roleArns(scope, (r) => r.owner === 'tenant'), Condition: { StringNotLike: IS_TENANT } },
    { Sid: 'SharedRolesAreShared', Effect: 'Deny', Action: 'iam:*', Resource: roleArns(scope, (r) => r.owner === 'shared'), Condition: { StringLike: IS_TENANT } },
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
    { name: `${scope.deployerRoleName}-role-use`, document: deployerRoleUsePolicy(scope) },
  ];
}
