import { z } from 'zod';
import { problem, whenPresent } from '../diagnostics/problem';
import {
  ActionsSecretName, AddonVersion, CommandArgument, Email, EmailSender, AvailabilityZone, AwsAccountId, AwsRegion, DbInstanceClass, GitHubRepository, HttpsUrl, IamRoleName, ImageReference, ImageRepository,
  IngressCidr, InstanceType, isInternalHost, KubernetesVersion, Name, NO_CONTROL_CHARACTERS, RunnerLabel, S3BucketName, SecretName, SemVer,
  TENANT_ID_MAX_LENGTH, TenantId, VpcCidr,
} from './primitives';
import { CpuQuantity, MemoryQuantity, parseCpu, parseMemory } from './quantities';
import { ImageRegistry, imageRegistryProblem } from './image-registries';
import { TagKey } from './tags';
import { DEPLOYMENT_MODELS } from './tenant';

const StateLock = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('lockfile') }).meta({ description: 'S3-native lock file next to the state (use_lockfile).' }),
  z.strictObject({ type: z.literal('dynamodb'), table: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/) }).meta({ description: 'DynamoDB table lock, for backends that still use one.' }),
]);

const ControlPlane = z.strictObject({
  repository: GitHubRepository.meta({ description: 'The GitHub repository (OWNER/NAME) whose workflows may assume the planner and the deployer.' }),
  region: AwsRegion.meta({ description: 'Region of the control plane: state bucket, secrets, deployer.' }),
  endpoint: HttpsUrl.meta({ description: 'Address data-plane agents dial out to, on port 443.' }),
  state: z.strictObject({
    bucket: S3BucketName.meta({ description: 'Bucket holding every stack state, in the provider account.' }),
    keyPrefix: z.string().regex(/^[a-z0-9][a-z0-9/_-]{0,100}$/, { error: problem('is not a state key prefix', 'use lower-case letters, digits and /_-, such as tenancy') }),
    lock: StateLock.default({ type: 'lockfile' }),
  }),
  deployerRoleName: IamRoleName.meta({ description: 'Role in the provider account that applies and reaps (merges to main, after the production approval); every account\'s deployer role trusts exactly this principal.' }),
  plannerRoleName: IamRoleName.default('tenancy-planner').meta({ description: 'Role in the provider account that pull requests and the drift schedule plan as: read-only; every account\'s planner role trusts exactly this principal.' }),
  purgerRoleName: IamRoleName.default('tenancy-purger').meta({ description: "Role in the provider account that the reap workflow's purge job runs as, in the purge environment: the only principal whose sessions every account's deployer role lets delete data." }),
  externalIdSecretPrefix: z.string().regex(/^[A-Za-z0-9/_+=.@-]{1,200}\/$/, { error: problem('is not a secret name prefix ending in /', 'write a prefix such as tenancy/customers/') })
    .default('tenancy/customers/').meta({ description: 'Every externalIdSecret starts with this prefix: the planner and deployer may read those secrets and no other.' }),
  apiAccessCidrs: z.array(IngressCidr).min(1).optional().meta({ description: 'Networks allowed to reach cluster API endpoints over the internet (deployers, operators). Without it every cluster API endpoint is private: reachable from inside the VPCs only, where the runners must then be.' }),
  imageRegistries: z.array(ImageRegistry).min(1).optional().meta({ description: "Registries every image must come from: tenants' resources, releases' migrations, the agent, the database tools. Nodes may pull from the ECR registries listed here and EKS's own, and from no other ECR registry. Default: any registry outside ECR." }),
  agentImage: ImageRepository.meta({ description: 'Data-plane agent image of customer-account tenants; tagged with the release version.' }),
  databaseToolsImage: ImageReference.optional().meta({ description: "Image, with its tag or digest, of the job that gives each tenant database its application's IAM-authenticated user: it must hold sh, the AWS CLI v2, jq, psql and the mysql client. Required when a tenant has a database." }),
  runners: z.array(RunnerLabel).min(1).default(['ubuntu-latest']).meta({ description: "Runner labels (runs-on) of the workflow jobs that reach cluster APIs: workload stacks' plans and applies. GitHub-hosted runners have no fixed egress: list self-hosted runners inside the VPCs (private endpoints) or whose egress is in apiAccessCidrs." }),
});

