import { describe, expect, it } from 'vitest';
import {
  addMonths,
  applyDecision,
  contactFrequencyOf,
  contactFrequencyText,
  defaultNextReviewDate,
  fewerContacts,
  reviewDueDate,
  reviewProblems,
  reviewState,
} from './rules.ts';

describe('addMonths', () => {
  it('moves to the same day months later, and the 31st to the end of a shorter month', () => {
    expect(addMonths('2026-03-01', 9)).toBe('2026-12-01');
    expect(addMonths('2026-05-31', 9)).toBe('2027-02-28');
    expect(addMonths('2027-05-31', 9)).toBe('2028-02-29');
    expect(addMonths('2026-11-25', 3)).toBe('2027-02-25');
  });
});

describe('the review prompt', () => {
  const plan = { status: 'active' as const, startDate: '2026-03-01', nextReviewDate: null };

  it('is first due at the service’s usual point after the job starts', () => {
    expect(reviewDueDate(plan, 9)).toBe('2026-12-01');
    expect(reviewDueDate(plan, 6)).toBe('2026-09-01');
  });

  it('follows the next review date the plan sets once there is one', () => {
    expect(reviewDueDate({ ...plan, nextReviewDate: '2026-07-15' }, 9)).toBe('2026-07-15');
    expect(reviewDueDate({ ...plan, status: 'reduced', nextReviewDate: '2027-04-01' }, 9)).toBe('2027-04-01');
  });

  it('is not due at all once the person has ended support', () => {
    expect(reviewDueDate({ ...plan, status: 'ended', nextReviewDate: '2027-04-01' }, 9)).toBeNull();
    expect(reviewState(null, '2027-05-01')).toBe('none');
  });

  it('shows as due two weeks before its date, and overdue from the day after', () => {
    expect(reviewState('2026-12-01', '2026-11-16')).toBe('not_yet');
    expect(reviewState('2026-12-01', '2026-11-17')).toBe('due');
    expect(reviewState('2026-12-01', '2026-12-01')).toBe('due');
    expect(reviewState('2026-12-01', '2026-12-02')).toBe('overdue');
  });

  it('suggests the next review three months after a review', () => {
    expect(defaultNextReviewDate('2026-11-25')).toBe('2027-02-25');
  });
});

describe('the person’s decision at a review', () => {
  const weekly = { status: 'active' as const, contactEveryDays: 7 };

  it('continue keeps support active at the same contact frequency and books the next review', () => {
    expect(applyDecision(weekly, 'continue', '2027-02-25')).toEqual({
      status: 'active',
      contactEveryDays: 7,
      nextReviewDate: '2027-02-25',
    });
    expect(applyDecision({ status: 'reduced', contactEveryDays: 14 }, 'continue', '2027-02-25').status).toBe('reduced');
  });

  it('continue after support ended starts it again', () => {
    expect(applyDecision({ status: 'ended', contactEveryDays: 28 }, 'continue', '2027-02-25').status).toBe('active');
  });

  it('reduce marks support reduced with fewer contacts', () => {
    expect(applyDecision(weekly, 'reduce', '2027-02-25')).toEqual({
      status: 'reduced',
      contactEveryDays: 14,
      nextReviewDate: '2027-02-25',
    });
    expect(fewerContacts(14)).toBe(28);
    expect(fewerContacts(28)).toBeNull();
    expect(fewerContacts(10)).toBe(14);
    expect(fewerContacts(null)).toBeNull();
  });

  it('end stops support with no review booked', () => {
    expect(applyDecision(weekly, 'end', '2027-02-25')).toEqual({ status: 'ended', contactEveryDays: 7, nextReviewDate: null });
  });

  it('asks for a next review date after the review when continuing or reducing, but not when ending', () => {
    const base = { reviewDate: '2026-11-25', nextReviewDate: null };
    expect(reviewProblems({ ...base, decision: 'continue' }, '2026-11-25')).toEqual({
      next_review_date: 'Enter the date of the next review',
    });
    expect(reviewProblems({ ...base, decision: 'reduce', nextReviewDate: '2026-11-25' }, '2026-11-25')).toEqual({
      next_review_date: 'Next review date must be after the review date',
    });
    expect(reviewProblems({ ...base, decision: 'end' }, '2026-11-25')).toBeNull();
    expect(reviewProblems({ ...base, decision: 'end', reviewDate: '2026-11-26' }, '2026-11-25')).toEqual({
      review_date: 'Review date must be today or in the past',
    });
  });
});

describe('contact frequency', () => {
  it('names the agreed frequencies and reads other days as text', () => {
    expect(contactFrequencyText(7)).toBe('Weekly');
    expect(contactFrequencyText(28)).toBe('Every four weeks');
    expect(contactFrequencyText(null)).toBe('As needed');
    expect(contactFrequencyText(10)).toBe('Every 10 days');
    expect(contactFrequencyOf(14)).toBe('fortnightly');
    expect(contactFrequencyOf(10)).toBe('fortnightly');
    expect(contactFrequencyOf(60)).toBe('as_needed');
  });
});
