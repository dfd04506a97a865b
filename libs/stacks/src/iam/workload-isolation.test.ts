import { beforeAll, describe, expect, it } from 'vitest';
import { placementOf, type Placement, type Platform } from '@tenancy/model';
import { s3State } from '../state/state-location';
import { exampleStacks } from '../testing/example-stacks';
import { IamSimulator, sessionArn, type Decision, type SimulatedRole } from '../testing/iam-simulator';
import { principalTags, StackIndex, type StackJson } from '../testing/stack-requests';
import { ownerBoundary } from './boundaries';
import type { PolicyDocument } from './policy-document';

interface PolicyDocumentData { statement: { sid?: string; effect: string; actions: string[]; resources: string[]; condition?: unknown[] }[] }

/** What one tenant's pods may reach, resolved to the ARNs AWS would see. */
interface Slice {
  readonly id: string;
  readonly placement: string;
  readonly account: string;
  readonly app: SimulatedRole;
  readonly admin?: SimulatedRole;
  readonly bucket?: string;
  readonly key: { readonly arn: string; readonly policy: PolicyDocument; readonly aliases: readonly string[] };
  readonly database?: { readonly arn: string; readonly user: string; readonly masterUser: string; readonly legacyUser: string; readonly masterSecret: string };
}

/** The cell or pool a tenant shares, as `cell blue-1`. */
function sharedPlacement(placement: Placement): string {
  if (placement.kind === 'dedicated') throw new Error('a dedicated tenant shares no cluster');
  return `${placement.kind} ${placement.name}`;
}

/** A role the workload stack creates, from its policy document data source, capped by the owner boundary, with the tags the stack gives it. */
function roleOf(index: StackIndex, stack: string, prefix: string, platform: Platform, account: string): SimulatedRole | undefined {
  const json = index.stacks.get(stack)!;
  const document = json.data?.aws_iam_policy_document?.[`${prefix}_access`] as PolicyDocumentData | undefined;
  if (!document) return undefined;
  const policy: PolicyDocument = {
    Version: '2012-10-17',
    Statement: document.statement.map((s) => ({ Sid: s.sid!, Effect: s.effect as 'Allow', Action: s.actions, Resource: s.resources.map((r) => index.interpolate(stack, r)) })),
  };
  const name = String((json.resource!.aws_iam_role![`${prefix}_role`] as { name: string }).name);
  const tags = (json.provider!.aws!.find((p) => !p.alias)!.default_tags as { tags: Record<string, string> }[])[0]!.tags;
  return {
    arn: `arn:aws:iam::${account}:role/tenancy/${name}`, policies: [policy], tags,
    boundary: ownerBoundary({ partition: 'aws', accountId: account, deployerRoleName: 'd', plannerRoleName: 'p', tagKeys: platform.tagKeys, ecrRegistries: [] }),
  };
}

