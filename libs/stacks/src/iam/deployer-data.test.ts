import { describe, expect, it, vi } from 'vitest';
import { ACCOUNT, creates, decideAsDeployer, expected, owned, SCOPE, type NamedCall } from '../testing/deployer-calls';
import { deployerBackupPolicy, deployerDataPolicy } from './deployer-policies';

// The simulator loads AWS's service catalog on its first call: seconds.
vi.setConfig({ testTimeout: 120_000 });

const vault = (owner: string) => `arn:aws:backup:us-east-1:${ACCOUNT}:backup-vault:${owner}`;
const PLAN = `arn:aws:backup:us-east-1:${ACCOUNT}:backup-plan:0a1b2c3d`;
const BACKUP = `arn:aws:rds:us-east-1:${ACCOUNT}:snapshot:awsbackup:job-0a1b`;

const backups: NamedCall[] = [
  ['creates its vault', 'backup:CreateBackupVault', vault('tenant-acme'), creates('tenant-acme')],
  ['creates a vault of another name', 'backup:CreateBackupVault', vault('tenant-globex'), creates('tenant-acme')],
  ['creates its vault tagged as another\'s', 'backup:CreateBackupVault', vault('tenant-acme'), creates('tenant-globex')],
  ['describes its vault', 'backup:DescribeBackupVault', vault('tenant-acme')],
  ['describes another\'s vault', 'backup:DescribeBackupVault', vault('tenant-globex')],
  ['locks its vault in governance mode', 'backup:PutBackupVaultLockConfiguration', vault('tenant-acme'), { 'backup:MinRetentionDays': '30' }],
  ['locks its vault in compliance mode', 'backup:PutBackupVaultLockConfiguration', vault('tenant-acme'), { 'backup:ChangeableForDays': '3' }],
  ['locks its vault with a maximum', 'backup:PutBackupVaultLockConfiguration', vault('tenant-acme'), { 'backup:MaxRetentionDays': '90' }],
  ['lifts its vault\'s lock', 'backup:DeleteBackupVaultLockConfiguration', vault('tenant-acme')],
  ['deletes its vault', 'backup:DeleteBackupVault', vault('tenant-acme')],
  ['deletes another\'s vault', 'backup:DeleteBackupVault', vault('tenant-globex')],
  ['deletes a backup of its own', 'backup:DeleteRecoveryPoint', BACKUP, owned('tenant-acme')],
  ['deletes a backup of another\'s', 'backup:DeleteRecoveryPoint', BACKUP, owned('tenant-globex')],
  ['creates a plan', 'backup:CreateBackupPlan', PLAN, creates('tenant-acme')],
  ['creates a plan tagged as another\'s', 'backup:CreateBackupPlan', PLAN, creates('tenant-globex')],
  ['changes its plan', 'backup:UpdateBackupPlan', PLAN, owned('tenant-acme')],
  ['changes another\'s plan', 'backup:UpdateBackupPlan', PLAN, owned('tenant-globex')],
  ['selects for its plan', 'backup:CreateBackupSelection', PLAN, owned('tenant-acme')],
  ['tags its plan', 'backup:TagResource', PLAN, { ...owned('tenant-acme'), 'aws:RequestTag/tenancy-owner': 'tenant-acme', 'aws:TagKeys': ['tenancy-owner'] }],
  ['tags its plan as another\'s', 'backup:TagResource', PLAN, { ...owned('tenant-acme'), 'aws:RequestTag/tenancy-owner': 'tenant-globex', 'aws:TagKeys': ['tenancy-owner'] }],
  ['tags another\'s plan', 'backup:TagResource', PLAN, { ...owned('tenant-globex'), 'aws:RequestTag/cost-center': '7000', 'aws:TagKeys': ['cost-center'] }],
  ['mounts backup storage', 'backup-storage:MountCapsule', '*'],
];

