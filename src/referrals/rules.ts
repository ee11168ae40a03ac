// Referral rules: pure functions, no I/O.
//
// Zero exclusion (IPS principle 2): nothing here refuses, delays, scores or flags a referral
// because of diagnosis, convictions, health, benefits or "readiness". A referral is accepted on
// the day it is received unless the practitioner records a later acceptance date, and it closes
// only for the person's own choice or after real, recorded attempts to make contact.

export const REFERRAL_SOURCES = ['self', 'clinical_team', 'gp', 'education', 'jobcentre', 'other'] as const;
export type ReferralSource = (typeof REFERRAL_SOURCES)[number];
export const REFERRAL_SOURCE_LABELS: Record<ReferralSource, string> = {
  self: 'Self-referral',
  clinical_team: 'Clinical team (for example a community mental health team)',
  gp: 'GP',
  education: 'School, college or education provider',
  jobcentre: 'Jobcentre Plus',
  other: 'Other professional or organisation',
};
/** Shorter labels for tables and summaries. */
export const REFERRAL_SOURCE_SHORT_LABELS: Record<ReferralSource, string> = {
  self: 'Self-referral',
  clinical_team: 'Clinical team',
  gp: 'GP',
  education: 'Education',
  jobcentre: 'Jobcentre Plus',
  other: 'Other',
};

/** `ended`: the episode ended when the person was discharged for another reason, then re-referred. */
export const REFERRAL_STATUSES = ['open', 'closed', 'ended'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
export const REFERRAL_STATUS_LABELS: Record<ReferralStatus, string> = {
  open: 'Open',
  closed: 'Closed',
  ended: 'Ended at discharge',
};

export const CLOSE_REASONS = ['person_choice', 'no_contact'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];
export const CLOSE_REASON_LABELS: Record<CloseReason, string> = {
  person_choice: 'The person’s own choice',
  no_contact: 'No contact after repeated attempts',
};

export const ATTEMPT_METHODS = ['phone', 'text', 'email', 'letter', 'visit', 'other'] as const;
export type AttemptMethod = (typeof ATTEMPT_METHODS)[number];
export const ATTEMPT_METHOD_LABELS: Record<AttemptMethod, string> = {
  phone: 'Phone call',
  text: 'Text message',
  email: 'Email',
  letter: 'Letter',
  visit: 'Visit',
  other: 'Another way',
};

/** Failed contact attempts needed before a referral may close for no contact. */
export const NO_CONTACT_MIN_ATTEMPTS = 3;
/** Different days those attempts must fall on. */
export const NO_CONTACT_MIN_DAYS = 2;

/** The rule in words, shown on the pages that use it. */
export const NO_CONTACT_RULE_TEXT = `A referral can be closed for no contact only after at least ${NO_CONTACT_MIN_ATTEMPTS} failed contact attempts, on at least ${NO_CONTACT_MIN_DAYS} different days, have been recorded.`;

const londonDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
});

/** The calendar day (`YYYY-MM-DD`) an instant falls on in Europe/London. */
export function londonDate(instant: Date): string {
  return londonDay.format(instant);
}