describe('what one tenant\'s pods may reach of another tenant in the same cell or pool, by IAM simulation', () => {
  let slices: Slice[];
  let index: StackIndex;
  const simulator = new IamSimulator();

  beforeAll(async () => {
    const example = await exampleStacks();
    const platform = example.fleet.platform;
    const fleet = await exampleStacks(s3State(platform));
    index = new StackIndex(new Map([...fleet.byName].map(([name, json]) => [name, json as unknown as StackJson])), { accountId: platform.accounts.provider.id, region: platform.controlPlane.region });
    slices = example.fleet.tenants.filter(({ tenant }) => tenant.deployment.model !== 'dedicated').map(({ id, tenant }) => {
      const data = `tenant-${id}-data`;
      const workload = `tenant-${id}-workload`;
      const dataJson = index.stacks.get(data)!;
      const account = /iam::(\d{12}):/.exec(JSON.stringify(dataJson.provider!.aws))![1]!;
      const output = (name: string) => (dataJson.output?.[name] ? index.interpolate(data, String(dataJson.output[name]!.value)) : undefined);
      const keyView = index.view(data, 'resource', 'aws_kms_key', 'key_key');
      const alias = String((dataJson.resource!.aws_kms_alias!['key_alias'] as { name: string }).name);
      const resourceId = output('database_resource_id');
      const dbUser = (user: string) => `arn:aws:rds-db:${keyView.region}:${account}:dbuser:${resourceId}/${user}`;
      const db = dataJson.resource!.aws_db_instance ? index.view(data, 'resource', 'aws_db_instance', 'database_instance') : undefined;
      return {
        id, account,
        placement: sharedPlacement(placementOf(tenant, platform)),
        app: roleOf(index, workload, 'identity', platform, account)!,
        admin: roleOf(index, workload, 'database-admin-identity', platform, account),
        ...(output('bucket_arn') ? { bucket: output('bucket_arn') } : {}),
        key: { arn: keyView.arn(), policy: keyView.keyPolicy!, aliases: [alias] },
        ...(resourceId ? { database: { arn: db!.arn(), user: dbUser(`tenant-${id}`), masterUser: dbUser('tenancy_admin'), legacyUser: dbUser('app'), masterSecret: output('database_secret_arn')! } } : {}),
      };
    });
  });

  type Reach = { what: string; action: string; resource: string; policy?: PolicyDocument; context?: Record<string, string | string[]>; own: Decision };
  const decide = (role: SimulatedRole, account: string, reach: Omit<Reach, 'what' | 'own'>): Promise<Decision> => simulator.evaluate(role, sessionArn(role.arn, 'eks-pod-identity'), {
    action: reach.action, resource: reach.resource, resourceAccount: account,
    context: { 'aws:SecureTransport': 'true', ...principalTags(role.tags), ...reach.context }, ...(reach.policy ? { resourcePolicy: reach.policy } : {}),
  });
  /** The master secret as RDS tags it: with its database's ARN, under a key only AWS writes. */
  const masterSecret = (s: Slice) => ({ resource: s.database!.masterSecret, context: { 'aws:ResourceTag/aws:rds:primaryDBInstanceArn': s.database!.arn } });

  /** The calls that reach a tenant's data, and whether its own application may make each. */
  const reaches = (s: Slice): Reach[] => [
    ...(s.bucket ? [{ what: 'object', action: 's3:GetObject', resource: `${s.bucket}/report.csv`, own: 'Allowed' as const }, { what: 'object write', action: 's3:PutObject', resource: `${s.bucket}/report.csv`, own: 'Allowed' as const }] : []),
    { what: 'key', action: 'kms:Decrypt', resource: s.key.arn, policy: s.key.policy, context: { 'kms:ResourceAliases': [...s.key.aliases] }, own: 'Allowed' },
    ...(s.database ? [
      { what: 'database user', action: 'rds-db:connect', resource: s.database.user, own: 'Allowed' as const },
      { what: 'database master user', action: 'rds-db:connect', resource: s.database.masterUser, own: 'ImplicitlyDenied' as const },
      { what: 'database user of earlier releases', action: 'rds-db:connect', resource: s.database.legacyUser, own: 'ImplicitlyDenied' as const },
      { what: 'master password', action: 'secretsmanager:GetSecretValue', ...masterSecret(s), own: 'ImplicitlyDenied' as const },
    ] : []),
  ];

  it('lets each application reach its own bucket, key and database user, and never its database\'s master user or password', async () => {
    let checked = 0;
    for (const s of slices) {
      for (const r of reaches(s)) {
        expect(`${s.id} ${r.what}: ${await decide(s.app, s.account, r)}`).toBe(`${s.id} ${r.what}: ${r.own}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('lets only the database user job read the master password, and only its own database\'s', async () => {
    const withDatabase = slices.filter((s) => s.database);
    expect(withDatabase.length).toBeGreaterThanOrEqual(5);
    let neighbours = 0;
    for (const s of withDatabase) {
      expect(await decide(s.admin!, s.account, { action: 'secretsmanager:GetSecretValue', ...masterSecret(s) }), s.id).toBe('Allowed');
      expect(await decide(s.admin!, s.account, { action: 'rds-db:connect', resource: s.database!.user }), s.id).toBe('ImplicitlyDenied');
      for (const other of withDatabase.filter((o) => o !== s && o.account === s.account)) {
        expect(await decide(s.admin!, s.account, { action: 'secretsmanager:GetSecretValue', ...masterSecret(other) }), `${s.id} -> ${other.id}`).toBe('ImplicitlyDenied');
        neighbours++;
      }
    }
    expect(neighbours, 'pairs of tenants with databases in one account').toBeGreaterThanOrEqual(4);
  });

  it('refuses every tenant\'s application everything of every other tenant of its cell or pool', async () => {
    let pairs = 0;
    for (const a of slices) {
      for (const b of slices.filter((s) => s !== a && s.placement === a.placement)) {
        pairs++;
        for (const r of reaches(b)) {
          expect(`${a.id} -> ${b.id} ${r.what}: ${await decide(a.app, a.account, r)}`).toBe(`${a.id} -> ${b.id} ${r.what}: ImplicitlyDenied`);
        }
      }
    }
    expect(pairs).toBeGreaterThanOrEqual(8);
  });
});
