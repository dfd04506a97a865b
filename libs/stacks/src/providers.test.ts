import { beforeAll, describe, expect, it } from 'vitest';
import { s3State } from './state/state-location';
import { exampleStacks, type ExampleStacks } from './testing/example-stacks';

describe('provider configuration by hosting model', () => {
  let example: ExampleStacks;
  beforeAll(async () => { example = await exampleStacks(); });
  const aws = (stack: string) => example.byName.get(stack)!.provider!.aws!;

  it('provider-account stacks assume the provider account deploy role', () => {
    expect(aws('tenant-acme-data')).toEqual([expect.objectContaining({
      region: 'us-east-1',
      assume_role: [{ role_arn: 'arn:aws:iam::111122223333:role/tenancy-deploy', session_name: 'tenancy-tenant-acme-data' }],
    })]);
  });

  it('customer-account stacks assume the customer role with the external id read from the named secret', () => {
    const stack = example.byName.get('tenant-umbrella-compute')!;
    expect(stack.provider!.aws).toEqual([
      { alias: 'control_plane', region: 'us-east-1' },
      expect.objectContaining({
        region: 'eu-west-1',
        assume_role: [{ role_arn: 'arn:aws:iam::123456789012:role/TenancyDeployer', session_name: 'tenancy-tenant-umbrella-compute', external_id: '${data.aws_secretsmanager_secret_version.external-id.secret_string}' }],
      }),
    ]);
    expect(stack.data!.aws_secretsmanager_secret_version!['external-id']).toEqual({ provider: 'aws.control_plane', secret_id: 'tenancy/customers/umbrella/external-id' });
  });

  it('platform-account stacks assume the platform role and tag every resource for billing', () => {
    const [provider] = aws('tenant-cyberdyne-data');
    expect(provider!.assume_role).toEqual([{ role_arn: 'arn:aws:iam::444455556666:role/tenancy-deploy', session_name: 'tenancy-tenant-cyberdyne-data' }]);
    expect(provider!.default_tags).toEqual([{ tags: { tenant: 'cyberdyne', tier: 'basic', hosting: 'platform-account', deployment: 'multi-tenant', cell: 'hosted-1', 'billing-reference': 'INV-2102', 'managed-by': 'tenancy' } }]);
  });

  it('every tenant resource carries tenant, hosting, deployment, tier and managed-by, plus the file\'s own tags', () => {
    for (const { id, tenant } of example.fleet.tenants) {
      for (const kind of ['data', 'workload']) {
        const tags = (aws(`tenant-${id}-${kind}`).find((p) => !p.alias)!.default_tags as { tags: Record<string, string> }[])[0]!.tags;
        expect(tags).toMatchObject({ tenant: id, hosting: tenant.hosting.model, deployment: tenant.deployment.model, tier: tenant.tier, 'managed-by': 'tenancy', ...tenant.tags });
      }
    }
  });

  it('cells and pools assume the role of the account they run in', () => {
    expect((aws('cell-initech').find((p) => !p.alias)!.assume_role as object[])[0]).toMatchObject({ role_arn: 'arn:aws:iam::777788889999:role/TenancyDeployer' });
    expect((aws('pool-hosted-shared')[0]!.assume_role as object[])[0]).toMatchObject({ role_arn: 'arn:aws:iam::444455556666:role/tenancy-deploy' });
  });

  it('pins the AWS provider to 5.100.0', () => {
    for (const stack of example.byName.values()) expect(stack.terraform.required_providers.aws).toEqual({ source: 'aws', version: '5.100.0' });
  });
});

describe('state', () => {
  it('is the control plane bucket with a key per stack, encrypted, with S3-native locking', async () => {
    const example = await exampleStacks();
    const s3 = await exampleStacks(s3State(example.fleet.platform));
    expect(s3.byName.get('tenant-acme-workload')!.terraform.backend).toEqual({
      s3: { bucket: 'example-saas-tenancy-state', key: 'tenancy/tenant-acme-workload.tfstate', region: 'us-east-1', encrypt: true, use_lockfile: true },
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