/** "14:05": the time of day of an instant in Europe/London. */
export function londonTime(instant: Date): string {
  const parts = Object.fromEntries(londonParts.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${String(parts.hour).padStart(2, '0')}:${String(parts.minute).padStart(2, '0')}`;
}

// Minutes Europe/London is ahead of UTC at an instant (0 in winter, 60 in summer).
function londonOffsetMinutes(instant: Date): number {
  const p = Object.fromEntries(londonParts.formatToParts(instant).map((x) => [x.type, Number(x.value)]));
  const local = Date.UTC(p.year!, p.month! - 1, p.day, p.hour, p.minute);
  return Math.round((local - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
}

/** The instant of a wall-clock day and time (`YYYY-MM-DD`, `HH:MM`) in Europe/London. */
export function londonInstant(date: string, time: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  let instant = wall - londonOffsetMinutes(new Date(wall)) * 60_000;
  // Near a clock change the first guess can sit on the other side of it.
  const second = londonOffsetMinutes(new Date(instant));
  instant = wall - second * 60_000;
  return new Date(instant);
}

/** Whole days from one calendar date to another (`YYYY-MM-DD`); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  const ms = (s: string) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((ms(to) - ms(from)) / 86_400_000);
}

const dayFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

/** "25 November 2026" for `2026-11-25`. */
export function dayText(date: string): string {
  return isCalendarDate(date) ? dayFormat.format(new Date(`${date}T00:00:00Z`)) : date;
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** What a new referral needs to start: where it came from and when. Nothing about the person's health or history. */
export interface NewReferralInput {
  source: ReferralSource;
  receivedDate: string;
  acceptedDate?: string | null;
  notes?: string | null;
  whatTheyWant?: string | null;
}

/** How a new referral starts: always open, always accepted (on the received date unless given), never warned about. */
export interface ReferralStart {
  status: 'open';
  acceptedDate: string;
  warnings: string[];
}

/**
 * Starts a referral. Zero exclusion: the outcome depends only on the dates, never on what the
 * notes or the referrer say about the person.
 */
export function startReferral(input: NewReferralInput): ReferralStart {
  return { status: 'open', acceptedDate: input.acceptedDate ?? input.receivedDate, warnings: [] };
}

export interface FirstContactTiming {
  /** Days from the received date to first contact, or to the close date or today while there is none. */
  days: number;
  /** More days than the service's target. */
  overdue: boolean;
  /** No first contact recorded yet. */
  waiting: boolean;
}

/**
 * Days from referral (the received date) to first contact, and whether that is over the target
 * (`firstContactTargetDays`). Without a first contact it counts to today, or to the day an
 * ended referral closed, so a closed episode's figure stops growing.
 */
export function firstContactTiming(
  referral: { receivedDate: string; firstContactDate: string | null; closedDate: string | null },
  today: string,
  targetDays: number,
): FirstContactTiming {
  const end = referral.firstContactDate ?? referral.closedDate ?? today;
  const days = Math.max(0, daysBetween(referral.receivedDate, end));
  return { days, overdue: days > targetDays, waiting: referral.firstContactDate === null };
}

export interface AttemptSummary {
  attempts: number;
  days: number;
}

/** How many failed contact attempts there were and on how many different days (Europe/London). */
export function summariseAttempts(attemptedAt: readonly string[]): AttemptSummary {
  return { attempts: attemptedAt.length, days: new Set(attemptedAt.map((a) => londonDate(new Date(a)))).size };
}

/** Why a referral may not close for this reason, in words for the practitioner; null when it may. */
export function closeProblem(
  referral: { status: ReferralStatus; firstContactDate: string | null },
  reason: CloseReason,
  attempts: AttemptSummary,
): string | null {
  if (referral.status !== 'open') return 'This referral is already closed';
  if (reason === 'person_choice') return null;
  if (referral.firstContactDate !== null)
    return 'First contact has been made, so this referral cannot be closed for no contact. If the person has chosen to stop, close it for their own choice';
  if (attempts.attempts >= NO_CONTACT_MIN_ATTEMPTS && attempts.days >= NO_CONTACT_MIN_DAYS) return null;
  const so = `So far ${attempts.attempts} ${attempts.attempts === 1 ? 'attempt has' : 'attempts have'} been recorded, on ${attempts.days} ${attempts.days === 1 ? 'day' : 'days'}`;
  return `${NO_CONTACT_RULE_TEXT.replace(/\.$/, '')}. ${so}`;
}

/** What the person's status change says when a referral closes. */
export function dischargeReason(reason: CloseReason): string {
  return `Referral closed: ${CLOSE_REASON_LABELS[reason].charAt(0).toLowerCase()}${CLOSE_REASON_LABELS[reason].slice(1)}`;
}

/** Why another referral may not be added, or null: one open referral at a time unless the person was discharged. */
export function addReferralProblem(participantStatus: string, openReferral: { receivedDate: string } | undefined): string | null {
  if (participantStatus === 'discharged' || !openReferral) return null;
  return `This person already has an open referral, received on ${dayText(openReferral.receivedDate)}. Add to that referral, or close it before adding a new one`;
}
