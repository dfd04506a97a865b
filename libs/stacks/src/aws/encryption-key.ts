import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import { dnsSuffixOf, partitionOf } from '../naming';

export interface EncryptionKeyProps {
  /** What the key protects, shown in the KMS console. */
  readonly description: string;
  /** Alias, starting with `alias/`. */
  readonly alias: string;
  /** Account the key lives in; its administrators manage the key through IAM. */
  readonly accountId: string;
  readonly region: string;
  /**
   * Let CloudWatch Logs of this account and region encrypt log groups with the key.
   * @default false
   */
  readonly allowCloudWatchLogs?: boolean;
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

/** A customer-managed KMS key with yearly rotation, and its alias. */
export class EncryptionKey extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const days = props.deletionWindowDays ?? 30;
    if (!Number.isInteger(days) || days < 7 || days > 30) {
      throw new Error(`deletionWindowDays must be a whole number from 7 to 30, got ${days}`);
    }
    if (!props.alias.startsWith('alias/')) throw new Error(`alias must start with "alias/", got ${props.alias}`);
    const partition = partitionOf(props.region);
    const statements: object[] = [{
      Sid: 'AccountAdministersKeyThroughIam',
      Effect: 'Allow',
      Principal: { AWS: `arn:${partition}:iam::${props.accountId}:root` },
      Action: 'kms:*',
      Resource: '*',
    }];
    if (props.allowCloudWatchLogs) {
      statements.push({
        Sid: 'CloudWatchLogsOfThisAccount',
        Effect: 'Allow',
        Principal: { Service: `logs.${props.region}.${dnsSuffixOf(props.region)}` },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${props.region}:${props.accountId}:log-group:*` } },
      });
    }
    this.key = new KmsKey(this, 'key', {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: days,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
      ...(props.preventDestroy ? { lifecycle: { preventDestroy: true } } : {}),
    });
    new KmsAlias(this, 'alias', { name: props.alias, targetKeyId: this.key.keyId });
  }
}
