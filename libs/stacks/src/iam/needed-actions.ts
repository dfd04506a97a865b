import { SESSION_TAG } from './session-scope';

/**
 * What each resource, data source and ephemeral type the stacks synthesize asks of AWS: the IAM
 * actions the Terraform AWS provider (5.100.0) calls to create, read, update and delete it, and what
 * each call is authorized on. Written from the provider's source and AWS's service authorization
 * reference; the IAM simulation test walks every synthesized stack against it, so a new type
 * without an entry fails the test, and every entry is checked against the roles' real policies.
 */

/** When Terraform makes the call: `read` is what planning needs (the planner's share); `purge` only reaping does. */
export type Phase = 'create' | 'read' | 'update' | 'delete' | 'purge';

/** A synthesized resource, as the table reads it. */
export interface ResourceView {
  readonly type: string;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** A stand-in for the id AWS gives the resource. */
  readonly id: string;
  /** Tags the resource carries: the provider's default tags and its own. */
  readonly tags: Readonly<Record<string, string>>;
  /** A configuration value, with references followed to the value they stand for. */
  value(attribute: string): string;
  /** A configuration value the resource may leave unset. */
  optional(attribute: string): string | undefined;
  /** The resource a configuration value refers to, in this stack or (through its state) another. */
  ref(attribute: string): ResourceView;
  /** The resource's ARN, as this table builds it. */
  arn(): string;
}

/**
 * What a call is authorized on: the resource being created (`new`: tagged by the request), the
 * resource as it exists (`self`: tagged already), a resource it refers to, "*", or an ARN.
 */
export type Target = 'new' | 'self' | 'any' | { readonly ref: string } | { readonly arn: (resource: ResourceView) => string };

export interface NeededAction {
  readonly action: string;
  readonly phase: Phase;
  /** @default ['self'] */
  readonly on?: readonly Target[];
  /** Condition keys the call carries besides tags and the session's own. */
  readonly context?: (resource: ResourceView) => Readonly<Record<string, string | readonly string[]>>;
  /** The call sets the resource's tags (`set`) or removes one (`remove`). @default neither */
  readonly tags?: 'set' | 'remove';
  /**
   * The call is not about any owner's resources (service-linked roles, EC2's list calls), so a
   * session of another owner may make it too.
   * @default false
   */
  readonly anyOwner?: boolean;
}

export interface TypeNeeds {
  /**
   * Who makes the calls: the stack's provider, as the account's role, or the control-plane
   * principal itself (state reads, external ids).
   * @default 'account'
   */
  readonly caller?: 'account' | 'control-plane';
  /** The resource's ARN. @default none: the type makes no call on itself */
  readonly arn?: (resource: ResourceView) => string;
  /** What Terraform's `id` attribute holds, when it is a name rather than an id AWS chooses. @default an id AWS chooses */
  readonly id?: (resource: ResourceView) => string;
  readonly actions: readonly NeededAction[];
}

const regional = (r: ResourceView, service: string, resource: string) => `arn:${r.partition}:${service}:${r.region}:${r.accountId}:${resource}`;
const ec2 = (type: string, prefix: string) => (r: ResourceView) => regional(r, 'ec2', `${type}/${prefix}-${r.id}`);
const crud = (phase: Phase, ...actions: string[]): NeededAction[] => actions.map((action) => ({ action, phase }));
/** The call that creates the resource, tagging it, and what else it is authorized on. */
const creating = (action: string, ...parents: Target[]): NeededAction => ({ action, phase: 'create', on: ['new', ...parents], tags: 'set' });
const onAny = (phase: Phase, ...actions: string[]): NeededAction[] => actions.map((action) => ({ action, phase, on: ['any'], anyOwner: true }));
const tagWhileCreating = (createAction: string): NeededAction => ({ action: 'ec2:CreateTags', phase: 'create', on: ['new'], tags: 'set', context: () => ({ 'ec2:CreateAction': createAction }) });
/** Tag changes on an existing resource (a tier or tag edit in a tenant file). */
const retag = (set: string, remove: string): NeededAction[] => [{ action: set, phase: 'update', tags: 'set' }, { action: remove, phase: 'update', tags: 'remove' }];
/** A bucket's sub-resource: configured by a Put, read by a Get, removed by the Put (or its Delete). */
const bucketPart = (get: string, put: string, remove = put): TypeNeeds => ({
  actions: [
    { action: put, phase: 'create', on: [{ arn: (r) => `arn:${r.partition}:s3:::${r.value('bucket')}` }] },
    { action: get, phase: 'read', on: [{ arn: (r) => `arn:${r.partition}:s3:::${r.value('bucket')}` }] },
    { action: put, phase: 'update', on: [{ arn: (r) => `arn:${r.partition}:s3:::${r.value('bucket')}` }] },
    { action: remove, phase: 'delete', on: [{ arn: (r) => `arn:${r.partition}:s3:::${r.value('bucket')}` }] },
  ],
});

