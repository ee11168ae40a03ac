// Dashboard rules: the caseload alerts and the team figures. Pure functions, no I/O.
//
// Every rule works in Europe/London calendar days (`YYYY-MM-DD`): "14 days without contact" means
// 14 calendar days, whatever time of day the last contact was logged.

import { londonMidnight, londonTime } from '../calendar/bank-holidays.ts';
import { mondayOf } from '../employers/rules.ts';
import { daysBetween, dayText } from '../referrals/rules.ts';
import { reviewState } from '../support/rules.ts';
import type { ParticipantStatus } from '../participants/rules.ts';

/** The limits the alerts use; each comes from the service's settings. */
export interface AlertLimits {
  /** Days from referral to first contact; a referral waiting longer is flagged (IPS: about a week). */
  firstContactTargetDays: number;
  /** Days without any contact before someone not discharged is flagged. */
  noContactDays: number;
  /** Days in job search with no employer contact on the person's behalf (IPS rapid job search: 30). */
  jobSearchEmployerContactDays: number;
  /** Days without an in-work support contact before an employed person's support review is due. */
  supportReviewDays: number;
}

export const DEFAULT_ALERT_LIMITS: AlertLimits = {
  firstContactTargetDays: 7,
  noContactDays: 14,
  jobSearchEmployerContactDays: 30,
  supportReviewDays: 28,
};

/** What the alerts need to know about one person, gathered by the repository in grouped queries. */
export interface CaseloadFacts {
  participantId: string;
  status: ParticipantStatus;
  /** The day they came onto the caseload: the open referral's received date, else the day the record was made. */
  onCaseloadSince: string;
  /** The open referral, if there is one. */
  referral: { receivedDate: string; firstContactDate: string | null } | null;
  /** Days (Europe/London) of the latest contacts, of any kind and of two purposes. */
  lastContactDay: string | null;
  lastEmployerContactDay: string | null;
  lastInWorkSupportDay: string | null;
  /** The day of the latest move into job search, and into work. */
  jobSearchSince: string | null;
  employedSince: string | null;
  /**
   * The support review due soonest among the support plans of their current jobs (a null date when
   * every plan has ended at their choice); absent when they have no support plan.
   */
  supportReview?: { placementId: string; dueDate: string | null } | null;
}

