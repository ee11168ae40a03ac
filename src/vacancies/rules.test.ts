import { describe, expect, it } from 'vitest';
import {
  allowedNextStatuses,
  closingSoonUntil,
  formatHours,
  isOpenOn,
  isPastClosing,
  penceToPounds,
  poundsToPence,
  vacancyPayCheck,
} from './rules.ts';

describe('vacancyPayCheck', () => {
  const may2026 = (pence: number) => ({ hourlyPayPence: pence, startDate: '2026-05-01' });

  it('flags £10.00 an hour for a 25-year-old starting 1 May 2026 as not competitive, and not £12.71', () => {
    const person = { dateOfBirth: '2001-01-15' };
    expect(vacancyPayCheck(may2026(1000), person, '2026-11-25')).toEqual({
      competitive: false,
      minimumPence: 1271,
      reasons: ['£10.00 an hour is below the £12.71 minimum for someone aged 25 on 1 May 2026'],
    });
    expect(vacancyPayCheck(may2026(1271), person, '2026-11-25').competitive).toBe(true);
  });

  it('uses the person’s age on the start date, not today', () => {
    // 20 on 1 May 2026, 21 by today: the 18 to 20 rate applies.
    expect(vacancyPayCheck(may2026(1100), { dateOfBirth: '2005-06-01' }, '2026-11-25').competitive).toBe(true);
  });

  it('assumes the 21-and-over rate without a person, and says so only when a person had no date of birth', () => {
    expect(vacancyPayCheck(may2026(1000), null, '2026-11-25').competitive).toBe(false);
    expect(vacancyPayCheck(may2026(1000), { dateOfBirth: null }, '2026-11-25').reasons[0]).toBe(
      'No date of birth recorded, so the rate for someone aged 21 or over is assumed',
    );
  });

  it('checks a vacancy with no start date on today’s rates', () => {
    // £12.50 meets the 2025 rate (£12.21) but not the 2026 one (£12.71).
    const v = { hourlyPayPence: 1250, startDate: null };
    expect(vacancyPayCheck(v, null, '2026-03-31').competitive).toBe(true);
    expect(vacancyPayCheck(v, null, '2026-04-01').competitive).toBe(false);
  });

  it('cannot tell without pay', () => {
    expect(vacancyPayCheck({ hourlyPayPence: null, startDate: '2026-05-01' }, null, '2026-11-25').competitive).toBeNull();
  });
});

describe('closing dates', () => {
  it('keeps a vacancy open for matching through its closing date, and not a day after', () => {
    const v = { status: 'open', closingDate: '2026-11-25' };
    expect(isOpenOn(v, '2026-11-25')).toBe(true);
    expect(isOpenOn(v, '2026-11-26')).toBe(false);
    expect(isPastClosing(v, '2026-11-26')).toBe(true);
    expect(isOpenOn({ status: 'open', closingDate: null }, '2099-01-01')).toBe(true);
    expect(isOpenOn({ status: 'filled', closingDate: null }, '2026-11-25')).toBe(false);
  });

  it('counts "closing soon" as the next two weeks, today included, across a month end', () => {
    expect(closingSoonUntil('2026-11-25')).toBe('2026-12-08');
  });
});

describe('status changes', () => {
  it('fills or withdraws an open vacancy and reopens either, nothing else', () => {
    expect(allowedNextStatuses('open')).toEqual(['filled', 'withdrawn']);
    expect(allowedNextStatuses('filled')).toEqual(['open']);
    expect(allowedNextStatuses('withdrawn')).toEqual(['open']);
  });
});

describe('money and hours as typed and shown', () => {
  it('reads pounds typed with or without £, commas or pence', () => {
    expect(poundsToPence('12.71')).toBe(1271);
    expect(poundsToPence('£12.71')).toBe(1271);
    expect(poundsToPence(' £ 13 ')).toBe(1300);
    expect(poundsToPence('12.5')).toBe(1250);
    expect(poundsToPence('1,000.10')).toBe(100010);
    // 0.29 * 100 is 28.999… in floating point; whole pence are read from the digits.
    expect(poundsToPence('0.29')).toBe(29);
  });

  it('refuses what is not an amount', () => {
    for (const bad of ['', 'ten', '12.715', '-3', '12,71.0.1', '£']) expect(poundsToPence(bad)).toBeNull();
  });

  it('shows pence as a pay field wants them, and hours as people say them', () => {
    expect(penceToPounds(1271)).toBe('12.71');
    expect(penceToPounds(null)).toBe('');
    expect(formatHours(37.5)).toBe('37.5 hours a week');
    expect(formatHours(16)).toBe('16 hours a week');
    expect(formatHours(1)).toBe('1 hour a week');
  });
});
