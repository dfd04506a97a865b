import { describe, expect, it, vi } from 'vitest';
import { IamSimulator, sessionArn } from '../testing/iam-simulator';
import { controlPlaneDeployerPolicy, controlPlanePlannerPolicy, controlPlanePurgerPolicy, githubJobs, githubTrust, type ControlPlaneScope } from './control-plane-policies';
import type { PolicyDocument } from './policy-document';

// The simulator loads AWS's service catalog on its first call: seconds.
vi.setConfig({ testTimeout: 120_000 });

const ACCOUNT = '111122223333';
const scope: ControlPlaneScope = {
  partition: 'aws', accountId: ACCOUNT, region: 'us-east-1', repository: 'example-saas/tenants', stateBucket: 'example-state', keyPrefix: 'tenancy',
  stateKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/0b6a7e1c-state`, externalIdSecretPrefix: 'tenancy/customers/',
};
const ROLE = `arn:aws:iam::${ACCOUNT}:role/tenancy/control-plane`;
const simulator = new IamSimulator();

type Call = readonly [action: string, resource: string, context?: Record<string, string | string[]>, resourcePolicy?: PolicyDocument];

/** Each call by a session of a role with `policy` alone, as `action resource: allowed|denied`. */
async function decide(policy: PolicyDocument, calls: readonly Call[]): Promise<string[]> {
  const role = { arn: ROLE, policies: [policy], tags: {} };
  return Promise.all(calls.map(async ([action, resource, context = {}, resourcePolicy]) => {
    const account = /^arn:aws:[^:]+:[^:]*:(\d{12}):/.exec(resource)?.[1] ?? ACCOUNT;
    const decision = await simulator.evaluate(role, sessionArn(ROLE, 'GitHubActions'), { action, resource, resourceAccount: account, context, ...(resourcePolicy ? { resourcePolicy } : {}) });
    return `${action} ${resource.replace(/^arn:aws:s3:::example-state\/tenancy\//, '')}: ${decision === 'Allowed' ? 'allowed' : 'denied'}`;
  }));
}

