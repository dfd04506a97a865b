import { beforeAll, describe, expect, it } from 'vitest';
import { s3State } from './state/state-location';
import { exampleStacks, type ExampleStacks } from './testing/example-stacks';

describe('provider configuration by hosting model', () => {
  let example: ExampleStacks;
  beforeAll(async () => { example = await exampleStacks(); });
  const aws = (stack: string) => example.byName.get(stack)!.provider!.aws!;
  /** The role a stack assumes: the deployer's or the planner's, as the tenancy_principal variable says. */
  const roles = (deployer: string, planner: string) => `\${(var.tenancy_principal == "deployer") ? "${deployer}" : "${planner}"}`;

  it('provider-account stacks assume the provider account\'s deployer or planner role, in a session tagged with their owner', () => {
    const session = {
      region: 'us-east-1',
      assume_role: [{
        role_arn: roles('arn:aws:iam::111122223333:role/tenancy-deploy', 'arn:aws:iam::111122223333:role/tenancy-plan'),
        session_name: 'tenancy-tenant-acme-data', tags: { 'tenancy-owner': 'tenant-acme', 'tenancy-host': 'cell-blue-1' },
      }],
    };
    // The same session without default tags, for the keys alone: KMS would check tags given to CreateKey on any key.
    expect(aws('tenant-acme-data')).toEqual([expect.objectContaining({ ...session, default_tags: [expect.anything()] }), { ...session, alias: 'untagged' }]);
    const stack = example.byName.get('tenant-acme-data')!;
    const untagged = Object.entries(stack.resource!).flatMap(([type, byName]) => Object.entries(byName).filter(([, r]) => (r as { provider?: string }).provider === 'aws.untagged').map(([name]) => `${type}.${name}`));
    expect(untagged).toEqual(['aws_kms_key.key_key']);
    expect(example.byName.get('tenant-acme-data')!.variable).toEqual({
      tenancy_principal: expect.objectContaining({ type: 'string', validation: [{ condition: '${contains(["planner", "deployer"], var.tenancy_principal)}', error_message: 'tenancy_principal must be "planner" or "deployer".' }] }),
    });
  });

  it('customer-account stacks assume the customer\'s roles with the external id, read ephemerally from the named secret', () => {
    const stack = example.byName.get('tenant-umbrella-compute')!;
    const session = {
      region: 'eu-west-1',
      assume_role: [{
        role_arn: roles('arn:aws:iam::123456789012:role/TenancyDeployer', 'arn:aws:iam::123456789012:role/TenancyPlanner'),
        session_name: 'tenancy-tenant-umbrella-compute', tags: { 'tenancy-owner': 'tenant-umbrella' },
        external_id: '${ephemeral.aws_secretsmanager_secret_version.external-id.secret_string}',
      }],
    };
    expect(stack.provider!.aws).toEqual([{ alias: 'control_plane', region: 'us-east-1' }, expect.objectContaining(session), { ...session, alias: 'untagged' }]);
    expect(stack.ephemeral!.aws_secretsmanager_secret_version!['external-id']).toEqual({ provider: 'aws.control_plane', secret_id: 'tenancy/customers/umbrella/external-id' });
    expect(stack.data?.aws_secretsmanager_secret_version).toBeUndefined();
  });

  it('platform-account stacks assume the platform account\'s roles and tag every resource for billing', () => {
    const [provider] = aws('tenant-cyberdyne-data');
    expect(provider!.assume_role).toEqual([{
      role_arn: roles('arn:aws:iam::444455556666:role/tenancy-deploy', 'arn:aws:iam::444455556666:role/tenancy-plan'),
      session_name: 'tenancy-tenant-cyberdyne-data', tags: { 'tenancy-owner': 'tenant-cyberdyne', 'tenancy-host': 'cell-hosted-1' },
    }]);
    expect(provider!.default_tags).toEqual([{ tags: { tenant: 'cyberdyne', tier: 'basic', hosting: 'platform-account', deployment: 'multi-tenant', cell: 'hosted-1', 'billing-reference': 'INV-2102', 'managed-by': 'tenancy', 'tenancy-owner': 'tenant-cyberdyne' } }]);
  });

  it('tags only the purge of a reaped tenant\'s data as the purge', async () => {
    const { synthesizeTenant } = await import('./synth/synthesize');
    const acme = example.tenant('acme');
    const [purged] = synthesizeTenant('acme', acme.tenant, example.fleet.platform, { state: s3State(example.fleet.platform), purge: true });
    expect((JSON.parse(purged!.json) as { provider: { aws: { assume_role: { tags: object }[] }[] } }).provider.aws[0]!.assume_role[0]!.tags).toEqual({ 'tenancy-owner': 'tenant-acme', 'tenancy-host': 'cell-blue-1', 'tenancy-purge': 'true' });
    expect((aws('tenant-acme-data')[0]!.assume_role as { tags: object }[])[0]!.tags).not.toHaveProperty('tenancy-purge');
  });

  it('every tenant resource carries tenant, hosting, deployment, tier and managed-by, plus the file\'s own tags', () => {
    for (const { id, tenant } of example.fleet.tenants) {
      for (const kind of ['data', 'workload']) {
        const tags = (aws(`tenant-${id}-${kind}`).find((p) => !p.alias)!.default_tags as { tags: Record<string, string> }[])[0]!.tags;
        expect(tags).toMatchObject({ tenant: id, hosting: tenant.hosting.model, deployment: tenant.deployment.model, tier: tenant.tier, 'managed-by': 'tenancy', 'tenancy-owner': `tenant-${id}`, ...tenant.tags });
      }
    }
  });

  it('cells and pools assume the roles of the account they run in, in a session of their own', () => {
    expect((aws('cell-initech').find((p) => !p.alias)!.assume_role as object[])[0]).toMatchObject({
      role_arn: roles('arn:aws:iam::777788889999:role/TenancyDeployer', 'arn:aws:iam::777788889999:role/TenancyPlanner'), tags: { 'tenancy-owner': 'cell-initech' },
    });
    expect((aws('pool-hosted-shared')[0]!.assume_role as object[])[0]).toMatchObject({
      role_arn: roles('arn:aws:iam::444455556666:role/tenancy-deploy', 'arn:aws:iam::444455556666:role/tenancy-plan'), tags: { 'tenancy-owner': 'pool-hosted-shared' },
    });
  });

  it('pins the AWS provider to 5.100.0', () => {
    for (const stack of example.byName.values()) expect(stack.terraform.required_providers.aws).toEqual({ source: 'aws', version: '5.100.0' });
  });
});

