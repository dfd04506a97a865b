import { z } from 'zod';
import { problem, whenPresent } from '../diagnostics/problem';
import {
  AwsAccountId, AwsRegion, CommandArgument, DbInstanceClass, Email, IamRoleName, ImageRepository, Name, SecretName, SemVer, TenantId,
  NO_CONTROL_CHARACTERS, TimeOfDay, VpcCidr, WebhookUrl, Weekday,
} from './primitives';
import { CpuQuantity, MemoryQuantity } from './quantities';
import { Tags } from './tags';

export const HOSTING_MODELS = ['provider-account', 'customer-account', 'platform-account'] as const;
export const DEPLOYMENT_MODELS = ['dedicated', 'resource-shared', 'multi-tenant'] as const;
export type HostingModel = (typeof HOSTING_MODELS)[number];
export type DeploymentModel = (typeof DEPLOYMENT_MODELS)[number];

const ProviderAccountHosting = z.strictObject({
  model: z.literal('provider-account'),
  region: AwsRegion.optional().meta({ description: 'Region of a dedicated tenant. Default: the control plane region.' }),
}).meta({ description: "The SaaS provider's own account: fully managed." });

const CustomerAccountHosting = z.strictObject({
  model: z.literal('customer-account'),
  accountId: AwsAccountId.meta({ description: "The customer's AWS account id." }),
  region: AwsRegion,
  roleName: IamRoleName.meta({ description: "Role in the customer's account that the deployer assumes; created by the bootstrap template." }),
  plannerRoleName: IamRoleName.default('TenancyPlanner').meta({ description: "Read-only role in the customer's account that the planner assumes; created by the bootstrap template." }),
  externalIdSecret: SecretName.meta({ description: 'Name of the control-plane secret that holds the external id for the role. Never the value.' }),
}).meta({ description: "Bring your own account: the customer's account, data never leaves it." });

const PlatformAccountHosting = z.strictObject({
  model: z.literal('platform-account'),
  region: AwsRegion.optional().meta({ description: 'Region of a dedicated tenant. Default: the control plane region.' }),
  billingReference: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/, { error: problem('is not a billing reference', 'use up to 64 letters, digits and ._:/-, such as INV-2041') })
    .meta({ description: 'Reference the infrastructure charge is billed to; written on every resource as a cost allocation tag.' }),
}).meta({ description: "The platform operator's hosted account, for customers without a cloud account." });

export const Hosting = z.discriminatedUnion('model', [ProviderAccountHosting, CustomerAccountHosting, PlatformAccountHosting])
  .meta({ description: 'Where the tenant runs.' });

const Dedicated = z.strictObject({
  model: z.literal('dedicated'),
  vpcCidr: VpcCidr.default('10.0.0.0/16'),
}).meta({ description: 'A dedicated stack: own network, cluster, keys and data stores.' });

const ResourceShared = z.strictObject({
  model: z.literal('resource-shared'),
  pool: Name.meta({ description: 'Pool in platform.yaml whose shared nodes run the non-critical resources.' }),
}).meta({ description: 'Critical resources on dedicated nodes; non-critical ones packed into one workload on a shared pool.' });

const MultiTenant = z.strictObject({
  model: z.literal('multi-tenant'),
  cell: Name.meta({ description: 'Cell in platform.yaml that holds the tenant.' }),
}).meta({ description: 'An isolated slice of a shared cell.' });

export const Deployment = z.discriminatedUnion('model', [Dedicated, ResourceShared, MultiTenant])
  .meta({ description: "How the tenant's resources are placed." });

export const Resource = z.strictObject({
  name: Name.meta({ description: 'Name of the resource, unique in the tenant.' }),
  image: ImageRepository,
  command: z.array(CommandArgument).min(1).max(50).optional().meta({ description: 'Command and arguments. Required for non-critical resources of a resource-shared tenant.' }),
  critical: z.boolean().optional().meta({ description: 'Whether the resource needs dedicated capacity. Required for resource-shared tenants.' }),
  cpu: CpuQuantity,
  memory: MemoryQuantity,
  replicas: z.int().min(1).max(100).default(1),
  port: z.int({ error: whenPresent('must be a whole number', 'write a port such as 8080') })
    .min(1024, { error: problem('is below 1024', 'use 1024 or above: workloads run as non-root under the restricted Pod Security profile') })
    .max(65535).optional()
    .meta({ description: 'Container port the resource serves on, 1024 or above.' }),
});

/** Engine versions, by parameter group family, that databases may run: those RDS supports and tenancy's parameters are written for. */
export const DATABASE_FAMILIES = {
  postgres: ['13', '14', '15', '16', '17'],
  mysql: ['8.0', '8.4'],
} as const satisfies Record<string, readonly string[]>;

/** The part of an engine version that names its parameter group family: the major version (postgres), major.minor (mysql). */
export function databaseFamily(engine: keyof typeof DATABASE_FAMILIES, version: string): string {
  return engine === 'postgres' ? version.split('.')[0]! : version.split('.').slice(0, 2).join('.');
}

export const Database = z.strictObject({
  engine: z.enum(['postgres', 'mysql']),
  engineVersion: z.string().regex(/^\d+(\.\d+){0,2}$/, { error: problem('is not an engine version', 'write a version such as "16" or "8.0"') }).optional()
    .meta({ description: 'Engine version: PostgreSQL 13 to 17, MySQL 8.0 or 8.4. Default: 16 for postgres, 8.0 for mysql.' }),
  instanceClass: DbInstanceClass.optional().meta({ description: "Default: the tier's database instance class." }),
  storageGb: z.int().min(20).max(65536).optional().meta({ description: "Allocated storage. Default: the tier's." }),
}).superRefine((database, ctx) => {
  if (database.engineVersion === undefined) return;
  const family = databaseFamily(database.engine, database.engineVersion);
  if (!(DATABASE_FAMILIES[database.engine] as readonly string[]).includes(family)) {
    ctx.addIssue({
      code: 'custom', path: ['engineVersion'],
      message: problem(`${database.engine} ${database.engineVersion} is not a supported version`, `use a version of ${DATABASE_FAMILIES[database.engine].join(', ')}`),
    });
  }
});

