import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { StateLocation } from '@tenancy/stacks';
import { clientConfig, type AwsEndpoint } from '../aws/aws-endpoint';

/**
 * When an offboarding was first applied: the moment its workload was destroyed, which starts the
 * retention clock of its data. Kept beside the stacks' state, written once by the apply that
 * destroyed the workload and never again (a later write finds it there), so neither a commit's
 * date nor a rerun can move it.
 */
export interface OffboardingApplied {
  readonly tenant: string;
  /** The commit that deleted the tenant's file. */
  readonly deletedIn: string;
  /** ISO 8601, UTC. */
  readonly appliedAt: string;
}

export interface OffboardingClock {
  /** Records when an offboarding was applied, unless it already was: returns what is recorded. */
  record(offboarding: OffboardingApplied): Promise<OffboardingApplied>;
  /** When an offboarding was applied, or undefined when no apply recorded it. */
  read(tenant: string, deletedIn: string): Promise<OffboardingApplied | undefined>;
}

const keyOf = (tenant: string, deletedIn: string) => `offboardings/${tenant}/${deletedIn}.json`;

function parsed(text: string, tenant: string, deletedIn: string): OffboardingApplied {
  const value = JSON.parse(text) as Partial<OffboardingApplied>;
  if (value.tenant !== tenant || value.deletedIn !== deletedIn || typeof value.appliedAt !== 'string' || Number.isNaN(Date.parse(value.appliedAt))) {
    throw new Error(`the offboarding record of ${tenant} (${deletedIn.slice(0, 12)}) is not one: ${text.slice(0, 200)}`);
  }
  return { tenant, deletedIn, appliedAt: value.appliedAt };
}

/** Offline, and for local state: a file per offboarding in a folder. */
export function localOffboardingClock(dir: string): OffboardingClock {
  return {
    async record(offboarding) {
      const path = join(dir, keyOf(offboarding.tenant, offboarding.deletedIn));
      if (existsSync(path)) return parsed(readFileSync(path, 'utf8'), offboarding.tenant, offboarding.deletedIn);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, JSON.stringify(offboarding), { flag: 'wx' });
      return offboarding;
    },
    async read(tenant, deletedIn) {
      const path = join(dir, keyOf(tenant, deletedIn));
      return existsSync(path) ? parsed(readFileSync(path, 'utf8'), tenant, deletedIn) : undefined;
    },
  };
}

/**
 * In the state bucket, under the state prefix, written with `If-None-Match: *`: S3 keeps the
 * first write of each offboarding and refuses every later one.
 */
export function s3OffboardingClock(location: Extract<StateLocation, { kind: 's3' }>, endpoint: AwsEndpoint = { region: location.region }): OffboardingClock {
  const key = (tenant: string, deletedIn: string) => `${location.keyPrefix}/${keyOf(tenant, deletedIn)}`;
  const client = async () => {
    // Loaded here, not with the module: every command that loads the lifecycle library would pay for the SDK.
    const sdk = await import('@aws-sdk/client-s3');
    return { sdk, s3: new sdk.S3Client({ ...clientConfig(endpoint), ...(endpoint.url ? { forcePathStyle: true } : {}) }) };
  };
  const read = async (tenant: string, deletedIn: string): Promise<OffboardingApplied | undefined> => {
    const { sdk, s3 } = await client();
    try {
      const object = await s3.send(new sdk.GetObjectCommand({ Bucket: location.bucket, Key: key(tenant, deletedIn) }));
      return parsed(await object.Body!.transformToString(), tenant, deletedIn);
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    } finally {
      s3.destroy();
    }
  };
  return {
    read,
    async record(offboarding) {
      const { sdk, s3 } = await client();
      try {
        await s3.send(new sdk.PutObjectCommand({
          Bucket: location.bucket, Key: key(offboarding.tenant, offboarding.deletedIn), Body: JSON.stringify(offboarding), IfNoneMatch: '*',
          ContentType: 'application/json', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: location.kmsKeyId,
        }));
        return offboarding;
      } catch (error) {
        if ((error as { name?: string; $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 412) throw error;
        return (await read(offboarding.tenant, offboarding.deletedIn))!;
      } finally {
        s3.destroy();
      }
    },
  };
}