describe('the deployer\'s backup permissions, by IAM simulation, built in the test', () => {
  it('make, lock in governance mode and tag only the session owner\'s vault and plans; delete no vault, lock or backup', async () => {
    expect(await decideAsDeployer([deployerBackupPolicy(SCOPE)], { owner: 'tenant-acme' }, backups)).toEqual(expected(backups, [
      'creates its vault', 'describes its vault', 'locks its vault in governance mode', 'creates a plan', 'changes its plan', 'selects for its plan', 'tags its plan',
      'mounts backup storage',
    ]));
  });

  it('let a purge of the owner lift its vault\'s lock and delete its vault and backups, and nobody else\'s', async () => {
    expect(await decideAsDeployer([deployerBackupPolicy(SCOPE)], { owner: 'tenant-acme', purge: true }, backups)).toEqual(expected(backups, [
      'creates its vault', 'describes its vault', 'locks its vault in governance mode', 'lifts its vault\'s lock', 'deletes its vault', 'deletes a backup of its own',
      'creates a plan', 'changes its plan', 'selects for its plan', 'tags its plan', 'mounts backup storage',
    ]));
  });
});

const bucket = (owner: string) => `arn:aws:s3:::${owner}-data-${ACCOUNT}-us-east-1`;
const rds = (resource: string) => `arn:aws:rds:us-east-1:${ACCOUNT}:${resource}`;
const key = (alias: string) => `arn:aws:kms:us-east-1:${ACCOUNT}:${alias}`;
const data: NamedCall[] = [
  ['configures its bucket', 's3:PutBucketVersioning', bucket('tenant-acme')],
  ['writes its bucket\'s policy', 's3:PutBucketPolicy', bucket('tenant-acme')],
  ['configures another\'s bucket', 's3:PutBucketVersioning', bucket('tenant-globex')],
  ['deletes its bucket', 's3:DeleteBucket', bucket('tenant-acme')],
  ['deletes an object version of its bucket', 's3:DeleteObjectVersion', `${bucket('tenant-acme')}/report.csv`],
  ['bypasses its bucket\'s retention', 's3:BypassGovernanceRetention', `${bucket('tenant-acme')}/report.csv`],
  ['deletes an object of another\'s bucket', 's3:DeleteObject', `${bucket('tenant-globex')}/report.csv`],
  ['creates its database', 'rds:CreateDBInstance', rds('db:tenant-acme'), creates('tenant-acme')],
  ['creates its database tagged as another\'s', 'rds:CreateDBInstance', rds('db:tenant-acme'), creates('tenant-globex')],
  ['creates a database of another name', 'rds:CreateDBInstance', rds('db:tenant-globex'), creates('tenant-acme')],
  ['creates its parameter group', 'rds:CreateDBParameterGroup', rds('pg:tenant-acme-postgres16'), creates('tenant-acme')],
  ['creates its MySQL 8.0 parameter group', 'rds:CreateDBParameterGroup', rds('pg:tenant-acme-mysql8-0'), creates('tenant-acme')],
  ['creates a parameter group of a longer id', 'rds:CreateDBParameterGroup', rds('pg:tenant-acme-eu-postgres16'), creates('tenant-acme')],
  ['modifies its database', 'rds:ModifyDBInstance', rds('db:tenant-acme')],
  ['modifies another\'s database', 'rds:ModifyDBInstance', rds('db:tenant-globex')],
  ['deletes its database', 'rds:DeleteDBInstance', rds('db:tenant-acme')],
  ['deletes its subnet group', 'rds:DeleteDBSubnetGroup', rds('subgrp:tenant-acme')],
  ['describes databases', 'rds:DescribeDBInstances', rds('db:tenant-globex')],
  ['lets RDS make its database\'s master secret', 'secretsmanager:CreateSecret', `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:rds!db-0a1b-AbCdEf`,
    { 'aws:CalledVia': ['rds.amazonaws.com'], 'aws:RequestTag/aws:rds:primaryDBInstanceArn': rds('db:tenant-acme'), 'aws:TagKeys': ['aws:rds:primaryDBInstanceArn'] }],
  ['makes a database\'s master secret itself', 'secretsmanager:CreateSecret', `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:rds!db-0a1b-AbCdEf`,
    { 'aws:RequestTag/aws:rds:primaryDBInstanceArn': rds('db:tenant-acme'), 'aws:TagKeys': ['aws:rds:primaryDBInstanceArn'] }],
  ['lets RDS make another\'s master secret', 'secretsmanager:CreateSecret', `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:rds!db-0a1b-AbCdEf`,
    { 'aws:CalledVia': ['rds.amazonaws.com'], 'aws:RequestTag/aws:rds:primaryDBInstanceArn': rds('db:tenant-globex'), 'aws:TagKeys': ['aws:rds:primaryDBInstanceArn'] }],
  ['lets RDS tag its database\'s master secret', 'secretsmanager:TagResource', `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:rds!db-0a1b-AbCdEf`,
    { 'aws:CalledVia': ['rds.amazonaws.com'], 'aws:ResourceTag/aws:rds:primaryDBInstanceArn': rds('db:tenant-acme') }],
  ['lets RDS tag another\'s master secret', 'secretsmanager:TagResource', `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:rds!db-0a1b-AbCdEf`,
    { 'aws:CalledVia': ['rds.amazonaws.com'], 'aws:ResourceTag/aws:rds:primaryDBInstanceArn': rds('db:tenant-globex') }],
  ['creates a key without tags', 'kms:CreateKey', '*'],
  ['creates a key with tags', 'kms:CreateKey', '*', { 'aws:RequestTag/tenancy-owner': 'tenant-acme', 'aws:TagKeys': ['tenancy-owner'] }],
  ['names its data key', 'kms:CreateAlias', key('alias/tenant-acme')],
  ['names its cluster\'s key', 'kms:CreateAlias', key('alias/tenant-acme-cluster')],
  ['names another\'s key', 'kms:CreateAlias', key('alias/tenant-globex')],
  ['lists aliases', 'kms:ListAliases', '*'],
];

