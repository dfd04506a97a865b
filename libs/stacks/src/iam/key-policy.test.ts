import { describe, expect, it, vi } from 'vitest';
import { IamSimulator, sessionArn, type SimulatedRole } from '../testing/iam-simulator';
import { autoScalingServiceRoleArn, keyPolicy, type KeyPolicyProps } from './key-policy';
import type { PolicyDocument } from './policy-document';

// The simulator loads AWS's service catalog on its first call: seconds.
vi.setConfig({ testTimeout: 120_000 });

const ACCOUNT = '111122223333';
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-0000`;
const DEPLOYER = `arn:aws:iam::${ACCOUNT}:role/tenancy/tenancy-deployer`;
const PLANNER = `arn:aws:iam::${ACCOUNT}:role/tenancy/tenancy-planner`;
const LOG_GROUP = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/rds/instance/tenant-acme/postgresql`;
const simulator = new IamSimulator();

const props: KeyPolicyProps = { partition: 'aws', region: 'us-east-1', accountId: ACCOUNT, deployerRoleArn: DEPLOYER, plannerRoleArn: PLANNER, owner: 'tenant-acme', holdsData: true };

interface KeyCall {
  readonly name: string;
  /** The calling role, its IAM policies (none: only the key policy can allow) and its session's tags. */
  readonly as: { readonly arn: string; readonly policies?: readonly PolicyDocument[]; readonly tags?: Record<string, string> } | { readonly service: string };
  readonly action: string;
  readonly context?: Record<string, string | string[]>;
}

/** Each call as `name: allowed|denied`, so a failure lists every call that changed. */
async function decide(policy: PolicyDocument, calls: readonly KeyCall[]): Promise<string[]> {
  return Promise.all(calls.map(async ({ name, as, action, context = {} }) => {
    const role: SimulatedRole = 'service' in as ? { arn: as.service, policies: [], tags: {} } : { arn: as.arn, policies: as.policies ?? [], tags: as.tags ?? {} };
    const principal = 'service' in as ? as.service : sessionArn(as.arn, 'GitHubActions');
    const tags = 'service' in as ? {} : Object.fromEntries(Object.entries(as.tags ?? {}).map(([key, value]) => [`aws:PrincipalTag/${key}`, value]));
    const decision = await simulator.evaluate(role, principal, { action, resource: KEY, resourceAccount: ACCOUNT, context: { ...tags, ...context }, resourcePolicy: policy });
    return `${name}: ${decision === 'Allowed' ? 'allowed' : 'denied'}`;
  }));
}

const own = { arn: DEPLOYER, tags: { 'tenancy-owner': 'tenant-acme' } };
const neighbour = { arn: DEPLOYER, tags: { 'tenancy-owner': 'tenant-globex' } };
const purge = { arn: DEPLOYER, tags: { 'tenancy-owner': 'tenant-acme', 'tenancy-purge': 'true' } };
const expected = (calls: readonly KeyCall[], allowed: readonly string[]) => calls.map((c) => `${c.name}: ${allowed.includes(c.name) ? 'allowed' : 'denied'}`);

