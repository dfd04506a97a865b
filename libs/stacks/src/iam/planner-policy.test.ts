import { describe, expect, it, vi } from 'vitest';
import { IamSimulator, sessionArn } from '../testing/iam-simulator';
import type { AccountScope } from './account';
import { plannerPolicy } from './planner-policy';

// The simulator loads AWS's service catalog on its first call: seconds.
vi.setConfig({ testTimeout: 120_000 });

const ACCOUNT = '111122223333';
const OTHER = '999988887777';
const scope: AccountScope = { partition: 'aws', accountId: ACCOUNT, deployerRoleName: 'tenancy-deploy', plannerRoleName: 'tenancy-plan', tagKeys: [], ecrRegistries: [] };
const PLANNER = `arn:aws:iam::${ACCOUNT}:role/tenancy-plan`;
const simulator = new IamSimulator();

/** Each call as `action resource: allowed|denied`, the planner's policy built in the test. */
async function decide(calls: readonly (readonly [action: string, resource: string])[]): Promise<string[]> {
  const role = { arn: PLANNER, policies: [plannerPolicy(scope)], tags: {} };
  return Promise.all(calls.map(async ([action, resource]) => {
    const account = /^arn:aws:[^:]+:[^:]*:(\d{12})?:/.exec(resource)?.[1] ?? ACCOUNT;
    const decision = await simulator.evaluate(role, sessionArn(PLANNER, 'GitHubActions'), { action, resource, resourceAccount: account, context: {} });
    return `${action} ${resource}: ${decision === 'Allowed' ? 'allowed' : 'denied'}`;
  }));
}

const regional = (service: string, resource: string, account = ACCOUNT) => `arn:aws:${service}:us-east-1:${account}:${resource}`;

describe('the planner\'s policy, by IAM simulation', () => {
  it('reads the configuration of what the stacks make, in any region of its account', async () => {
    const reads: [string, string][] = [
      ['ec2:DescribeVpcs', '*'],
      ['eks:DescribeCluster', regional('eks', 'cluster/blue-1')],
      ['eks:DescribeAddonVersions', '*'],
      ['kms:ListAliases', '*'],
      ['logs:DescribeLogGroups', '*'],
      ['backup:DescribeBackupVault', regional('backup', 'backup-vault:tenant-acme-backups')],
      ['backup:GetBackupPlan', regional('backup', 'backup-plan:0a1b2c3d')],
      ['rds:DescribeDBInstances', regional('rds', 'db:tenant-acme')],
      ['s3:GetBucketPolicy', `arn:aws:s3:::tenant-acme-data-${ACCOUNT}-us-east-1`],
      ['logs:ListTagsForResource', regional('logs', 'log-group:/aws/eks/cell-blue-1/cluster')],
      ['logs:ListTagsForResource', regional('logs', 'log-group:/aws/rds/instance/tenant-acme/postgresql')],
      ['logs:ListTagsForResource', regional('logs', 'log-group:/tenancy/flow-logs/cell-blue-1')],
      ['iam:GetRole', `arn:aws:iam::${ACCOUNT}:role/tenant-acme-identity`],
      ['iam:GetRole', `arn:aws:iam::${ACCOUNT}:role/cell-blue-1-cluster`],
      ['iam:GetRole', `arn:aws:iam::${ACCOUNT}:role/pool-shared-1-nodes`],
      ['iam:GetRole', `arn:aws:iam::${ACCOUNT}:role/tenancy/tenancy-backup`],
    ];
    expect(await decide(reads)).toEqual(reads.map(([action, resource]) => `${action} ${resource}: allowed`));
  });

  it('reads no data, nothing of the customer\'s own, nothing of another account, and writes nothing', async () => {
    const refused: [string, string][] = [
      ['s3:GetObject', `arn:aws:s3:::tenant-acme-data-${ACCOUNT}-us-east-1/report.csv`],
      ['s3:GetBucketPolicy', 'arn:aws:s3:::customer-prod-assets'],
      ['backup:DescribeBackupVault', regional('backup', 'backup-vault:customer-vault')],
      ['logs:ListTagsForResource', regional('logs', 'log-group:/customer/app')],
      ['iam:GetRole', `arn:aws:iam::${ACCOUNT}:role/Admin`],
      ['eks:DescribeCluster', regional('eks', 'cluster/blue-1', OTHER)],
      ['rds:DescribeDBInstances', regional('rds', 'db:tenant-acme', OTHER)],
      ['rds:DeleteDBInstance', regional('rds', 'db:tenant-acme')],
      ['iam:PutRolePolicy', `arn:aws:iam::${ACCOUNT}:role/tenant-acme-identity`],
      ['kms:Decrypt', regional('kms', 'key/1234abcd-0000')],
    ];
    expect(await decide(refused)).toEqual(refused.map(([action, resource]) => `${action} ${resource}: denied`));
  });
});
