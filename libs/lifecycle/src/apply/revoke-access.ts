import { clientConfig, type AwsEndpoint } from '../aws/aws-endpoint';
import type { AccessRevocation } from '../changes/change-set';

/** Days Secrets Manager keeps a deleted external id recoverable: the longest it allows. */
export const RECOVERY_WINDOW_DAYS = 30;

/**
 * Takes the deployer's access to a customer account away once the last tenant, cell and pool
 * behind its role are gone: the external id is scheduled for deletion, so the role can no longer
 * be assumed, and the customer is told which stack to delete.
 */
export async function revokeAccess(revocation: AccessRevocation, endpoint: AwsEndpoint): Promise<string> {
  if (revocation.stillUsedBy.length) {
    return `access to account ${revocation.accountId} stays: role ${revocation.roleName} still serves ${revocation.stillUsedBy.join(', ')}`;
  }
  // Loaded here, not with the module: every command that loads the lifecycle library would pay for the SDK.
  const { DeleteSecretCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient(clientConfig(endpoint));
  try {
    await client.send(new DeleteSecretCommand({ SecretId: revocation.externalIdSecret, RecoveryWindowInDays: RECOVERY_WINDOW_DAYS }));
  } finally {
    client.destroy();
  }
  return `external id ${revocation.externalIdSecret} scheduled for deletion in ${RECOVERY_WINDOW_DAYS} days; ask the customer to delete the CloudFormation stack that created role ${revocation.roleName} in account ${revocation.accountId} (tenancy-access)`;
}
