/** The retention periods CloudWatch Logs accepts, in days. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** The shortest retention CloudWatch Logs accepts that keeps logs at least `days`. */
export function logRetentionDays(days: number): number {
  const fitting = LOG_RETENTION_DAYS.find((allowed) => allowed >= days);
  if (fitting === undefined) throw new Error(`CloudWatch Logs keeps logs at most ${LOG_RETENTION_DAYS.at(-1)} days, not ${days}`);
  return fitting;
}

/** The least any log group of tenancy's is kept: a year, as audits ask. */
export const MINIMUM_LOG_DAYS = 365;

/**
 * How long a tenant's logs are kept: at least a year and never less than its data's retention;
 * under a legal hold, forever (`0`, CloudWatch's "never expire").
 */
export function tenantLogDays(retentionDays: number, legalHold: boolean): number {
  return legalHold ? 0 : logRetentionDays(Math.max(MINIMUM_LOG_DAYS, retentionDays));
}