export const Data = z.strictObject({
  retentionDays: z.int().min(7).max(3650).optional()
    .meta({ description: "Days the data is kept after offboarding. Overrides the tier's retention." }),
  bucket: z.boolean().default(true).meta({ description: 'Whether the tenant gets a data bucket.' }),
  database: Database.optional(),
});

export const MaintenanceWindow = z.strictObject({
  days: z.array(Weekday).min(1).max(7),
  start: TimeOfDay,
  hours: z.int().min(1).max(24),
}).meta({ description: 'When fleet-wide upgrades may touch the tenant, in UTC.' });

export const Contact = z.strictObject({
  email: Email,
  name: z.string().min(1).max(100).regex(NO_CONTROL_CHARACTERS, { error: problem('holds a control character such as a newline', 'write the name on one line') }).optional(),
  webhook: WebhookUrl.optional(),
}).meta({ description: 'Who to reach about the tenant, such as {email: ops@example.com}: notifications go to the email, and to the webhook when there is one.' });

export const TenantFields = z.strictObject({
  id: TenantId,
  displayName: z.string().min(1).max(100).regex(NO_CONTROL_CHARACTERS, { error: problem('holds a control character such as a newline', 'write the name on one line') }).meta({ description: 'The name people see, such as "Acme Corporation".' }),
  tier: Name.meta({ description: 'Tier in platform.yaml.' }),
  channel: Name.optional().meta({ description: 'Release channel in platform.yaml. Exactly one of channel and version.' }),
  version: SemVer.optional().meta({ description: 'Pinned application version; channel upgrades skip the tenant. Exactly one of channel and version.' }),
  hosting: Hosting,
  deployment: Deployment,
  upgrade: z.enum(['auto', 'manual']).default('auto')
    .meta({ description: 'auto: fleet-wide changes (a channel bump, a platform change) reach the tenant in its wave; manual: never in a wave, its stacks change only when its own file does.' }),
  maintenanceWindow: MaintenanceWindow.optional(),
  contact: Contact,
  tags: Tags.optional(),
  resources: z.array(Resource).min(1).max(50).meta({ description: 'The workloads the tenant runs, each with name, image, cpu and memory.' }),
  data: Data.default({ bucket: true }),
});

type TenantShape = z.infer<typeof TenantFields>;

function checkTenant(tenant: TenantShape, ctx: z.RefinementCtx): void {
  if (tenant.channel === undefined && tenant.version === undefined) {
    ctx.addIssue({ code: 'custom', path: [], message: problem('the tenant has neither a channel nor a version', 'add "channel: <name>" to follow a release channel, or "version: x.y.z" to pin one') });
  }
  if (tenant.channel !== undefined && tenant.version !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['version'], message: problem('the tenant has both a channel and a pinned version', 'keep one: remove "version" to follow the channel, or "channel" to pin') });
  }
  const seen = new Set<string>();
  tenant.resources.forEach((resource, index) => {
    if (seen.has(resource.name)) {
      ctx.addIssue({ code: 'custom', path: ['resources', index, 'name'], message: problem(`resource name '${resource.name}' is used twice`, 'give each resource its own name') });
    }
    seen.add(resource.name);
  });
  if (tenant.deployment.model === 'resource-shared') checkPacking(tenant, ctx);
}

/** Non-critical resources of a resource-shared tenant run as processes of one container. */
function checkPacking(tenant: TenantShape, ctx: z.RefinementCtx): void {
  const ports = new Map<number, string>();
  let sharedImage: string | undefined;
  tenant.resources.forEach((resource, index) => {
    if (resource.critical === undefined) {
      ctx.addIssue({ code: 'custom', path: ['resources', index, 'critical'], message: problem(`resource '${resource.name}' is not marked critical or not`, 'add "critical: true" (dedicated nodes) or "critical: false" (packed on the shared pool)') });
      return;
    }
    if (resource.critical) return;
    if (!resource.command) {
      ctx.addIssue({ code: 'custom', path: ['resources', index, 'command'], message: problem(`non-critical resource '${resource.name}' has no command`, 'add the command supervisord runs for it, such as ["/app/worker", "--queue", "default"]') });
    }
    sharedImage ??= resource.image;
    if (resource.image !== sharedImage) {
      ctx.addIssue({ code: 'custom', path: ['resources', index, 'image'], message: problem(`non-critical resource '${resource.name}' uses image ${resource.image}, not ${sharedImage}`, 'packed resources run as processes of one container: give them the same image, or mark this one critical') });
    }
    if (resource.port !== undefined) {
      const other = ports.get(resource.port);
      if (other) {
        ctx.addIssue({ code: 'custom', path: ['resources', index, 'port'], message: problem(`port ${resource.port} is also used by packed resource '${other}'`, 'packed resources share one network namespace: give each its own port') });
      }
      ports.set(resource.port, resource.name);
    }
  });
}

export const Tenant = TenantFields.superRefine(checkTenant);
export type Tenant = z.infer<typeof Tenant>;
export type TenantResource = z.infer<typeof Resource>;
export type TenantHosting = z.infer<typeof Hosting>;
export type TenantDeployment = z.infer<typeof Deployment>;
export type TenantData = z.infer<typeof Data>;
export type TenantDatabase = z.infer<typeof Database>;
