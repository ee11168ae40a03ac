import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PERIODS,
  RECORD_CLASSES,
  RECORD_CLASS_INFO,
  addYears,
  isPastPeriod,
  nextReviewProblem,
  periodEnds,
  periodProblem,
  storedPeriod,
} from './rules.ts';

describe('retention rules', () => {
  it('gives every record class a default between 1 and 30 years with a reason', () => {
    for (const c of RECORD_CLASSES) {
      expect(periodProblem(DEFAULT_PERIODS[c])).toBeNull();
      expect(RECORD_CLASS_INFO[c].source.length).toBeGreaterThan(20);
    }
    expect(DEFAULT_PERIODS.participant).toBe(8);
    expect(DEFAULT_PERIODS.atw_claim).toBe(6);
  });

  it('accepts only whole years from 1 to 30', () => {
    expect(periodProblem(1)).toBeNull();
    expect(periodProblem(30)).toBeNull();
    expect(periodProblem(0)).toBe('The period must be between 1 and 30 years');
    expect(periodProblem(31)).toBe('The period must be between 1 and 30 years');
    expect(periodProblem(2.5)).toBe('Enter a whole number of years, like 8');
  });

  it('falls back to the default when a stored period is missing or out of range', () => {
    expect(storedPeriod('contact', '12')).toBe(12);
    expect(storedPeriod('contact', undefined)).toBe(8);
    expect(storedPeriod('contact', '0')).toBe(8);
    expect(storedPeriod('contact', 'eight')).toBe(8);
  });

  it('moves 29 February to 28 February in a year that is not a leap year', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYears('2026-11-25', -8)).toBe('2018-11-25');
  });

  it('counts a record as past its period only after the whole period has gone by', () => {
    // Discharged on 24 November 2018: 8 years end on 24 November 2026.
    expect(isPastPeriod('2018-11-24', 8, '2026-11-24')).toBe(false);
    expect(isPastPeriod('2018-11-24', 8, '2026-11-25')).toBe(true);
    expect(isPastPeriod('2018-11-24T15:00:00.000Z', 8, '2026-11-24')).toBe(false);
    expect(isPastPeriod('2018-11-24T15:00:00.000Z', 8, '2026-11-25')).toBe(true);
    expect(periodEnds('2018-11-24T15:00:00.000Z', 8)).toBe('2026-11-24');
  });

  it('asks for a next review date after today and within 10 years', () => {
    expect(nextReviewProblem('2026-11-25', '2026-11-25')).toBe('The next review date must be in the future');
    expect(nextReviewProblem('2026-11-26', '2026-11-25')).toBeNull();
    expect(nextReviewProblem('2036-11-26', '2026-11-25')).toBe('The next review date must be within 10 years');
  });
});