const Account = z.strictObject({
  id: AwsAccountId,
  roleName: IamRoleName.meta({ description: 'Role in this account that the deployer assumes.' }),
  plannerRoleName: IamRoleName.default('tenancy-plan').meta({ description: 'Read-only role in this account that the planner assumes.' }),
});

const NodeGroupSize = z.strictObject({
  instanceType: InstanceType,
  min: z.int().min(1).max(100),
  max: z.int().min(1).max(450),
});

const Tier = z.strictObject({
  deployments: z.array(z.enum(DEPLOYMENT_MODELS)).min(1).meta({ description: 'Deployment models a tenant of this tier may use.' }),
  retentionDays: z.int().min(7).max(3650).meta({ description: 'Days data is kept after offboarding, unless the tenant overrides it.' }),
  kubernetesVersion: KubernetesVersion.meta({ description: 'Kubernetes version of dedicated clusters of this tier.' }),
  quota: z.strictObject({
    cpu: CpuQuantity,
    memory: MemoryQuantity,
    pods: z.int().min(1).max(10000),
  }).meta({ description: "The tenant namespace's ResourceQuota (requests and limits)." }),
  limits: z.strictObject({
    defaultCpu: CpuQuantity,
    defaultMemory: MemoryQuantity,
    maxCpu: CpuQuantity,
    maxMemory: MemoryQuantity,
  }).meta({ description: "The tenant namespace's LimitRange, per container." }),
  nodes: NodeGroupSize.meta({ description: 'Nodes of a dedicated cluster, or of the dedicated node group of a resource-shared tenant.' }),
  database: z.strictObject({
    instanceClass: DbInstanceClass,
    storageGb: z.int().min(20).max(65536),
    backupRetentionDays: z.int().min(1).max(35),
    multiAz: z.boolean().default(false),
  }),
});

/** Where a cell or pool runs: one account, shared only by tenants hosted in that same account. */
const PlacementHosting = z.discriminatedUnion('model', [
  z.strictObject({ model: z.literal('provider-account') }),
  z.strictObject({ model: z.literal('platform-account') }),
  z.strictObject({
    model: z.literal('customer-account'),
    accountId: AwsAccountId,
    roleName: IamRoleName.meta({ description: "Role in the customer's account that the deployer assumes; created by the bootstrap template." }),
    plannerRoleName: IamRoleName.default('TenancyPlanner').meta({ description: "Read-only role in the customer's account that the planner assumes; created by the bootstrap template." }),
    externalIdSecret: SecretName,
  }),
]);

const Capacity = z.strictObject({
  tenants: z.int().min(1).max(10000),
  cpu: CpuQuantity,
  memory: MemoryQuantity,
});

const SharedCluster = z.strictObject({
  hosting: PlacementHosting,
  region: AwsRegion,
  availabilityZones: z.array(AvailabilityZone).min(2).max(4),
  vpcCidr: VpcCidr,
  kubernetesVersion: KubernetesVersion,
  nodes: NodeGroupSize,
  capacity: Capacity.meta({ description: 'What the shared nodes can hold: tenants, and the sum of their CPU and memory requests.' }),
  ingressNamespace: Name.default('ingress-nginx').meta({ description: "Namespace of the cluster's ingress controller, allowed to reach tenant pods." }),
});

/** The placeholders a health check's templates may use, each replaced by the tenant's value. */
export const HEALTH_PLACEHOLDERS = ['tenant', 'channel', 'version'] as const;

/** The longest value each placeholder takes: a tenant id, a channel name, a version. */
const PLACEHOLDER_LENGTH: Readonly<Record<(typeof HEALTH_PLACEHOLDERS)[number], number>> = { tenant: TENANT_ID_MAX_LENGTH, channel: 40, version: 64 };
/** CloudWatch's limit on an alarm name. */
const ALARM_NAME_LIMIT = 255;

/** A template with its placeholders filled: each with `fill`, or with its longest value. */
function expand(template: string, fill?: (name: (typeof HEALTH_PLACEHOLDERS)[number]) => string): string {
  return template.replace(/\{(tenant|channel|version)\}/g, (_, name: (typeof HEALTH_PLACEHOLDERS)[number]) => (fill ? fill(name) : 'x'.repeat(PLACEHOLDER_LENGTH[name])));
}

