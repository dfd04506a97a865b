import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version';
import type { TerraformStack } from 'cdktf';
import { roleArn, type AccountAccess } from './account-access';

export interface AccountProviderProps {
  readonly access: AccountAccess;
  /** Region of the stack's resources. */
  readonly region: string;
  /** Region of the control plane, where external-id secrets live. */
  readonly controlPlaneRegion: string;
  /** Names the deployer's session in the target account's CloudTrail. At most 64 characters. */
  readonly sessionName: string;
  /** Tags every resource of the stack carries. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The AWS provider of a stack: it assumes the access role of the stack's account. For customer
 * accounts the external id is read at plan and apply time from the control plane's Secrets Manager,
 * by a second provider running as the deployer itself, so the value never enters the synthesized JSON.
 */
export function configureAwsProvider(stack: TerraformStack, props: AccountProviderProps): AwsProvider {
  if (props.sessionName.length > 64) throw new Error(`sessionName must be at most 64 characters, got ${props.sessionName}`);
  let externalId: string | undefined;
  if (props.access.externalIdSecret) {
    const controlPlane = new AwsProvider(stack, 'control-plane', { alias: 'control_plane', region: props.controlPlaneRegion });
    externalId = new DataAwsSecretsmanagerSecretVersion(stack, 'external-id', { provider: controlPlane, secretId: props.access.externalIdSecret }).secretString;
  }
  return new AwsProvider(stack, 'aws', {
    region: props.region,
    assumeRole: [{ roleArn: roleArn(props.access, props.region), sessionName: props.sessionName, ...(externalId ? { externalId } : {}) }],
    defaultTags: [{ tags: { ...props.tags } }],
  });
}
