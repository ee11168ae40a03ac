import { competitivePay } from '../pay/minimum-wage.ts';
import { daysBetween } from '../referrals/rules.ts';
import { addDays } from '../support/rules.ts';

// Supported internships: rotation planning, clashes in the grid, the programme outcome
// (Project SEARCH: a non-seasonal job in an integrated setting, 16 hours a week or more, at or
// above the minimum wage) and cohort outcome rates. Pure functions, no HTTP or SQL.

export const INTERN_STATUSES = ['active', 'withdrawn', 'graduated'] as const;
export type InternStatus = (typeof INTERN_STATUSES)[number];
export const INTERN_STATUS_LABELS: Record<InternStatus, string> = {
  active: 'On the internship',
  withdrawn: 'Left the internship',
  graduated: 'Graduated',
};

export const OUTCOMES = [
  'employed_host',
  'employed_supplier',
  'employed_elsewhere',
  'further_education',
  'seeking',
  'other',
] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_LABELS: Record<Outcome, string> = {
  employed_host: 'Employed by the host organisation',
  employed_supplier: 'Employed by one of the host’s suppliers',
  employed_elsewhere: 'Employed elsewhere',
  further_education: 'Further education or training',
  seeking: 'Still looking for work',
  other: 'Something else',
};
export const EMPLOYED_OUTCOMES: readonly Outcome[] = ['employed_host', 'employed_supplier', 'employed_elsewhere'];

export const ABSENCE_REASONS = ['ill', 'appointment', 'holiday', 'transport', 'unauthorised', 'other'] as const;
export type AbsenceReason = (typeof ABSENCE_REASONS)[number];
export const ABSENCE_REASON_LABELS: Record<AbsenceReason, string> = {
  ill: 'Ill',
  appointment: 'Medical or other appointment',
  holiday: 'Agreed holiday',
  transport: 'Transport problem',
  unauthorised: 'Did not say why',
  other: 'Another reason',
};

/** The Project SEARCH threshold: 16 hours a week or more. */
export const OUTCOME_MIN_HOURS = 16;

// ---- Rotations -----------------------------------------------------------------------------------

export interface RotationDates {
  number: number;
  startDate: string;
  endDate: string;
}

/**
 * The default rotation plan: `count` rotations splitting the cohort's dates as evenly as whole
 * days allow, back to back, the first starting on the cohort's first day and the last ending on
 * its last.
 */
export function defaultRotations(startDate: string, endDate: string, count = 3): RotationDates[] {
  const days = daysBetween(startDate, endDate) + 1;
  const out: RotationDates[] = [];
  let start = startDate;
  for (let i = 0; i < count; i++) {
    const length = Math.floor((days * (i + 1)) / count) - Math.floor((days * i) / count);
    const end = i === count - 1 ? endDate : addDays(start, length - 1);
    out.push({ number: i + 1, startDate: start, endDate: end });
    start = addDays(end, 1);
  }
  return out;
}

/** Problems with a rotation plan, in words: dates out of order, overlapping, or outside the cohort. */
export function rotationPlanProblems(
  cohort: { startDate: string; endDate: string },
  rotations: readonly RotationDates[],
): Record<string, string> {
  const problems: Record<string, string> = {};
  const sorted = [...rotations].sort((a, b) => a.number - b.number);
  sorted.forEach((r, i) => {
    const key = `rotation_${r.number}`;
    if (r.endDate < r.startDate) problems[key] = `Rotation ${r.number} must end on or after the day it starts`;
    else if (r.startDate < cohort.startDate || r.endDate > cohort.endDate)
      problems[key] = `Rotation ${r.number} must fall within the cohort’s dates`;
    else if (i > 0 && r.startDate <= sorted[i - 1]!.endDate)
      problems[key] = `Rotation ${r.number} must start after rotation ${sorted[i - 1]!.number} ends`;
  });
  return problems;
}

// ---- The planning grid ---------------------------------------------------------------------------

export interface GridDepartment {
  id: string;
  name: string;
  /** Interns it can take at once; null means not set (treated as no limit, and said). */
  capacity: number | null;
}

export interface GridPlacement {
  rotationId: string;
  internId: string;
  departmentId: string;
}

export type Clash =
  | { kind: 'over_capacity'; rotationId: string; departmentId: string; placed: number; capacity: number }
  | { kind: 'same_department_twice'; internId: string; departmentId: string; rotationIds: string[] }
  | { kind: 'no_placement'; rotationId: string; internId: string };

/**
 * What is wrong with a rotation grid: a department given more interns in one rotation than it
 * can take, an intern in the same department in two rotations, and an intern with no department
 * in a rotation. Only active interns count.
 */
