// Retention (issue 12, point 6): each class of record has a retention period, counted from an
// event in its life; a record past its period is listed for a person to review and is never
// deleted automatically. Pure rules: the classes with their defaults and the reason for each,
// the limits on a period, and the date arithmetic.

export const RECORD_CLASSES = [
  'participant',
  'referral_not_taken_up',
  'contact',
  'benefit_calculation',
  'atw_claim',
  'audit_event',
] as const;
export type RecordClass = (typeof RECORD_CLASSES)[number];

export interface RecordClassInfo {
  /** Plural, for headings and counts: "Participant records". */
  label: string;
  /** One record, in a list row: "Participant record". */
  singular: string;
  /** What the period is counted from, after "from": "the person's discharge". */
  countedFrom: string;
  defaultYears: number;
  /** Where the default comes from, in one line. */
  source: string;
  /** Listed record by record for a team's managers; otherwise counted for the administrator only. */
  listed: boolean;
}

export const RECORD_CLASS_INFO: Readonly<Record<RecordClass, RecordClassInfo>> = {
  participant: {
    label: 'Participant records',
    singular: 'Participant record',
    countedFrom: 'the person’s discharge',
    defaultYears: 8,
    source:
      'NHS Records Management Code of Practice: adult health and care records, 8 years after care ends. A trust that files these with mental-health records keeps them 20 years.',
    listed: true,
  },
  referral_not_taken_up: {
    label: 'Referrals not taken up',
    singular: 'Referral not taken up',
    countedFrom: 'the referral’s closure',
    defaultYears: 2,
    source:
      'Local choice: no support was given. Long enough for a complaint (12 months to make one, NHS complaints regulations) and its handling.',
    listed: true,
  },
  contact: {
    label: 'Contacts and case notes',
    singular: 'Contact',
    countedFrom: 'the day of the contact',
    defaultYears: 8,
    source: 'Part of the person’s care record: NHS Records Management Code of Practice, adult records 8 years.',
    listed: true,
  },
  benefit_calculation: {
    label: 'Benefits calculations',
    singular: 'Benefits calculation',
    countedFrom: 'the day it was saved',
    defaultYears: 6,
    source: 'Advice about money: 6 years, the time to bring a claim about it (Limitation Act 1980, section 5).',
    listed: true,
  },
  atw_claim: {
    label: 'Access to Work claims',
    singular: 'Access to Work claim',
    countedFrom: 'the end of the period claimed',
    defaultYears: 6,
    source: 'Financial records: NHS Records Management Code of Practice, 6 years (as HMRC expects for accounts).',
    listed: true,
  },
  audit_event: {
    label: 'Audit trail events',
    singular: 'Audit trail event',
    countedFrom: 'the event',
    defaultYears: 8,
    source: 'Kept as long as the records it is about, so who saw or changed a record can be answered while it is held.',
    listed: false,
  },
};

/** The record classes listed record by record for a team's review. */
export const LISTED_CLASSES: readonly RecordClass[] = RECORD_CLASSES.filter((c) => RECORD_CLASS_INFO[c].listed);

export const MIN_YEARS = 1;
export const MAX_YEARS = 30;
/** A reviewer may put off the next review by at most this many years. */
export const MAX_DEFER_YEARS = 10;

export type RetentionPeriods = Record<RecordClass, number>;

export const DEFAULT_PERIODS: RetentionPeriods = Object.fromEntries(
  RECORD_CLASSES.map((c) => [c, RECORD_CLASS_INFO[c].defaultYears]),
) as RetentionPeriods;

export function isRecordClass(v: unknown): v is RecordClass {
  return typeof v === 'string' && (RECORD_CLASSES as readonly string[]).includes(v);
}

/** Why a period (in years) is refused, or null when it is a whole number of years from 1 to 30. */
export function periodProblem(years: number): string | null {
  if (!Number.isInteger(years)) return 'Enter a whole number of years, like 8';
  if (years < MIN_YEARS || years > MAX_YEARS) return `The period must be between ${MIN_YEARS} and ${MAX_YEARS} years`;
  return null;
}

/** A stored period as a number of years, or the class's default when the stored text is not a valid one. */
export function storedPeriod(recordClass: RecordClass, text: string | undefined): number {
  const n = text === undefined ? NaN : Number(text);
  return periodProblem(n) === null ? n : RECORD_CLASS_INFO[recordClass].defaultYears;
}

/** A calendar date (YYYY-MM-DD) moved by whole years; 29 February becomes 28 February in other years. */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const year = y + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = m === 2 && d === 29 && !leap ? 28 : d;
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The first day that is not yet past the period: a record counted from a day (or an instant)
 * before this one is past it on `today`. Dates and ISO instants compare as text.
 */
export function cutoffFor(today: string, years: number): string {
  return addYears(today, -years);
}

/** Whether a record counted from `from` (a date or an ISO instant) is past a period of `years` on `today`. */
export function isPastPeriod(from: string, years: number, today: string): boolean {
  return from < cutoffFor(today, years);
}

/** The day a record counted from `from` reaches the end of its period. */
export function periodEnds(from: string, years: number): string {
  return addYears(from.slice(0, 10), years);
}

/** Why a next review date is refused, or null: after today and no more than 10 years ahead. */
export function nextReviewProblem(date: string, today: string): string | null {
  if (date <= today) return 'The next review date must be in the future';
  if (date > addYears(today, MAX_DEFER_YEARS)) return `The next review date must be within ${MAX_DEFER_YEARS} years`;
  return null;
}

/** Where a record of a class is seen, for the review list's link to it. */
export function recordHref(recordClass: RecordClass, participantId: string, recordId: string): string {
  const person = `/participants/${participantId}`;
  switch (recordClass) {
    case 'referral_not_taken_up':
      return `${person}/referrals`;
    case 'contact':
      return `${person}/contacts/${recordId}`;
    case 'benefit_calculation':
      return `${person}/benefits/${recordId}`;
    case 'atw_claim':
      return `${person}/access-to-work/claims/${recordId}`;
    default:
      return person;
  }
}