const state = (key: string) => `arn:aws:s3:::example-state/tenancy/${key}`;
const viaS3 = { 'kms:ViaService': 's3.us-east-1.amazonaws.com' };
/** The state key's policy leaves its use to IAM, as AWS's default key policy does: the principal's own policy decides. */
const stateKey: PolicyDocument = { Version: '2012-10-17', Statement: [{ Sid: 'Account', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] };
/** An account role's trust of the control-plane role: the principal's own policy decides. */
const trust: PolicyDocument = { Version: '2012-10-17', Statement: [{ Sid: 'ControlPlane', Effect: 'Allow', Principal: { AWS: ROLE }, Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: '*' }] };
const secret = (name: string) => `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${name}-AbCdEf`;
const alarm = (region: string) => `arn:aws:cloudwatch:${region}:${ACCOUNT}:alarm:tenancy-health`;
const role = (kind: string) => [`arn:aws:iam::777788889999:role/tenancy/${kind}`, { 'aws:ResourceTag/tenancy-role': kind }, trust] as const;
const outcome = (calls: readonly Call[], allowed: readonly number[]) =>
  calls.map(([action, resource], i) => `${action} ${resource.replace(/^arn:aws:s3:::example-state\/tenancy\//, '')}: ${allowed.includes(i) ? 'allowed' : 'denied'}`);

const calls: Call[] = [
  ['s3:ListBucket', 'arn:aws:s3:::example-state', { 's3:prefix': 'tenancy/tenant-acme-data.tfstate' }], // 0
  ['s3:ListBucket', 'arn:aws:s3:::example-state', { 's3:prefix': 'elsewhere/' }], // 1
  ['s3:GetObject', state('tenant-acme-data.tfstate')], // 2
  ['s3:GetObject', state('cell-blue-1.tfstate')], // 3
  ['s3:GetObject', state('control-plane.tfstate')], // 4
  ['s3:GetObject', state('offboardings/wayne/0123abcd.json')], // 5
  ['s3:PutObject', state('tenant-acme-data.tfstate')], // 6
  ['s3:PutObject', state('tenant-acme-compute.tfstate')], // 7
  ['s3:PutObject', state('pool-shared-1.tfstate')], // 8
  ['s3:PutObject', state('account-provider.tfstate')], // 9
  ['s3:PutObject', state('tenant-acme-data.tfstate.tflock')], // 10
  ['s3:GetObject', state('tenant-acme-data.tfstate.tflock')], // 11
  ['s3:DeleteObject', state('tenant-acme-data.tfstate.tflock')], // 12
  ['s3:PutObject', state('offboardings/wayne/0123abcd.json')], // 13
  ['kms:Decrypt', scope.stateKeyArn, viaS3, stateKey], // 14
  ['kms:Decrypt', scope.stateKeyArn, {}, stateKey], // 15
  ['kms:GenerateDataKey', scope.stateKeyArn, viaS3, stateKey], // 16
  ['secretsmanager:GetSecretValue', secret('tenancy/customers/initech/external-id')], // 17
  ['secretsmanager:DescribeSecret', secret('tenancy/customers/initech/external-id')], // 18
  ['secretsmanager:DeleteSecret', secret('tenancy/customers/initech/external-id')], // 19
  ['secretsmanager:GetSecretValue', secret('prod/payments')], // 20
  ['cloudwatch:DescribeAlarms', alarm('us-east-1')], // 21
  ['cloudwatch:DescribeAlarms', alarm('eu-west-1')], // 22
  ['sts:AssumeRole', ...role('planner')], // 23
  ['sts:TagSession', ...role('planner')], // 24
  ['sts:AssumeRole', ...role('deployer')], // 25
  ['sts:TagSession', ...role('deployer')], // 26
];

describe('the control plane\'s principals, by IAM simulation of their own policies', () => {
  it('the planner reads the fleet\'s states and the offboarding clock without a lock, external ids and alarms, and assumes planner roles', async () => {
    expect(await decide(controlPlanePlannerPolicy(scope), calls)).toEqual(outcome(calls, [0, 2, 3, 5, 14, 17, 18, 21, 23, 24]));
  });

  it('the deployer writes the fleet\'s states and their locks and the offboarding clock, deletes external ids, and assumes deployer roles', async () => {
    expect(await decide(controlPlaneDeployerPolicy(scope), calls)).toEqual(outcome(calls, [0, 2, 3, 5, 6, 7, 8, 10, 11, 12, 13, 14, 16, 17, 18, 19, 21, 25, 26]));
  });

  it('the purger writes only tenants\' data stacks\' states, reads no alarm, and assumes deployer roles', async () => {
    expect(await decide(controlPlanePurgerPolicy(scope), calls)).toEqual(outcome(calls, [0, 2, 3, 5, 6, 10, 11, 12, 14, 16, 17, 18, 25, 26]));
  });

  it('takes the locks of a DynamoDB table, where platform.yaml keeps them there, for its own stacks only', async () => {
    const table = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/tenancy-locks`;
    const keys = (name: string) => ({ 'dynamodb:LeadingKeys': [`example-state/tenancy/${name}.tfstate`, `example-state/tenancy/${name}.tfstate-md5`] });
    const locks: Call[] = [
      ['dynamodb:GetItem', table, keys('tenant-acme-data')], ['dynamodb:PutItem', table, keys('tenant-acme-data')], ['dynamodb:DeleteItem', table, keys('tenant-acme-data')],
      ['dynamodb:PutItem', table, keys('tenant-acme-compute')], ['dynamodb:PutItem', table, keys('control-plane')],
    ];
    const withTable = { ...scope, lockTable: 'tenancy-locks' };
    expect(await decide(controlPlanePlannerPolicy(withTable), locks)).toEqual(outcome(locks, [0]));
    expect(await decide(controlPlaneDeployerPolicy(withTable), locks)).toEqual(outcome(locks, [0, 1, 2, 3]));
    expect(await decide(controlPlanePurgerPolicy(withTable), locks)).toEqual(outcome(locks, [0, 1, 2]));
    expect(await decide(controlPlaneDeployerPolicy(scope), locks)).toEqual(outcome(locks, []));
  });
});

describe('a control-plane role\'s trust of GitHub', () => {
  const jobs = githubJobs('example-saas/tenants');

  it('names the repository\'s jobs: the planner\'s pull requests and main, the deployer\'s and purger\'s environments', () => {
    expect(jobs).toEqual({
      planner: {
        subjects: ['repo:example-saas/tenants:pull_request', 'repo:example-saas/tenants:ref:refs/heads/main'],
        workflows: ['example-saas/tenants/.github/workflows/plan.yml@refs/pull/*/merge', 'example-saas/tenants/.github/workflows/drift.yml@refs/heads/main',
          'example-saas/tenants/.github/workflows/apply.yml@refs/heads/main', 'example-saas/tenants/.github/workflows/reap.yml@refs/heads/main'],
      },
      deployer: { subjects: ['repo:example-saas/tenants:environment:production'], workflows: ['example-saas/tenants/.github/workflows/apply.yml@refs/heads/main'], environment: 'production' },
      purger: { subjects: ['repo:example-saas/tenants:environment:purge'], workflows: ['example-saas/tenants/.github/workflows/reap.yml@refs/heads/main'], environment: 'purge' },
    });
  });

  it('trusts GitHub\'s OIDC provider of the account for these claims, exactly, or by pattern where a pull request\'s number varies', () => {
    const claim = (name: string) => `token.actions.githubusercontent.com:${name}`;
    const [deployer] = githubTrust(scope, jobs.deployer).Statement;
    expect(deployer).toEqual({
      Sid: 'GitHubWorkflowsOfTheRepository', Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [claim('aud')]: 'sts.amazonaws.com', [claim('sub')]: jobs.deployer.subjects, [claim('job_workflow_ref')]: jobs.deployer.workflows, [claim('environment')]: 'production' } },
    });
    const [planner] = githubTrust(scope, jobs.planner).Statement;
    expect(planner!.Condition).toEqual({
      StringEquals: { [claim('aud')]: 'sts.amazonaws.com' },
      StringLike: { [claim('sub')]: jobs.planner.subjects, [claim('job_workflow_ref')]: jobs.planner.workflows },
    });
  });
});