describe('the deployer\'s data permissions, by IAM simulation, built in the test', () => {
  const everyday = [
    'configures its bucket', 'writes its bucket\'s policy', 'creates its database', 'creates its parameter group', 'creates its MySQL 8.0 parameter group', 'modifies its database',
    'deletes its subnet group', 'describes databases', 'lets RDS make its database\'s master secret', 'lets RDS tag its database\'s master secret', 'creates a key without tags', 'names its data key', 'names its cluster\'s key', 'lists aliases',
  ];

  it('manage the session owner\'s bucket, database and keys by name, and delete no data', async () => {
    expect(await decideAsDeployer([deployerDataPolicy(SCOPE)], { owner: 'tenant-acme' }, data)).toEqual(expected(data, everyday));
  });

  it('let a purge of the owner delete its bucket, objects and database, and nobody else\'s', async () => {
    expect(await decideAsDeployer([deployerDataPolicy(SCOPE)], { owner: 'tenant-acme', purge: true }, data)).toEqual(expected(data, [
      ...everyday, 'deletes its bucket', 'deletes an object version of its bucket', 'bypasses its bucket\'s retention', 'deletes its database',
    ]));
  });

  it('let a cell name its cluster\'s key, never a data key of its own name', async () => {
    const aliases: NamedCall[] = [['names its cluster\'s key', 'kms:CreateAlias', key('alias/cell-blue-1-cluster')], ['names a data key', 'kms:CreateAlias', key('alias/cell-blue-1')]];
    expect(await decideAsDeployer([deployerDataPolicy(SCOPE)], { owner: 'cell-blue-1' }, aliases)).toEqual(expected(aliases, ['names its cluster\'s key']));
  });
});
