import { describe, expect, it } from 'vitest';
import { MINIMUM_WAGE_TABLE, competitivePay, formatDay, minimumHourlyPence, wageBand } from './minimum-wage.ts';

describe('minimumHourlyPence', () => {
  it('gives the 1 April 2025 rates for each band', () => {
    expect(minimumHourlyPence(30, '2025-04-01')).toBe(1221);
    expect(minimumHourlyPence(19, '2025-04-01')).toBe(1000);
    expect(minimumHourlyPence(17, '2025-04-01')).toBe(755);
    expect(minimumHourlyPence(30, '2025-04-01', { apprentice: true })).toBe(755);
  });

  it('gives the 1 April 2026 rates for each band', () => {
    expect(minimumHourlyPence(30, '2026-05-01')).toBe(1271);
    expect(minimumHourlyPence(19, '2026-05-01')).toBe(1085);
    expect(minimumHourlyPence(16, '2026-05-01')).toBe(800);
    expect(minimumHourlyPence(18, '2026-05-01', { apprentice: true })).toBe(800);
  });

  it('changes rates on 1 April 2026, not the day before', () => {
    expect(minimumHourlyPence(25, '2026-03-31')).toBe(1221);
    expect(minimumHourlyPence(25, '2026-04-01')).toBe(1271);
    expect(minimumHourlyPence(20, '2026-03-31')).toBe(1000);
    expect(minimumHourlyPence(20, '2026-04-01')).toBe(1085);
  });

  it('is null before the table starts', () => {
    expect(minimumHourlyPence(25, '2025-03-31')).toBeNull();
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    expect(() => minimumHourlyPence(25, '1/5/2026')).toThrow(RangeError);
  });

  it('puts 18, 20 and 21 in the right bands', () => {
    expect(wageBand(17)).toBe('under_18');
    expect(wageBand(18)).toBe('aged_18_to_20');
    expect(wageBand(20)).toBe('aged_18_to_20');
    expect(wageBand(21)).toBe('aged_21_and_over');
  });

  it('keeps the table in date order with integer pence', () => {
    const dates = MINIMUM_WAGE_TABLE.map((r) => r.from);
    expect([...dates].sort()).toEqual(dates);
    for (const row of MINIMUM_WAGE_TABLE) for (const p of Object.values(row.pence)) expect(Number.isInteger(p)).toBe(true);
  });
});

describe('competitivePay', () => {
  it('flags £10.00 an hour for a 25-year-old starting 1 May 2026 as not competitive', () => {
    const r = competitivePay({ hourlyPayPence: 1000, dateOfBirth: '2000-06-15', startDate: '2026-05-01' });
    expect(r.competitive).toBe(false);
    expect(r.minimumPence).toBe(1271);
    expect(r.reasons).toEqual(['£10.00 an hour is below the £12.71 minimum for someone aged 25 on 1 May 2026']);
  });

  it('accepts £12.71 an hour for the same person', () => {
    const r = competitivePay({ hourlyPayPence: 1271, dateOfBirth: '2000-06-15', startDate: '2026-05-01' });
    expect(r.competitive).toBe(true);
    expect(r.reasons).toEqual(['£12.71 an hour is at or above the £12.71 minimum for someone aged 25 on 1 May 2026']);
  });

  it('uses the rates of the start date across the 31 March / 1 April 2026 boundary', () => {
    const before = competitivePay({ hourlyPayPence: 1250, dateOfBirth: '1990-01-01', startDate: '2026-03-31' });
    const after = competitivePay({ hourlyPayPence: 1250, dateOfBirth: '1990-01-01', startDate: '2026-04-01' });
    expect(before).toMatchObject({ competitive: true, minimumPence: 1221 });
    expect(after).toMatchObject({ competitive: false, minimumPence: 1271 });
  });

  it('accepts £10.85 for an 18-year-old on 1 May 2026', () => {
    const r = competitivePay({ hourlyPayPence: 1085, dateOfBirth: '2008-03-10', startDate: '2026-05-01' });
    expect(r).toMatchObject({ competitive: true, minimumPence: 1085 });
    expect(r.reasons[0]).toContain('someone aged 18');
  });

  it('uses the 21-and-over rate when the person turns 21 on the start date, not the day before', () => {
    const dayBefore = competitivePay({ hourlyPayPence: 1100, dateOfBirth: '2005-05-01', startDate: '2026-04-30' });
    const birthday = competitivePay({ hourlyPayPence: 1100, dateOfBirth: '2005-05-01', startDate: '2026-05-01' });
    expect(dayBefore).toMatchObject({ competitive: true, minimumPence: 1085 });
    expect(dayBefore.reasons[0]).toContain('aged 20');
    expect(birthday).toMatchObject({ competitive: false, minimumPence: 1271 });
    expect(birthday.reasons[0]).toContain('aged 21');
  });

  it('counts someone born on 29 February as a year older from 1 March in other years', () => {
    const r = competitivePay({ hourlyPayPence: 1085, dateOfBirth: '2008-02-29', startDate: '2026-02-28' });
    expect(r.minimumPence).toBe(755);
    expect(competitivePay({ hourlyPayPence: 1085, dateOfBirth: '2008-02-29', startDate: '2026-03-01' }).minimumPence).toBe(1000);
  });

  it('assumes the 21-and-over rate when the date of birth is unknown, and says so', () => {
    const r = competitivePay({ hourlyPayPence: 1085, dateOfBirth: null, startDate: '2026-05-01' });
    expect(r).toMatchObject({ competitive: false, minimumPence: 1271 });
    expect(r.reasons).toEqual([
      'No date of birth recorded, so the rate for someone aged 21 or over is assumed',
      '£10.85 an hour is below the £12.71 minimum for someone aged 21 or over on 1 May 2026',
    ]);
  });

  it('uses the apprentice rate when the caller says it applies', () => {
    const r = competitivePay({ hourlyPayPence: 800, dateOfBirth: '2007-01-01', startDate: '2026-05-01', apprentice: true });
    expect(r).toMatchObject({ competitive: true, minimumPence: 800 });
    expect(r.reasons[0]).toContain('for an apprentice on 1 May 2026');
  });

  it('cannot tell without a start date, before the table starts, or without the pay', () => {
    expect(competitivePay({ hourlyPayPence: 1000, dateOfBirth: '2000-01-01', startDate: null })).toMatchObject({
      competitive: null,
      minimumPence: null,
    });
    const early = competitivePay({ hourlyPayPence: 1000, dateOfBirth: '2000-01-01', startDate: '2024-06-01' });
    expect(early).toMatchObject({ competitive: null, minimumPence: null });
    expect(early.reasons[0]).toBe('Stepwise has minimum wage rates only from 1 April 2025');
    const noPay = competitivePay({ hourlyPayPence: null, dateOfBirth: '2000-01-01', startDate: '2026-05-01' });
    expect(noPay).toMatchObject({ competitive: null, minimumPence: 1271 });
  });

  it('warns when the start date is a year past the newest rates in the table', () => {
    const r = competitivePay({ hourlyPayPence: 1300, dateOfBirth: '1990-01-01', startDate: '2027-05-01' });
    expect(r.competitive).toBe(true);
    expect(r.reasons[0]).toBe('Rates from 1 April 2027 are not in Stepwise yet: the 1 April 2026 rates are used');
  });
});

describe('formatDay', () => {
  it('writes a calendar date in words', () => {
    expect(formatDay('2026-05-01')).toBe('1 May 2026');
    expect(formatDay('2025-12-31')).toBe('31 December 2025');
  });
});
