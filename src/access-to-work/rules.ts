import { londonMidnight, londonTime, nextDay } from '../calendar/bank-holidays.ts';
import { mondayOf } from '../employers/rules.ts';
import { daysBetween, dayText } from '../referrals/rules.ts';
import { addDays, addMonths } from '../support/rules.ts';

// Access to Work arithmetic: hours are counted in whole minutes and money in whole pence, so
// a claim's lines, its total, its CSV and its PDF always agree to the penny.

export const SUPPORT_KINDS = ['job_coach', 'support_worker', 'travel', 'equipment', 'other'] as const;
export type SupportKind = (typeof SUPPORT_KINDS)[number];
export const SUPPORT_KIND_LABELS: Record<SupportKind, string> = {
  job_coach: 'Job coach',
  support_worker: 'Support worker',
  travel: 'Travel to work',
  equipment: 'Equipment or adaptations',
  other: 'Other support',
};
/** Support paid by the hour: these awards need hours and an hourly rate, and contacts are charged to them. */
export const HOURLY_KINDS: readonly SupportKind[] = ['job_coach', 'support_worker'];

export const APPLIED_BY = ['participant', 'coach', 'employer', 'other'] as const;
export type AppliedBy = (typeof APPLIED_BY)[number];
export const APPLIED_BY_LABELS: Record<AppliedBy, string> = {
  participant: 'The person themselves',
  coach: 'Their coach, on their behalf',
  employer: 'Their employer',
  other: 'Someone else',
};

