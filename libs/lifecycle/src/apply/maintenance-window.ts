import type { Tenant } from '@tenancy/model';

type Window = NonNullable<Tenant['maintenanceWindow']>;

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** Start times (UTC) of the window on the days around `now`, earliest first. */
function starts(window: Window, from: Date, days: number): Date[] {
  const [hours, minutes] = window.start.split(':').map(Number) as [number, number];
  const midnight = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  const result: Date[] = [];
  for (let offset = -1; offset <= days; offset++) {
    const day = new Date(midnight + offset * DAY);
    if (window.days.includes(DAYS[day.getUTCDay()]!)) result.push(new Date(day.getTime() + hours * HOUR + minutes * 60_000));
  }
  return result;
}

/** Whether `now` falls in the tenant's maintenance window; a tenant without one may change any time. */
export function inMaintenanceWindow(window: Window | undefined, now: Date): boolean {
  if (!window) return true;
  return starts(window, now, 0).some((start) => now >= start && now.getTime() < start.getTime() + window.hours * HOUR);
}

/** When the window next opens after `now`. */
export function nextWindow(window: Window, now: Date): Date {
  const next = starts(window, now, 8).find((start) => start > now);
  if (!next) throw new Error('a weekly window opens within eight days');
  return next;
}

/** `sat, sun 02:00 UTC for 4 h` */
export function describeWindow(window: Window): string {
  return `${window.days.join(', ')} ${window.start} UTC for ${window.hours} h`;
}
