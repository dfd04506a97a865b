import { LocalBackend, S3Backend, type TerraformStack } from 'cdktf';
import { localStatePath, stateKey, type StateLocation } from './state-location';

/** Configures where `stack` keeps its state: its own key in the state bucket, locked, or a local file. */
export function configureBackend(stack: TerraformStack, name: string, location: StateLocation): void {
  if (location.kind === 'local') {
    new LocalBackend(stack, { path: localStatePath(location, name, name) });
    return;
  }
  const backend = new S3Backend(stack, {
    bucket: location.bucket,
    key: stateKey(location, name),
    region: location.region,
    encrypt: true,
    // Without it the backend asks S3 for its own key (SSE-S3), overriding the bucket's default key.
    kmsKeyId: location.kmsKeyId,
    ...(location.lock.type === 'dynamodb' ? { dynamodbTable: location.lock.table } : {}),
  });
  // cdktf 0.21 predates S3-native locking; Terraform 1.11 reads the setting from the backend block.
  if (location.lock.type === 'lockfile') backend.addOverride('use_lockfile', true);
}
