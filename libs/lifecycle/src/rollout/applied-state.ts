import type { S3Client } from '@aws-sdk/client-s3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIGURATION_OUTPUT, stateKey, type StateLocation } from '@tenancy/stacks';
import { clientConfig, type AwsEndpoint } from '../aws/aws-endpoint';

/** What Terraform holds of a stack: the configuration it was last applied from, and how many resources it manages. */
export interface AppliedState {
  /** The stack's CONFIGURATION_OUTPUT as last applied; absent when never applied with one. */
  readonly configuration?: string;
  readonly resources: number;
}

/** Reads a stack's state; undefined when the stack has none. */
export type AppliedStateReader = (stack: string) => Promise<AppliedState | undefined>;

interface StateFile {
  readonly outputs?: Record<string, { value?: unknown }>;
  readonly resources?: readonly { mode?: string; instances?: readonly unknown[] }[];
}

/** What a state file's JSON says was applied. */
export function appliedStateOf(text: string): AppliedState {
  const state = JSON.parse(text) as StateFile;
  const value = state.outputs?.[CONFIGURATION_OUTPUT]?.value;
  const resources = (state.resources ?? []).filter((r) => r.mode === 'managed').reduce((n, r) => n + (r.instances?.length ?? 0), 0);
  return { ...(typeof value === 'string' ? { configuration: value } : {}), resources };
}

/** States kept as `<dir>/<stack>.tfstate`: offline runs, local state. */
export function localStateReader(dir: string): AppliedStateReader {
  return async (stack) => {
    const path = join(dir, `${stack}.tfstate`);
    return existsSync(path) ? appliedStateOf(readFileSync(path, 'utf8')) : undefined;
  };
}

/** States in the control plane's bucket, read with the credentials the run holds (the planner's or the deployer's). */
export function s3StateReader(location: Extract<StateLocation, { kind: 's3' }>, endpoint: AwsEndpoint = { region: location.region }): AppliedStateReader {
  let client: S3Client | undefined;
  return async (stack) => {
    // Loaded here, not with the module: every command that loads the lifecycle library would pay for the SDK.
    const { GetObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
    client ??= new S3Client({ ...clientConfig(endpoint), ...(endpoint.url ? { forcePathStyle: true } : {}) });
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: stateKey(location, stack) }));
      return appliedStateOf(await object.Body!.transformToString());
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw new Error(`the state of ${stack} could not be read from s3://${location.bucket}/${stateKey(location, stack)}: ${(error as Error).message}`);
    }
  };
}
