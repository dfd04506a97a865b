import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { configureAwsProvider } from '../aws/aws-provider';
import { DatabaseBackups } from '../aws/database-backups';
import { EncryptionKey } from '../aws/encryption-key';
import { FlowLogs } from '../aws/flow-logs';
import { tenantLogDays } from '../aws/log-retention';
import { Network } from '../aws/network';
import { accessLogBucketName } from '../aws/access-log-bucket';
import { TenantBucket } from '../aws/tenant-bucket';
import { databaseLogGroups, TenantDatabase } from '../aws/tenant-database';
import { compositionOf } from '../combinations';
import { roleBoundaryArn } from '../iam/account';
import { clusterNames, networkNames, partitionOf, stackNames, tenantNames } from '../naming';
import { stackOutputs } from '../state/stack-outputs';
import { FleetStack } from './fleet-stack';
import { clusterStackOf } from './placement-stack';
import { tenantTags, type TenantContext } from './tenant-context';

interface NetworkRef {
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
}

/**
 * `tenant-<id>-data`: everything that holds the tenant's data (key, bucket, database and its
 * backups), the security group its pods carry and, for a dedicated tenant, the network and the
 * logs that outlive its cluster. Applied first, destroyed last: only in purge mode, after the
 * retention period, may it be destroyed; a legal hold keeps every version and every backup.
 */
export class TenantDataStack extends FleetStack {
  constructor(scope: Construct, ctx: TenantContext) {
    super(scope, stackNames.data(ctx.id), 'data', ctx.state);
    const { tenant, platform, tier, access, region } = ctx;
    const parts = compositionOf(tenant.hosting.model, tenant.deployment.model).data;
    // Only the purge of a reaped tenant's data runs in a session that may delete data.
    const owner = ctx.purge ? { ...ctx.owner, purge: true } : ctx.owner;
    configureAwsProvider(this, { access, region, controlPlaneRegion: platform.controlPlane.region, sessionName: `tenancy-${this.stackName}`, tags: tenantTags(ctx), owner });
    const permissionsBoundary = roleBoundaryArn({ partition: partitionOf(region), accountId: access.accountId }, 'owner');

    const ownNetwork = parts.includes('own-network');
    const database = parts.includes('database') ? tenant.data.database : undefined;
    const network = tenantNames.cluster(ctx.id);
    const key = new EncryptionKey(this, 'key', {
      description: `Data of tenant ${ctx.id}`,
      alias: tenantNames.keyAlias(ctx.id),
      access,
      region,
      owner,
      holdsData: true,
      preventDestroy: !ctx.purge,
      logGroups: [
        ...(ownNetwork ? [networkNames.flowLogGroup(network), clusterNames.logGroup(network)] : []),
        ...(database ? databaseLogGroups(tenantNames.database(ctx.id), database.engine) : []),
      ],
    });
    new TerraformOutput(this, 'kms_key_arn', { value: key.key.arn });

    const vpc = ownNetwork ? this.ownNetwork(ctx, key.key.arn, permissionsBoundary) : this.sharedNetwork(ctx);
    const pods = new SecurityGroup(this, 'pods', {
      name: tenantNames.podSecurityGroup(ctx.id),
      description: `Every pod of tenant ${ctx.id}: what its database admits`,
      vpcId: vpc.vpcId,
    });
    new TerraformOutput(this, 'pod_security_group_id', { value: pods.id });

    if (parts.includes('bucket') && tenant.data.bucket) {
      const bucket = new TenantBucket(this, 'bucket', {
        name: tenantNames.bucket(ctx.id, access.accountId, region),
        key: key.key,
        purge: ctx.purge,
        noncurrentVersionDays: ctx.retentionDays,
        objectLock: true,
        ...(ctx.legalHold ? { legalHold: { lockDays: ctx.retentionDays } } : {}),
        accessLogs: { bucket: accessLogBucketName(access.accountId, region) },
      });
      new TerraformOutput(this, 'bucket_name', { value: bucket.bucket.bucket });
      new TerraformOutput(this, 'bucket_arn', { value: bucket.bucket.arn });
    }
    if (database) {
      const db = new TenantDatabase(this, 'database', {
        identifier: tenantNames.database(ctx.id),
        engine: database.engine,
        ...(database.engineVersion ? { engineVersion: database.engineVersion } : {}),
        instanceClass: database.instanceClass ?? tier.database.instanceClass,
        storageGb: database.storageGb ?? tier.database.storageGb,
        backupRetentionDays: tier.database.backupRetentionDays,
        multiAz: tier.database.multiAz,
        vpcId: vpc.vpcId,
        subnetIds: vpc.privateSubnetIds,
        clientSecurityGroupId: pods.id,
        key: key.key,
        finalSnapshotIdentifier: `${tenantNames.finalSnapshot(ctx.id)}-${key.key.keyId}`,
        logRetentionDays: tenantLogDays(ctx.retentionDays, ctx.legalHold),
        purge: ctx.purge,
      });
      new DatabaseBackups(this, 'backups', {
        name: tenantNames.backups(ctx.id),
        roleName: tenantNames.backupRole(ctx.id),
        region,
        accountId: access.accountId,
        databaseArn: db.instance.arn,
        keyArn: key.key.arn,
        retentionDays: ctx.retentionDays,
        legalHold: ctx.legalHold,
        permissionsBoundary,
        purge: ctx.purge,
      });
      new TerraformOutput(this, 'database_endpoint', { value: db.instance.address });
      new TerraformOutput(this, 'database_port', { value: db.instance.port });
      new TerraformOutput(this, 'database_resource_id', { value: db.instance.resourceId });
      new TerraformOutput(this, 'database_secret_arn', { value: db.instance.masterUserSecret.get(0).secretArn });
    }
  }

  private ownNetwork(ctx: TenantContext, keyArn: string, permissionsBoundary: string): NetworkRef {
    if (ctx.placement.kind !== 'dedicated') throw new Error(`only dedicated tenants have their own network, not ${ctx.id}`);
    const zones = ctx.platform.regions[ctx.region]?.availabilityZones;
    if (!zones) throw new Error(`region ${ctx.region} of tenant ${ctx.id} has no availability zones in platform.yaml`);
    const { vpcCidr } = ctx.placement;
    const name = tenantNames.cluster(ctx.id);
    const network = new Network(this, 'network', { name, cidr: vpcCidr, availabilityZones: zones, clusterName: name });
    new FlowLogs(this, 'flow-logs', { name, vpcId: network.vpc.id, region: ctx.region, accountId: ctx.access.accountId, keyArn, permissionsBoundary, retentionDays: tenantLogDays(ctx.retentionDays, ctx.legalHold) });
    new TerraformOutput(this, 'vpc_id', { value: network.vpc.id });
    new TerraformOutput(this, 'vpc_cidr', { value: vpcCidr });
    new TerraformOutput(this, 'private_subnet_ids', { value: network.privateSubnetIds });
    return { vpcId: network.vpc.id, privateSubnetIds: network.privateSubnetIds };
  }

  private sharedNetwork(ctx: TenantContext): NetworkRef {
    if (ctx.placement.kind === 'dedicated') throw new Error(`dedicated tenant ${ctx.id} has no cell or pool network`);
    const shared = stackOutputs(this, 'placement', ctx.state, this.stackName, clusterStackOf(ctx.id, ctx.placement));
    return { vpcId: shared.getString('vpc_id'), privateSubnetIds: shared.getList('private_subnet_ids') };
  }
}
