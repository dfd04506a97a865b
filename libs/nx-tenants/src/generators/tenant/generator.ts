import type { Tree } from '@nx/devkit';
import { formatDiagnostic, readPlatform, readTenant, type Platform, type Tenant } from '@tenancy/model';
import { stringify } from 'yaml';
import { leastLoaded } from './placement';

export interface TenantGeneratorOptions {
  readonly id: string;
  readonly hosting: 'provider-account' | 'customer-account' | 'platform-account';
  readonly deployment: 'dedicated' | 'resource-shared' | 'multi-tenant';
  readonly email: string;
  readonly cell?: string;
  readonly pool?: string;
  readonly tier?: string;
  readonly channel?: string;
  readonly displayName?: string;
  readonly image?: string;
  /** A number when the command line read the digits as one. */
  readonly accountId?: string | number;
  readonly region?: string;
  readonly roleName?: string;
  readonly externalIdSecret?: string;
  readonly billingReference?: string;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === '') throw new Error(`--${what} is required for this hosting model`);
  return value;
}

function hostingOf(options: TenantGeneratorOptions): object {
  switch (options.hosting) {
    case 'provider-account':
      return { model: 'provider-account', ...(options.region ? { region: options.region } : {}) };
    case 'platform-account':
      return { model: 'platform-account', ...(options.region ? { region: options.region } : {}), billingReference: required(options.billingReference, 'billingReference') };
    case 'customer-account':
      return {
        model: 'customer-account', accountId: String(required(options.accountId, 'accountId')).padStart(12, '0'), region: required(options.region, 'region'),
        roleName: required(options.roleName, 'roleName'), externalIdSecret: required(options.externalIdSecret, 'externalIdSecret'),
      };
  }
}

function existingTenants(tree: Tree): Tenant[] {
  return tree.children('tenants').filter((f) => f.endsWith('.yaml')).flatMap((f) => {
    const value = readTenant(`tenants/${f}`, tree.read(`tenants/${f}`)!).value;
    return value ? [value] : [];
  });
}

/** Writes tenants/<id>.yaml: valid, with the schema modeline, in the least-loaded cell or pool with room. */
export default async function tenantGenerator(tree: Tree, options: TenantGeneratorOptions): Promise<void> {
  const path = `tenants/${options.id}.yaml`;
  if (tree.exists(path)) throw new Error(`${path} exists already`);
  const platform: Platform | undefined = tree.exists('platform.yaml') ? readPlatform('platform.yaml', tree.read('platform.yaml')!).value : undefined;
  if (!platform) throw new Error('platform.yaml is missing or invalid: run tenancy validate');
  const tenants = existingTenants(tree);
  const tier = options.tier ?? Object.entries(platform.tiers).find(([, t]) => t.deployments.includes(options.deployment))?.[0];
  if (!tier) throw new Error(`no tier of platform.yaml allows the ${options.deployment} deployment model`);
  const channel = options.channel ?? Object.keys(platform.channels)[0];
  const image = options.image ?? tenants[0]?.resources[0]?.image ?? 'ghcr.io/example/api';

  const draft: Record<string, unknown> = {
    id: options.id,
    displayName: options.displayName ?? options.id,
    tier,
    channel,
    hosting: hostingOf(options),
    deployment: { model: options.deployment },
    contact: { email: options.email },
    resources: [{ name: 'api', image, ...(options.deployment === 'resource-shared' ? { critical: true } : {}), cpu: '250m', memory: '512Mi', port: 8080 }],
  };
  const probe = readTenant(path, Buffer.from(stringify({ ...draft, deployment: { model: 'dedicated' } }))).value;
  if (options.deployment !== 'dedicated') {
    const kind = options.deployment === 'multi-tenant' ? 'cells' : 'pools';
    const chosen = (kind === 'cells' ? options.cell : options.pool) ?? (probe ? leastLoaded(kind, platform, tenants, { ...probe, deployment: { model: options.deployment, ...(kind === 'cells' ? { cell: '' } : { pool: '' }) } as Tenant['deployment'] }) : undefined);
    if (!chosen) throw new Error(`no ${kind === 'cells' ? 'cell' : 'pool'} of ${options.hosting}${options.accountId ? ` ${options.accountId}` : ''} has room: add one to platform.yaml, or raise a capacity`);
    draft.deployment = { model: options.deployment, [kind === 'cells' ? 'cell' : 'pool']: chosen };
  }
  const text = `# yaml-language-server: $schema=../schema/tenant.schema.json\n${stringify(draft)}`;
  const read = readTenant(path, Buffer.from(text));
  if (!read.value) throw new Error(`the generated file would not validate:\n${read.diagnostics.map(formatDiagnostic).join('\n')}`);
  tree.write(path, text);
}
