import { OUTPUTS } from '@tenancy/stacks';
import { offlineAccessKey } from './aws-stand-in';

/**
 * Values a stack reads from other stacks' state when planning offline, where those states do not
 * exist. Obviously fake, and only ever written to the offline override file.
 */
export const OFFLINE_OUTPUTS: Readonly<Record<(typeof OUTPUTS)[keyof typeof OUTPUTS][number], unknown>> = {
  cluster_name: 'offline-cluster',
  cluster_endpoint: 'https://offline.invalid',
  cluster_certificate_authority: Buffer.from('offline').toString('base64'),
  cluster_arn: 'arn:aws:eks:us-east-1:000000000000:cluster/offline-cluster',
  cluster_security_group_id: 'sg-00000000000000000',
  cluster_key_arn: 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000001',
  pod_security_group_id: 'sg-00000000000000001',
  database_resource_id: 'db-OFFLINE',
  vpc_id: 'vpc-00000000000000000',
  vpc_cidr: '10.255.0.0/16',
  private_subnet_ids: ['subnet-00000000000000001', 'subnet-00000000000000002'],
  bucket_name: 'offline-bucket',
  bucket_arn: 'arn:aws:s3:::offline-bucket',
  kms_key_arn: 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000',
  database_endpoint: 'offline.invalid',
  database_port: 5432,
  database_secret_arn: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:offline-OFFLINE',
  node_group_name: 'offline-nodes',
};

interface StackJson {
  provider?: { aws?: { alias?: string; assume_role?: unknown[]; allowed_account_ids?: string[] }[] };
  data?: { terraform_remote_state?: Record<string, unknown> };
}

/** A state with no outputs: offline, every other stack's state reads as this, so its placeholders apply. */
export const EMPTY_STATE = `${JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 1, lineage: 'tenancy-offline-empty', outputs: {}, resources: [], check_results: null })}\n`;

export interface OfflineOverrideOptions {
  /** The loopback stand-in's URL. */
  readonly endpoint: string;
  /** This stack's local state file, relative to its folder. */
  readonly statePath: string;
  /** A file holding EMPTY_STATE, relative to the stack's folder. */
  readonly emptyStatePath: string;
}

/**
 * `offline_override.tf.json` for a synthesized stack: Terraform merges it over the stack, so the
 * provider configuration stays the real one (its role and external id) while credentials are fake,
 * AWS calls go to the loopback stand-in, state is local, and other stacks' outputs are placeholders.
 */
export function offlineOverride(stack: StackJson, options: OfflineOverrideOptions): object {
  const aws = (stack.provider?.aws ?? []).map((provider) => ({
    ...(provider.alias ? { alias: provider.alias } : {}),
    // A provider a person runs with their own credentials checks the account it reaches: it asks STS.
    ...(provider.allowed_account_ids?.length && !provider.assume_role
      ? { access_key: offlineAccessKey(provider.allowed_account_ids[0]!) }
      : { access_key: 'offline', skip_requesting_account_id: true }),
    secret_key: 'offline',
    skip_credentials_validation: true,
    skip_metadata_api_check: 'true',
    skip_region_validation: true,
    endpoints: [{ sts: options.endpoint, secretsmanager: options.endpoint }],
  }));
  const remoteStates = Object.keys(stack.data?.terraform_remote_state ?? {});
  return {
    terraform: { backend: { local: { path: options.statePath } } },
    ...(aws.length ? { provider: { aws } } : {}),
    ...(remoteStates.length
      ? {
          data: {
            terraform_remote_state: Object.fromEntries(remoteStates.map((name) => [name, {
              backend: 'local',
              config: { path: options.emptyStatePath },
              defaults: OFFLINE_OUTPUTS,
            }])),
          },
        }
      : {}),
  };
}

/** The override file's name: Terraform merges files ending in `_override.tf.json` last. */
export const OFFLINE_OVERRIDE_FILE = 'offline_override.tf.json';
