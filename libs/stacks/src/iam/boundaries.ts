import { clusterNames, networkNames, ownedNames } from '../naming';
import { ACCOUNT_POLICY_NAMES, iamArn, regionalArn, type AccountScope } from './account';
import { ecrRegistryOf } from '@tenancy/model';
import { eksAddonRegistryAccounts } from './image-registries';
import { allowedTagKeys, OWNERSHIP_TAG_KEYS } from './owners';
import { policy, type PolicyDocument, type Statement } from './policy-document';
import { CLUSTER, CLUSTER_TAG, SELF, SESSION_TAG } from './session-scope';

/** Actions that read what a tenant stores. Neither the deployer nor the planner may ever call them. */
export const DATA_READS = [
  's3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAttributes', 's3:GetObjectTorrent', 's3:RestoreObject',
  'kms:Decrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:GenerateDataKeyPair', 'kms:ReEncryptFrom', 'kms:ReEncryptTo',
  'secretsmanager:GetSecretValue', 'rds-db:connect', 'rds-data:ExecuteStatement', 'rds-data:BatchExecuteStatement',
  'rds:CopyDBSnapshot', 'rds:ModifyDBSnapshotAttribute', 'rds:RestoreDBInstanceFromDBSnapshot', 'rds:StartExportTask',
];

/**
 * Actions that destroy data or lift what protects it: only a purge session may make them, whatever
 * a resource policy the deployer wrote says (an explicit deny in the boundary outweighs any grant).
 */
export const DATA_DESTRUCTION = [
  's3:DeleteObject', 's3:DeleteObjectVersion', 's3:BypassGovernanceRetention', 's3:PutObjectRetention', 's3:PutObjectLegalHold', 's3:DeleteBucket',
  'rds:DeleteDBInstance', 'rds:DeleteDBSnapshot', 'backup:DeleteRecoveryPoint', 'backup:DeleteBackupVault', 'backup:DeleteBackupVaultLockConfiguration',
];

/** IAM principals that could outlive a deployment or reach outside it. */
const PEOPLE_AND_KEYS = [
  'iam:CreateUser', 'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile', 'iam:CreateGroup', 'iam:AddUserToGroup',
  'iam:PutUserPolicy', 'iam:AttachUserPolicy', 'iam:CreatePolicy', 'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion',
  'iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile', 'iam:CreateOpenIDConnectProvider', 'iam:CreateSAMLProvider',
];

/** What the deployer does with KMS: keys of its own policy, aliases and grants for AWS services. Never a data operation. */
const DEPLOYER_KMS = [
  'kms:CreateKey', 'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags', 'kms:ListAliases', 'kms:EnableKeyRotation',
  'kms:PutKeyPolicy', 'kms:UpdateKeyDescription', 'kms:UntagResource', 'kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias', 'kms:ScheduleKeyDeletion', 'kms:CreateGrant',
];

/** Tag keys only tenancy writes, and only while creating what carries them. */
const NO_FOREIGN_TAG_KEYS = (scope: AccountScope): Statement => ({
  Sid: 'OnlyTenancyTagKeys', Effect: 'Deny', Action: '*', Resource: '*', Condition: { 'ForAnyValue:StringNotLike': { 'aws:TagKeys': allowedTagKeys(scope.tagKeys) } },
});

/** A grant on a key may only let an AWS service use it for a resource it manages for the caller. */
const FOR_AWS_SERVICES = { Bool: { 'kms:GrantIsForAWSResource': 'true' } };

