import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { configureAwsProvider } from '../aws/aws-provider';
import { EncryptionKey } from '../aws/encryption-key';
import { Network } from '../aws/network';
import { TenantBucket } from '../aws/tenant-bucket';
import { TenantDatabase } from '../aws/tenant-database';
import { compositionOf } from '../combinations';
import { stackNames, tenantNames } from '../naming';
import { stackOutputs } from '../state/stack-outputs';
import { FleetStack } from './fleet-stack';
import { clusterStackOf } from './placement-stack';
import { tenantTags, type TenantContext } from './tenant-context';

interface NetworkRef {
  readonly vpcId: string;
  readonly cidr: string;
  readonly privateSubnetIds: string[];
}

/**
 * `tenant-<id>-data`: everything that holds the tenant's data (key, bucket, database) and, for a
 * dedicated tenant, the network the database lives in. Applied first, destroyed last: only in
 * purge mode, after the retention period, may it be destroyed.
 */
export class TenantDataStack extends FleetStack {
  constructor(scope: Construct, ctx: TenantContext) {
    super(scope, stackNames.data(ctx.id), 'data', ctx.state);
    const { tenant, platform, tier, access, region } = ctx;
    const parts = compositionOf(tenant.hosting.model, tenant.deployment.model).data;
    // Only the purge of a reaped tenant's data runs in a session that may delete data.
    const owner = ctx.purge ? { ...ctx.owner, purge: true } : ctx.owner;
    configureAwsProvider(this, { access, region, controlPlaneRegion: platform.controlPlane.region, sessionName: `tenancy-${this.stackName}`, tags: tenantTags(ctx), owner });

    const network = parts.includes('own-network') ? this.ownNetwork(ctx) : this.sharedNetwork(ctx);
    const key = new EncryptionKey(this, 'key', {
      description: `Data of tenant ${ctx.id}`,
      alias: tenantNames.keyAlias(ctx.id),
      access,
      region,
      owner,
      holdsData: true,
      preventDestroy: !ctx.purge,
    });
    new TerraformOutput(this, 'kms_key_arn', { value: key.key.arn });

    if (parts.includes('bucket') && tenant.data.bucket) {
      const bucket = new TenantBucket(this, 'bucket', { name: tenantNames.bucket(ctx.id, access.accountId, region), key: key.key, purge: ctx.purge });
      new TerraformOutput(this, 'bucket_name', { value: bucket.bucket.bucket });
      new TerraformOutput(this, 'bucket_arn', { value: bucket.bucket.arn });
    }
    const database = tenant.data.database;
    if (parts.includes('database') && database) {
      const db = new TenantDatabase(this, 'database', {
        identifier: tenantNames.database(ctx.id),
        engine: database.engine,
        ...(database.engineVersion ? { engineVersion: database.engineVersion } : {}),
        instanceClass: database.instanceClass ?? tier.database.instanceClass,
        storageGb: database.storageGb ?? tier.database.storageGb,
        backupRetentionDays: tier.database.backupRetentionDays,
        multiAz: tier.database.multiAz,
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        clientCidr: network.cidr,
        key: key.key,
        finalSnapshotIdentifier: tenantNames.finalSnapshot(ctx.id),
        purge: ctx.purge,
      });
      new TerraformOutput(this, 'database_endpoint', { value: db.instance.address });
      new TerraformOutput(this, 'database_port', { value: db.instance.port });
      new TerraformOutput(this, 'database_secret_arn', { value: db.instance.masterUserSecret.get(0).secretArn });
    }
  }

  private ownNetwork(ctx: TenantContext): NetworkRef {
    if (ctx.placement.kind !== 'dedicated') throw new Error(`only dedicated tenants have their own network, not ${ctx.id}`);
    const zones = ctx.platform.regions[ctx.region]?.availabilityZones;
    if (!zones) throw new Error(`region ${ctx.region} of tenant ${ctx.id} has no availability zones in platform.yaml`);
    const { vpcCidr } = ctx.placement;
    const network = new Network(this, 'network', { name: tenantNames.cluster(ctx.id), cidr: vpcCidr, availabilityZones: zones, clusterName: tenantNames.cluster(ctx.id) });
    new TerraformOutput(this, 'vpc_id', { value: network.vpc.id });
    new TerraformOutput(this, 'vpc_cidr', { value: vpcCidr });
    new TerraformOutput(this, 'private_subnet_ids', { value: network.privateSubnetIds });
    return { vpcId: network.vpc.id, cidr: vpcCidr, privateSubnetIds: network.privateSubnetIds };
  }

  private sharedNetwork(ctx: TenantContext): NetworkRef {
    if (ctx.placement.kind === 'dedicated') throw new Error(`dedicated tenant ${ctx.id} has no cell or pool network`);
    const shared = stackOutputs(this, 'placement', ctx.state, this.stackName, clusterStackOf(ctx.id, ctx.placement));
    return { vpcId: shared.getString('vpc_id'), cidr: ctx.placement.cluster.vpcCidr, privateSubnetIds: shared.getList('private_subnet_ids') };
  }
}
