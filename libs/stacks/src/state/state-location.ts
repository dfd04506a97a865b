import { relative, join } from 'node:path';
import type { Platform } from '@tenancy/model';
import { partitionOf } from '../naming';

/** Where stack state is kept. */
export type StateLocation =
  | {
      readonly kind: 's3';
      readonly bucket: string;
      readonly keyPrefix: string;
      readonly region: string;
      readonly lock: Platform['controlPlane']['state']['lock'];
      /** The control plane's state key, by alias ARN: every state object is written under it, never under S3's own key. */
      readonly kmsKeyId: string;
    }
  | {
      readonly kind: 'local';
      /** Absolute folder holding one `<stack>.tfstate` per stack. */
      readonly stateDir: string;
      /** Absolute folder holding one folder per synthesized stack. */
      readonly outDir: string;
    };

/** Alias of the KMS key that encrypts every stack's state, made by the control-plane stack. */
export const STATE_KEY_ALIAS = 'alias/tenancy-state';

/** The control plane's S3 state bucket of `platform.yaml`. */
export function s3State(platform: Platform): StateLocation {
  const { state, region } = platform.controlPlane;
  const kmsKeyId = `arn:${partitionOf(region)}:kms:${region}:${platform.accounts.provider.id}:${STATE_KEY_ALIAS}`;
  return { kind: 's3', bucket: state.bucket, keyPrefix: state.keyPrefix, region, lock: state.lock, kmsKeyId };
}

/** Key of a stack's state in the S3 bucket. */
export function stateKey(location: Extract<StateLocation, { kind: 's3' }>, stack: string): string {
  return `${location.keyPrefix}/${stack}.tfstate`;
}

/**
 * Path of a stack's local state file as seen from the folder of the stack reading it: relative,
 * so synthesized output is the same on every machine.
 */
export function localStatePath(location: Extract<StateLocation, { kind: 'local' }>, fromStack: string, ofStack: string): string {
  return relative(join(location.outDir, fromStack), join(location.stateDir, `${ofStack}.tfstate`)).split('\\').join('/');
}