export const ALERT_KINDS = ['first_contact', 'no_contact', 'job_search_employer_contact', 'support_review'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const ALERT_KIND_LABELS: Record<AlertKind, string> = {
  first_contact: 'Waiting for first contact',
  no_contact: 'No recent contact',
  job_search_employer_contact: 'No employer contact in job search',
  support_review: 'Support review due',
};

/** One thing a practitioner should act on, in plain English, with the link to act. */
export interface Alert {
  kind: AlertKind;
  /** How many days the condition has lasted. */
  days: number;
  message: string;
  action: { text: string; href: string };
}

function daysText(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}

function newContactHref(participantId: string, purpose?: string): string {
  const base = `/participants/${participantId}/contacts/new`;
  return purpose ? `${base}?purpose=${purpose}` : base;
}

/** The employer contact log form, for a contact made on this person's behalf. */
function employerContactHref(participantId: string): string {
  return `/employer-contacts/new?participant_id=${participantId}`;
}

/** The later of two calendar days, either of which may be missing. */
function laterDay(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

/**
 * A referral waiting too long for first contact: more than `firstContactTargetDays` since it was
 * received, with no first contact date recorded on it and no contact logged on or after the day it
 * was received. Matches the referrals page, which also flags only days over the target.
 */
export function firstContactAlert(
  f: CaseloadFacts,
  today: string,
  limits: Pick<AlertLimits, 'firstContactTargetDays'>,
): Alert | null {
  const r = f.referral;
  if (f.status === 'discharged' || !r || r.firstContactDate !== null) return null;
  if (f.lastContactDay !== null && f.lastContactDay >= r.receivedDate) return null;
  const days = daysBetween(r.receivedDate, today);
  if (days <= limits.firstContactTargetDays) return null;
  return {
    kind: 'first_contact',
    days,
    message: `Referred ${daysText(days)} ago and not contacted yet (the target is ${daysText(limits.firstContactTargetDays)})`,
    action: { text: 'Log the first contact', href: newContactHref(f.participantId) },
  };
}

/**
 * No contact of any kind for `noContactDays` or more, for anyone not discharged. Someone with no
 * contact logged at all counts from the day they came onto the caseload.
 */
export function noContactAlert(f: CaseloadFacts, today: string, limits: Pick<AlertLimits, 'noContactDays'>): Alert | null {
  if (f.status === 'discharged') return null;
  const since = f.lastContactDay ?? f.onCaseloadSince;
  const days = daysBetween(since, today);
  if (days < limits.noContactDays) return null;
  return {
    kind: 'no_contact',
    days,
    message:
      f.lastContactDay === null
        ? `No contact logged since they joined the caseload ${daysText(days)} ago`
        : `No contact for ${daysText(days)}`,
    action: { text: 'Log a contact', href: newContactHref(f.participantId) },
  };
}

/**
 * The IPS rapid job search rule: in job search for `jobSearchEmployerContactDays` or more (since
 * the latest move into job search) with no employer contact on the person's behalf since then.
 */
export function jobSearchEmployerContactAlert(
  f: CaseloadFacts,
  today: string,
  limits: Pick<AlertLimits, 'jobSearchEmployerContactDays'>,
): Alert | null {
  if (f.status !== 'job_search' || f.jobSearchSince === null) return null;
  if (f.lastEmployerContactDay !== null && f.lastEmployerContactDay >= f.jobSearchSince) return null;
  const days = daysBetween(f.jobSearchSince, today);
  if (days < limits.jobSearchEmployerContactDays) return null;
  return {
    kind: 'job_search_employer_contact',
    days,
    message: `In job search for ${daysText(days)} with no employer contact on their behalf (rapid job search: within ${daysText(limits.jobSearchEmployerContactDays)})`,
    action: { text: 'Log an employer contact', href: employerContactHref(f.participantId) },
  };
}

/**
 * Support review due: with a support plan, when its review is due (from two weeks before its date)
 * or overdue, linking to the plan; none once the person has ended support. Without a plan, someone
 * employed with no in-work support contact for `supportReviewDays` or more, counted from the later
 * of their last in-work support contact and the day they started work.
 */
export function supportReviewAlert(
  f: CaseloadFacts,
  today: string,
  limits: Pick<AlertLimits, 'supportReviewDays'>,
): Alert | null {
  if (f.supportReview) return planReviewAlert(f.supportReview, today);
  if (f.status !== 'employed') return null;
  const since = laterDay(f.lastInWorkSupportDay, f.employedSince) ?? f.onCaseloadSince;
  const days = daysBetween(since, today);
  if (days < limits.supportReviewDays) return null;
  return {
    kind: 'support_review',
    days,
    message:
      f.lastInWorkSupportDay !== null && f.lastInWorkSupportDay >= (f.employedSince ?? '')
        ? `Support review due: no in-work support contact for ${daysText(days)}`
        : `Support review due: no in-work support contact since they started work ${daysText(days)} ago`,
    action: { text: 'Log in-work support', href: newContactHref(f.participantId, 'in_work_support') },
  };
}

/** The support plan's review, due or overdue on `today`. */
function planReviewAlert(review: { placementId: string; dueDate: string | null }, today: string): Alert | null {
  const state = reviewState(review.dueDate, today);
  if (review.dueDate === null || (state !== 'due' && state !== 'overdue')) return null;
  const days = Math.max(0, daysBetween(review.dueDate, today));
  return {
    kind: 'support_review',
    days,
    message:
      state === 'overdue'
        ? `Support review overdue: it was due on ${dayText(review.dueDate)} (${daysText(days)} ago)`
        : `Support review due on ${dayText(review.dueDate)}`,
    action: { text: 'Open the support plan', href: `/placements/${review.placementId}/support-plan` },
  };
}

/**
 * Every open alert for one person, most urgent first. A referral still waiting for first contact
 * is not also reported as "no contact": it is the same gap, and the referral alert says more.
 */
export function alertsFor(f: CaseloadFacts, today: string, limits: AlertLimits): Alert[] {
  const first = firstContactAlert(f, today, limits);
  const found = [
    first,
    first ? null : noContactAlert(f, today, limits),
    jobSearchEmployerContactAlert(f, today, limits),
    supportReviewAlert(f, today, limits),
  ];
  return found.filter((a): a is Alert => a !== null);
}

// ---- Team figures --------------------------------------------------------------------------------

/** Counts of one practitioner's contacts over a date range. */
export interface ContactCounts {
  contacts: number;
  faceToFace: number;
  outOfHours: number;
  employerContacts: number;
}

export interface TeamFigures {
  contactsPerWeek: number;
  /** Whole percentages, or null when there were no contacts to share out. */
  faceToFaceShare: number | null;
  outOfHoursShare: number | null;
  employerContactsPerWeek: number;
}

/** Weeks in an inclusive range of calendar days (28 days is 4 weeks). */
export function weeksIn(from: string, to: string): number {
  return (daysBetween(from, to) + 1) / 7;
}

/** A share as a whole percentage, or null when there is nothing to share out. */
export function percentage(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((100 * part) / whole);
}

/** A rate per week to one decimal place. */
export function perWeek(count: number, weeks: number): number {
  return weeks <= 0 ? 0 : Math.round((count / weeks) * 10) / 10;
}

/** One practitioner's (or the team's) figures over the range. */
export function teamFigures(c: ContactCounts, from: string, to: string): TeamFigures {
  const weeks = weeksIn(from, to);
  return {
    contactsPerWeek: perWeek(c.contacts, weeks),
    faceToFaceShare: percentage(c.faceToFace, c.contacts),
    outOfHoursShare: percentage(c.outOfHours, c.contacts),
    employerContactsPerWeek: perWeek(c.employerContacts, weeks),
  };
}

/** Adds up counts, for the team's totals. */
export function sumCounts(rows: readonly ContactCounts[]): ContactCounts {
  return rows.reduce(
    (a, r) => ({
      contacts: a.contacts + r.contacts,
      faceToFace: a.faceToFace + r.faceToFace,
      outOfHours: a.outOfHours + r.outOfHours,
      employerContacts: a.employerContacts + r.employerContacts,
    }),
    { contacts: 0, faceToFace: 0, outOfHours: 0, employerContacts: 0 },
  );
}

/** The default range: the last four weeks, ending today. */
export function defaultRange(today: string): { from: string; to: string } {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  return { from: new Date(Date.UTC(y, m - 1, d - 27)).toISOString().slice(0, 10), to: today };
}

// ---- Job development: employer contacts a week against the target ----------------------------

/** A week, Monday to Sunday in London, as calendar days. */
export interface Week {
  monday: string;
  sunday: string;
}

function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The week `today` is in and the `count - 1` weeks before it, this week first. */
export function recentWeeks(today: string, count: number): Week[] {
  const monday = mondayOf(today);
  return Array.from({ length: count }, (_, i) => {
    const start = addDays(monday, -7 * i);
    return { monday: start, sunday: addDays(start, 6) };
  });
}

/** The instants that bound a run of weeks: [00:00 London on the first Monday, 00:00 London on the Monday after the last). */
export function weeksInstants(weeks: readonly Week[]): { from: string; to: string } {
  const mondays = weeks.map((w) => w.monday).sort();
  const first = mondays[0]!;
  const last = mondays[mondays.length - 1]!;
  return { from: londonMidnight(first).toISOString(), to: londonMidnight(addDays(last, 7)).toISOString() };
}

/** The London Monday of the week an instant falls in: Sunday 23:30 and Monday 00:30 are in different weeks. */
export function weekOf(instant: string): string {
  return mondayOf(londonTime(new Date(instant)).day);
}

/** Employer contacts one practitioner made at (or from) an instant: a row of the grouped count. */
export interface EmployerContactTally {
  practitionerId: string;
  at: string;
  contacts: number;
  faceToFace: number;
}

export interface EmployerContactWeek extends Week {
  contacts: number;
  faceToFace: number;
  /** Face-to-face employer contacts at or above the target. */
  metTarget: boolean;
}

/**
 * Each practitioner's employer contacts and face-to-face employer contacts in each week, with
 * whether the face-to-face target was met. Tallies outside the weeks are left out; a practitioner
 * with none still gets every week, at zero.
 */
export function employerContactWeeks(
  practitionerIds: readonly string[],
  tallies: readonly EmployerContactTally[],
  weeks: readonly Week[],
  target: number,
): Map<string, EmployerContactWeek[]> {
  const counts = new Map<string, { contacts: number; faceToFace: number }>();
  for (const t of tallies) {
    const key = `${t.practitionerId} ${weekOf(t.at)}`;
    const c = counts.get(key) ?? { contacts: 0, faceToFace: 0 };
    counts.set(key, { contacts: c.contacts + t.contacts, faceToFace: c.faceToFace + t.faceToFace });
  }
  return new Map(
    practitionerIds.map((id) => [
      id,
      weeks.map((w) => {
        const c = counts.get(`${id} ${w.monday}`) ?? { contacts: 0, faceToFace: 0 };
        return { ...w, ...c, metTarget: c.faceToFace >= target };
      }),
    ]),
  );
}
