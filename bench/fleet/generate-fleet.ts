import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const HOSTINGS = ['provider-account', 'customer-account', 'platform-account'] as const;
const DEPLOYMENTS = ['dedicated', 'resource-shared', 'multi-tenant'] as const;
/** Tenants per shared cell or pool; capacity leaves room so a one-tenant change never trips it. */
const PER_CLUSTER = 50;
/** Customer-account tenants per customer account (business units of one customer). */
const PER_CUSTOMER = 9;

export interface FleetOptions {
  /** Number of tenants. */
  readonly tenants: number;
  /** Seed of the deterministic generator. @default 1 */
  readonly seed?: number;
}

/** Small deterministic generator (mulberry32), so a seed always gives the same fleet. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedTenant {
  readonly id: string;
  readonly hosting: (typeof HOSTINGS)[number];
  readonly deployment: (typeof DEPLOYMENTS)[number];
  readonly channel: string;
  readonly text: string;
}

export interface GeneratedFleet {
  readonly platform: string;
  readonly tenants: GeneratedTenant[];
}

export function tenantId(index: number): string {
  return `t${String(index).padStart(6, '0')}`;
}

function customerAccount(customer: number): string {
  return String(900000000000 + customer);
}

/** A fleet spread evenly over the nine combinations, with the cells and pools its capacity needs. */
export function generateFleet(options: FleetOptions): GeneratedFleet {
  const next = random(options.seed ?? 1);
  const clusters: string[] = [];
  const counters = new Map<string, number>();
  const placements = new Map<string, string>();
  const tenants: GeneratedTenant[] = [];

  const clusterFor = (kind: 'cells' | 'pools', key: string, hosting: string): string => {
    const count = counters.get(`${kind}/${key}`) ?? 0;
    counters.set(`${kind}/${key}`, count + 1);
    const name = `${key}-${kind === 'cells' ? 'c' : 'p'}${Math.floor(count / PER_CLUSTER)}`;
    if (!placements.has(`${kind}/${name}`)) {
      placements.set(`${kind}/${name}`, kind);
      clusters.push(`${kind}\u0000${name}:\n    hosting: ${hosting}\n    region: us-east-1\n    availabilityZones: [us-east-1a, us-east-1b, us-east-1c]\n    vpcCidr: 10.64.0.0/16\n    kubernetesVersion: "1.31"\n    nodes: { instanceType: m6i.2xlarge, min: 3, max: 20 }\n    capacity: { tenants: ${PER_CLUSTER + 10}, cpu: 400, memory: 1600Gi }\n`);
    }
    return name;
  };

  for (let i = 0; i < options.tenants; i++) {
    const id = tenantId(i);
    const hosting = HOSTINGS[Math.floor((i % 9) / 3)]!;
    const deployment = DEPLOYMENTS[i % 3]!;
    const customer = Math.floor(i / (9 * PER_CUSTOMER));
    const account = customerAccount(customer);
    const hostingYaml = hosting === 'customer-account'
      ? `  model: customer-account\n  accountId: "${account}"\n  region: us-east-1\n  roleName: TenancyDeployer\n  externalIdSecret: tenancy/customers/c${customer}/external-id\n`
      : hosting === 'platform-account' ? `  model: platform-account\n  billingReference: INV-${10000 + i}\n` : '  model: provider-account\n';
    const placementHosting = hosting === 'customer-account'
      ? `{ model: customer-account, accountId: "${account}", roleName: TenancyDeployer, externalIdSecret: tenancy/customers/c${customer}/external-id }`
      : `{ model: ${hosting} }`;
    const clusterKey = hosting === 'customer-account' ? `cust${customer}` : hosting === 'platform-account' ? 'hosted' : 'shared';
    const channel = next() < 0.7 ? 'stable' : 'fast';
    const replicas = 1 + Math.floor(next() * 3);
    let deploymentYaml: string;
    let resources: string;
    if (deployment === 'dedicated') {
      deploymentYaml = '  model: dedicated\n';
      resources = `  - name: api\n    image: ghcr.io/example-saas/api\n    cpu: "1"\n    memory: 2Gi\n    replicas: ${replicas}\n    port: 8080\n`;
    } else if (deployment === 'resource-shared') {
      deploymentYaml = `  model: resource-shared\n  pool: ${clusterFor('pools', clusterKey, placementHosting)}\n`;
      resources = `  - name: api\n    image: ghcr.io/example-saas/api\n    critical: true\n    cpu: 500m\n    memory: 1Gi\n    replicas: ${replicas}\n    port: 8080\n  - name: scheduler\n    image: ghcr.io/example-saas/runtime\n    command: ["/app/scheduler"]\n    critical: false\n    cpu: 100m\n    memory: 128Mi\n  - name: mailer\n    image: ghcr.io/example-saas/runtime\n    command: ["/app/mailer", "--port", "9025"]\n    critical: false\n    cpu: 100m\n    memory: 128Mi\n    port: 9025\n`;
    } else {
      deploymentYaml = `  model: multi-tenant\n  cell: ${clusterFor('cells', clusterKey, placementHosting)}\n`;
      resources = `  - name: api\n    image: ghcr.io/example-saas/api\n    cpu: 250m\n    memory: 512Mi\n    replicas: ${replicas}\n    port: 8080\n`;
    }
    const tier = deployment === 'dedicated' ? 'premium' : 'standard';
    const database = next() < 0.5 ? 'data:\n  database:\n    engine: postgres\n' : '';
    const text = `# yaml-language-server: $schema=../schema/tenant.schema.json\nid: ${id}\ndisplayName: Tenant ${i}\ntier: ${tier}\nchannel: ${channel}\nhosting:\n${hostingYaml}deployment:\n${deploymentYaml}contact:\n  email: ops-${i}@tenants.example\nresources:\n${resources}${database}`;
    tenants.push({ id, hosting, deployment, channel, text });
  }

  const section = (kind: string) => clusters.filter((c) => c.startsWith(`${kind}\u0000`)).map((c) => `  ${c.slice(kind.length + 1)}`).join('');
  const platform = `# yaml-language-server: $schema=./schema/platform.schema.json
controlPlane:
  repository: example-saas/tenants
  region: us-east-1
  endpoint: https://control.example-saas.com
  state: { bucket: example-saas-tenancy-state, keyPrefix: tenancy }
  deployerRoleName: tenancy-deployer
  apiAccessCidrs: [203.0.113.0/24]
  agentImage: ghcr.io/example-saas/agent
  databaseToolsImage: ghcr.io/example-saas/database-tools:1.0.0
accounts:
  provider: { id: "111122223333", roleName: tenancy-deploy }
  platform: { id: "444455556666", roleName: tenancy-deploy }
regions:
  us-east-1: { availabilityZones: [us-east-1a, us-east-1b, us-east-1c] }
tiers:
  standard:
    deployments: [multi-tenant, resource-shared]
    retentionDays: 90
    kubernetesVersion: "1.31"
    quota: { cpu: 16, memory: 32Gi, pods: 60 }
    limits: { defaultCpu: 250m, defaultMemory: 512Mi, maxCpu: 4, maxMemory: 8Gi }
    nodes: { instanceType: m6i.large, min: 2, max: 4 }
    database: { instanceClass: db.t4g.medium, storageGb: 50, backupRetentionDays: 14 }
  premium:
    deployments: [dedicated, resource-shared, multi-tenant]
    retentionDays: 365
    kubernetesVersion: "1.31"
    quota: { cpu: 64, memory: 128Gi, pods: 200 }
    limits: { defaultCpu: 500m, defaultMemory: 1Gi, maxCpu: 8, maxMemory: 16Gi }
    nodes: { instanceType: m6i.xlarge, min: 3, max: 10 }
    database: { instanceClass: db.r6g.large, storageGb: 200, backupRetentionDays: 35 }
kubernetes:
  "1.31": { addons: { eks-pod-identity-agent: v1.3.4-eksbuild.1, vpc-cni: v1.19.2-eksbuild.1 } }
cells:
${section('cells')}pools:
${section('pools')}channels:
  stable:
    version: 2.14.1
    waves:
      - { name: canary, percent: 1, maxFailures: 0 }
      - { name: early, percent: 10, maxFailures: 2 }
      - { name: rest, maxFailures: 10 }
  fast:
    version: 2.15.0
    waves:
      - { name: canary, percent: 5 }
      - { name: rest, maxFailures: 5 }
`;
  return { platform, tenants };
}

/** Writes platform.yaml and tenants/ of a generated fleet under `root`. */
export function writeFleet(root: string, fleet: GeneratedFleet): void {
  mkdirSync(join(root, 'tenants'), { recursive: true });
  writeFileSync(join(root, 'platform.yaml'), fleet.platform);
  for (const tenant of fleet.tenants) writeFileSync(join(root, 'tenants', `${tenant.id}.yaml`), tenant.text);
}
