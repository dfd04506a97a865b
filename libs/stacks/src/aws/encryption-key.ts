import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import { keyPolicy } from '../iam/key-policy';
import { terraformPolicy } from '../iam/policy-document';
import { ownerName, type StackOwner } from '../iam/session-scope';
import { partitionOf } from '../naming';
import { roleArn, type AccountAccess } from './account-access';
import { untaggedAwsProvider } from './aws-provider';

export interface EncryptionKeyProps {
  /** What the key protects, shown in the KMS console. */
  readonly description: string;
  /** Alias, starting with `alias/`. */
  readonly alias: string;
  /** The account the key lives in and its planner and deployer roles, which the key policy names. */
  readonly access: AccountAccess;
  readonly region: string;
  /** The stack that owns the key: only its sessions manage the key. */
  readonly owner: StackOwner;
  /**
   * The key encrypts tenant data: only the purge of a reaped tenant may schedule its deletion.
   * @default false
   */
  readonly holdsData?: boolean;
  /**
   * Log groups, by name (`*` as a wildcard), whose logs CloudWatch Logs may encrypt with the key.
   * @default none
   */
  readonly logGroups?: readonly string[];
  /**
   * Let EC2 Auto Scaling encrypt the root volumes of node group instances with the key.
   * @default false
   */
  readonly allowAutoScalingVolumes?: boolean;
  /**
   * Days between a deletion request and the key's deletion.
   * @default 30
   */
  readonly deletionWindowDays?: number;
  /**
   * Refuse to destroy the key (keys that encrypt retained data).
   * @default false
   */
  readonly preventDestroy?: boolean;
}

/**
 * A customer-managed KMS key with yearly rotation, its alias, and a policy that gives the deployer no
 * use of it. The key carries no tags (KMS would authorize tags on creation on any key of the
 * account): the alias, which only the owner's stacks can point at a key and only at their own, is
 * what roles are given it by.
 */
export class EncryptionKey extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const days = props.deletionWindowDays ?? 30;
    if (!Number.isInteger(days) || days < 7 || days > 30) {
      throw new Error(`deletionWindowDays must be a whole number from 7 to 30, got ${days}`);
    }
    if (!props.alias.startsWith('alias/')) throw new Error(`alias must start with "alias/", got ${props.alias}`);
    const policy = keyPolicy({
      partition: partitionOf(props.region),
      region: props.region,
      accountId: props.access.accountId,
      deployerRoleArn: roleArn(props.access, props.region, 'deployer'),
      plannerRoleArn: roleArn(props.access, props.region, 'planner'),
      owner: ownerName(props.owner),
      holdsData: props.holdsData ?? false,
      logGroups: (props.logGroups ?? []).map((name) => `arn:${partitionOf(props.region)}:logs:${props.region}:${props.access.accountId}:log-group:${name}`),
      allowAutoScalingVolumes: props.allowAutoScalingVolumes ?? false,
    });
    this.key = new KmsKey(this, 'key', {
      provider: untaggedAwsProvider(this),
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: days,
      policy: terraformPolicy(policy),
      ...(props.preventDestroy ? { lifecycle: { preventDestroy: true } } : {}),
    });
    new KmsAlias(this, 'alias', { name: props.alias, targetKeyId: this.key.keyId });
  }
}