describe('state', () => {
  it('is the control plane bucket with a key per stack, encrypted under the state key, with S3-native locking', async () => {
    const example = await exampleStacks();
    const s3 = await exampleStacks(s3State(example.fleet.platform));
    expect(s3.byName.get('tenant-acme-workload')!.terraform.backend).toEqual({
      s3: {
        bucket: 'example-saas-tenancy-state', key: 'tenancy/tenant-acme-workload.tfstate', region: 'us-east-1', encrypt: true, use_lockfile: true,
        kms_key_id: 'arn:aws:kms:us-east-1:111122223333:alias/tenancy-state',
      },
    });
    expect(s3.byName.get('tenant-acme-workload')!.data!.terraform_remote_state!.cluster).toMatchObject({
      backend: 's3', config: { bucket: 'example-saas-tenancy-state', key: 'tenancy/cell-blue-1.tfstate', region: 'us-east-1' },
    });
  });

  it('is a file of the repository with --backend local, by a path relative to the stack', async () => {
    const example = await exampleStacks();
    expect(example.byName.get('tenant-acme-workload')!.terraform.backend).toEqual({ local: { path: '../../state/tenant-acme-workload.tfstate' } });
    expect(example.byName.get('tenant-globex-compute')!.data!.terraform_remote_state!.data).toMatchObject({ backend: 'local', config: { path: '../../state/tenant-globex-data.tfstate' } });
  });
});
