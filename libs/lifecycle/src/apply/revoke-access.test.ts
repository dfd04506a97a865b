import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsStandIn } from '../offline/aws-stand-in';
import { revokeAccess } from './revoke-access';

describe('revoking a customer account\'s access', () => {
  let standIn: AwsStandIn;
  beforeEach(async () => { standIn = new AwsStandIn(); await standIn.start(); });
  afterEach(() => standIn.stop());
  const revocation = { accountId: '123456789012', roleName: 'TenancyDeployer', externalIdSecret: 'tenancy/customers/umbrella/external-id' };

  it('schedules the external id for deletion with the longest recovery window, and tells the customer what to delete', async () => {
    const message = await revokeAccess({ ...revocation, stillUsedBy: [] }, { region: 'us-east-1', url: standIn.url });
    expect(standIn.requests).toEqual([{ service: 'secretsmanager', action: 'DeleteSecret', params: { SecretId: 'tenancy/customers/umbrella/external-id', RecoveryWindowInDays: '30' } }]);
    expect(message).toBe('external id tenancy/customers/umbrella/external-id scheduled for deletion in 30 days; ask the customer to delete the CloudFormation stack that created role TenancyDeployer in account 123456789012 (tenancy-access)');
  });

  it('leaves the access alone while the role serves someone else', async () => {
    const message = await revokeAccess({ ...revocation, stillUsedBy: ['tenant initech-fin'] }, { region: 'us-east-1', url: standIn.url });
    expect(standIn.requests).toEqual([]);
    expect(message).toContain('still serves tenant initech-fin');
  });
});