const Template = z.string().min(1).max(500).superRefine((template, ctx) => {
  const unknown = [...template.matchAll(/\{([^}]*)\}/g)].map(([, name]) => name!).find((name) => !(HEALTH_PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown !== undefined) ctx.addIssue({ code: 'custom', message: problem(`{${unknown}} is not a placeholder`, `use ${HEALTH_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`) });
  if (!NO_CONTROL_CHARACTERS.test(template)) ctx.addIssue({ code: 'custom', message: problem('holds a control character such as a newline', 'write it on one line') });
});

const SAMPLE = { tenant: 'acme', channel: 'stable', version: '1.0.0' } as const;

const AlarmName = Template.refine((template) => expand(template).length <= ALARM_NAME_LIMIT, {
  error: problem(`can be longer than CloudWatch's ${ALARM_NAME_LIMIT} characters once filled`, `keep it under ${ALARM_NAME_LIMIT} characters with a ${PLACEHOLDER_LENGTH.tenant}-character {tenant}, a ${PLACEHOLDER_LENGTH.channel}-character {channel} and a ${PLACEHOLDER_LENGTH.version}-character {version}`),
});

export const HealthCheck = z.strictObject({
  url: Template.optional()
    .meta({ description: 'URL template that must answer 2xx for each tenant of the wave, such as https://{tenant}.example-saas.com/healthz: https on a public name unless private is true.' }),
  alarms: z.array(AlarmName).min(1).max(10).optional()
    .meta({ description: 'CloudWatch alarm name templates, such as {tenant}-5xx, that must be in state OK for each tenant of the wave.' }),
  timeoutSeconds: z.int().min(1).max(60).default(10).meta({ description: 'How long one health request may take.' }),
  private: z.boolean().default(false)
    .meta({ description: 'The URL is inside the runners\' network (a private load balancer, a service mesh): http and internal names are then allowed. Default: https on a public name only, since the runner that checks holds a cloud role.' }),
}).superRefine((check, ctx) => {
  if (check.url === undefined) {
    if (check.alarms === undefined) ctx.addIssue({ code: 'custom', path: [], message: problem('checks nothing', 'give a url, alarms, or both') });
    return;
  }
  const filled = expand(check.url, (name) => SAMPLE[name]);
  const url = URL.canParse(filled) ? new URL(filled) : undefined;
  if (!url || !/^https?:$/.test(url.protocol) || !url.hostname) {
    ctx.addIssue({ code: 'custom', path: ['url'], message: problem('is not an http(s) URL', 'write a URL such as https://{tenant}.example-saas.com/healthz') });
  } else if (!check.private && (url.protocol !== 'https:' || isInternalHost(url.hostname))) {
    ctx.addIssue({
      code: 'custom', path: ['url'],
      message: problem(isInternalHost(url.hostname) ? `is an address inside the network the runners run in (${url.hostname})` : 'is plain http, not https', 'give a public https address, or add private: true to this check if the endpoint is meant to be reached inside the runners\' network'),
    });
  }
}).meta({ description: "A check of each tenant of a wave after it is applied (and after the wave's bake time); a tenant that fails it counts as a failure of the wave." });

const Wave = z.strictObject({
  name: Name,
  tenants: z.array(TenantId).min(1).optional().meta({ description: 'Tenants in this wave, by id.' }),
  percent: z.int().min(1).max(100).optional().meta({ description: "Share of the channel's remaining tenants in this wave." }),
  maxFailures: z.int().min(0).default(0).meta({ description: 'Failures (apply or health) tolerated before the rollout halts.' }),
  bakeMinutes: z.int().min(0).max(300).default(0).meta({ description: 'Minutes to wait after the wave is applied, before its health check and the next wave: at most 300, so the gate job that waits fits in GitHub\'s 6 hours.' }),
  health: HealthCheck.optional().meta({ description: "Health check after this wave. Default: the channel's." }),
});

const Channel = z.strictObject({
  version: SemVer,
  waves: z.array(Wave).min(1).meta({ description: 'Rollout order. The last wave names neither tenants nor percent and takes the rest.' }),
  paused: z.boolean().default(false).meta({ description: "Stops the channel's rollout at the next wave boundary; set back to false to resume it." }),
  maxConcurrent: z.int().min(1).max(1000).optional().meta({ description: "Most tenants of this channel applied at once. Default: the apply's --concurrency." }),
  health: HealthCheck.optional().meta({ description: 'Health check after each wave of this channel.' }),
});

/** Add-ons every cluster runs, by EKS add-on name. */
export const CLUSTER_ADDONS = ['eks-pod-identity-agent', 'vpc-cni'] as const;

