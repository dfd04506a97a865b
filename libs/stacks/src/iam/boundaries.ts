import { ACCOUNT_POLICY_NAMES, iamArn, regionalArn, type AccountScope } from './account';
import { allowedTagKeys } from './owners';
import { policy, type PolicyDocument, type Statement } from './policy-document';

/** Actions that read what a tenant stores. Neither the deployer nor the planner may ever call them. */
export const DATA_READS = [
  's3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAttributes', 's3:GetObjectTorrent', 's3:RestoreObject',
  'kms:Decrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:GenerateDataKeyPair', 'kms:ReEncryptFrom', 'kms:ReEncryptTo',
  'secretsmanager:GetSecretValue', 'rds-db:connect', 'rds-data:ExecuteStatement', 'rds-data:BatchExecuteStatement',
  'rds:CopyDBSnapshot', 'rds:ModifyDBSnapshotAttribute', 'rds:RestoreDBInstanceFromDBSnapshot', 'rds:StartExportTask',
];

/** IAM principals that could outlive a deployment or reach outside it. */
const PEOPLE_AND_KEYS = [
  'iam:CreateUser', 'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile', 'iam:CreateGroup', 'iam:AddUserToGroup',
  'iam:PutUserPolicy', 'iam:AttachUserPolicy', 'iam:CreatePolicy', 'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion',
  'iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile', 'iam:CreateOpenIDConnectProvider', 'iam:CreateSAMLProvider',
];

/** What no role of tenancy may do to tenancy's own access: its roles and the boundaries that cap them. */
function neverItsOwnAccess(scope: AccountScope): Statement[] {
  const own = [
    iamArn(scope, `role/${scope.deployerRoleName}`),
    iamArn(scope, `role/${scope.plannerRoleName}`),
    iamArn(scope, `policy/${ACCOUNT_POLICY_NAMES.workloadBoundary}`),
    iamArn(scope, `policy/${scope.deployerRoleName}*`),
    iamArn(scope, `policy/${scope.plannerRoleName}*`),
  ];
  return [
    { Sid: 'NeverItsOwnAccess', Effect: 'Deny', Action: 'iam:*', Resource: own },
    { Sid: 'BoundariesStay', Effect: 'Deny', Action: 'iam:DeleteRolePermissionsBoundary', Resource: '*' },
  ];
}

/**
 * The most any role the stacks create can do (cluster, node, workload, backup and flow log roles):
 * the actions of the AWS managed EKS policies those roles carry, the tenant data a workload reads
 * and writes, backing up tenant databases into tenant vaults, and writing flow logs. No
 * IAM, no STS role hops, nothing outside tenancy's names. Every role the stacks create carries it,
 * and the deployer can create, change or attach policies to a role only while it does.
 */
export function workloadBoundary(scope: AccountScope): PolicyDocument {
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

/**
 * The most the deployer role can ever do, whatever its policies say (they are narrower): manage
 * the services the stacks use, never read data, never make people or keys, never touch its own
 * access or the boundaries, never remove a boundary.
 */
export function deployerBoundary(scope: AccountScope): PolicyDocument {
  return policy([
    {
      Sid: 'AtMostTheStacksServices', Effect: 'Allow', Resource: '*',
      Action: ['ec2:*', 'eks:*', 'rds:*', 'logs:*', 'iam:*', 'kms:*', 's3:*', 'backup:*', 'backup-storage:MountCapsule', 'secretsmanager:CreateSecret', 'secretsmanager:TagResource', 'sts:GetCallerIdentity'],
    },
    { Sid: 'NeverReadsData', Effect: 'Deny', Action: DATA_READS, Resource: '*' },
    // Only the tags the stacks set: none that a customer's own tag-based policies could key on.
    { Sid: 'OnlyTenancyTagKeys', Effect: 'Deny', Action: '*', Resource: '*', Condition: { 'ForAnyValue:StringNotLike': { 'aws:TagKeys': allowedTagKeys(scope.tagKeys) } } },
    { Sid: 'DatabasePasswordsStayWithRds', Effect: 'Deny', Action: 'rds:ModifyDBInstance', Resource: '*', Condition: { Bool: { 'rds:ManageMasterUserPassword': 'false' } } },
    { Sid: 'DatabasesStayPrivate', Effect: 'Deny', Action: 'rds:CreateDBInstance', Resource: '*', Condition: { Bool: { 'rds:PubliclyAccessible': 'true' } } },
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
