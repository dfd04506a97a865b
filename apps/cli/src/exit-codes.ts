/** Exit codes of every command. */
export const EXIT = {
  ok: 0,
  /** The input (tenant files, platform.yaml, plans) is invalid, or work failed. */
  invalid: 1,
  /** Wrong usage, or an internal failure. */
  usage: 2,
} as const;

/** A usage mistake: reported in one line, exit 2. */
export class UsageError extends Error {}

/** Input that does not check out (a record, a file read back from a branch): reported in one line, exit 1. */
export class InputError extends Error {}

/** Runs `work`, turning what it throws into a usage mistake: for checks of an option's value. */
export function asUsageError<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
