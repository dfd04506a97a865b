import { iamArn, regionalArn, type AccountScope } from './account';
import { EC2_READ } from './deployer-policies';
import { policy, type PolicyDocument } from './policy-document';

/** Read actions of the planner outside EC2: configuration only, never data. */
export const PLANNER_READS = {
  eks: [
    'eks:DescribeCluster', 'eks:DescribeNodegroup', 'eks:DescribeAddon', 'eks:DescribeAccessEntry', 'eks:ListAssociatedAccessPolicies',
    'eks:DescribePodIdentityAssociation', 'eks:ListNodegroups', 'eks:ListAddons', 'eks:ListAccessEntries', 'eks:ListPodIdentityAssociations',
  ],
  rds: ['rds:DescribeDBInstances', 'rds:DescribeDBSubnetGroups', 'rds:DescribeDBParameterGroups', 'rds:DescribeDBParameters', 'rds:ListTagsForResource'],
  s3: [
    's3:ListBucket', 's3:GetBucketTagging', 's3:GetBucketVersioning', 's3:GetEncryptionConfiguration', 's3:GetBucketPublicAccessBlock',
    's3:GetBucketOwnershipControls', 's3:GetBucketPolicy', 's3:GetLifecycleConfiguration', 's3:GetBucketAcl', 's3:GetBucketCORS',
    's3:GetBucketWebsite', 's3:GetAccelerateConfiguration', 's3:GetBucketRequestPayment', 's3:GetBucketLogging',
    's3:GetReplicationConfiguration', 's3:GetBucketObjectLockConfiguration',
  ],
  logs: ['logs:ListTagsForResource', 'logs:ListTagsLogGroup'],
  backup: ['backup:DescribeBackupVault', 'backup:GetBackupPlan', 'backup:GetBackupSelection', 'backup:ListTags'],
  iam: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:ListInstanceProfilesForRole'],
};

/**
 * The planner role of an account: what `terraform plan` reads to refresh the stacks, and nothing
 * that holds data. KMS keys are read through their key policies, which name the planner.
 */
export function plannerPolicy(scope: AccountScope): PolicyDocument {
  return policy([
    { Sid: 'Ec2Read', Effect: 'Allow', Action: EC2_READ, Resource: '*' },
    { Sid: 'ClustersRead', Effect: 'Allow', Action: PLANNER_READS.eks, Resource: regionalArn(scope, 'eks', '*') },
    { Sid: 'ListsWithoutResources', Effect: 'Allow', Action: ['eks:DescribeAddonVersions', 'kms:ListAliases', 'logs:DescribeLogGroups'], Resource: '*' },
    { Sid: 'BackupsRead', Effect: 'Allow', Action: PLANNER_READS.backup, Resource: ['backup-vault:tenant-*', 'backup-plan:*'].map((r) => regionalArn(scope, 'backup', r)) },
    { Sid: 'DatabasesRead', Effect: 'Allow', Action: PLANNER_READS.rds, Resource: regionalArn(scope, 'rds', '*') },
    { Sid: 'BucketsConfigurationRead', Effect: 'Allow', Action: PLANNER_READS.s3, Resource: `arn:${scope.partition}:s3:::*-data-${scope.accountId}-*` },
    { Sid: 'LogGroupsRead', Effect: 'Allow', Action: PLANNER_READS.logs, Resource: ['/aws/eks/*', '/aws/rds/instance/tenant-*', '/tenancy/*'].map((group) => regionalArn(scope, 'logs', `log-group:${group}`)) },
    { Sid: 'RolesRead', Effect: 'Allow', Action: PLANNER_READS.iam, Resource: ['role/tenant-*', 'role/cell-*', 'role/pool-*', 'role/tenancy/*'].map((r) => iamArn(scope, r)) },
  ]);
}