export const APPLICATION_STATUSES = ['preparing', 'sent', 'awarded', 'refused', 'withdrawn'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
export const APPLICATION_STATUS_LABELS: Record<ApplicationStatus, string> = {
  preparing: 'Being prepared',
  sent: 'Sent, waiting for a decision',
  awarded: 'Awarded',
  refused: 'Refused',
  withdrawn: 'Withdrawn',
};
/** Applications still waiting: counted in the capacity forecast from their expected start. */
export const PENDING_APPLICATION_STATUSES: readonly ApplicationStatus[] = ['preparing', 'sent'];

export const CLAIM_STATUSES = ['draft', 'submitted', 'paid'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
export const CLAIM_STATUS_LABELS: Record<ClaimStatus, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  paid: 'Paid',
};

/** Awards last at most three years (GOV.UK). */
export const MAX_AWARD_MONTHS = 36;
/** A full-time coach's week, for saying how much of a coach a shortfall is (NHS Agenda for Change). */
export const FULL_TIME_HOURS = 37.5;

// ---- Money and hours -----------------------------------------------------------------------------

/** Decimal hours to whole minutes (1.25 h = 75 min), rounded to the nearest minute. */
export function hoursToMinutes(hours: number): number {
  return Math.round(hours * 60);
}

/** Minutes as hours with two decimals for display and export: 75 → "1.25". */
export function minutesAsHours(minutes: number): string {
  const sign = minutes < 0 ? '-' : '';
  const m = Math.abs(minutes);
  const hundredths = Math.round((m * 100) / 60);
  return `${sign}${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

/** Minutes as decimal hours (for the API), to two places. */
export function minutesToHours(minutes: number): number {
  return Math.round((minutes * 100) / 60) / 100;
}

/** The cost of `minutes` at `ratePence` an hour, in whole pence, half a penny rounding up. Integer arithmetic only. */
export function amountPence(minutes: number, ratePence: number): number {
  return Math.floor((minutes * ratePence + 30) / 60);
}

/** "£1,234.56" from pence. */
export function poundsText(pence: number): string {
  const sign = pence < 0 ? '-' : '';
  const p = Math.abs(pence);
  const pounds = Math.floor(p / 100).toLocaleString('en-GB');
  return `${sign}£${pounds}.${String(p % 100).padStart(2, '0')}`;
}

/** "1,234.56" from pence, for money columns in exports. */
export function poundsPlain(pence: number): string {
  const sign = pence < 0 ? '-' : '';
  const p = Math.abs(pence);
  return `${sign}${Math.floor(p / 100)}.${String(p % 100).padStart(2, '0')}`;
}

// ---- Delivered support by day --------------------------------------------------------------------

export interface ChargedContact {
  id: string;
  startedAt: string;
  durationMinutes: number;
}

/**
 * Minutes of support on each London calendar day, `YYYY-MM-DD` → minutes, days in order. A
 * contact that runs past midnight is split at midnight: 23:00 for two hours is one hour on each
 * day, whatever the clock change.
 */
export function minutesByDay(contacts: readonly ChargedContact[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of contacts) {
    let start = new Date(c.startedAt).getTime();
    const end = start + c.durationMinutes * 60_000;
    while (start < end) {
      const day = londonTime(new Date(start)).day;
      const dayEnd = Math.min(end, londonMidnight(nextDay(day)).getTime());
      out.set(day, (out.get(day) ?? 0) + Math.round((dayEnd - start) / 60_000));
      start = dayEnd;
    }
  }
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

export interface ClaimLine {
  day: string;
  minutes: number;
  amountPence: number;
  contacts: number;
}

export interface ClaimSums {
  lines: ClaimLine[];
  totalMinutes: number;
  totalPence: number;
}

/**
 * A claim's lines: one per day of support with its hours and amount at the award's rate, and
 * the totals. The total is the sum of the lines, so every copy of the claim adds up.
 */
export function claimSums(contacts: readonly ChargedContact[], ratePence: number): ClaimSums {
  const perDay = minutesByDay(contacts);
  const counts = new Map<string, number>();
  for (const c of contacts) {
    const day = londonTime(new Date(c.startedAt)).day;
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  const lines = [...perDay.entries()]
    .filter(([, minutes]) => minutes > 0)
    .map(([day, minutes]) => ({ day, minutes, amountPence: amountPence(minutes, ratePence), contacts: counts.get(day) ?? 0 }));
  return {
    lines,
    totalMinutes: lines.reduce((s, l) => s + l.minutes, 0),
    totalPence: lines.reduce((s, l) => s + l.amountPence, 0),
  };
}

// ---- Awards --------------------------------------------------------------------------------------

export interface AwardTerms {
  supportKind: SupportKind;
  startDate: string;
  endDate: string;
  hoursPerWeek: number | null;
  hoursTotal: number | null;
  hourlyRatePence: number | null;
  totalAmountPence: number | null;
  employerContributionPence: number | null;
}

/** Field problems with an award's terms, in words; empty when it is fine. */
export function awardProblems(a: AwardTerms): Record<string, string> {
  const problems: Record<string, string> = {};
  if (a.endDate <= a.startDate) problems.end_date = 'End date must be after the start date';
  else if (a.endDate >= addMonths(a.startDate, MAX_AWARD_MONTHS))
    problems.end_date = `An award lasts at most 3 years: the end date must be before ${dayText(addMonths(a.startDate, MAX_AWARD_MONTHS))}`;
  if (a.hoursPerWeek !== null && a.hoursTotal !== null) problems.hours_per_week = 'Give hours a week or hours in total, not both';
  if (a.hoursPerWeek !== null && !(a.hoursPerWeek > 0)) problems.hours_per_week = 'Hours a week must be more than 0';
  if (a.hoursPerWeek !== null && a.hoursPerWeek > 168) problems.hours_per_week = 'Hours a week must be 168 or fewer';
  if (a.hoursTotal !== null && !(a.hoursTotal > 0)) problems.hours_total = 'Hours in total must be more than 0';
  if (a.hourlyRatePence !== null && !(a.hourlyRatePence > 0)) problems.hourly_rate = 'Hourly rate must be more than £0';
  if (a.totalAmountPence !== null && !(a.totalAmountPence > 0)) problems.total_amount = 'Total amount must be more than £0';
  if (a.employerContributionPence !== null && a.employerContributionPence < 0)
    problems.employer_contribution = 'Employer contribution cannot be less than £0';
  if (HOURLY_KINDS.includes(a.supportKind)) {
    if (a.hoursPerWeek === null && a.hoursTotal === null && !problems.hours_per_week)
      problems.hours_per_week = 'Enter the hours awarded: hours a week or hours in total';
    if (a.hourlyRatePence === null && !problems.hourly_rate) problems.hourly_rate = 'Enter the hourly rate in the award letter';
  } else if (a.totalAmountPence === null && !problems.total_amount) {
    problems.total_amount = 'Enter the total amount in the award letter';
  }
  return problems;
}

/** Days an award covers, both ends included. */
export function awardDays(a: { startDate: string; endDate: string }): number {
  return daysBetween(a.startDate, a.endDate) + 1;
}

/** Days of [from, to] (both included) inside the award; 0 when they do not overlap. */
export function overlapDays(a: { startDate: string; endDate: string }, from: string, to: string): number {
  const start = from > a.startDate ? from : a.startDate;
  const end = to < a.endDate ? to : a.endDate;
  return end < start ? 0 : daysBetween(start, end) + 1;
}

/**
 * Minutes of support the award gives in [from, to]: hours a week pro rata by day, or hours in
 * total spread evenly over the award's days. An award starting mid-month gives that month only
 * its own days.
 */
export function awardedMinutes(a: AwardTerms, from: string, to: string): number {
  const days = overlapDays(a, from, to);
  if (days === 0) return 0;
  if (a.hoursPerWeek !== null) return Math.round((hoursToMinutes(a.hoursPerWeek) * days) / 7);
  if (a.hoursTotal !== null) return Math.round((hoursToMinutes(a.hoursTotal) * days) / awardDays(a));
  return 0;
}

/** The award's hours as minutes a week (hours in total averaged over its weeks); 0 for non-hourly support. */
export function weeklyMinutes(a: AwardTerms): number {
  if (a.hoursPerWeek !== null) return hoursToMinutes(a.hoursPerWeek);
  if (a.hoursTotal !== null) return Math.round((hoursToMinutes(a.hoursTotal) * 7) / awardDays(a));
  return 0;
}

/** True when the award covers `day`. */
export function isActiveOn(a: { startDate: string; endDate: string }, day: string): boolean {
  return a.startDate <= day && day <= a.endDate;
}

/** The first and last day of the calendar month holding `day`. */
export function monthOf(day: string): { start: string; end: string } {
  const start = `${day.slice(0, 7)}-01`;
  return { start, end: addDays(addMonths(start, 1), -1) };
}

/** The claim period offered first: the last whole calendar month before `today`. */
export function defaultClaimPeriod(today: string): { start: string; end: string } {
  return monthOf(addMonths(monthOf(today).start, -1));
}

export type PeriodState = 'under' | 'over' | 'as_awarded' | 'in_progress' | 'not_started';

export interface PeriodFigures {
  start: string;
  end: string;
  awardedMinutes: number;
  deliveredMinutes: number;
  /** Delivered minus awarded: negative is under-delivery. */
  differenceMinutes: number;
  state: PeriodState;
}

export interface DeliveryFigures {
  periods: PeriodFigures[];
  awardedMinutes: number;
  deliveredMinutes: number;
  /** Awarded minus delivered over the whole award; negative when more was delivered than awarded. */
  leftMinutes: number;
}

/**
 * Per calendar month of the award (clipped to its dates): minutes awarded, delivered, the
 * difference and whether it was under or over; the month holding `today` is in progress and
 * later ones not started. Totals are over the whole award.
 */
export function deliveryFigures(a: AwardTerms, delivered: ReadonlyMap<string, number>, today: string): DeliveryFigures {
  const periods: PeriodFigures[] = [];
  for (let month = monthOf(a.startDate).start; month <= a.endDate; month = addMonths(month, 1)) {
    const m = monthOf(month);
    const start = m.start < a.startDate ? a.startDate : m.start;
    const end = m.end > a.endDate ? a.endDate : m.end;
    const awarded = awardedMinutes(a, start, end);
    let deliveredMinutes = 0;
    for (const [day, minutes] of delivered) if (day >= start && day <= end) deliveredMinutes += minutes;
    const difference = deliveredMinutes - awarded;
    const state: PeriodState =
      start > today
        ? 'not_started'
        : end >= today
          ? 'in_progress'
          : difference < 0
            ? 'under'
            : difference > 0
              ? 'over'
              : 'as_awarded';
    periods.push({ start, end, awardedMinutes: awarded, deliveredMinutes, differenceMinutes: difference, state });
  }
  const awarded = awardedMinutes(a, a.startDate, a.endDate);
  let deliveredTotal = 0;
  for (const [day, minutes] of delivered) if (isActiveOn(a, day)) deliveredTotal += minutes;
  return { periods, awardedMinutes: awarded, deliveredMinutes: deliveredTotal, leftMinutes: awarded - deliveredTotal };
}

/** Delivered minutes per week (Monday) from the award's first week to the last week that has begun by `today`. */
export function weeklyDelivered(
  a: { startDate: string; endDate: string },
  delivered: ReadonlyMap<string, number>,
  today: string,
): { weekStart: string; minutes: number }[] {
  const last = today < a.endDate ? today : a.endDate;
  const weeks: { weekStart: string; minutes: number }[] = [];
  for (let w = mondayOf(a.startDate); w <= last; w = addDays(w, 7)) weeks.push({ weekStart: w, minutes: 0 });
  const index = new Map(weeks.map((w, i) => [w.weekStart, i]));
  for (const [day, minutes] of delivered) {
    const i = index.get(mondayOf(day));
    if (i !== undefined && isActiveOn(a, day)) weeks[i]!.minutes += minutes;
  }
  return weeks;
}

// ---- Alerts --------------------------------------------------------------------------------------

/** The first day the renewal alert shows: `weeks` before the end date (12 weeks = 84 days). */
export function renewalAlertFrom(endDate: string, weeks: number): string {
  return addDays(endDate, -7 * weeks);
}

export interface RenewalFacts {
  endDate: string;
  renewed: boolean;
  notRenewing: boolean;
}

/**
 * Whether an award needs renewing now: from `weeks` before its end (applications can go in 12
 * weeks before) until it is renewed or marked as not renewing, and for up to the same time after
 * it ended, so a lapse is not missed.
 */
export function renewalDue(a: RenewalFacts, today: string, weeks: number): boolean {
  if (a.renewed || a.notRenewing) return false;
  return today >= renewalAlertFrom(a.endDate, weeks) && today <= addDays(a.endDate, 7 * weeks);
}

export interface UnclaimedMonth {
  start: string;
  end: string;
  minutes: number;
  /** The oldest day of support in the month: the claim limit counts from it. */
  firstDay: string;
  /** Past the service's claim limit: the money may be lost. */
  pastLimit: boolean;
}

/**
 * Calendar months that have ended with delivered support not in a submitted claim, oldest
 * first, each flagged when its oldest support is older than the claim limit.
 */
export function unclaimedMonths(unclaimed: ReadonlyMap<string, number>, today: string, limitMonths: number): UnclaimedMonth[] {
  const thisMonth = monthOf(today).start;
  const limit = addMonths(today, -limitMonths);
  const months = new Map<string, UnclaimedMonth>();
  for (const [day, minutes] of unclaimed) {
    if (minutes <= 0) continue;
    const m = monthOf(day);
    if (m.start >= thisMonth) continue;
    const current = months.get(m.start) ?? { ...m, minutes: 0, firstDay: day, pastLimit: false };
    current.minutes += minutes;
    if (day < current.firstDay) current.firstDay = day;
    current.pastLimit = current.firstDay < limit;
    months.set(m.start, current);
  }
  return [...months.values()].sort((a, b) => (a.start < b.start ? -1 : 1));
}

// ---- Coach capacity ------------------------------------------------------------------------------

export interface CapacityCoach {
  id: string;
  name: string;
  /** Contracted hours a week; null when not recorded (counted as none). */
  contractedHoursPerWeek: number | null;
  /** Minutes of in-work support they delivered over the last 12 weeks. */
  deliveredMinutes12Weeks: number;
}

/** Hours a coach is committed to for a stretch of time (an award, a plan, an application in the pipeline). */
export interface Commitment {
  coachId: string | null;
  kind: 'award' | 'plan' | 'pipeline';
  /** First day it counts; null means already running. */
  from: string | null;
  /** Last day it counts; null means open-ended (support plans are time-unlimited). */
  to: string | null;
  minutesPerWeek: number;
}

export interface CapacityWeek {
  weekStart: string;
  demandMinutes: number;
  capacityMinutes: number;
  /** Demand minus capacity; positive means more work than coach hours. */
  excessMinutes: number;
}

export interface CoachLoad extends CapacityCoach {
  committedMinutes: number;
}

export interface CapacityForecast {
  coaches: CoachLoad[];
  /** Commitments with no coach in the team (the person has no practitioner), still demand. */
  unassignedMinutes: number;
  capacityMinutes: number;
  weeks: CapacityWeek[];
  /** The first week demand exceeds capacity, or null. */
  shortfallFrom: string | null;
  /** The largest weekly excess over the forecast (0 when capacity covers it). */
  peakExcessMinutes: number;
  peakWeek: string | null;
  /** The smallest weekly spare capacity when there is no shortfall. */
  tightestSpareMinutes: number;
  /** In words, for managers. */
  statement: string;
}

function activeInWeek(c: Commitment, weekStart: string): boolean {
  const weekEnd = addDays(weekStart, 6);
  return (c.from === null || c.from <= weekEnd) && (c.to === null || c.to >= weekStart);
}

function hoursText(minutes: number): string {
  const tenths = Math.round(minutes / 6);
  return `${tenths % 10 === 0 ? tenths / 10 : (tenths / 10).toFixed(1)} h/week`;
}

/** A share of a full-time coach to one decimal: 840 minutes (14 h) is "0.4". */
export function fullTimeShare(minutes: number): string {
  return (Math.round((minutes / 60 / FULL_TIME_HOURS) * 10) / 10).toFixed(1);
}

/**
 * The next `weeks` weeks (from the Monday of `today`'s week) of coach demand against the team's
 * contracted hours. Demand in a week is every award, support plan and pending application active
 * in any part of it; awards stop at their end dates (renewals not yet applied for are not
 * assumed).
 */
export function capacityForecast(
  coaches: readonly CapacityCoach[],
  commitments: readonly Commitment[],
  today: string,
  weeks = 26,
): CapacityForecast {
  const capacityMinutes = coaches.reduce((s, c) => s + hoursToMinutes(c.contractedHoursPerWeek ?? 0), 0);
  const thisWeek = mondayOf(today);
  const now = commitments.filter((c) => activeInWeek(c, thisWeek) && c.kind !== 'pipeline');
  const ids = new Set(coaches.map((c) => c.id));
  const loads = coaches.map((c) => ({
    ...c,
    committedMinutes: now.filter((x) => x.coachId === c.id).reduce((s, x) => s + x.minutesPerWeek, 0),
  }));
  const unassignedMinutes = now
    .filter((x) => x.coachId === null || !ids.has(x.coachId))
    .reduce((s, x) => s + x.minutesPerWeek, 0);
  const forecast: CapacityWeek[] = [];
  for (let i = 0; i < weeks; i++) {
    const weekStart = addDays(thisWeek, 7 * i);
    const demandMinutes = commitments.filter((c) => activeInWeek(c, weekStart)).reduce((s, c) => s + c.minutesPerWeek, 0);
    forecast.push({ weekStart, demandMinutes, capacityMinutes, excessMinutes: demandMinutes - capacityMinutes });
  }
  const short = forecast.filter((w) => w.excessMinutes > 0);
  const peak = short.reduce<CapacityWeek | null>(
    (best, w) => (best === null || w.excessMinutes > best.excessMinutes ? w : best),
    null,
  );
  const tightest = forecast.reduce((min, w) => Math.min(min, -w.excessMinutes), Number.POSITIVE_INFINITY);
  const shortfallFrom = short[0]?.weekStart ?? null;
  let statement: string;
  if (peak && shortfallFrom) {
    const when = shortfallFrom === thisWeek ? 'now' : `from the week of ${dayText(shortfallFrom)}`;
    const first = short[0]!.excessMinutes;
    statement =
      `Demand exceeds the team's capacity by ${hoursText(first)} ${when}` +
      (peak.excessMinutes > first
        ? `, rising to ${hoursText(peak.excessMinutes)} in the week of ${dayText(peak.weekStart)}`
        : '') +
      `: about ${fullTimeShare(peak.excessMinutes)} of a full-time coach (${FULL_TIME_HOURS} hours a week).`;
  } else {
    statement = `The team's contracted hours cover the demand for the next ${weeks} weeks, with at least ${hoursText(
      Number.isFinite(tightest) ? tightest : capacityMinutes,
    )} to spare.`;
  }
  return {
    coaches: loads,
    unassignedMinutes,
    capacityMinutes,
    weeks: forecast,
    shortfallFrom,
    peakExcessMinutes: peak?.excessMinutes ?? 0,
    peakWeek: peak?.weekStart ?? null,
    tightestSpareMinutes: Number.isFinite(tightest) ? tightest : capacityMinutes,
    statement,
  };
}

/** The award a new support contact is charged to by default: the one active job-coach award on its day, if exactly one. */
export function defaultAward<T extends { id: string; supportKind: SupportKind; startDate: string; endDate: string }>(
  awards: readonly T[],
  day: string,
): T | null {
  const active = awards.filter((a) => a.supportKind === 'job_coach' && isActiveOn(a, day));
  return active.length === 1 ? active[0]! : null;
}

/** Contacts for these purposes are in-work support, and may be charged to an award. */
export const CHARGEABLE_PURPOSES = ['in_work_support', 'task_instruction'] as const;
