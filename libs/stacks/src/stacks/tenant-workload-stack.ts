import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import {
  DATA_PLANE_AGENT_USAGE, formatCpu, formatMemory, packedContainer, packedResources, parseCpu, parseMemory, standaloneResources,
} from '@tenancy/model';
import { Fn } from 'cdktf';
import type { Construct } from 'constructs';
import { configureAwsProvider } from '../aws/aws-provider';
import { ephemeralResource } from '../aws/ephemeral';
import { roleBoundaryArn } from '../iam/account';
import { WorkloadIdentity } from '../aws/workload-identity';
import { databaseAdminStatements, databaseUserArn, tenantDataStatements } from '../aws/workload-permissions';
import { compositionOf } from '../combinations';
import { DataPlaneAgent } from '../kubernetes/data-plane-agent';
import { DatabaseUserJob } from '../kubernetes/database-user-job';
import { MigrationJob } from '../kubernetes/migration-job';
import { NetworkPolicies } from '../kubernetes/network-policies';
import { PackedWorkload } from '../kubernetes/packed-workload';
import type { PodPlacement } from '../kubernetes/pod-security';
import { PodSecurityGroups } from '../kubernetes/pod-security-groups';
import { RestrictedDeployment } from '../kubernetes/restricted-deployment';
import { TenantNamespace } from '../kubernetes/tenant-namespace';
import {
  DATABASE_ADMIN_SERVICE_ACCOUNT, DATABASE_NAME, nodeLabels, partitionOf, stackNames, tenantNames, WORKLOAD_SERVICE_ACCOUNT,
} from '../naming';
import { stackOutputs } from '../state/stack-outputs';
import { FleetStack } from './fleet-stack';
import { clusterStackOf } from './placement-stack';
import { releaseImage } from './release-image';
import { tenantTags, type TenantContext } from './tenant-context';

const DATABASE_PORTS = { postgres: 5432, mysql: 3306 } as const;
/** Ingress namespace assumed on a dedicated cluster, as on cells and pools by default. */
const DEDICATED_INGRESS_NAMESPACE = 'ingress-nginx';
const CONFIG_MAP = 'tenant-config';

/**
 * `tenant-<id>-workload`: the tenant's slice of its cluster (namespace, quota, limits, network
 * policies, the security groups of its pods, service account and its IAM role), the job that gives
 * its database the application's user, and its workloads. The Kubernetes provider is
 * configured from the cluster stack's state and an ephemeral token of the stack's own AWS access,
 * which never reaches state or a saved plan.
 */
