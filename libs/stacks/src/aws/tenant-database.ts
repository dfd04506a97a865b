import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import type { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { databaseFamily } from '@tenancy/model';
import { Construct } from 'constructs';
import { MINIMUM_LOG_DAYS } from './log-retention';

/** What differs between the engines tenants may choose. */
export const ENGINES = {
  postgres: { defaultVersion: '16', port: 5432, tlsParameter: { name: 'rds.force_ssl', value: '1' }, logs: ['postgresql', 'upgrade'] },
  // RDS takes 1 for MySQL's ON: the parameter group would otherwise show a change on every plan.
  mysql: { defaultVersion: '8.0', port: 3306, tlsParameter: { name: 'require_secure_transport', value: '1' }, logs: ['error', 'slowquery'] },
} as const;

/** The parameter group family of an engine version: `postgres16`, `mysql8.0`. */
export function parameterFamily(engine: DatabaseEngine, version: string): string {
  return `${engine}${databaseFamily(engine, version)}`;
}

/** The log groups RDS exports an engine's logs to, by log type. */
export function databaseLogGroups(identifier: string, engine: DatabaseEngine): string[] {
  return ENGINES[engine].logs.map((type) => `/aws/rds/instance/${identifier}/${type}`);
}

export type DatabaseEngine = keyof typeof ENGINES;

export interface TenantDatabaseProps {
  /** DB instance identifier; also names its subnet, parameter and security groups. */
  readonly identifier: string;
  readonly engine: DatabaseEngine;
  /**
   * Engine version.
   * @default 16 for postgres, 8.0 for mysql
   */
  readonly engineVersion?: string;
  readonly instanceClass: string;
  /** Allocated storage; storage grows on its own up to four times this. */
  readonly storageGb: number;
  /** Days automated backups are kept, 1 to 35. */
  readonly backupRetentionDays: number;
  /** @default false */
  readonly multiAz?: boolean;
  readonly vpcId: string;
  /** Private subnets of at least two zones. */
  readonly subnetIds: string[];
  /** The only security group whose members may reach the database: the tenant's pods'. */
  readonly clientSecurityGroupId: string;
  /** Encrypts storage and snapshots. */
  readonly key: KmsKey;
  /** Name of the snapshot taken when the instance is deleted: unique to this instance, so a later one of the same identifier can take its own. */
  readonly finalSnapshotIdentifier: string;
  /** Days the exported engine logs are kept; 0 keeps them forever. @default 365 */
  readonly logRetentionDays?: number;
  /**
   * Purge mode: no deletion protection, no final snapshot, automated backups deleted with the
   * instance. Only for data past its retention.
   * @default false
   */
  readonly purge?: boolean;
}

/**
 * The tenant's database: encrypted, private, reachable from the tenant's own pods only and over
 * TLS only, with deletion protection, automated backups, a final snapshot, engine logs exported to
 * encrypted log groups, IAM authentication for the application, and a master password managed by
 * RDS in Secrets Manager (never in Terraform state or config), under Secrets Manager's own key: the
 * deployer, which never decrypts, could not create it under the tenant's key.
 */
export class TenantDatabase extends Construct {
  readonly instance: DbInstance;

  constructor(scope: Construct, id: string, props: TenantDatabaseProps) {
    super(scope, id);
    const engine = ENGINES[props.engine];
    const version = props.engineVersion ?? engine.defaultVersion;
    if (props.backupRetentionDays < 1 || props.backupRetentionDays > 35) {
      throw new Error(`backupRetentionDays must be from 1 to 35, got ${props.backupRetentionDays}`);
    }
    const purge = props.purge ?? false;
    const subnets = new DbSubnetGroup(this, 'subnets', { name: props.identifier, subnetIds: props.subnetIds });
    const family = parameterFamily(props.engine, version);
    // Named by family, made before the old one goes: a major upgrade moves to a new group.
    const parameters = new DbParameterGroup(this, 'parameters', {
      name: `${props.identifier}-${family.replace('.', '-')}`,
      family,
      parameter: [{ ...engine.tlsParameter, applyMethod: 'immediate' }],
      lifecycle: { createBeforeDestroy: true },
    });
    const securityGroup = new SecurityGroup(this, 'security-group', {
      name: `${props.identifier}-database`,
      description: `Database of ${props.identifier}, reachable from its own pods only`,
      vpcId: props.vpcId,
    });
    const fromPods = new VpcSecurityGroupIngressRule(this, 'from-pods', {
      securityGroupId: securityGroup.id,
      description: "The tenant's pods",
      ipProtocol: 'tcp',
      fromPort: engine.port,
      toPort: engine.port,
      referencedSecurityGroupId: props.clientSecurityGroupId,
    });
    // The rule that admitted the whole VPC becomes this one in place: the database is never left without a way in.
    fromPods.moveFromId('aws_vpc_security_group_ingress_rule.database_from-vpc');
    const logs = databaseLogGroups(props.identifier, props.engine).map((name, i) => new CloudwatchLogGroup(this, `logs-${engine.logs[i]}`, {
      name,
      retentionInDays: props.logRetentionDays ?? MINIMUM_LOG_DAYS,
      kmsKeyId: props.key.arn,
    }));
    this.instance = new DbInstance(this, 'instance', {
      identifier: props.identifier,
      engine: props.engine,
      engineVersion: version,
      instanceClass: props.instanceClass,
      allocatedStorage: props.storageGb,
      maxAllocatedStorage: props.storageGb * 4,
      storageType: 'gp3',
      storageEncrypted: true,
      kmsKeyId: props.key.arn,
      port: engine.port,
      username: 'tenancy_admin',
      manageMasterUserPassword: true,
      iamDatabaseAuthenticationEnabled: true,
      enabledCloudwatchLogsExports: [...engine.logs],
      dbSubnetGroupName: subnets.name,
      parameterGroupName: parameters.name,
      vpcSecurityGroupIds: [securityGroup.id],
      publiclyAccessible: false,
      multiAz: props.multiAz ?? false,
      backupRetentionPeriod: props.backupRetentionDays,
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      deletionProtection: !purge,
      skipFinalSnapshot: purge,
      deleteAutomatedBackups: purge,
      ...(purge ? {} : { finalSnapshotIdentifier: props.finalSnapshotIdentifier, lifecycle: { preventDestroy: true } }),
      dependsOn: logs,
    });
  }
}
