import { beforeAll, describe, expect, it } from 'vitest';
import { exampleStacks, type ExampleStacks } from '../testing/example-stacks';
import { customerAccountOf, customerBootstrapTemplate } from './customer-bootstrap';

type Resource = { Type: string; Properties: Record<string, unknown> };

/** What the IAM simulation (iam/least-privilege.test.ts) does not prove: the template's own shape. */
describe('the customer bootstrap template', () => {
  let example: ExampleStacks;
  let template: { Parameters: Record<string, Record<string, unknown>>; Resources: Record<string, Resource>; Outputs: Record<string, unknown> };
  beforeAll(async () => {
    example = await exampleStacks();
    const account = customerAccountOf('initech-hr', example.fleet.tenants, example.fleet.platform);
    template = customerBootstrapTemplate(account, example.fleet.platform, 'us-east-1') as typeof template;
  });

  it('covers every tenant, cell and pool behind the same customer roles', () => {
    expect(customerAccountOf('initech-hr', example.fleet.tenants, example.fleet.platform)).toEqual({
      accountId: '777788889999', roleName: 'TenancyDeployer', plannerRoleName: 'TenancyPlanner',
      tenants: ['initech-fin', 'initech-hr', 'initech-ops'], cells: ['initech'], pools: ['initech-shared'],
    });
    expect(() => customerAccountOf('acme', example.fleet.tenants, example.fleet.platform)).toThrow(/only customer-account tenants/);
  });

  it('creates a deployer and a read-only planner, each capped by its boundary, the boundaries of the roles the stacks create, and the access log bucket of its region', () => {
    const roles = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::IAM::Role');
    expect(roles.map(([id, r]) => [id, r.Properties.RoleName, r.Properties.PermissionsBoundary])).toEqual([
      ['DeployerRole', 'TenancyDeployer', { Ref: 'DeployerBoundary' }],
      ['PlannerRole', 'TenancyPlanner', { Ref: 'PlannerBoundary' }],
    ]);
    const policies = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::IAM::ManagedPolicy').map(([, r]) => r.Properties.ManagedPolicyName);
    expect(policies).toEqual([
      'tenancy-owner-boundary', 'tenancy-cluster-boundary', 'tenancy-node-boundary', 'tenancy-workload-boundary', 'TenancyDeployer-boundary',
      'TenancyDeployer-network', 'TenancyDeployer-data', 'TenancyDeployer-backups', 'TenancyDeployer-clusters', 'TenancyDeployer-roles', 'TenancyDeployer-role-use',
      'TenancyPlanner-boundary', 'TenancyPlanner-reads',
    ]);
    for (const [, policy] of Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::IAM::ManagedPolicy')) {
      expect(JSON.stringify(policy.Properties.PolicyDocument).length, String(policy.Properties.ManagedPolicyName)).toBeLessThanOrEqual(6144);
    }
    // The boundary earlier templates made keeps its logical id, so that a stack update keeps the policy roles still carry.
    expect(template.Resources.WorkloadBoundary!.Properties.ManagedPolicyName).toBe('tenancy-workload-boundary');
    expect(template.Resources.AccessLogBucket).toMatchObject({ Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain', Properties: { BucketName: 'tenancy-access-logs-777788889999-us-east-1' } });
    expect(template.Outputs).toEqual({
      DeployerRoleArn: { Description: 'Give this ARN back to the provider', Value: { 'Fn::GetAtt': ['DeployerRole', 'Arn'] } },
      PlannerRoleArn: { Description: 'Give this ARN back to the provider', Value: { 'Fn::GetAtt': ['PlannerRole', 'Arn'] } },
    });
  });

  it('takes the external id as a NoEcho parameter and refers to it in both trusts, never holding a value', () => {
    expect(template.Parameters.ExternalId).toMatchObject({ Type: 'String', NoEcho: true });
    for (const id of ['DeployerRole', 'PlannerRole']) {
      const trust = template.Resources[id]!.Properties.AssumeRolePolicyDocument as { Statement: { Action: string; Condition?: { StringEquals: Record<string, unknown> } }[] };
      expect(trust.Statement.find((s) => s.Action === 'sts:AssumeRole')!.Condition).toEqual({ StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } });
    }
    expect(JSON.stringify(template)).not.toMatch(/offline-|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}|<external-id>/);
  });
});