export class TenantWorkloadStack extends FleetStack {
  constructor(scope: Construct, ctx: TenantContext) {
    super(scope, stackNames.workload(ctx.id), 'workload', ctx.state);
    const { tenant, platform, tier, access, region, placement, owner } = ctx;
    const parts = compositionOf(tenant.hosting.model, tenant.deployment.model).workload;
    configureAwsProvider(this, { access, region, controlPlaneRegion: platform.controlPlane.region, sessionName: `tenancy-${this.stackName}`, tags: tenantTags(ctx), owner });

    const cluster = stackOutputs(this, 'cluster', ctx.state, this.stackName, clusterStackOf(ctx.id, placement));
    const data = stackOutputs(this, 'data', ctx.state, this.stackName, stackNames.data(ctx.id));
    const token = ephemeralResource(this, 'aws_eks_cluster_auth', 'cluster-auth', { name: cluster.getString('cluster_name') })('token');
    new KubernetesProvider(this, 'kubernetes', {
      host: cluster.getString('cluster_endpoint'),
      clusterCaCertificate: Fn.base64decode(cluster.getString('cluster_certificate_authority')),
      token,
    });

    const namespace = tenantNames.namespace(ctx.id);
    const labels = { 'app.kubernetes.io/part-of': namespace, 'app.kubernetes.io/managed-by': 'tenancy', [nodeLabels.tenant]: ctx.id };
    const hasBucket = tenant.data.bucket;
    const database = tenant.data.database;

    const partition = partitionOf(region);
    const identity = {
      clusterName: cluster.getString('cluster_name'),
      clusterArn: cluster.getString('cluster_arn'),
      accountId: access.accountId,
      permissionsBoundary: roleBoundaryArn({ partition, accountId: access.accountId }, 'owner'),
      namespace,
    };
    new WorkloadIdentity(this, 'identity', {
      ...identity,
      roleName: tenantNames.workloadRole(ctx.id),
      serviceAccount: WORKLOAD_SERVICE_ACCOUNT,
      policyName: 'tenant-data',
      statements: tenantDataStatements({
        kmsKeyArn: data.getString('kms_key_arn'),
        ...(hasBucket ? { bucketArn: data.getString('bucket_arn') } : {}),
        ...(database ? { databaseUserArn: databaseUserArn({ partition, region, accountId: access.accountId }, data.getString('database_resource_id'), tenantNames.databaseUser(ctx.id)) } : {}),
      }),
    });

    const tenantNamespace = new TenantNamespace(this, 'namespace', {
      name: namespace,
      labels,
      quota: { cpu: formatCpu(parseCpu(tier.quota.cpu)!), memory: formatMemory(parseMemory(tier.quota.memory)!), pods: tier.quota.pods },
      limits: {
        defaultCpu: formatCpu(parseCpu(tier.limits.defaultCpu)!), defaultMemory: formatMemory(parseMemory(tier.limits.defaultMemory)!),
        maxCpu: formatCpu(parseCpu(tier.limits.maxCpu)!), maxMemory: formatMemory(parseMemory(tier.limits.maxMemory)!),
      },
      serviceAccount: WORKLOAD_SERVICE_ACCOUNT,
    });
    const inNamespace = tenantNamespace.namespace.metadata.name;
    new PodSecurityGroups(this, 'pod-security-groups', {
      namespace: inNamespace,
      labels,
      tenantSecurityGroupId: data.getString('pod_security_group_id'),
      clusterSecurityGroupId: cluster.getString('cluster_security_group_id'),
    });
    const standalone = standaloneResources(tenant);
    const packed = packedResources(tenant);
    const servedPorts = [...standalone, ...packed].flatMap((r) => (r.port === undefined ? [] : [r.port]));
    new NetworkPolicies(this, 'network-policies', {
      namespace: inNamespace,
      labels,
      ingressNamespace: placement.kind === 'dedicated' ? DEDICATED_INGRESS_NAMESPACE : placement.cluster.ingressNamespace,
      servedPorts,
      ...(database ? { database: { cidr: placement.kind === 'dedicated' ? placement.vpcCidr : placement.cluster.vpcCidr, port: DATABASE_PORTS[database.engine] } } : {}),
    });
    const config = new ConfigMapV1(this, 'config', {
      metadata: { name: CONFIG_MAP, namespace: inNamespace, labels },
      data: {
        TENANT_ID: ctx.id,
        APP_VERSION: ctx.version,
        AWS_REGION: region,
        ...(hasBucket ? { DATA_BUCKET: data.getString('bucket_name') } : {}),
        ...(database ? {
          DATABASE_HOST: data.getString('database_endpoint'),
          DATABASE_PORT: String(DATABASE_PORTS[database.engine]),
          DATABASE_USER: tenantNames.databaseUser(ctx.id),
          DATABASE_NAME,
          DATABASE_AUTH: 'iam',
        } : {}),
      },
    });

    const onOwnNodes: PodPlacement = placement.kind === 'pool'
      ? { nodeSelector: { [nodeLabels.tenant]: ctx.id }, tolerations: [{ key: nodeLabels.tenant, operator: 'Equal', value: ctx.id, effect: 'NoSchedule' }] }
      : {};
    const onSharedNodes: PodPlacement = placement.kind === 'pool' ? { nodeSelector: { [nodeLabels.pool]: placement.name } } : {};

    let databaseUser: DatabaseUserJob | undefined;
    if (database) {
      const toolsImage = platform.controlPlane.databaseToolsImage;
      if (!toolsImage) throw new Error(`tenant ${ctx.id} has a database, but platform.yaml names no controlPlane.databaseToolsImage`);
      const masterSecretArn = data.getString('database_secret_arn');
      new WorkloadIdentity(this, 'database-admin-identity', {
        ...identity,
        roleName: tenantNames.databaseAdminRole(ctx.id),
        serviceAccount: DATABASE_ADMIN_SERVICE_ACCOUNT,
        policyName: 'database-master-secret',
        statements: databaseAdminStatements(masterSecretArn),
      });
      databaseUser = new DatabaseUserJob(this, 'database-user', {
        namespace: inNamespace,
        labels,
        serviceAccount: DATABASE_ADMIN_SERVICE_ACCOUNT,
        image: toolsImage,
        engine: database.engine,
        host: data.getString('database_endpoint'),
        port: DATABASE_PORTS[database.engine],
        masterSecretArn,
        appUser: tenantNames.databaseUser(ctx.id),
        database: DATABASE_NAME,
        placement: onSharedNodes,
      });
    }

    const migration = platform.releases[ctx.version]?.migration;
    const migrationJob = migration && new MigrationJob(this, 'migration', {
      namespace: inNamespace,
      labels,
      version: ctx.version,
      image: releaseImage(platform, migration.image, ctx.version),
      command: migration.command,
      timeoutMinutes: migration.timeoutMinutes,
      cpu: formatCpu(parseCpu(migration.cpu)!),
      memory: formatMemory(parseMemory(migration.memory)!),
      serviceAccount: WORKLOAD_SERVICE_ACCOUNT,
      configMap: CONFIG_MAP,
      placement: onOwnNodes,
    });
    if (migrationJob) migrationJob.job.dependsOn = [config, ...(databaseUser ? [databaseUser.job] : [])].map((r) => r.fqn);

    if (parts.includes('deployments')) {
      for (const resource of standalone) {
        new RestrictedDeployment(this, `resource-${resource.name}`, {
          namespace: inNamespace,
          name: resource.name,
          labels,
          image: releaseImage(platform, resource.image, ctx.version),
          ...(resource.command ? { command: resource.command } : {}),
          cpu: formatCpu(parseCpu(resource.cpu)!),
          memory: formatMemory(parseMemory(resource.memory)!),
          replicas: resource.replicas,
          ports: resource.port === undefined ? [] : [{ name: resource.name, port: resource.port }],
          serviceAccount: WORKLOAD_SERVICE_ACCOUNT,
          configMap: CONFIG_MAP,
          placement: onOwnNodes,
        });
      }
    }
    const container = packedContainer(tenant);
    if (parts.includes('packed-workload') && container) {
      new PackedWorkload(this, 'packed', {
        namespace: inNamespace,
        labels,
        image: releaseImage(platform, packed[0]!.image, ctx.version),
        programs: packed.map((r) => ({ name: r.name, command: r.command ?? [] })),
        cpu: formatCpu(container.cpu),
        memory: formatMemory(container.memory),
        replicas: container.replicas,
        ports: packed.flatMap((r) => (r.port === undefined ? [] : [{ name: r.name, port: r.port }])),
        serviceAccount: WORKLOAD_SERVICE_ACCOUNT,
        configMap: CONFIG_MAP,
        source: ctx.source,
        placement: onSharedNodes,
      });
    }
    if (parts.includes('data-plane-agent')) {
      new DataPlaneAgent(this, 'data-plane-agent', {
        namespace: inNamespace,
        labels,
        image: releaseImage(platform, platform.controlPlane.agentImage, ctx.version),
        controlPlaneUrl: platform.controlPlane.endpoint,
        tenantId: ctx.id,
        cpu: formatCpu(DATA_PLANE_AGENT_USAGE.cpu),
        memory: formatMemory(DATA_PLANE_AGENT_USAGE.memory),
        placement: onSharedNodes,
      });
    }
    // Every workload of the new version waits for its migration: a failed one leaves the old version serving.
    if (migrationJob) {
      for (const deployment of this.node.findAll().filter((c): c is DeploymentV1 => c instanceof DeploymentV1)) deployment.dependsOn = [...(deployment.dependsOn ?? []), migrationJob.job.fqn];
    }
  }
}
