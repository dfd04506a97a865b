import { describe, expect, it } from 'vitest';
import { inMaintenanceWindow, nextWindow } from './maintenance-window';

describe('maintenance windows, in UTC', () => {
  const weekend = { days: ['sat', 'sun'] as ('sat' | 'sun')[], start: '02:00', hours: 4 };
  const lateMonday = { days: ['mon'] as 'mon'[], start: '23:00', hours: 2 };

  it.each([
    ['2026-01-10T02:00:00Z', true], ['2026-01-10T05:59:59Z', true], ['2026-01-10T06:00:00Z', false],
    ['2026-01-10T01:59:59Z', false], ['2026-01-11T03:00:00Z', true], ['2026-01-12T03:00:00Z', false],
  ])('a weekend window at %s: %s', (now, inside) => {
    expect(inMaintenanceWindow(weekend, new Date(now))).toBe(inside);
  });

  it('runs past midnight into the next day', () => {
    expect(inMaintenanceWindow(lateMonday, new Date('2026-01-13T00:30:00Z'))).toBe(true);
    expect(inMaintenanceWindow(lateMonday, new Date('2026-01-13T01:00:00Z'))).toBe(false);
  });

  it('lets a tenant without a window change at any time', () => {
    expect(inMaintenanceWindow(undefined, new Date('2026-01-14T12:00:00Z'))).toBe(true);
  });

  it('names when the window next opens', () => {
    expect(nextWindow(weekend, new Date('2026-01-07T12:00:00Z')).toISOString()).toBe('2026-01-10T02:00:00.000Z');
    expect(nextWindow(lateMonday, new Date('2026-01-12T23:30:00Z')).toISOString()).toBe('2026-01-19T23:00:00.000Z');
  });
});