describe('a key\'s policy, by IAM simulation', () => {
  it('lets the owning stack\'s sessions manage it and grant it to AWS services, never use it; the planner only read it', async () => {
    const calls: KeyCall[] = [
      { name: 'its stack rewrites the policy', as: own, action: 'kms:PutKeyPolicy' },
      { name: 'its stack tags it', as: own, action: 'kms:TagResource' },
      { name: 'another stack rewrites the policy', as: neighbour, action: 'kms:PutKeyPolicy' },
      { name: 'a session without an owner rewrites it', as: { arn: DEPLOYER }, action: 'kms:PutKeyPolicy' },
      { name: 'its stack decrypts', as: own, action: 'kms:Decrypt' },
      { name: 'its stack grants to an AWS service', as: own, action: 'kms:CreateGrant', context: { 'kms:GrantIsForAWSResource': 'true' } },
      { name: 'its stack grants to anyone', as: own, action: 'kms:CreateGrant', context: { 'kms:GrantIsForAWSResource': 'false' } },
      { name: 'another stack grants to an AWS service', as: neighbour, action: 'kms:CreateGrant', context: { 'kms:GrantIsForAWSResource': 'true' } },
      { name: 'the planner describes it', as: { arn: PLANNER }, action: 'kms:DescribeKey' },
      { name: 'the planner reads its rotation', as: { arn: PLANNER }, action: 'kms:GetKeyRotationStatus' },
      { name: 'the planner decrypts', as: { arn: PLANNER }, action: 'kms:Decrypt' },
      { name: 'the planner rewrites the policy', as: { arn: PLANNER }, action: 'kms:PutKeyPolicy' },
    ];
    expect(await decide(keyPolicy(props), calls)).toEqual(expected(calls, [
      'its stack rewrites the policy', 'its stack tags it', 'its stack grants to an AWS service', 'the planner describes it', 'the planner reads its rotation',
    ]));
  });

  it('lets only a purge schedule the deletion of a key that holds data; the owning stack deletes any other key', async () => {
    const calls: KeyCall[] = [
      { name: 'its stack', as: own, action: 'kms:ScheduleKeyDeletion' },
      { name: 'its purge', as: purge, action: 'kms:ScheduleKeyDeletion' },
      { name: 'another tenant\'s purge', as: { arn: DEPLOYER, tags: { 'tenancy-owner': 'tenant-globex', 'tenancy-purge': 'true' } }, action: 'kms:ScheduleKeyDeletion' },
    ];
    const data = keyPolicy(props);
    expect(await decide(data, calls)).toEqual(expected(calls, ['its purge']));
    const cluster = keyPolicy({ ...props, owner: 'cell-blue-1', holdsData: false });
    expect(await decide(cluster, [{ name: 'the cell', as: { arn: DEPLOYER, tags: { 'tenancy-owner': 'cell-blue-1' } }, action: 'kms:ScheduleKeyDeletion' }, { name: 'a tenant of it', as: own, action: 'kms:ScheduleKeyDeletion' }]))
      .toEqual(['the cell: allowed', 'a tenant of it: denied']);
    expect([data, cluster].map((p) => p.Statement.find((s) => s.Action === 'kms:ScheduleKeyDeletion')!.Sid)).toEqual(['OnlyThePurgeDeletesKey', 'OwningStackDeletesKey']);
  });

  it('lets the account administer it through IAM, as AWS\'s default key policy does, and no other account', async () => {
    const admin: PolicyDocument = { Version: '2012-10-17', Statement: [{ Sid: 'Admin', Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };
    expect(await decide(keyPolicy(props), [
      { name: 'an administrator of the account', as: { arn: `arn:aws:iam::${ACCOUNT}:role/admin`, policies: [admin] }, action: 'kms:Decrypt' },
      { name: 'an administrator of another account', as: { arn: 'arn:aws:iam::999988887777:role/admin', policies: [admin] }, action: 'kms:Decrypt' },
    ])).toEqual(['an administrator of the account: allowed', 'an administrator of another account: denied']);
  });

  it('lets CloudWatch Logs of its region encrypt the log groups it names, and only when it names any', () => {
    // The simulator drops condition keys whose own name has colons (kms:EncryptionContext:aws:logs:arn): read the statement.
    const logs = (groups: string[]) => keyPolicy({ ...props, logGroups: groups }).Statement.filter((s) => s.Sid === 'CloudWatchLogsOfItsLogGroups');
    expect(logs([LOG_GROUP])).toEqual([{
      Sid: 'CloudWatchLogsOfItsLogGroups', Effect: 'Allow', Principal: { Service: 'logs.us-east-1.amazonaws.com' },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'], Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': [LOG_GROUP] } },
    }]);
    expect(logs([])).toEqual([]);
  });

  it('lets the account\'s Auto Scaling role encrypt node volumes and grant to EBS, where asked, and no other account\'s', async () => {
    const role = autoScalingServiceRoleArn('aws', ACCOUNT);
    expect(role).toBe(`arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`);
    const autoScaling = { arn: role };
    const ours = { 'aws:PrincipalArn': role, 'kms:CallerAccount': ACCOUNT };
    const calls: KeyCall[] = [
      { name: 'it encrypts a volume', as: autoScaling, action: 'kms:GenerateDataKeyWithoutPlaintext', context: ours },
      { name: 'it grants to EBS', as: autoScaling, action: 'kms:CreateGrant', context: { ...ours, 'kms:GrantIsForAWSResource': 'true' } },
      { name: 'it grants to anyone', as: autoScaling, action: 'kms:CreateGrant', context: { ...ours, 'kms:GrantIsForAWSResource': 'false' } },
      { name: 'another account\'s encrypts', as: autoScaling, action: 'kms:GenerateDataKeyWithoutPlaintext', context: { ...ours, 'kms:CallerAccount': '999988887777' } },
      { name: 'another role encrypts', as: { arn: `arn:aws:iam::${ACCOUNT}:role/other` }, action: 'kms:GenerateDataKeyWithoutPlaintext', context: { ...ours, 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/other` } },
      { name: 'it schedules deletion', as: autoScaling, action: 'kms:ScheduleKeyDeletion', context: ours },
    ];
    expect(await decide(keyPolicy({ ...props, allowAutoScalingVolumes: true }), calls)).toEqual(expected(calls, ['it encrypts a volume', 'it grants to EBS']));
    expect(await decide(keyPolicy(props), calls.slice(0, 1))).toEqual(['it encrypts a volume: denied']);
  });
});
