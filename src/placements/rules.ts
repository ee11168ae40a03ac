import { competitivePay, formatDay } from '../pay/minimum-wage.ts';

// Placements (jobs held): end reasons, contract types, time-in-work milestones, the competitive
// verdict, absences and redeployment outcomes. Pure rules, no I/O.

export const END_REASONS = ['resigned', 'dismissed', 'redundancy', 'contract_end', 'redeployed'] as const;
export type EndReason = (typeof END_REASONS)[number];
export const END_REASON_LABELS: Record<EndReason, string> = {
  resigned: 'Resigned',
  dismissed: 'Dismissed',
  redundancy: 'Made redundant',
  contract_end: 'Contract ended',
  redeployed: 'Redeployed to another job',
};

export const CONTRACT_TYPES = ['permanent', 'fixed_term', 'zero_hours', 'casual', 'apprenticeship', 'other'] as const;
export type ContractType = (typeof CONTRACT_TYPES)[number];
export const CONTRACT_TYPE_LABELS: Record<ContractType, string> = {
  permanent: 'Permanent',
  fixed_term: 'Fixed term',
  zero_hours: 'Zero hours',
  casual: 'Casual',
  apprenticeship: 'Apprenticeship',
  other: 'Other',
};

export const ABSENCE_KINDS = ['sick_leave', 'shielding', 'self_isolation', 'other'] as const;
export type AbsenceKind = (typeof ABSENCE_KINDS)[number];
export const ABSENCE_KIND_LABELS: Record<AbsenceKind, string> = {
  sick_leave: 'Sick leave',
  shielding: 'Shielding',
  self_isolation: 'Self-isolation',
  other: 'Other absence',
};
const ABSENCE_SINCE: Record<AbsenceKind, string> = {
  sick_leave: 'Off sick since',
  shielding: 'Shielding since',
  self_isolation: 'Self-isolating since',
  other: 'Off work since',
};

export const REDEPLOYMENT_OUTCOMES = ['redeployed_host', 'new_employer', 'not_yet'] as const;
export type RedeploymentOutcome = (typeof REDEPLOYMENT_OUTCOMES)[number];
export const REDEPLOYMENT_OUTCOME_LABELS: Record<RedeploymentOutcome, string> = {
  redeployed_host: 'Redeployed within the host',
  new_employer: 'New employer',
  not_yet: 'Not yet in work',
};

/** The outcome a redeployment closes with when the person starts a job with an employer of this type. */
export function redeploymentOutcomeFor(newEmployerType: string): RedeploymentOutcome {
  return newEmployerType === 'host' ? 'redeployed_host' : 'new_employer';
}

/** A calendar date `days` after `day` (both `YYYY-MM-DD`). */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const MILESTONE_WEEKS = [13, 26, 52] as const;

export interface Milestone {
  weeks: number;
  /** The day the milestone falls on, `YYYY-MM-DD`. */
  date: string;
  reached: boolean;
  /** In words: "13 weeks in work on 24 February 2027". */
  text: string;
}

/**
 * Time-in-work milestones 13, 26 and 52 weeks from the start. A milestone is reached on its day
 * when the job was still held then (not ended before it).
 */
export function milestones(startDate: string, endDate: string | null, day: string): Milestone[] {
  return MILESTONE_WEEKS.map((weeks) => {
    const date = addDays(startDate, weeks * 7);
    const reached = date <= day && (endDate === null || endDate >= date);
    return { weeks, date, reached, text: `${weeks} weeks in work on ${formatDay(date)}` };
  });
}

/** The next milestone still to come in a job that is held, or null when none is. */
export function nextMilestone(startDate: string, endDate: string | null, day: string): Milestone | null {
  if (endDate !== null && endDate <= day) return null;
  return milestones(startDate, endDate, day).find((m) => !m.reached && m.date > day) ?? null;
}

export interface CompetitiveInput {
  hourlyPayPence: number | null;
  dateOfBirth: string | null;
  startDate: string;
  openToAnyone: boolean;
  setAsideForDisabled: boolean;
  contractType?: string | null;
}

export interface CompetitiveVerdict {
  competitive: boolean;
  /** Every part of the test in words, met or not. */
  reasons: string[];
}

/**
 * A job is competitive when it pays at least the legal minimum wage for the person's age on the
 * start date, is open to anyone, and is not set aside for disabled people. Pay that cannot be
 * checked is not counted as competitive; the reasons say why.
 */
export function competitiveVerdict(input: CompetitiveInput): CompetitiveVerdict {
  const pay = competitivePay({
    hourlyPayPence: input.hourlyPayPence,
    dateOfBirth: input.dateOfBirth,
    startDate: input.startDate,
    apprentice: input.contractType === 'apprenticeship',
  });
  const reasons = [...pay.reasons];
  reasons.push(input.openToAnyone ? 'The job was open to anyone' : 'The job was not open to anyone');
  reasons.push(
    input.setAsideForDisabled ? 'The job was set aside for disabled people' : 'The job was not set aside for disabled people',
  );
  return { competitive: pay.competitive === true && input.openToAnyone && !input.setAsideForDisabled, reasons };
}

export interface AbsencePeriod {
  kind: AbsenceKind;
  fromDate: string;
  toDate: string | null;
}

/**
 * Whether an absence covers this day. `toDate` is the back-to-work day, so the person is at work
 * on it; an open-ended absence runs until it is ended.
 */
export function isAbsentOn(a: AbsencePeriod, day: string): boolean {
  return a.fromDate <= day && (a.toDate === null || a.toDate > day);
}

/** The absence covering this day, if any (the one that started latest). */
export function currentAbsence<A extends AbsencePeriod>(absences: readonly A[], day: string): A | null {
  return absences.filter((a) => isAbsentOn(a, day)).sort((x, y) => y.fromDate.localeCompare(x.fromDate))[0] ?? null;
}

/** "Off sick since 3 November 2026". */
export function absenceText(a: AbsencePeriod): string {
  return `${ABSENCE_SINCE[a.kind]} ${formatDay(a.fromDate)}`;
}

/** Why an end date cannot be used, or null. */
export function endDateProblem(startDate: string, endDate: string): string | null {
  return endDate < startDate ? `End date must be on or after the start date, ${formatDay(startDate)}` : null;
}

export type RedundancyEmployerGroup = 'host' | 'supplier' | 'other';

/** How the redeployment report groups the employer whose job ended. */
export function redundancyGroup(employerType: string): RedundancyEmployerGroup {
  return employerType === 'host' || employerType === 'supplier' ? employerType : 'other';
}

export interface RedundancyRow {
  employerType: string;
  outcome: string | null;
}

export type RedeploymentFigures = Record<
  RedundancyEmployerGroup,
  { redundancies: number; redeployed_host: number; new_employer: number; not_yet: number; open: number }
>;

/** Redundancies by the ended job's employer type, with how each redeployment came out. */
export function redeploymentFigures(rows: readonly RedundancyRow[]): RedeploymentFigures {
  const empty = () => ({ redundancies: 0, redeployed_host: 0, new_employer: 0, not_yet: 0, open: 0 });
  const out: RedeploymentFigures = { host: empty(), supplier: empty(), other: empty() };
  for (const r of rows) {
    const g = out[redundancyGroup(r.employerType)];
    g.redundancies++;
    if (r.outcome === 'redeployed_host' || r.outcome === 'new_employer' || r.outcome === 'not_yet') g[r.outcome]++;
    else g.open++;
  }
  return out;
}
