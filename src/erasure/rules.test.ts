import { describe, expect, it } from 'vitest';
import { dueDate, isOverdue, personLabel } from './rules.ts';

describe('the due date of an erasure request', () => {
  it('is the same day of the next month', () => {
    expect(dueDate('2026-11-27')).toBe('2026-12-27');
    expect(dueDate('2026-03-15')).toBe('2026-04-15');
  });

  it('is the last day of February for a request on 31 January, in a common and a leap year', () => {
    expect(dueDate('2026-01-31')).toBe('2026-02-28');
    expect(dueDate('2028-01-31')).toBe('2028-02-29');
    expect(dueDate('2028-01-29')).toBe('2028-02-29');
    expect(dueDate('2026-01-29')).toBe('2026-02-28');
  });

  it('is 29 March for a request on 29 February', () => {
    expect(dueDate('2028-02-29')).toBe('2028-03-29');
  });

  it('stops at the end of a 30-day month and crosses the year end', () => {
    expect(dueDate('2026-03-31')).toBe('2026-04-30');
    expect(dueDate('2026-08-31')).toBe('2026-09-30');
    expect(dueDate('2026-12-31')).toBe('2027-01-31');
    expect(dueDate('2026-12-01')).toBe('2027-01-01');
  });

  it('refuses something that is not a date', () => {
    expect(() => dueDate('27/11/2026')).toThrow();
  });
});

describe('overdue requests and tombstones', () => {
  it('flags an open request only once its due day has passed', () => {
    expect(isOverdue('open', '2026-12-27', '2026-12-27')).toBe(false);
    expect(isOverdue('open', '2026-12-27', '2026-12-28')).toBe(true);
    expect(isOverdue('refused', '2026-12-27', '2027-01-10')).toBe(false);
    expect(isOverdue('carried_out', '2026-12-27', '2027-01-10')).toBe(false);
  });

  it('names an erased person only by a short id', () => {
    expect(personLabel('0b7e2c1a-1111-2222-3333-444455556666', null)).toBe('Erased person 0b7e2c1a');
    expect(personLabel('0b7e2c1a-1111-2222-3333-444455556666', 'Ann Lee')).toBe('Ann Lee');
  });
});
