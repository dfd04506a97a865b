import { BackupPlan } from '@cdktf/provider-aws/lib/backup-plan';
import { BackupSelection } from '@cdktf/provider-aws/lib/backup-selection';
import { BackupVault } from '@cdktf/provider-aws/lib/backup-vault';
import { BackupVaultLockConfiguration } from '@cdktf/provider-aws/lib/backup-vault-lock-configuration';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { partitionOf } from '../naming';

export interface DatabaseBackupsProps {
  /** Names the vault, the plan and its selection; the role is `roleName`. */
  readonly name: string;
  readonly roleName: string;
  readonly region: string;
  readonly accountId: string;
  /** The database backed up. */
  readonly databaseArn: string;
  /** Encrypts the vault; the database's snapshots stay under the database's own key. */
  readonly keyArn: string;
  /** Days each daily backup is kept: the tenant's retention. */
  readonly retentionDays: number;
  /**
   * A legal hold: backups taken during it never expire.
   * @default no hold
   */
  readonly legalHold?: boolean;
  /** The owner boundary, which the backup role carries. */
  readonly permissionsBoundary: string;
  /**
   * Purge mode: the vault's lock is lifted and the vault may be destroyed with its backups. Only for
   * data past its retention.
   * @default false
   */
  readonly purge?: boolean;
}

/**
 * Daily AWS Backup snapshots of a database, kept for the tenant's retention (longer than RDS's own
 * automated backups can be kept, 35 days) in a vault of the tenant's, taken by a role only AWS
 * Backup of this account can assume and that reaches this database and vault only. The vault is
 * locked in governance mode from the day it is made: no backup goes before its lifecycle ends (a
 * backup taken under a legal hold has none), and only the purge, which lifts the lock, may delete one.
 */
export class DatabaseBackups extends Construct {
  constructor(scope: Construct, id: string, props: DatabaseBackupsProps) {
    super(scope, id);
    const purge = props.purge ?? false;
    if (props.legalHold && purge) throw new Error(`backups of ${props.name} are on legal hold and cannot be purged`);
    const partition = partitionOf(props.region);
    const vault = new BackupVault(this, 'vault', {
      name: props.name,
      kmsKeyArn: props.keyArn,
      forceDestroy: purge,
      ...(purge ? {} : { lifecycle: { preventDestroy: true } }),
    });
    if (!purge) {
      // Governance mode (no changeable_for_days): the purge may lift it; no maximum, so held backups are kept.
      const lock = new BackupVaultLockConfiguration(this, 'lock', { backupVaultName: vault.name, minRetentionDays: 1 });
      // Earlier releases locked a vault only under a legal hold, by this name.
      lock.moveFromId('aws_backup_vault_lock_configuration.backups_hold');
    }
    const plan = new BackupPlan(this, 'plan', {
      name: props.name,
      rule: [{
        ruleName: 'daily',
        targetVaultName: vault.name,
        schedule: 'cron(0 3 * * ? *)',
        startWindow: 60,
        completionWindow: 360,
        ...(props.legalHold ? {} : { lifecycle: { deleteAfter: props.retentionDays } }),
      }],
    });
    const role = new IamRole(this, 'role', {
      name: props.roleName,
      permissionsBoundary: props.permissionsBoundary,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
        }],
      }),
    });
    const snapshots = `arn:${partition}:rds:${props.region}:${props.accountId}:snapshot:awsbackup:*`;
    const backUp = new IamRolePolicy(this, 'role-back-up', {
      role: role.id,
      name: 'back-up-database',
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Database', Effect: 'Allow', Action: ['rds:DescribeDBInstances', 'rds:ListTagsForResource', 'rds:CreateDBSnapshot', 'rds:AddTagsToResource'], Resource: props.databaseArn },
          { Sid: 'Snapshots', Effect: 'Allow', Action: ['rds:DescribeDBSnapshots', 'rds:CreateDBSnapshot', 'rds:AddTagsToResource', 'rds:ListTagsForResource'], Resource: snapshots },
          { Sid: 'Vault', Effect: 'Allow', Action: ['backup:DescribeBackupVault', 'backup:CopyIntoBackupVault'], Resource: vault.arn },
          { Sid: 'Key', Effect: 'Allow', Action: 'kms:DescribeKey', Resource: props.keyArn },
          { Sid: 'KeyGrantsToAwsServices', Effect: 'Allow', Action: 'kms:CreateGrant', Resource: props.keyArn, Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
        ],
      }),
    });
    new BackupSelection(this, 'selection', {
      name: props.name,
      planId: plan.id,
      iamRoleArn: role.arn,
      resources: [props.databaseArn],
      dependsOn: [backUp],
    });
  }
}