const KubernetesRelease = z.strictObject({
  addons: z.strictObject({
    'eks-pod-identity-agent': AddonVersion.meta({ description: 'EKS Pod Identity agent: how workloads get their IAM role.' }),
    'vpc-cni': AddonVersion.meta({ description: 'Amazon VPC CNI: pod networking, NetworkPolicy enforcement and security groups for pods (1.15 or later).' }),
  }).meta({ description: 'Pinned version of each EKS add-on every cluster of this Kubernetes version runs.' }),
});

const Migration = z.strictObject({
  image: ImageRepository.meta({ description: "Repository of the image the migration runs from, without tag: the tag is the release's version." }),
  command: z.array(CommandArgument).min(1).max(50).meta({ description: 'Command that brings a tenant database of any earlier version to this release\'s schema, such as ["/app/migrate", "up"]: a tenant may skip releases.' }),
  timeoutMinutes: z.int().min(1).max(120).default(30).meta({ description: 'How long the migration may run before the tenant\'s apply fails.' }),
  cpu: CpuQuantity.default('250m').meta({ description: 'CPU of the migration container, within every tier\'s limits.maxCpu.' }),
  memory: MemoryQuantity.default('512Mi').meta({ description: 'Memory of the migration container, within every tier\'s limits.maxMemory.' }),
}).meta({ description: "A command run once per tenant as it reaches this release, before its workloads change: a Kubernetes Job in the tenant's namespace, as the tenant's service account, with its database settings." });

const ImageDigest = z.string().regex(/^sha256:[a-f0-9]{64}$/, { error: problem('is not an image digest', 'write sha256: and the 64 hexadecimal digits the registry gives the image') });

const Release = z.strictObject({
  migration: Migration.optional(),
  images: z.record(ImageRepository, ImageDigest).default({}).meta({ description: "Digests of this release's images, by repository: a workload or migration whose image is listed runs repository:version@digest, the very image that was tested, whatever the tag is moved to." }),
  notes: HttpsUrl.optional().meta({ description: 'Release notes, linked from the upgrade notices.' }),
});

const Delivery = z.strictObject({
  email: z.strictObject({
    host: z.string().regex(/^[A-Za-z0-9.-]{1,253}$/, { error: problem('is not a host name', 'write the SMTP server\'s name, such as smtp.example-saas.com') }),
    port: z.int().min(1).max(65535).default(587),
    tls: z.enum(['starttls', 'implicit']).default('starttls').meta({ description: 'starttls: upgrade the connection and refuse a server that cannot (port 587); implicit: TLS from the first byte (port 465).' }),
    from: EmailSender.meta({ description: 'Sender, such as "Example SaaS <noreply@example-saas.com>".' }),
    credentialsSecret: ActionsSecretName.optional().meta({ description: 'GitHub Actions secret holding the SMTP login as user:password. Default: no login.' }),
  }).meta({ description: 'The SMTP server emails are sent through.' }),
  webhookSecret: ActionsSecretName.optional().meta({ description: "GitHub Actions secret holding the key of the webhooks' HMAC-SHA256 signature. Required when a tenant has contact.webhook." }),
  operators: z.array(Email).min(1).max(20).meta({ description: 'Who hears of failed upgrades: never the customer.' }),
});

const LegalHold = z.strictObject({
  tenant: TenantId,
  reason: z.string().min(1).max(200).regex(NO_CONTROL_CHARACTERS, { error: problem('holds a control character such as a newline', 'write the reason on one line') }),
  since: z.iso.date({ error: whenPresent('is not a date', 'write YYYY-MM-DD, quoted') }).optional(),
});

