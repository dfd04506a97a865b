import { CONFIGURATION_OUTPUT, type StateLocation } from '@tenancy/stacks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsStandIn } from '../offline/aws-stand-in';
import { s3OffboardingClock } from '../retention/offboarding-clock';
import { appliedStateOf, s3StateReader } from './applied-state';

const state = (configuration: string | undefined, resources: number) => JSON.stringify({
  version: 4,
  outputs: configuration ? { [CONFIGURATION_OUTPUT]: { value: configuration, type: 'string' } } : {},
  resources: [
    { mode: 'data', type: 'aws_iam_policy_document', name: 'd', instances: [{}] },
    ...Array.from({ length: resources }, (_, i) => ({ mode: 'managed', type: 'aws_s3_bucket', name: `b${i}`, instances: [{}] })),
  ],
});

describe('what Terraform holds of a stack', () => {
  const standIn = new AwsStandIn();
  beforeAll(async () => { await standIn.start(); });
  afterAll(() => standIn.stop());
  const location: Extract<StateLocation, { kind: 's3' }> = { kind: 's3', bucket: 'tenancy-state', keyPrefix: 'tenancy', region: 'us-east-1', lock: { type: 'lockfile' }, kmsKeyId: 'alias/tenancy-state' };

  it('reads the configuration last applied and the managed resources, data sources aside', () => {
    expect(appliedStateOf(state('abc', 2))).toEqual({ configuration: 'abc', resources: 2 });
    expect(appliedStateOf(state(undefined, 0))).toEqual({ resources: 0 });
  });

  it('reads states from the state bucket at the stack\'s key, and no state as none', async () => {
    standIn.objects.set('tenancy-state/tenancy/tenant-acme-data.tfstate', state('f00d', 23));
    const read = s3StateReader(location, { region: 'us-east-1', url: standIn.url });
    expect(await read('tenant-acme-data')).toEqual({ configuration: 'f00d', resources: 23 });
    expect(await read('tenant-ghost-data')).toBeUndefined();
    expect(standIn.requests.filter((r) => r.service === 's3').map((r) => r.params.path)).toEqual(['tenancy-state/tenancy/tenant-acme-data.tfstate', 'tenancy-state/tenancy/tenant-ghost-data.tfstate']);
  });

  it('records when an offboarding was applied in the state bucket, once: S3 refuses a second write of it', async () => {
    const clock = s3OffboardingClock(location, { region: 'us-east-1', url: standIn.url });
    expect(await clock.read('wayne', 'abc')).toBeUndefined();
    expect(await clock.record({ tenant: 'wayne', deletedIn: 'abc', appliedAt: '2026-01-01T00:00:00.000Z' })).toMatchObject({ appliedAt: '2026-01-01T00:00:00.000Z' });
    expect(await clock.record({ tenant: 'wayne', deletedIn: 'abc', appliedAt: '2027-01-01T00:00:00.000Z' })).toMatchObject({ appliedAt: '2026-01-01T00:00:00.000Z' });
    expect(standIn.requests.filter((r) => r.action === 'PutObject').map((r) => r.params)).toEqual([
      { path: 'tenancy-state/tenancy/offboardings/wayne/abc.json', ifNoneMatch: '*' }, { path: 'tenancy-state/tenancy/offboardings/wayne/abc.json', ifNoneMatch: '*' },
    ]);
    expect(await clock.read('wayne', 'abc')).toMatchObject({ appliedAt: '2026-01-01T00:00:00.000Z' });
  });
});
