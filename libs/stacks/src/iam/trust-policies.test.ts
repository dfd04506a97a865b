import { describe, expect, it, vi } from 'vitest';
import { IamSimulator, sessionArn, type SimulatedRole } from '../testing/iam-simulator';
import type { PolicyDocument } from './policy-document';
import { accountRoleTrust, type AccountRoleTrustProps } from './trust-policies';

// The simulator loads AWS's service catalog on its first call: seconds.
vi.setConfig({ testTimeout: 120_000 });

const DEPLOYER = 'arn:aws:iam::111122223333:role/tenancy/tenancy-deployer';
const PURGER = 'arn:aws:iam::111122223333:role/tenancy/tenancy-purger';
const PLANNER = 'arn:aws:iam::111122223333:role/tenancy/tenancy-planner';
const ACCOUNT_ROLE = 'arn:aws:iam::777788889999:role/tenancy/tenancy-account-deployer';
const ANYTHING: PolicyDocument = { Version: '2012-10-17', Statement: [{ Sid: 'Everything', Effect: 'Allow', Action: '*', Resource: '*' }] };
const simulator = new IamSimulator();

/** A control-plane principal, whose own policies allow everything: only the trust decides. */
const caller = (arn: string): SimulatedRole => ({ arn, policies: [ANYTHING], tags: {} });

const tags = (owner?: string, host?: string, purge?: string) => {
  const named = Object.entries({ 'tenancy-owner': owner, 'tenancy-host': host, 'tenancy-purge': purge }).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return { ...Object.fromEntries(named.map(([key, value]) => [`aws:RequestTag/${key}`, value])), 'aws:TagKeys': named.map(([key]) => key) };
};

/** Each call as `name: allowed|denied`, so a failure lists every call that changed. */
async function decide(trust: PolicyDocument, calls: readonly [name: string, principal: string, action: string, context: Record<string, string | string[]>][]): Promise<string[]> {
  return Promise.all(calls.map(async ([name, principal, action, context]) => {
    const decision = await simulator.evaluate(caller(principal), sessionArn(principal, 'GitHubActions'), { action, resource: ACCOUNT_ROLE, resourceAccount: '777788889999', context, resourcePolicy: trust });
    return `${name}: ${decision === 'Allowed' ? 'allowed' : 'denied'}`;
  }));
}

describe('an account role\'s trust, by IAM simulation', () => {
  const customer: AccountRoleTrustProps = { principal: DEPLOYER, purger: PURGER, externalId: 'ext-3f9a', owners: { owners: ['tenant-acme', 'cell-blue-1'], hosts: ['cell-blue-1'] } };

  it('lets only its principal and the purger assume it, with the external id', async () => {
    expect(await decide(accountRoleTrust(customer), [
      ['the deployer with the external id', DEPLOYER, 'sts:AssumeRole', { 'sts:ExternalId': 'ext-3f9a' }],
      ['the deployer without it', DEPLOYER, 'sts:AssumeRole', {}],
      ['the deployer with another', DEPLOYER, 'sts:AssumeRole', { 'sts:ExternalId': 'ext-0000' }],
      ['the purger with the external id', PURGER, 'sts:AssumeRole', { 'sts:ExternalId': 'ext-3f9a' }],
      ['the planner with the external id', PLANNER, 'sts:AssumeRole', { 'sts:ExternalId': 'ext-3f9a' }],
    ])).toEqual([
      'the deployer with the external id: allowed', 'the deployer without it: denied', 'the deployer with another: denied',
      'the purger with the external id: allowed', 'the planner with the external id: denied',
    ]);
  });

  it('lets sessions be tagged only for the owners and hosts it names, and only the purger\'s as a purge', async () => {
    expect(await decide(accountRoleTrust(customer), [
      ['a hosted tenant in its cell', DEPLOYER, 'sts:TagSession', tags('tenant-acme', 'cell-blue-1')],
      ['the cell itself', DEPLOYER, 'sts:TagSession', tags('cell-blue-1')],
      ['another tenant', DEPLOYER, 'sts:TagSession', tags('tenant-globex', 'cell-blue-1')],
      ['a hosted tenant in another cell', DEPLOYER, 'sts:TagSession', tags('tenant-acme', 'cell-red-2')],
      ['no owner', DEPLOYER, 'sts:TagSession', tags(undefined, 'cell-blue-1')],
      ['a key the stacks never set', DEPLOYER, 'sts:TagSession', { ...tags('tenant-acme', 'cell-blue-1'), 'aws:RequestTag/admin': 'true', 'aws:TagKeys': ['tenancy-owner', 'tenancy-host', 'admin'] }],
      ['the deployer as a purge', DEPLOYER, 'sts:TagSession', tags('tenant-acme', 'cell-blue-1', 'true')],
      ['the purger as a purge', PURGER, 'sts:TagSession', tags('tenant-acme', 'cell-blue-1', 'true')],
      ['the purger as a purge of another tenant', PURGER, 'sts:TagSession', tags('tenant-globex', 'cell-blue-1', 'true')],
      ['the purger with the purge tag false', PURGER, 'sts:TagSession', tags('tenant-acme', 'cell-blue-1', 'false')],
      ['the purger without the purge tag', PURGER, 'sts:TagSession', tags('tenant-acme', 'cell-blue-1')],
      ['the planner for a hosted tenant', PLANNER, 'sts:TagSession', tags('tenant-acme', 'cell-blue-1')],
    ])).toEqual([
      'a hosted tenant in its cell: allowed', 'the cell itself: allowed', 'another tenant: denied', 'a hosted tenant in another cell: denied', 'no owner: denied',
      'a key the stacks never set: denied', 'the deployer as a purge: denied', 'the purger as a purge: allowed', 'the purger as a purge of another tenant: denied',
      'the purger with the purge tag false: denied', 'the purger without the purge tag: allowed', 'the planner for a hosted tenant: denied',
    ]);
  });

  it('without owners, takes any owner but requires one; without hosts, refuses a host', async () => {
    const anyOwner = accountRoleTrust({ principal: DEPLOYER });
    expect(await decide(anyOwner, [
      ['an owner and a host', DEPLOYER, 'sts:TagSession', tags('tenant-acme', 'cell-blue-1')],
      ['no owner', DEPLOYER, 'sts:TagSession', tags()],
      ['assumed without an external id', DEPLOYER, 'sts:AssumeRole', {}],
      ['the purger, not trusted', PURGER, 'sts:AssumeRole', {}],
    ])).toEqual(['an owner and a host: allowed', 'no owner: denied', 'assumed without an external id: allowed', 'the purger, not trusted: denied']);
    expect(anyOwner.Statement.map((s) => s.Sid)).toEqual(['ControlPlanePrincipal', 'OwnerSessionTags']);
    // No external id, no condition at all: IAM refuses a condition operator without keys.
    expect(anyOwner.Statement[0]).not.toHaveProperty('Condition');
    const dedicated = accountRoleTrust({ principal: DEPLOYER, owners: { owners: ['tenant-initech-hr'], hosts: [] } });
    expect(await decide(dedicated, [
      ['the tenant alone', DEPLOYER, 'sts:TagSession', tags('tenant-initech-hr')],
      ['the tenant with a host', DEPLOYER, 'sts:TagSession', tags('tenant-initech-hr', 'cell-blue-1')],
    ])).toEqual(['the tenant alone: allowed', 'the tenant with a host: denied']);
  });
});
