import { describe, expect, it } from 'vitest';
import { isBankHoliday, isOutOfHours, londonTime } from './bank-holidays.ts';

describe('out of hours (Europe/London)', () => {
  it.each([
    ['19:30 on a Tuesday', '2026-11-24T19:30:00Z', true],
    ['10:00 on a Saturday', '2026-11-28T10:00:00Z', true],
    ['10:00 on Christmas Day 2026 (a Friday)', '2026-12-25T10:00:00Z', true],
    ['10:00 on Wednesday 25 November 2026', '2026-11-25T10:00:00Z', false],
    ['07:59 on a weekday', '2026-11-25T07:59:00Z', true],
    ['08:00 on a weekday', '2026-11-25T08:00:00Z', false],
    ['17:59 on a weekday', '2026-11-25T17:59:00Z', false],
    ['18:00 on a weekday', '2026-11-25T18:00:00Z', true],
    // In summer UTC 17:30 is 18:30 in London: out of hours, though the UTC clock says otherwise.
    ['18:30 BST on a July weekday', '2026-07-15T17:30:00Z', true],
    ['07:30 UTC is 08:30 BST on a July weekday', '2026-07-15T07:30:00Z', false],
    ['the Easter Monday bank holiday 2026', '2026-04-06T11:00:00Z', true],
  ])('%s', (_label, iso, expected) => {
    expect(isOutOfHours(new Date(iso))).toBe(expected);
  });

  it('knows the substitute bank holiday for Boxing Day 2026', () => {
    expect(isBankHoliday('2026-12-28')).toBe(true);
    expect(isBankHoliday('2026-12-26')).toBe(false);
  });

  it('reads the London calendar day across midnight', () => {
    expect(londonTime(new Date('2026-07-15T23:30:00Z'))).toMatchObject({ day: '2026-07-16', hour: 0, minute: 30 });
  });
});

describe('London days', () => {
  it('starts a winter day at 00:00 UTC and a summer day at 23:00 UTC the day before', async () => {
    const { londonMidnight, nextDay } = await import('./bank-holidays.ts');
    expect(londonMidnight('2026-11-25').toISOString()).toBe('2026-11-25T00:00:00.000Z');
    expect(londonMidnight('2026-07-15').toISOString()).toBe('2026-07-14T23:00:00.000Z');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });
});