const roleArn = (r: ResourceView) => `arn:${r.partition}:iam::${r.accountId}:role${r.optional('path') ?? '/'}${r.value('name')}`;
/** Calls on an IAM role carry the boundary the role has. */
const bounded = (role: (r: ResourceView) => ResourceView) => (r: ResourceView) => ({ 'iam:PermissionsBoundary': role(r).value('permissions_boundary') });
const onRole = (phase: Phase, action: string, extra?: NeededAction['context']): NeededAction => ({
  action, phase, on: [{ ref: 'role' }], context: (r) => ({ ...bounded((x) => x.ref('role'))(r), ...(extra?.(r) ?? {}) }),
});

const clusterArn = (r: ResourceView) => regional(r, 'eks', `cluster/${r.value('name')}`);
const onCluster: Target = { ref: 'cluster_name' };

const rds = (kind: string, attribute: string) => (r: ResourceView) => regional(r, 'rds', `${kind}:${r.value(attribute)}`);

/** Calls on a KMS key the resource is encrypted with: services create their grants with the caller's rights. */
const grantsOn = (attribute: string): NeededAction[] => [
  { action: 'kms:DescribeKey', phase: 'create', on: [{ ref: attribute }] },
  { action: 'kms:CreateGrant', phase: 'create', on: [{ ref: attribute }], context: () => ({ 'kms:GrantIsForAWSResource': 'true' }) },
];

