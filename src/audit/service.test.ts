import { describe, expect, it } from 'vitest';
import { ukDayRange, ukDayStart } from './service.ts';

describe('UK calendar days as instants', () => {
  it('starts a winter day at midnight UTC and a summer day an hour earlier', () => {
    expect(ukDayStart('2026-01-15')).toBe('2026-01-15T00:00:00.000Z');
    expect(ukDayStart('2026-07-01')).toBe('2026-06-30T23:00:00.000Z');
  });

  it('gets the days the clocks change right', () => {
    // Clocks go forward at 01:00 UTC on 29 March 2026 and back at 01:00 UTC on 25 October 2026.
    expect(ukDayStart('2026-03-29')).toBe('2026-03-29T00:00:00.000Z');
    expect(ukDayStart('2026-03-30')).toBe('2026-03-29T23:00:00.000Z');
    expect(ukDayStart('2026-10-25')).toBe('2026-10-24T23:00:00.000Z');
    expect(ukDayStart('2026-10-26')).toBe('2026-10-26T00:00:00.000Z');
  });

  it('includes the whole of the last day, across a month end', () => {
    expect(ukDayRange('2026-06-01', '2026-06-30')).toEqual({
      from: '2026-05-31T23:00:00.000Z',
      to: '2026-06-30T23:00:00.000Z',
    });
    expect(ukDayRange(undefined, '2026-12-31')).toEqual({ to: '2027-01-01T00:00:00.000Z' });
    expect(ukDayRange()).toEqual({});
  });
});
