import type { StackKind } from '@tenancy/stacks';

/** Terraform work on one stack that a change calls for. */
export interface StackWork {
  readonly stack: string;
  readonly kind: StackKind;
  /** The tenant whose stack it is; absent for cells and pools. */
  readonly tenant?: string;
  /** `apply`: create or update to the synthesized config; `destroy`: remove everything in it. */
  readonly action: 'apply' | 'destroy';
  /** Why: the fields or platform settings that changed. */
  readonly reasons: string[];
}

/** Order stacks are applied in when creating or updating: what others read comes first. */
export const APPLY_ORDER: readonly StackKind[] = ['cell', 'pool', 'data', 'compute', 'workload'];
/** Order stacks are destroyed in when offboarding: the reverse, and never data. */
export const DESTROY_ORDER: readonly StackKind[] = ['workload', 'compute'];
