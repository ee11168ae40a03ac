// In-work support rules: the support plan's review prompt and what the person's decision at a
// review does. Pure functions, no I/O. Calendar days are `YYYY-MM-DD` (Europe/London).
//
// Support is time-unlimited: nothing here ends it on a date. It ends only when the person chooses
// to end it at a review.

import { daysBetween } from '../referrals/rules.ts';

export const SUPPORT_STATUSES = ['active', 'reduced', 'ended'] as const;
export type SupportStatus = (typeof SUPPORT_STATUSES)[number];
export const SUPPORT_STATUS_LABELS: Record<SupportStatus, string> = {
  active: 'Active',
  reduced: 'Reduced',
  ended: 'Ended at the person’s choice',
};

export const REVIEW_DECISIONS = ['continue', 'reduce', 'end'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];
export const REVIEW_DECISION_LABELS: Record<ReviewDecision, string> = {
  continue: 'Continue support as it is',
  reduce: 'Reduce support',
  end: 'End support',
};
/** What each choice means, in the words the review form shows the person. */
export const REVIEW_DECISION_HINTS: Record<ReviewDecision, string> = {
  continue: 'Support carries on at the same level, and another review is booked.',
  reduce: 'The coach is in touch less often, and another review is booked. Support can be increased again at any time.',
  end: 'Support stops because the person has chosen to end it. They can come back for support whenever they want.',
};

/** The agreed contact frequencies the plan form offers, and the days each means (null: as needed). */
export const CONTACT_FREQUENCIES = ['weekly', 'fortnightly', 'four_weekly', 'as_needed'] as const;
export type ContactFrequency = (typeof CONTACT_FREQUENCIES)[number];
export const CONTACT_FREQUENCY_DAYS: Record<ContactFrequency, number | null> = {
  weekly: 7,
  fortnightly: 14,
  four_weekly: 28,
  as_needed: null,
};
export const CONTACT_FREQUENCY_LABELS: Record<ContactFrequency, string> = {
  weekly: 'Weekly',
  fortnightly: 'Fortnightly',
  four_weekly: 'Every four weeks',
  as_needed: 'As needed',
};

/** The frequency a number of days is shown as: one of the choices, or "every N days" from the API. */
export function contactFrequencyText(days: number | null): string {
  if (days === null) return CONTACT_FREQUENCY_LABELS.as_needed;
  const known = CONTACT_FREQUENCIES.find((f) => CONTACT_FREQUENCY_DAYS[f] === days);
  return known ? CONTACT_FREQUENCY_LABELS[known] : days === 1 ? 'Every day' : `Every ${days} days`;
}

/** The form choice for a number of days; days the form does not offer read as the nearest longer choice. */
export function contactFrequencyOf(days: number | null): ContactFrequency {
  if (days === null) return 'as_needed';
  return CONTACT_FREQUENCIES.find((f) => (CONTACT_FREQUENCY_DAYS[f] ?? Infinity) >= days) ?? 'as_needed';
}

/**
 * Fewer contacts after a decision to reduce: the next longer agreed frequency (weekly to
 * fortnightly to every four weeks to as needed).
 */
export function fewerContacts(days: number | null): number | null {
  if (days === null) return null;
  const longer = CONTACT_FREQUENCIES.map((f) => CONTACT_FREQUENCY_DAYS[f]).find((d) => d !== null && d > days);
  return longer ?? null;
}

/** A calendar day `months` later; the 31st becomes the last day of a shorter month. */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay));
  return first.toISOString().slice(0, 10);
}

/** A calendar day `days` later (or earlier, when negative). */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** What the review prompt needs to know about a plan. */
export interface ReviewFacts {
  status: SupportStatus;
  /** The job's start date. */
  startDate: string;
  /** The date the plan (or the last review) set for the next review, if any. */
  nextReviewDate: string | null;
}

/**
 * When the plan's next review is due: the date the plan sets, or, before any is set, the service's
 * usual point (`firstReviewMonths` after the job started). None once the person has ended support.
 */
export function reviewDueDate(plan: ReviewFacts, firstReviewMonths: number): string | null {
  if (plan.status === 'ended') return null;
  return plan.nextReviewDate ?? addMonths(plan.startDate, firstReviewMonths);
}

/** How many days before its date a review is shown as due, so it can be booked with the person. */
export const REVIEW_NOTICE_DAYS = 14;

export type ReviewState = 'none' | 'not_yet' | 'due' | 'overdue';

/**
 * Where a review stands on a day: `due` from `REVIEW_NOTICE_DAYS` before its date up to the date
 * itself, `overdue` after it, `not_yet` before that, `none` when no review is due at all.
 */
export function reviewState(dueDate: string | null, today: string): ReviewState {
  if (dueDate === null) return 'none';
  if (today > dueDate) return 'overdue';
  return daysBetween(today, dueDate) <= REVIEW_NOTICE_DAYS ? 'due' : 'not_yet';
}

/** The next review's suggested date after a review: three months on. */
export function defaultNextReviewDate(reviewDate: string): string {
  return addMonths(reviewDate, 3);
}

/** The plan as a review leaves it. */
export interface PlanAfterReview {
  status: SupportStatus;
  contactEveryDays: number | null;
  nextReviewDate: string | null;
}

/**
 * What the person's decision does to the plan. Continue keeps the level of support (support that
 * had ended starts again) and books the next review; reduce marks it reduced, with fewer contacts,
 * and books the next review; end stops support, with no review booked.
 */
export function applyDecision(
  plan: { status: SupportStatus; contactEveryDays: number | null },
  decision: ReviewDecision,
  nextReviewDate: string | null,
): PlanAfterReview {
  switch (decision) {
    case 'continue':
      return {
        status: plan.status === 'ended' ? 'active' : plan.status,
        contactEveryDays: plan.contactEveryDays,
        nextReviewDate,
      };
    case 'reduce':
      return { status: 'reduced', contactEveryDays: fewerContacts(plan.contactEveryDays), nextReviewDate };
    case 'end':
      return { status: 'ended', contactEveryDays: plan.contactEveryDays, nextReviewDate: null };
  }
}

/**
 * What is wrong with a review's dates, by field, or null: continuing or reducing needs a next
 * review after the review date; a review cannot be recorded for a day still to come.
 */
export function reviewProblems(
  input: { reviewDate: string; decision: ReviewDecision; nextReviewDate: string | null },
  today: string,
): Record<string, string> | null {
  const problems: Record<string, string> = {};
  if (input.reviewDate > today) problems.review_date = 'Review date must be today or in the past';
  if (input.decision !== 'end') {
    if (input.nextReviewDate === null) problems.next_review_date = 'Enter the date of the next review';
    else if (input.nextReviewDate <= input.reviewDate)
      problems.next_review_date = 'Next review date must be after the review date';
  }
  return Object.keys(problems).length > 0 ? problems : null;
}
