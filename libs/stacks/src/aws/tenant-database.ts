import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import type { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';

/** What differs between the engines tenants may choose. */
const ENGINES = {
  postgres: { defaultVersion: '16', port: 5432, family: (v: string) => `postgres${v.split('.')[0]}`, tlsParameter: { name: 'rds.force_ssl', value: '1' } },
  mysql: { defaultVersion: '8.0', port: 3306, family: (v: string) => `mysql${v.split('.').slice(0, 2).join('.')}`, tlsParameter: { name: 'require_secure_transport', value: 'ON' } },
} as const;

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
  /** The only network allowed to reach the database: the VPC the tenant's workloads run in. */
  readonly clientCidr: string;
  /** Encrypts storage and snapshots. */
  readonly key: KmsKey;
  /** Name of the snapshot taken when the instance is deleted. */
  readonly finalSnapshotIdentifier: string;
  /**
   * Purge mode: no deletion protection, no final snapshot, automated backups deleted with the
   * instance. Only for data past its retention.
   * @default false
   */
  readonly purge?: boolean;
}

/**
 * The tenant's database: encrypted, private, reachable from its VPC only and over TLS only, with
 * deletion protection, automated backups, a final snapshot, and a master password managed by RDS
 * in Secrets Manager (never in Terraform state or config), under Secrets Manager's own key: the
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
    const parameters = new DbParameterGroup(this, 'parameters', {
      name: props.identifier,
      family: engine.family(version),
      parameter: [{ ...engine.tlsParameter, applyMethod: 'immediate' }],
    });
    const securityGroup = new SecurityGroup(this, 'security-group', {
      name: `${props.identifier}-database`,
      description: `Database of ${props.identifier}, reachable from its VPC only`,
      vpcId: props.vpcId,
    });
    new VpcSecurityGroupIngressRule(this, 'from-vpc', {
      securityGroupId: securityGroup.id,
      description: 'Workloads of the VPC',
      ipProtocol: 'tcp',
      fromPort: engine.port,
      toPort: engine.port,
      cidrIpv4: props.clientCidr,
    });
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
    });
  }
}