export const PlatformFields = z.strictObject({
  controlPlane: ControlPlane.meta({ description: 'Region, state bucket, deployer role and endpoint of the control plane.' }),
  accounts: z.strictObject({ provider: Account, platform: Account }).meta({ description: 'The provider and platform accounts, each {id, roleName}.' }),
  regions: z.record(AwsRegion, z.strictObject({ availabilityZones: z.array(AvailabilityZone).min(2).max(4) }))
    .meta({ description: 'Availability zones of each region dedicated tenants may use.' }),
  tiers: z.record(Name, Tier).meta({ description: 'Tiers by name, each with the deployment models it allows, quotas, sizes and retention.' }),
  cells: z.record(Name, SharedCluster).default({}).meta({ description: 'Multi-tenant clusters by name.' }),
  pools: z.record(Name, SharedCluster).default({}).meta({ description: 'Shared pools of resource-shared tenants by name.' }),
  channels: z.record(Name, Channel).meta({ description: 'Release channels by name, each with a version and its rollout waves.' }),
  kubernetes: z.record(KubernetesVersion, KubernetesRelease).meta({ description: 'Per Kubernetes version used by a tier, cell or pool: the pinned EKS add-on versions its clusters run.' }),
  legalHolds: z.array(LegalHold).default([]).meta({ description: 'Tenants whose data may not be purged.' }),
  releases: z.record(SemVer, Release).default({}).meta({ description: 'Per application version: its migration and release notes. A version without an entry needs no migration.' }),
  notifications: Delivery.optional().meta({ description: 'How customers hear of onboarding, upgrades and offboarding (templates in notifications/), and operators of failed upgrades. Default: nobody is notified.' }),
  tagKeys: z.array(TagKey).default([]).meta({ description: 'Keys tenant files may use under "tags". The deploy roles may write these tag keys and tenancy\'s own, no other; a new key needs the account stacks applied again and customers\' bootstraps updated.' }),
});

type PlatformShape = z.infer<typeof PlatformFields>;

/**
 * Whether nodes of this instance type can give pods their own security groups (a trunk network
 * interface): Nitro types of the fifth generation on, never the burstable `t` family (AWS's list:
 * amazon-vpc-resource-controller-k8s, pkg/aws/vpc/limits.go).
 */
export function supportsPodSecurityGroups(instanceType: string): boolean {
  const family = instanceType.split('.')[0]!;
  const generation = /^[a-z]+?(\d+)/.exec(family)?.[1];
  return !family.startsWith('t') && generation !== undefined && Number(generation) >= 5;
}

const POD_SECURITY_GROUPS_FIX = 'use a Nitro type of the fifth generation or later outside the t family, such as m6i.large: tenant pods get their own security groups, which need trunk interfaces';

function checkPlatform(platform: PlatformShape, ctx: z.RefinementCtx): void {
  for (const [name, tier] of Object.entries(platform.tiers)) {
    if (tier.nodes.min > tier.nodes.max) {
      ctx.addIssue({ code: 'custom', path: ['tiers', name, 'nodes', 'min'], message: problem(`min ${tier.nodes.min} is above max ${tier.nodes.max}`, 'make min at most max') });
    }
    const runsNodes = tier.deployments.some((d) => d !== 'multi-tenant');
    if (runsNodes && !supportsPodSecurityGroups(tier.nodes.instanceType)) {
      ctx.addIssue({ code: 'custom', path: ['tiers', name, 'nodes', 'instanceType'], message: problem(`${tier.nodes.instanceType} cannot give pods security groups of their own`, POD_SECURITY_GROUPS_FIX) });
    }
  }
  for (const kind of ['cells', 'pools'] as const) {
    for (const [name, cluster] of Object.entries(platform[kind])) {
      cluster.availabilityZones.forEach((zone, index) => {
        if (!zone.startsWith(cluster.region) || zone.length !== cluster.region.length + 1) {
          ctx.addIssue({ code: 'custom', path: [kind, name, 'availabilityZones', index], message: problem(`zone ${zone} is not in region ${cluster.region}`, `use zones of ${cluster.region}, such as ${cluster.region}a`) });
        }
      });
      if (cluster.nodes.min > cluster.nodes.max) {
        ctx.addIssue({ code: 'custom', path: [kind, name, 'nodes', 'min'], message: problem(`min ${cluster.nodes.min} is above max ${cluster.nodes.max}`, 'make min at most max') });
      }
      if (!supportsPodSecurityGroups(cluster.nodes.instanceType)) {
        ctx.addIssue({ code: 'custom', path: [kind, name, 'nodes', 'instanceType'], message: problem(`${cluster.nodes.instanceType} cannot give pods security groups of their own`, POD_SECURITY_GROUPS_FIX) });
      }
      const { hosting } = cluster;
      if (hosting.model === 'customer-account' && [platform.accounts.provider.id, platform.accounts.platform.id].includes(hosting.accountId)) {
        ctx.addIssue({ code: 'custom', path: [kind, name, 'hosting', 'accountId'], message: problem(`account ${hosting.accountId} is the provider's or the platform's own`, 'use model provider-account or platform-account for it, or the customer\'s own account id') });
      }
      if (hosting.model === 'customer-account' && !hosting.externalIdSecret.startsWith(platform.controlPlane.externalIdSecretPrefix)) {
        ctx.addIssue({ code: 'custom', path: [kind, name, 'hosting', 'externalIdSecret'], message: problem(`secret ${hosting.externalIdSecret} is not under controlPlane.externalIdSecretPrefix ${platform.controlPlane.externalIdSecretPrefix}`, `name it ${platform.controlPlane.externalIdSecretPrefix}<customer>/external-id: the planner and deployer may read no other secret`) });
      }
    }
  }
  for (const [name, account] of Object.entries(platform.accounts)) {
    if (account.plannerRoleName === account.roleName) {
      ctx.addIssue({ code: 'custom', path: ['accounts', name, 'plannerRoleName'], message: problem(`the planner's role is the deployer's role ${account.roleName}`, 'give the read-only planner a role of its own, such as tenancy-plan') });
    }
  }
  for (const [region, { availabilityZones }] of Object.entries(platform.regions)) {
    availabilityZones.forEach((zone, index) => {
      if (!zone.startsWith(region) || zone.length !== region.length + 1) {
        ctx.addIssue({ code: 'custom', path: ['regions', region, 'availabilityZones', index], message: problem(`zone ${zone} is not in region ${region}`, `use zones of ${region}, such as ${region}a`) });
      }
    });
  }
  checkKubernetesReleases(platform, ctx);
  if (platform.accounts.provider.id === platform.accounts.platform.id) {
    ctx.addIssue({ code: 'custom', path: ['accounts', 'platform', 'id'], message: problem('the platform account is the provider account', 'host platform-account tenants in an account of their own, so their cost can be billed') });
  }
  for (const [name, channel] of Object.entries(platform.channels)) checkWaves(name, channel, ctx);
  checkMigrations(platform, ctx);
  checkPlatformImages(platform, ctx);
  checkApiEndpoints(platform, ctx);
}