export const NEEDED_ACTIONS: Readonly<Record<string, TypeNeeds>> = {
  provider: {
    caller: 'control-plane',
    actions: [
      { action: 'sts:AssumeRole', phase: 'read', on: [{ arn: (r) => r.value('role_arn') }] },
      { action: 'sts:TagSession', phase: 'read', on: [{ arn: (r) => r.value('role_arn') }] },
    ],
  },
  'data.terraform_remote_state': {
    caller: 'control-plane',
    actions: [{ action: 's3:GetObject', phase: 'read', on: [{ arn: (r) => `arn:${r.partition}:s3:::${r.value('config.bucket')}/${r.value('config.key')}` }] }],
  },
  'data.aws_iam_policy_document': { actions: [] },
  // A value kept in state (the trust a role was made with): no AWS call.
  terraform_data: { actions: [] },
  'ephemeral.aws_secretsmanager_secret_version': {
    caller: 'control-plane',
    actions: [{ action: 'secretsmanager:GetSecretValue', phase: 'read', on: [{ arn: (r) => `arn:${r.partition}:secretsmanager:${r.region}:${r.accountId}:secret:${r.value('secret_id')}-AbCdEf` }] }],
  },
  // A presigned sts:GetCallerIdentity of the stack's own session: no permission can deny it.
  'ephemeral.aws_eks_cluster_auth': { actions: [] },

  aws_vpc: {
    arn: ec2('vpc', 'vpc'),
    actions: [
      creating('ec2:CreateVpc'), tagWhileCreating('CreateVpc'), ...crud('create', 'ec2:ModifyVpcAttribute'),
      ...onAny('read', 'ec2:DescribeVpcs', 'ec2:DescribeVpcAttribute', 'ec2:DescribeRouteTables', 'ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkAcls'),
      ...crud('update', 'ec2:ModifyVpcAttribute'), ...retag('ec2:CreateTags', 'ec2:DeleteTags'),
      ...crud('delete', 'ec2:DeleteVpc'),
    ],
  },
  aws_subnet: {
    arn: ec2('subnet', 'subnet'),
    actions: [
      creating('ec2:CreateSubnet', { ref: 'vpc_id' }), tagWhileCreating('CreateSubnet'),
      ...onAny('read', 'ec2:DescribeSubnets'),
      ...crud('update', 'ec2:ModifySubnetAttribute'), ...retag('ec2:CreateTags', 'ec2:DeleteTags'),
      ...crud('delete', 'ec2:DeleteSubnet'),
    ],
  },
  aws_internet_gateway: {
    arn: ec2('internet-gateway', 'igw'),
    actions: [
      creating('ec2:CreateInternetGateway'), tagWhileCreating('CreateInternetGateway'),
      { action: 'ec2:AttachInternetGateway', phase: 'create', on: ['self', { ref: 'vpc_id' }] },
      ...onAny('read', 'ec2:DescribeInternetGateways'), ...retag('ec2:CreateTags', 'ec2:DeleteTags'),
      { action: 'ec2:DetachInternetGateway', phase: 'delete', on: ['self', { ref: 'vpc_id' }] },
      ...crud('delete', 'ec2:DeleteInternetGateway'),
    ],
  },
  aws_route_table: {
    arn: ec2('route-table', 'rtb'),
    actions: [
      creating('ec2:CreateRouteTable', { ref: 'vpc_id' }), tagWhileCreating('CreateRouteTable'),
      ...onAny('read', 'ec2:DescribeRouteTables'), ...retag('ec2:CreateTags', 'ec2:DeleteTags'),
      ...crud('delete', 'ec2:DeleteRouteTable'),
    ],
  },
  aws_route: {
    actions: [
      { action: 'ec2:CreateRoute', phase: 'create', on: [{ ref: 'route_table_id' }] },
      ...onAny('read', 'ec2:DescribeRouteTables'),
      { action: 'ec2:ReplaceRoute', phase: 'update', on: [{ ref: 'route_table_id' }] },
      { action: 'ec2:DeleteRoute', phase: 'delete', on: [{ ref: 'route_table_id' }] },
    ],
  },
  aws_route_table_association: {
    actions: [
      { action: 'ec2:AssociateRouteTable', phase: 'create', on: [{ ref: 'route_table_id' }, { ref: 'subnet_id' }] },
      ...onAny('read', 'ec2:DescribeRouteTables'),
      { action: 'ec2:ReplaceRouteTableAssociation', phase: 'update', on: [{ ref: 'route_table_id' }] },
      { action: 'ec2:DisassociateRouteTable', phase: 'delete', on: [{ ref: 'route_table_id' }, { ref: 'subnet_id' }] },
    ],
  },
  aws_eip: {
    arn: ec2('elastic-ip', 'eipalloc'),
    actions: [
      creating('ec2:AllocateAddress'), tagWhileCreating('AllocateAddress'),
      ...onAny('read', 'ec2:DescribeAddresses', 'ec2:DescribeAddressesAttribute'), ...retag('ec2:CreateTags', 'ec2:DeleteTags'),
      ...crud('delete', 'ec2:ReleaseAddress'),
    ],
  },
  aws_nat_gateway: {
    arn: ec2('natgateway', 'nat'),
    actions: [
      creating('ec2:CreateNatGateway', { ref: 'subnet_id' }, { ref: 'allocation_id' }), tagWhileCreating('CreateNatGateway'),
      ...onAny('read', 'ec2:DescribeNatGateways'), ...retag('ec2:CreateTags', 'ec2:DeleteTags'),
      ...crud('delete', 'ec2:DeleteNatGateway'),
    ],
  },
  aws_security_group: {
    arn: ec2('security-group', 'sg'),
    actions: [
      creating('ec2:CreateSecurityGroup', { ref: 'vpc_id' }), tagWhileCreating('CreateSecurityGroup'),
      // The provider removes the allow-all egress rule AWS adds to every new group.
      ...crud('create', 'ec2:RevokeSecurityGroupEgress'),
      ...onAny('read', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSecurityGroupRules'), ...retag('ec2:CreateTags', 'ec2:DeleteTags'),
      ...onAny('delete', 'ec2:DescribeNetworkInterfaces'), ...crud('delete', 'ec2:DeleteSecurityGroup'),
    ],
  },
  aws_vpc_security_group_ingress_rule: {
    arn: ec2('security-group-rule', 'sgr'),
    actions: [
      creating('ec2:AuthorizeSecurityGroupIngress', { ref: 'security_group_id' }), tagWhileCreating('AuthorizeSecurityGroupIngress'),
      ...onAny('read', 'ec2:DescribeSecurityGroupRules'),
      { action: 'ec2:ModifySecurityGroupRules', phase: 'update', on: [{ ref: 'security_group_id' }, 'self'] },
      { action: 'ec2:RevokeSecurityGroupIngress', phase: 'delete', on: [{ ref: 'security_group_id' }] },
    ],
  },
  aws_flow_log: {
    arn: ec2('vpc-flow-log', 'fl'),
    actions: [
      creating('ec2:CreateFlowLogs', { ref: 'vpc_id' }), tagWhileCreating('CreateFlowLogs'),
      { action: 'iam:PassRole', phase: 'create', on: [{ ref: 'iam_role_arn' }], context: () => ({ 'iam:PassedToService': 'vpc-flow-logs.amazonaws.com' }) },
      ...onAny('read', 'ec2:DescribeFlowLogs'), ...retag('ec2:CreateTags', 'ec2:DeleteTags'),
      ...crud('delete', 'ec2:DeleteFlowLogs'),
    ],
  },
  aws_launch_template: {
    arn: ec2('launch-template', 'lt'),
    actions: [
      creating('ec2:CreateLaunchTemplate'), tagWhileCreating('CreateLaunchTemplate'),
      ...onAny('read', 'ec2:DescribeLaunchTemplates', 'ec2:DescribeLaunchTemplateVersions'),
      ...crud('update', 'ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate'), ...retag('ec2:CreateTags', 'ec2:DeleteTags'),
      ...crud('delete', 'ec2:DeleteLaunchTemplate'),
    ],
  },

  aws_kms_key: {
    arn: (r) => regional(r, 'kms', `key/${r.id}`),
    actions: [
      // Keys are made untagged (their provider has no default tags): KMS would check tags given to CreateKey
      // on any key. A new key is no owner's until an alias of the owner's name points at it.
      { action: 'kms:CreateKey', phase: 'create', on: ['any'], anyOwner: true },
      ...crud('create', 'kms:EnableKeyRotation'),
      ...crud('read', 'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags'),
      ...crud('update', 'kms:PutKeyPolicy', 'kms:UpdateKeyDescription', 'kms:EnableKeyRotation'),
      // Keys that earlier releases tagged lose their tags once, through their own key policy.
      { action: 'kms:UntagResource', phase: 'update', tags: 'remove' },
      ...crud('delete', 'kms:ScheduleKeyDeletion'),
    ],
  },
  aws_kms_alias: {
    arn: (r) => regional(r, 'kms', r.value('name')),
    actions: [
      { action: 'kms:CreateAlias', phase: 'create', on: ['new', { ref: 'target_key_id' }] },
      ...onAny('read', 'kms:ListAliases'),
      { action: 'kms:UpdateAlias', phase: 'update', on: ['self', { ref: 'target_key_id' }] },
      { action: 'kms:DeleteAlias', phase: 'delete', on: ['self', { ref: 'target_key_id' }] },
    ],
  },

  aws_s3_bucket: {
    arn: (r) => `arn:${r.partition}:s3:::${r.value('bucket')}`,
    id: (r) => r.value('bucket'),
    actions: [
      { action: 's3:CreateBucket', phase: 'create', on: ['new'] },
      // A bucket created with Object Lock also needs the rights to turn on versioning and the lock.
      ...crud('create', 's3:PutBucketVersioning', 's3:PutBucketObjectLockConfiguration'),
      ...crud('create', 's3:ListBucket'), { action: 's3:PutBucketTagging', phase: 'create', tags: 'set' },
      ...crud('read', 's3:ListBucket', 's3:GetBucketTagging', 's3:GetBucketPolicy', 's3:GetBucketAcl', 's3:GetBucketCORS', 's3:GetBucketWebsite',
        's3:GetBucketVersioning', 's3:GetAccelerateConfiguration', 's3:GetBucketRequestPayment', 's3:GetBucketLogging',
        's3:GetLifecycleConfiguration', 's3:GetReplicationConfiguration', 's3:GetEncryptionConfiguration', 's3:GetBucketObjectLockConfiguration'),
      { action: 's3:PutBucketTagging', phase: 'update', tags: 'set' },
      // force_destroy empties the bucket first: only a purge does.
      ...crud('purge', 's3:ListBucketVersions', 's3:DeleteBucket'),
      { action: 's3:DeleteObjectVersion', phase: 'purge', on: [{ arn: (r) => `${r.arn()}/every-object` }] },
    ],
  },
  aws_s3_bucket_versioning: bucketPart('s3:GetBucketVersioning', 's3:PutBucketVersioning'),
  aws_s3_bucket_server_side_encryption_configuration: bucketPart('s3:GetEncryptionConfiguration', 's3:PutEncryptionConfiguration'),
  aws_s3_bucket_public_access_block: bucketPart('s3:GetBucketPublicAccessBlock', 's3:PutBucketPublicAccessBlock'),
  aws_s3_bucket_ownership_controls: bucketPart('s3:GetBucketOwnershipControls', 's3:PutBucketOwnershipControls'),
  aws_s3_bucket_policy: bucketPart('s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy'),
  aws_s3_bucket_lifecycle_configuration: bucketPart('s3:GetLifecycleConfiguration', 's3:PutLifecycleConfiguration'),
  aws_s3_bucket_object_lock_configuration: bucketPart('s3:GetBucketObjectLockConfiguration', 's3:PutBucketObjectLockConfiguration'),
  aws_s3_bucket_logging: bucketPart('s3:GetBucketLogging', 's3:PutBucketLogging'),

  aws_db_subnet_group: {
    arn: rds('subgrp', 'name'),
    actions: [
      creating('rds:CreateDBSubnetGroup'), { action: 'rds:AddTagsToResource', phase: 'create', on: ['new'], tags: 'set' },
      ...crud('read', 'rds:DescribeDBSubnetGroups', 'rds:ListTagsForResource'),
      ...crud('update', 'rds:ModifyDBSubnetGroup'), ...retag('rds:AddTagsToResource', 'rds:RemoveTagsFromResource'),
      ...crud('delete', 'rds:DeleteDBSubnetGroup'),
    ],
  },
  aws_db_parameter_group: {
    arn: rds('pg', 'name'),
    actions: [
      creating('rds:CreateDBParameterGroup'), { action: 'rds:AddTagsToResource', phase: 'create', on: ['new'], tags: 'set' },
      ...crud('create', 'rds:ModifyDBParameterGroup'),
      ...crud('read', 'rds:DescribeDBParameterGroups', 'rds:DescribeDBParameters', 'rds:ListTagsForResource'),
      ...crud('update', 'rds:ModifyDBParameterGroup'), ...retag('rds:AddTagsToResource', 'rds:RemoveTagsFromResource'),
      ...crud('delete', 'rds:DeleteDBParameterGroup'),
    ],
  },
  aws_db_instance: {
    arn: rds('db', 'identifier'),
    actions: [
      { ...creating('rds:CreateDBInstance', { ref: 'db_subnet_group_name' }, { ref: 'parameter_group_name' }), context: () => ({ 'rds:PubliclyAccessible': 'false', 'rds:ManageMasterUserPassword': 'true' }) },
      { action: 'rds:AddTagsToResource', phase: 'create', on: ['new'], tags: 'set' },
      ...grantsOn('kms_key_id'),
      // RDS keeps the master password in a secret it creates, names and tags with the database's ARN,
      // with the caller's rights. The deployer can never read one (its boundary denies it).
      ...['secretsmanager:CreateSecret', 'secretsmanager:TagResource'].map((action): NeededAction => ({
        action, phase: 'create', on: [{ arn: (r) => regional(r, 'secretsmanager', `secret:rds!db-${r.id}-AbCdEf`) }],
        context: (r) => ({ 'aws:CalledVia': ['rds.amazonaws.com'], 'aws:RequestTag/aws:rds:primaryDBInstanceArn': r.arn(), 'aws:TagKeys': ['aws:rds:primaryDBInstanceArn'] }),
      })),
      ...crud('read', 'rds:DescribeDBInstances', 'rds:ListTagsForResource'),
      { action: 'rds:ModifyDBInstance', phase: 'update', on: ['self', { ref: 'parameter_group_name' }, { ref: 'db_subnet_group_name' }] },
      ...crud('update', 'rds:RebootDBInstance'), ...retag('rds:AddTagsToResource', 'rds:RemoveTagsFromResource'),
      ...crud('purge', 'rds:DeleteDBInstance'),
    ],
  },

  aws_backup_vault: {
    arn: (r) => regional(r, 'backup', `backup-vault:${r.value('name')}`),
    id: (r) => r.value('name'),
    actions: [
      creating('backup:CreateBackupVault'), ...onAny('create', 'backup-storage:MountCapsule'), ...grantsOn('kms_key_arn'),
      ...crud('read', 'backup:DescribeBackupVault', 'backup:ListTags'),
      ...retag('backup:TagResource', 'backup:UntagResource'),
      // force_destroy deletes the vault's backups first: only a purge does.
      ...crud('purge', 'backup:ListRecoveryPointsByBackupVault', 'backup:DeleteBackupVault'),
      {
        action: 'backup:DeleteRecoveryPoint', phase: 'purge', on: [{ arn: (r) => regional(r, 'rds', `snapshot:awsbackup:job-${r.id}`) }],
        context: (r) => ({ [`aws:ResourceTag/${SESSION_TAG.owner}`]: r.tags[SESSION_TAG.owner]! }),
      },
    ],
  },
  aws_backup_vault_lock_configuration: {
    actions: [
      { action: 'backup:PutBackupVaultLockConfiguration', phase: 'create', on: [{ ref: 'backup_vault_name' }], context: (r) => ({ 'backup:MinRetentionDays': r.value('min_retention_days') }) },
      { action: 'backup:DescribeBackupVault', phase: 'read', on: [{ ref: 'backup_vault_name' }] },
      // Every vault stays locked until its tenant's purge lifts the lock.
      { action: 'backup:DeleteBackupVaultLockConfiguration', phase: 'purge', on: [{ ref: 'backup_vault_name' }] },
    ],
  },
  aws_backup_plan: {
    arn: (r) => regional(r, 'backup', `backup-plan:${r.id}`),
    actions: [
      creating('backup:CreateBackupPlan'),
      ...crud('read', 'backup:GetBackupPlan', 'backup:ListTags'),
      ...crud('update', 'backup:UpdateBackupPlan'), ...retag('backup:TagResource', 'backup:UntagResource'),
      ...crud('delete', 'backup:DeleteBackupPlan'),
    ],
  },
  aws_backup_selection: {
    actions: [
      { action: 'backup:CreateBackupSelection', phase: 'create', on: [{ ref: 'plan_id' }] },
      { action: 'iam:PassRole', phase: 'create', on: [{ ref: 'iam_role_arn' }], context: () => ({ 'iam:PassedToService': 'backup.amazonaws.com' }) },
      { action: 'backup:GetBackupSelection', phase: 'read', on: [{ ref: 'plan_id' }] },
      { action: 'backup:DeleteBackupSelection', phase: 'delete', on: [{ ref: 'plan_id' }] },
    ],
  },

  aws_cloudwatch_log_group: {
    arn: (r) => regional(r, 'logs', `log-group:${r.value('name')}`),
    actions: [
      creating('logs:CreateLogGroup'), { action: 'logs:TagResource', phase: 'create', on: ['new'], tags: 'set' }, ...crud('create', 'logs:PutRetentionPolicy'),
      { action: 'logs:DescribeLogGroups', phase: 'read', on: ['any'], anyOwner: true },
      ...crud('read', 'logs:ListTagsForResource'),
      ...crud('update', 'logs:PutRetentionPolicy', 'logs:AssociateKmsKey'), ...retag('logs:TagResource', 'logs:UntagResource'),
      ...crud('delete', 'logs:DeleteLogGroup'),
    ],
  },

  aws_iam_role: {
    arn: roleArn,
    id: (r) => r.value('name'),
    actions: [
      { action: 'iam:CreateRole', phase: 'create', on: ['new'], tags: 'set', context: bounded((r) => r) },
      // Tags given to CreateRole are authorized as iam:TagRole too, which knows nothing of the boundary.
      { action: 'iam:TagRole', phase: 'create', on: ['new'], tags: 'set' },
      ...crud('read', 'iam:GetRole', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies'),
      // A role's trust is never updated: a trust that changes replaces the role.
      ...['iam:UpdateRole', 'iam:PutRolePermissionsBoundary'].map((action): NeededAction => ({ action, phase: 'update', context: bounded((r) => r) })),
      ...retag('iam:TagRole', 'iam:UntagRole'),
      ...crud('delete', 'iam:ListInstanceProfilesForRole'),
      { action: 'iam:DeleteRole', phase: 'delete', context: bounded((r) => r) },
    ],
  },
  aws_iam_role_policy: {
    actions: [
      onRole('create', 'iam:PutRolePolicy'), { action: 'iam:GetRolePolicy', phase: 'read', on: [{ ref: 'role' }] },
      onRole('update', 'iam:PutRolePolicy'), onRole('delete', 'iam:DeleteRolePolicy'),
    ],
  },
  aws_iam_role_policy_attachment: {
    actions: [
      onRole('create', 'iam:AttachRolePolicy', (r) => ({ 'iam:PolicyARN': r.value('policy_arn') })),
      { action: 'iam:ListAttachedRolePolicies', phase: 'read', on: [{ ref: 'role' }] },
      onRole('delete', 'iam:DetachRolePolicy', (r) => ({ 'iam:PolicyARN': r.value('policy_arn') })),
    ],
  },

  aws_eks_cluster: {
    arn: clusterArn,
    actions: [
      { action: 'eks:CreateCluster', phase: 'create', on: ['any'], tags: 'set' },
      { action: 'iam:PassRole', phase: 'create', on: [{ ref: 'role_arn' }], context: () => ({ 'iam:PassedToService': 'eks.amazonaws.com' }) },
      { action: 'iam:CreateServiceLinkedRole', phase: 'create', anyOwner: true, on: [{ arn: (r) => `arn:${r.partition}:iam::${r.accountId}:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS` }], context: () => ({ 'iam:AWSServiceName': 'eks.amazonaws.com' }) },
      ...grantsOn('encryption_config.0.provider.0.key_arn'),
      ...crud('read', 'eks:DescribeCluster'),
      ...crud('update', 'eks:UpdateClusterConfig', 'eks:UpdateClusterVersion', 'eks:DescribeUpdate'), ...retag('eks:TagResource', 'eks:UntagResource'),
      ...crud('delete', 'eks:DeleteCluster'),
    ],
  },
  aws_eks_node_group: {
    arn: (r) => regional(r, 'eks', `nodegroup/${r.value('cluster_name')}/${r.value('node_group_name')}/${r.id}`),
    actions: [
      { action: 'eks:CreateNodegroup', phase: 'create', on: [onCluster], tags: 'set' },
      { action: 'iam:PassRole', phase: 'create', on: [{ ref: 'node_role_arn' }], context: () => ({ 'iam:PassedToService': 'eks.amazonaws.com' }) },
      { action: 'iam:CreateServiceLinkedRole', phase: 'create', anyOwner: true, on: [{ arn: (r) => `arn:${r.partition}:iam::${r.accountId}:role/aws-service-role/eks-nodegroup.amazonaws.com/AWSServiceRoleForAmazonEKSNodegroup` }], context: () => ({ 'iam:AWSServiceName': 'eks-nodegroup.amazonaws.com' }) },
      ...onAny('create', 'ec2:DescribeLaunchTemplateVersions'),
      ...crud('read', 'eks:DescribeNodegroup'),
      ...crud('update', 'eks:UpdateNodegroupConfig', 'eks:UpdateNodegroupVersion'), ...retag('eks:TagResource', 'eks:UntagResource'),
      ...crud('delete', 'eks:DeleteNodegroup'),
    ],
  },
  aws_eks_addon: {
    arn: (r) => regional(r, 'eks', `addon/${r.value('cluster_name')}/${r.value('addon_name')}/${r.id}`),
    actions: [
      { action: 'eks:CreateAddon', phase: 'create', on: [onCluster], tags: 'set' },
      ...onAny('read', 'eks:DescribeAddonVersions'), ...crud('read', 'eks:DescribeAddon'),
      ...crud('update', 'eks:UpdateAddon'), ...retag('eks:TagResource', 'eks:UntagResource'),
      ...crud('delete', 'eks:DeleteAddon'),
    ],
  },
  aws_eks_access_entry: {
    arn: (r) => regional(r, 'eks', `access-entry/${r.value('cluster_name')}/role/${r.accountId}/${r.value('principal_arn').split('/').pop()}/${r.id}`),
    actions: [
      { action: 'eks:CreateAccessEntry', phase: 'create', on: [onCluster], tags: 'set', context: (r) => ({ 'eks:principalArn': r.value('principal_arn') }) },
      ...crud('read', 'eks:DescribeAccessEntry'),
      ...retag('eks:TagResource', 'eks:UntagResource'),
      ...crud('delete', 'eks:DeleteAccessEntry'),
    ],
  },
  aws_eks_access_policy_association: {
    arn: (r) => regional(r, 'eks', `access-entry/${r.value('cluster_name')}/role/${r.accountId}/${r.value('principal_arn').split('/').pop()}/${r.id}`),
    actions: [
      { action: 'eks:AssociateAccessPolicy', phase: 'create', context: (r) => ({ 'eks:policyArn': r.value('policy_arn') }) },
      ...crud('read', 'eks:ListAssociatedAccessPolicies'),
      { action: 'eks:DisassociateAccessPolicy', phase: 'delete', context: (r) => ({ 'eks:policyArn': r.value('policy_arn') }) },
    ],
  },
  aws_eks_pod_identity_association: {
    arn: (r) => regional(r, 'eks', `podidentityassociation/${r.value('cluster_name')}/a-${r.id}`),
    actions: [
      { action: 'eks:CreatePodIdentityAssociation', phase: 'create', on: [onCluster], tags: 'set' },
      { action: 'iam:PassRole', phase: 'create', on: [{ ref: 'role_arn' }], context: () => ({ 'iam:PassedToService': 'pods.eks.amazonaws.com' }) },
      ...crud('read', 'eks:DescribePodIdentityAssociation'),
      ...crud('update', 'eks:UpdatePodIdentityAssociation'), ...retag('eks:TagResource', 'eks:UntagResource'),
      ...crud('delete', 'eks:DeletePodIdentityAssociation'),
    ],
  },
};

/** Kubernetes objects are applied through the cluster's API with the session's access entry, not through AWS IAM. */
export const KUBERNETES_TYPES = /^kubernetes_/;
