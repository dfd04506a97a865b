import { localOffboardingClock, localStateReader, s3OffboardingClock, s3StateReader, type AppliedStateReader, type OffboardingClock } from '@tenancy/lifecycle';
import type { Platform } from '@tenancy/model';
import { s3State, type StateLocation } from '@tenancy/stacks';
import { workspaceDirs } from '../workspace';

/** Where a run reads what Terraform holds: the state bucket, or offline the state offline applies left. */
export function appliedStateReader(root: string, platform: Platform, offline: boolean): AppliedStateReader {
  return offline ? localStateReader(workspaceDirs(root).offlineState) : s3StateReader(s3State(platform) as Extract<StateLocation, { kind: 's3' }>);
}

/** Where a run records and reads when offboardings were applied: beside the state, or offline beside the offline state. */
export function offboardingClock(root: string, platform: Platform, offline: boolean): OffboardingClock {
  return offline ? localOffboardingClock(workspaceDirs(root).offlineState) : s3OffboardingClock(s3State(platform) as Extract<StateLocation, { kind: 's3' }>);
}