/** Labels of GitHub's own runners, which have no fixed address: they reach an API endpoint only over the internet. */
const GITHUB_HOSTED = /^(ubuntu|windows|macos)-/;

/** Private endpoints need runners inside the VPCs: a GitHub-hosted runner could never reach one. */
function checkApiEndpoints(platform: PlatformShape, ctx: z.RefinementCtx): void {
  if (platform.controlPlane.apiAccessCidrs) return;
  platform.controlPlane.runners.forEach((label, index) => {
    if (GITHUB_HOSTED.test(label)) {
      ctx.addIssue({ code: 'custom', path: ['controlPlane', 'runners', index], message: problem(`${label} is a GitHub-hosted runner, which cannot reach private cluster API endpoints`, 'list self-hosted runners inside the VPCs, or list controlPlane.apiAccessCidrs to open the endpoints to those networks') });
    }
  });
}

/** The images platform.yaml names come from its registries (tenants' images are checked with the fleet). */
function checkPlatformImages(platform: PlatformShape, ctx: z.RefinementCtx): void {
  const registries = platform.controlPlane.imageRegistries;
  const images: { path: (string | number)[]; image: string }[] = [
    { path: ['controlPlane', 'agentImage'], image: platform.controlPlane.agentImage },
    ...(platform.controlPlane.databaseToolsImage ? [{ path: ['controlPlane', 'databaseToolsImage'], image: platform.controlPlane.databaseToolsImage }] : []),
    ...Object.entries(platform.releases).flatMap(([version, release]) => [
      ...(release.migration ? [{ path: ['releases', version, 'migration', 'image'], image: release.migration.image }] : []),
      ...Object.keys(release.images).map((repository) => ({ path: ['releases', version, 'images', repository], image: repository })),
    ]),
  ];
  for (const { path, image } of images) {
    const found = imageRegistryProblem(image, registries);
    if (found) ctx.addIssue({ code: 'custom', path, message: problem(found.message, found.hint) });
  }
}

