import { beforeAll, describe, expect, it } from 'vitest';
import { exampleStacks, resourcesOf, type ExampleStacks } from '../testing/example-stacks';
import { customerAccountOf, customerBootstrapTemplate } from './customer-bootstrap';

interface Statement { Sid: string; Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, unknown>> }

describe('the customer bootstrap template', () => {
  let example: ExampleStacks;
  let template: { Parameters: Record<string, Record<string, unknown>>; Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  let statements: Statement[];
  beforeAll(async () => {
    example = await exampleStacks();
    const account = customerAccountOf('initech-hr', example.fleet.tenants, example.fleet.platform);
    template = customerBootstrapTemplate(account, example.fleet.platform, 'us-east-1') as typeof template;
    statements = ((template.Resources.DeployRole!.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[])[0]!).PolicyDocument.Statement;
  });

  it('covers every tenant, cell and pool behind the same customer role', () => {
    expect(customerAccountOf('initech-hr', example.fleet.tenants, example.fleet.platform)).toEqual({
      accountId: '777788889999', roleName: 'TenancyDeployer', tenants: ['initech-fin', 'initech-hr', 'initech-ops'], cells: ['initech'], pools: ['initech-shared'],
    });
    expect(() => customerAccountOf('acme', example.fleet.tenants, example.fleet.platform)).toThrow(/only customer-account tenants/);
  });

  it('trusts only the provider deployer, and only with the external id passed as a NoEcho parameter', () => {
    const role = template.Resources.DeployRole!.Properties;
    expect(role.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/tenancy-deployer' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } } }],
    });
    expect(template.Parameters.ExternalId).toMatchObject({ Type: 'String', NoEcho: true });
    expect(role.PermissionsBoundary).toEqual({ Ref: 'PermissionsBoundary' });
    expect(template.Resources.PermissionsBoundary!.Type).toBe('AWS::IAM::ManagedPolicy');
  });

  it('lets the role create and change only resources tagged for what the account hosts', () => {
    const create = statements.filter((s) => s.Sid.startsWith('CreateTagged'));
    const manage = statements.filter((s) => s.Sid.startsWith('ManageTagged'));
    expect(create.map((s) => s.Condition)).toEqual([
      { StringEquals: { 'aws:RequestTag/tenant': ['initech-fin', 'initech-hr', 'initech-ops'] } },
      { StringEquals: { 'aws:RequestTag/cell': ['initech'] } },
      { StringEquals: { 'aws:RequestTag/pool': ['initech-shared'] } },
    ]);
    expect(manage.map((s) => Object.keys(s.Condition!.StringEquals!)[0])).toEqual(['aws:ResourceTag/tenant', 'aws:ResourceTag/cell', 'aws:ResourceTag/pool']);
    expect(statements.find((s) => s.Sid === 'Ec2TagsOnlyWhileCreating')!.Condition).toEqual({ StringEquals: { 'ec2:CreateAction': expect.arrayContaining(['CreateVpc', 'CreateSecurityGroup']) } });
  });

  it('never grants "*" on "*", and keeps the role from touching its own access', () => {
    for (const statement of statements) expect(statement.Action === '*' && statement.Resource === '*').toBe(false);
    for (const statement of statements.filter((s) => s.Resource === '*')) expect([statement.Action].flat()).not.toContain('*');
    const boundary = (template.Resources.PermissionsBoundary!.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    expect(boundary.find((s) => s.Sid === 'NeverItsOwnAccess')).toMatchObject({ Effect: 'Deny', Resource: ['arn:aws:iam::777788889999:role/TenancyDeployer', 'arn:aws:iam::777788889999:policy/TenancyDeployer-boundary'] });
  });

  it('allows creating every IAM role and bucket the account\'s stacks create', () => {
    const roles = statements.find((s) => s.Sid === 'TenantRoles')!.Resource as string[];
    const buckets = statements.find((s) => s.Sid === 'TenantBuckets')!.Resource as string[];
    const matches = (arn: string, patterns: string[]) => patterns.some((p) => new RegExp(`^${p.replace(/[.*]/g, (c) => (c === '*' ? '.*' : '\\.'))}$`).test(arn));
    const stacks = [...example.byName.entries()].filter(([name]) => /^(tenant-initech-|cell-initech$|pool-initech-shared$)/.test(name));
    expect(stacks.length).toBeGreaterThan(5);
    let checked = 0;
    for (const [name, stack] of stacks) {
      for (const role of resourcesOf(stack, 'aws_iam_role')) {
        const arn = `arn:aws:iam::777788889999:role${(role.path as string | undefined) ?? '/'}${role.name as string}`;
        expect(matches(arn, roles), `${name}: ${arn}`).toBe(true);
        checked++;
      }
      for (const bucket of resourcesOf(stack, 'aws_s3_bucket')) expect(matches(`arn:aws:s3:::${bucket.bucket as string}`, buckets), name).toBe(true);
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('holds no secret value', () => {
    expect(JSON.stringify(template)).not.toMatch(/offline-|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}/);
  });
});