export function gridClashes(
  rotations: readonly { id: string; number: number }[],
  interns: readonly { id: string }[],
  departments: readonly GridDepartment[],
  placements: readonly GridPlacement[],
): Clash[] {
  const clashes: Clash[] = [];
  const internIds = new Set(interns.map((i) => i.id));
  const live = placements.filter((p) => internIds.has(p.internId));
  const order = [...rotations].sort((a, b) => a.number - b.number);
  for (const r of order) {
    for (const d of departments) {
      const placed = live.filter((p) => p.rotationId === r.id && p.departmentId === d.id).length;
      if (d.capacity !== null && placed > d.capacity)
        clashes.push({ kind: 'over_capacity', rotationId: r.id, departmentId: d.id, placed, capacity: d.capacity });
    }
  }
  for (const i of interns) {
    const byDepartment = new Map<string, string[]>();
    for (const r of order) {
      const p = live.find((x) => x.internId === i.id && x.rotationId === r.id);
      if (!p) continue;
      byDepartment.set(p.departmentId, [...(byDepartment.get(p.departmentId) ?? []), r.id]);
    }
    for (const [departmentId, rotationIds] of byDepartment)
      if (rotationIds.length > 1) clashes.push({ kind: 'same_department_twice', internId: i.id, departmentId, rotationIds });
  }
  for (const r of order)
    for (const i of interns)
      if (!live.some((p) => p.internId === i.id && p.rotationId === r.id))
        clashes.push({ kind: 'no_placement', rotationId: r.id, internId: i.id });
  return clashes;
}

// ---- Programme outcome ---------------------------------------------------------------------------

export interface GraduateJob {
  hoursPerWeek: number | null;
  hourlyPayPence: number | null;
  /** True for a seasonal or temporary-for-the-season contract. */
  seasonal: boolean | null;
  /** True when the intern works alongside colleagues who are not disabled (not a segregated setting). */
  integrated: boolean | null;
  startDate: string | null;
  dateOfBirth: string | null;
}

export interface OutcomeVerdict {
  /** True when the job meets the programme outcome definition; false otherwise (including unknowns). */
  meets: boolean;
  reasons: { fits: boolean; text: string }[];
}

/**
 * Whether a graduate's job meets the programme outcome: 16 hours a week or more, not seasonal,
 * in an integrated setting, paid at least the legal minimum wage for their age on the start
 * date. Derived, never typed; anything not recorded counts against it, and says so.
 */
export function programmeOutcome(job: GraduateJob): OutcomeVerdict {
  const reasons: { fits: boolean; text: string }[] = [];
  if (job.hoursPerWeek === null) reasons.push({ fits: false, text: 'Hours a week not recorded' });
  else if (job.hoursPerWeek >= OUTCOME_MIN_HOURS)
    reasons.push({ fits: true, text: `${job.hoursPerWeek} hours a week (16 or more)` });
  else reasons.push({ fits: false, text: `${job.hoursPerWeek} hours a week: fewer than 16` });
  if (job.seasonal === null) reasons.push({ fits: false, text: 'Not recorded whether the job is seasonal' });
  else reasons.push(job.seasonal ? { fits: false, text: 'A seasonal job' } : { fits: true, text: 'Not seasonal' });
  if (job.integrated === null) reasons.push({ fits: false, text: 'Not recorded whether the setting is integrated' });
  else
    reasons.push(
      job.integrated
        ? { fits: true, text: 'Works alongside colleagues who are not disabled' }
        : { fits: false, text: 'Not an integrated setting' },
    );
  if (job.hourlyPayPence === null) reasons.push({ fits: false, text: 'Hourly pay not recorded' });
  else {
    const pay = competitivePay({ hourlyPayPence: job.hourlyPayPence, dateOfBirth: job.dateOfBirth, startDate: job.startDate });
    const text = pay.reasons.join('; ');
    reasons.push({ fits: pay.competitive === true, text: pay.competitive === null ? `Pay cannot be checked: ${text}` : text });
  }
  return { meets: reasons.every((r) => r.fits), reasons };
}

export interface OutcomeRate {
  /** Interns who finished the programme (graduated). */
  graduates: number;
  /** Graduates in any paid job. */
  employed: number;
  /** Graduates whose job meets the programme outcome definition. */
  programmeOutcomes: number;
  /** programmeOutcomes ÷ graduates, as a whole percentage; null with no graduates yet. */
  ratePercent: number | null;
}

/** A cohort's (or several cohorts') outcome rate: graduates into a job meeting the programme definition. */
export function outcomeRate(interns: readonly { status: InternStatus; outcome: Outcome | null; meets: boolean }[]): OutcomeRate {
  const graduates = interns.filter((i) => i.status === 'graduated');
  const employed = graduates.filter((i) => i.outcome !== null && EMPLOYED_OUTCOMES.includes(i.outcome));
  const programmeOutcomes = employed.filter((i) => i.meets).length;
  return {
    graduates: graduates.length,
    employed: employed.length,
    programmeOutcomes,
    ratePercent: graduates.length === 0 ? null : Math.round((programmeOutcomes * 100) / graduates.length),
  };
}

/** Attendance as a share of recorded days, whole percent; null with nothing recorded. */
export function attendancePercent(days: readonly { present: boolean }[]): number | null {
  if (days.length === 0) return null;
  return Math.round((days.filter((d) => d.present).length * 100) / days.length);
}