/** A migration's pod must fit every tier's LimitRange, since any tenant may reach its release. */
function checkMigrations(platform: PlatformShape, ctx: z.RefinementCtx): void {
  for (const [version, { migration }] of Object.entries(platform.releases)) {
    if (!migration) continue;
    for (const [tierName, tier] of Object.entries(platform.tiers)) {
      if (parseCpu(migration.cpu)! > parseCpu(tier.limits.maxCpu)!) {
        ctx.addIssue({ code: 'custom', path: ['releases', version, 'migration', 'cpu'], message: problem(`${migration.cpu} is above tier ${tierName}'s limits.maxCpu ${tier.limits.maxCpu}`, `ask for at most ${tier.limits.maxCpu}: the migration runs in every tier's namespaces`) });
      }
      if (parseMemory(migration.memory)! > parseMemory(tier.limits.maxMemory)!) {
        ctx.addIssue({ code: 'custom', path: ['releases', version, 'migration', 'memory'], message: problem(`${migration.memory} is above tier ${tierName}'s limits.maxMemory ${tier.limits.maxMemory}`, `ask for at most ${tier.limits.maxMemory}: the migration runs in every tier's namespaces`) });
      }
    }
  }
}

/** Every Kubernetes version a cluster runs needs its pinned add-ons. */
function checkKubernetesReleases(platform: PlatformShape, ctx: z.RefinementCtx): void {
  const known = Object.keys(platform.kubernetes);
  const users: [string, (string | number)[]][] = [
    ...Object.entries(platform.tiers).map(([name, tier]) => [tier.kubernetesVersion, ['tiers', name, 'kubernetesVersion']] as [string, (string | number)[]]),
    ...(['cells', 'pools'] as const).flatMap((kind) => Object.entries(platform[kind]).map(([name, c]) => [c.kubernetesVersion, [kind, name, 'kubernetesVersion']] as [string, (string | number)[]])),
  ];
  for (const [version, path] of users) {
    if (!platform.kubernetes[version]) {
      ctx.addIssue({ code: 'custom', path, message: problem(`Kubernetes ${version} has no entry under "kubernetes" with its add-on versions`, `add kubernetes."${version}".addons to platform.yaml${known.length ? `, or use one of: ${known.join(', ')}` : ''}`) });
    }
  }
}

function checkWaves(channelName: string, channel: PlatformShape['channels'][string], ctx: z.RefinementCtx): void {
  const names = new Set<string>();
  const listed = new Map<string, string>();
  channel.waves.forEach((wave, index) => {
    const path = ['channels', channelName, 'waves', index];
    if (names.has(wave.name)) {
      ctx.addIssue({ code: 'custom', path: [...path, 'name'], message: problem(`wave name '${wave.name}' is used twice`, 'give each wave its own name') });
    }
    names.add(wave.name);
    if (wave.tenants && wave.percent !== undefined) {
      ctx.addIssue({ code: 'custom', path: [...path, 'percent'], message: problem(`wave '${wave.name}' names both tenants and a percent`, 'keep one of them') });
    }
    const isRest = !wave.tenants && wave.percent === undefined;
    const isLast = index === channel.waves.length - 1;
    if (isRest && !isLast) {
      ctx.addIssue({ code: 'custom', path, message: problem(`wave '${wave.name}' takes the rest of the tenants but is not the last wave`, 'give it tenants or a percent, or move it last') });
    }
    if (!isRest && isLast) {
      ctx.addIssue({ code: 'custom', path, message: problem(`the last wave '${wave.name}' does not take the remaining tenants`, 'remove its tenants and percent, or add a final wave without them, so every tenant is upgraded') });
    }
    (wave.tenants ?? []).forEach((tenant, t) => {
      const other = listed.get(tenant);
      if (other) {
        const where = other === wave.name ? `listed twice in wave '${other}'` : `already in wave '${other}'`;
        ctx.addIssue({ code: 'custom', path: [...path, 'tenants', t], message: problem(`tenant '${tenant}' is ${where}`, 'list each tenant once, in one wave') });
      }
      listed.set(tenant, wave.name);
    });
  });
}

export const Platform = PlatformFields.superRefine(checkPlatform);
export type Platform = z.infer<typeof Platform>;
export type Tier = Platform['tiers'][string];
export type SharedCluster = Platform['cells'][string];
export type PlacementHosting = SharedCluster['hosting'];
export type Channel = Platform['channels'][string];
export type Wave = Channel['waves'][number];
export type HealthCheck = z.infer<typeof HealthCheck>;
export type KubernetesRelease = Platform['kubernetes'][string];
export type Release = Platform['releases'][string];
export type Migration = NonNullable<Release['migration']>;
export type NotificationDelivery = NonNullable<Platform['notifications']>;
export type ClusterAddon = (typeof CLUSTER_ADDONS)[number];