/** The owner's name is an alias of the key: only the owner's stacks can point that alias at a key, and only at their own. */
const keyAliased = (alias: string) => ({ 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': alias } });

/** What no role of tenancy may do to tenancy's own access: its roles and the boundaries that cap them. */
function neverItsOwnAccess(scope: AccountScope): Statement[] {
  const own = [
    iamArn(scope, `role/${scope.deployerRoleName}`),
    iamArn(scope, `role/${scope.plannerRoleName}`),
    ...Object.values(ACCOUNT_POLICY_NAMES).filter((name) => typeof name === 'string').map((name) => iamArn(scope, `policy/${name}`)),
    iamArn(scope, `policy/${scope.deployerRoleName}*`),
    iamArn(scope, `policy/${scope.plannerRoleName}*`),
  ];
  return [
    { Sid: 'NeverItsOwnAccess', Effect: 'Deny', Action: 'iam:*', Resource: own },
    { Sid: 'BoundariesStay', Effect: 'Deny', Action: 'iam:DeleteRolePermissionsBoundary', Resource: '*' },
  ];
}

/**
 * The most a role made for one owner (a tenant, cell or pool) can do, whatever its own policy says:
 * its pods' role and the database user job's, and the roles AWS Backup and VPC Flow Logs use. Each
 * carries its owner's `tenancy-owner` tag, and reaches that owner's data only: its bucket by name,
 * its key by alias, its own database user on any database (the user is named after the owner), the
 * master secret RDS keeps for its database (by the tag RDS sets on it), its database and vault for
 * backups, its flow log group. No EC2, no IAM, no STS hop.
 */
export function ownerBoundary(scope: AccountScope): PolicyDocument {
  const bucket = `arn:${scope.partition}:s3:::${ownedNames.bucket(SELF, scope.accountId, '*')}`;
  const key = regionalArn(scope, 'kms', 'key/*');
  const ownKey = keyAliased(ownedNames.keyAlias(SELF));
  const flowLogs = networkNames.flowLogGroup(SELF);
  return policy([
    { Sid: 'OwnBucket', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: bucket },
    { Sid: 'OwnObjects', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'], Resource: `${bucket}/*` },
    { Sid: 'OwnKey', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], Resource: key, Condition: ownKey },
    { Sid: 'OwnKeyGrantsToAwsServices', Effect: 'Allow', Action: 'kms:CreateGrant', Resource: key, Condition: { ...ownKey, ...FOR_AWS_SERVICES } },
    { Sid: 'OwnDatabaseUser', Effect: 'Allow', Action: 'rds-db:connect', Resource: regionalArn(scope, 'rds-db', `dbuser:*/${ownedNames.databaseUser(SELF)}`) },
    {
      Sid: 'OwnDatabaseMasterSecret', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: regionalArn(scope, 'secretsmanager', 'secret:rds!db-*'),
      Condition: { StringLike: { 'aws:ResourceTag/aws:rds:primaryDBInstanceArn': regionalArn(scope, 'rds', `db:${ownedNames.database(SELF)}`) } },
    },
    { Sid: 'OwnDatabaseBackups', Effect: 'Allow', Action: ['rds:DescribeDBInstances', 'rds:ListTagsForResource', 'rds:CreateDBSnapshot', 'rds:AddTagsToResource'], Resource: regionalArn(scope, 'rds', `db:${ownedNames.database(SELF)}`) },
    { Sid: 'BackupSnapshots', Effect: 'Allow', Action: ['rds:DescribeDBSnapshots', 'rds:CreateDBSnapshot', 'rds:AddTagsToResource', 'rds:ListTagsForResource'], Resource: regionalArn(scope, 'rds', 'snapshot:awsbackup:*') },
    { Sid: 'OwnBackupVault', Effect: 'Allow', Action: ['backup:DescribeBackupVault', 'backup:CopyIntoBackupVault'], Resource: regionalArn(scope, 'backup', `backup-vault:${ownedNames.backups(SELF)}`) },
    {
      Sid: 'OwnFlowLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      Resource: [regionalArn(scope, 'logs', `log-group:${flowLogs}`), regionalArn(scope, 'logs', `log-group:${flowLogs}:*`)],
    },
    { Sid: 'Identity', Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' },
    NO_FOREIGN_TAG_KEYS(scope),
  ]);
}

/** What the VPC CNI and the VPC resource controller do to a network interface: attach, detach, delete, modify, and assign or release addresses. */
const INTERFACE_ACTIONS = ['ec2:*NetworkInterface*', 'ec2:*PrivateIpAddresses', 'ec2:*Ipv6Addresses'];

/** What nodes read of an image registry. */
const IMAGE_PULLS = ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage', 'ecr:DescribeRepositories', 'ecr:DescribeImages', 'ecr:ListImages'];

/** The role's own cluster's name tags what it may act on. */
const OF_CLUSTER = { StringEquals: { [`aws:ResourceTag/${CLUSTER_TAG}`]: CLUSTER } };
const FOR_CLUSTER = { StringEquals: { [`aws:RequestTag/${CLUSTER_TAG}`]: CLUSTER } };
/** The subnets and VPC of the cluster's network carry its owner's tag, which is the cluster's name. */
const IN_CLUSTER_NETWORK = { StringEquals: { [`aws:ResourceTag/${SESSION_TAG.owner}`]: CLUSTER } };

/**
 * Network interfaces, as the VPC CNI (node roles) and the VPC resource controller (cluster roles)
 * make and use them: new ones only in a subnet of the cluster's network, with groups of that
 * network (EC2 refuses groups of another), existing ones only when tagged with the role's cluster,
 * and instances only of the cluster. Ownership tags are written only while creating, for the
 * role's own cluster, and never removed: no existing resource can be tagged into reach.
 */
function clusterInterfaces(scope: AccountScope, extra: { readonly interfaces?: Statement; readonly instanceActions: readonly string[] }): Statement[] {
  const ec2 = (resource: string) => regionalArn(scope, 'ec2', resource);
  return [
    { Sid: 'InterfacesInClusterSubnets', Effect: 'Allow', Action: ['ec2:CreateNetworkInterface', 'ec2:ModifyNetworkInterfaceAttribute'], Resource: ec2('subnet/*'), Condition: IN_CLUSTER_NETWORK },
    { Sid: 'NewInterfaces', Effect: 'Allow', Action: 'ec2:CreateNetworkInterface', Resource: ec2('network-interface/*') },
    { Sid: 'GroupsOfTheInterfaceNetwork', Effect: 'Allow', Action: ['ec2:CreateNetworkInterface', 'ec2:ModifyNetworkInterfaceAttribute', 'ec2:ModifyInstanceAttribute'], Resource: ec2('security-group/*') },
    { Sid: 'ClusterInterfaces', Effect: 'Allow', Action: [...INTERFACE_ACTIONS, 'ec2:CreateTags'], Resource: ec2('network-interface/*'), Condition: OF_CLUSTER },
    ...(extra.interfaces ? [extra.interfaces] : []),
    { Sid: 'TagInterfacesWhileCreating', Effect: 'Allow', Action: 'ec2:CreateTags', Resource: ec2('network-interface/*'), Condition: { StringEquals: { 'ec2:CreateAction': 'CreateNetworkInterface' } } },
    { Sid: 'ClusterInstances', Effect: 'Allow', Action: [...extra.instanceActions], Resource: ec2('instance/*'), Condition: OF_CLUSTER },
    { Sid: 'OwnershipOnlyWhileCreating', Effect: 'Deny', Action: 'ec2:CreateTags', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': OWNERSHIP_TAG_KEYS }, Null: { 'ec2:CreateAction': 'true' } } },
    { Sid: 'OnlyItsOwnCluster', Effect: 'Deny', Action: ['ec2:CreateTags', 'elasticloadbalancing:AddTags'], Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': [CLUSTER_TAG] }, StringNotEquals: { [`aws:RequestTag/${CLUSTER_TAG}`]: CLUSTER } } },
    { Sid: 'NeverAnOwnerTag', Effect: 'Deny', Action: ['ec2:CreateTags', 'elasticloadbalancing:AddTags'], Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': OWNERSHIP_TAG_KEYS.filter((k) => k !== CLUSTER_TAG) } } },
    { Sid: 'OwnershipStays', Effect: 'Deny', Action: ['ec2:DeleteTags', 'elasticloadbalancing:RemoveTags'], Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': OWNERSHIP_TAG_KEYS } } },
  ];
}

/**
 * The most a node role can do (the EKS managed policies it carries grant more): read EC2's
 * inventory; what the VPC CNI does to the interfaces and instances tagged with its cluster; pull
 * images only from the EKS add-on registries and the ECR registries platform.yaml lists; get pod
 * credentials and the cluster's endpoint only from its own cluster.
 */
export function nodeBoundary(scope: AccountScope): PolicyDocument {
  const registries = [...eksAddonRegistryAccounts(scope.partition), ...scope.ecrRegistries.map((host) => ecrRegistryOf(host)!.account)];
  return policy([
    { Sid: 'Inventory', Effect: 'Allow', Action: ['ec2:Describe*', 'ecr:GetAuthorizationToken', 'sts:GetCallerIdentity'], Resource: '*' },
    { Sid: 'OwnCluster', Effect: 'Allow', Action: ['eks:DescribeCluster', 'eks-auth:AssumeRoleForPodIdentity'], Resource: regionalArn(scope, 'eks', `cluster/${CLUSTER}`) },
    {
      Sid: 'ListedImages', Effect: 'Allow', Action: IMAGE_PULLS, Resource: `arn:${scope.partition}:ecr:*:*:repository/*`,
      Condition: { StringEquals: { 'aws:ResourceAccount': [...new Set(registries)].sort() } },
    },
    ...clusterInterfaces(scope, { instanceActions: ['ec2:AttachNetworkInterface', 'ec2:DetachNetworkInterface', 'ec2:ModifyNetworkInterfaceAttribute'] }),
  ]);
}

/**
 * The most a cluster's role can do (the EKS managed policies it carries grant more): read EC2's,
 * load balancers' and Auto Scaling's inventory; what the VPC resource controller does to the
 * interfaces it makes and to the cluster's instances; manage the security groups and load
 * balancers tagged with its cluster (the cluster security group EKS tags with the cluster's name
 * under a key only AWS writes); scale its own node groups; use its own cluster's key.
 */
export function clusterBoundary(scope: AccountScope): PolicyDocument {
  const ec2 = (resource: string) => regionalArn(scope, 'ec2', resource);
  const key = regionalArn(scope, 'kms', 'key/*');
  const clusterKey = keyAliased(clusterNames.keyAlias(CLUSTER));
  const groupRules = ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'];
  return policy([
    { Sid: 'Inventory', Effect: 'Allow', Action: ['ec2:Describe*', 'elasticloadbalancing:Describe*', 'autoscaling:Describe*', 'sts:GetCallerIdentity'], Resource: '*' },
    { Sid: 'OwnCluster', Effect: 'Allow', Action: 'eks:DescribeCluster', Resource: regionalArn(scope, 'eks', `cluster/${CLUSTER}`) },
    ...clusterInterfaces(scope, {
      // Branch and trunk interfaces the EKS VPC resource controller makes carry its own tag, which no tenancy role may write.
      interfaces: { Sid: 'VpcResourceControllerInterfaces', Effect: 'Allow', Action: INTERFACE_ACTIONS, Resource: ec2('network-interface/*'), Condition: { StringEquals: { 'aws:ResourceTag/eks:eni:owner': 'eks-vpc-resource-controller' } } },
      instanceActions: ['ec2:AttachNetworkInterface', 'ec2:DetachNetworkInterface', 'ec2:ModifyNetworkInterfaceAttribute', 'ec2:ModifyInstanceAttribute'],
    }),
    { Sid: 'SecurityGroupsCreate', Effect: 'Allow', Action: ['ec2:CreateSecurityGroup', 'ec2:CreateTags'], Resource: ec2('security-group/*'), Condition: FOR_CLUSTER },
    { Sid: 'SecurityGroupsInClusterNetwork', Effect: 'Allow', Action: 'ec2:CreateSecurityGroup', Resource: ec2('vpc/*'), Condition: IN_CLUSTER_NETWORK },
    { Sid: 'ClusterSecurityGroups', Effect: 'Allow', Action: [...groupRules, 'ec2:DeleteSecurityGroup'], Resource: ec2('security-group/*'), Condition: OF_CLUSTER },
    { Sid: 'EksClusterSecurityGroup', Effect: 'Allow', Action: groupRules, Resource: ec2('security-group/*'), Condition: { StringEquals: { 'aws:ResourceTag/aws:eks:cluster-name': CLUSTER } } },
    { Sid: 'LoadBalancersCreate', Effect: 'Allow', Action: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup', 'elasticloadbalancing:AddTags'], Resource: '*', Condition: FOR_CLUSTER },
    { Sid: 'ClusterLoadBalancers', Effect: 'Allow', Action: 'elasticloadbalancing:*', Resource: '*', Condition: OF_CLUSTER },
    { Sid: 'LoadBalancerOwnershipOnlyWhileCreating', Effect: 'Deny', Action: 'elasticloadbalancing:AddTags', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': OWNERSHIP_TAG_KEYS }, Null: { 'elasticloadbalancing:CreateAction': 'true' } } },
    { Sid: 'ClusterNodeGroups', Effect: 'Allow', Action: 'autoscaling:UpdateAutoScalingGroup', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/eks:cluster-name': CLUSTER } } },
    { Sid: 'ClusterKey', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey', 'kms:ListGrants'], Resource: key, Condition: clusterKey },
    { Sid: 'ClusterKeyGrantsToAwsServices', Effect: 'Allow', Action: 'kms:CreateGrant', Resource: key, Condition: { ...clusterKey, ...FOR_AWS_SERVICES } },
    {
      Sid: 'LoadBalancerServiceRole', Effect: 'Allow', Action: 'iam:CreateServiceLinkedRole', Resource: iamArn(scope, 'role/aws-service-role/*'),
      Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
    },
  ]);
}

/**
 * The single boundary of earlier releases, unchanged: roles not yet moved to their own boundary
 * keep working while the rollout that moves them runs. The deployer can put no role under it.
 */
export function legacyWorkloadBoundary(scope: AccountScope): PolicyDocument {
  return policy([
    {
      Sid: 'EksClustersAndNodes', Effect: 'Allow', Resource: '*',
      Action: [
        'ec2:Describe*', 'ec2:CreateNetworkInterface', 'ec2:AttachNetworkInterface', 'ec2:DetachNetworkInterface', 'ec2:DeleteNetworkInterface',
        'ec2:ModifyNetworkInterfaceAttribute', 'ec2:CreateNetworkInterfacePermission', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses', 'ec2:AssignIpv6Addresses',
        'ec2:CreateTags', 'ec2:CreateSecurityGroup', 'ec2:DeleteSecurityGroup', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress',
        'ec2:CreateRoute', 'ec2:DeleteRoute', 'ec2:ModifyInstanceAttribute', 'ec2:AttachVolume', 'ec2:DetachVolume', 'ec2:CreateVolume',
        'ec2:DeleteVolume', 'ec2:ModifyVolume', 'elasticloadbalancing:*', 'autoscaling:DescribeAutoScalingGroups', 'autoscaling:UpdateAutoScalingGroup',
        'ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage', 'ecr:DescribeRepositories',
        'ecr:DescribeImages', 'ecr:ListImages', 'eks:DescribeCluster', 'eks-auth:AssumeRoleForPodIdentity', 'kms:DescribeKey', 'kms:CreateGrant',
        'kms:ListGrants', 'sts:GetCallerIdentity',
      ],
    },
    {
      Sid: 'LoadBalancerServiceRole', Effect: 'Allow', Action: 'iam:CreateServiceLinkedRole', Resource: iamArn(scope, 'role/aws-service-role/*'),
      Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
    },
    {
      Sid: 'TenantData', Effect: 'Allow',
      Action: ['s3:ListBucket', 's3:GetBucketLocation', 's3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      Resource: [`arn:${scope.partition}:s3:::tenant-*-data-${scope.accountId}-*`, `arn:${scope.partition}:s3:::tenant-*-data-${scope.accountId}-*/*`],
    },
    { Sid: 'TenantKeys', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'], Resource: regionalArn(scope, 'kms', 'key/*') },
    { Sid: 'TenantDatabaseUsers', Effect: 'Allow', Action: 'rds-db:connect', Resource: regionalArn(scope, 'rds-db', 'dbuser:*/*') },
    { Sid: 'TenantDatabaseCredentials', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: regionalArn(scope, 'secretsmanager', 'secret:rds!db-*') },
    {
      Sid: 'TenantDatabaseBackups', Effect: 'Allow', Resource: [regionalArn(scope, 'rds', 'db:tenant-*'), regionalArn(scope, 'rds', 'snapshot:awsbackup:*')],
      Action: ['rds:DescribeDBInstances', 'rds:DescribeDBSnapshots', 'rds:ListTagsForResource', 'rds:CreateDBSnapshot', 'rds:AddTagsToResource'],
    },
    { Sid: 'TenantBackupVaults', Effect: 'Allow', Action: ['backup:DescribeBackupVault', 'backup:CopyIntoBackupVault'], Resource: regionalArn(scope, 'backup', 'backup-vault:tenant-*') },
    { Sid: 'FlowLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: regionalArn(scope, 'logs', 'log-group:/tenancy/*') },
  ]);
}

const IS_NOT_PURGE = { StringNotEquals: { [`aws:PrincipalTag/${SESSION_TAG.purge}`]: 'true' } };

/**
 * The most the deployer role can ever do, whatever its policies say (they are narrower): manage
 * the services the stacks use, never read data, never destroy it or lift its protection outside a
 * purge (even where a resource policy it wrote would allow it), never make people or keys, never
 * change a role's trust (a role whose trust changes is replaced), never touch its own access or the
 * boundaries, never remove a boundary.
 */
export function deployerBoundary(scope: AccountScope): PolicyDocument {
  return policy([
    {
      Sid: 'AtMostTheStacksServices', Effect: 'Allow', Resource: '*',
      Action: ['ec2:*', 'eks:*', 'rds:*', 'logs:*', 'iam:*', 's3:*', 'backup:*', 'backup-storage:MountCapsule', 'secretsmanager:CreateSecret', 'secretsmanager:TagResource', 'sts:GetCallerIdentity', ...DEPLOYER_KMS],
    },
    { Sid: 'NeverReadsData', Effect: 'Deny', Action: DATA_READS, Resource: '*' },
    { Sid: 'DestroysDataOnlyInPurge', Effect: 'Deny', Action: DATA_DESTRUCTION, Resource: '*', Condition: IS_NOT_PURGE },
    { Sid: 'KeyGrantsOnlyForAwsServices', Effect: 'Deny', Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'false' } } },
    NO_FOREIGN_TAG_KEYS(scope),
    { Sid: 'DatabasePasswordsStayWithRds', Effect: 'Deny', Action: 'rds:ModifyDBInstance', Resource: '*', Condition: { Bool: { 'rds:ManageMasterUserPassword': 'false' } } },
    { Sid: 'DatabasesStayPrivate', Effect: 'Deny', Action: 'rds:CreateDBInstance', Resource: '*', Condition: { Bool: { 'rds:PubliclyAccessible': 'true' } } },
    { Sid: 'TrustsAreWrittenOnce', Effect: 'Deny', Action: 'iam:UpdateAssumeRolePolicy', Resource: '*' },
    { Sid: 'NeverPeopleOrKeys', Effect: 'Deny', Action: PEOPLE_AND_KEYS, Resource: '*' },
    ...neverItsOwnAccess(scope),
  ]);
}

/** The most the planner role can ever do: describe, get and list configuration; never data, never a write. */
export function plannerBoundary(scope: AccountScope): PolicyDocument {
  return policy([
    {
      Sid: 'AtMostConfigurationReads', Effect: 'Allow', Resource: '*',
      Action: ['ec2:Describe*', 'eks:Describe*', 'eks:List*', 'rds:Describe*', 'rds:ListTagsForResource', 'kms:Describe*', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:List*', 's3:GetBucket*', 's3:GetEncryptionConfiguration', 's3:GetLifecycleConfiguration', 's3:GetAccelerateConfiguration', 's3:GetReplicationConfiguration', 's3:ListBucket', 'logs:Describe*', 'logs:ListTags*', 'backup:Describe*', 'backup:Get*', 'backup:List*', 'iam:Get*', 'iam:List*', 'sts:GetCallerIdentity'],
    },
    { Sid: 'NeverReadsData', Effect: 'Deny', Action: DATA_READS, Resource: '*' },
  ]);
}
