import { DAYS, type Day, TIMES, type TimeOfDay } from '../profiles/rules.ts';
import { competitivePay, type CompetitivePayResult } from '../pay/minimum-wage.ts';

// Vacancies: the words and the pure rules, no I/O.

export const FOUND_VIA = ['advertised', 'employer_relationship', 'created_with_employer'] as const;
export type FoundVia = (typeof FOUND_VIA)[number];
export const FOUND_VIA_LABELS: Record<FoundVia, string> = {
  advertised: 'Advertised',
  employer_relationship: 'Through an employer relationship (not advertised)',
  created_with_employer: 'Created with the employer (job carving)',
};

export const VACANCY_STATUSES = ['open', 'filled', 'withdrawn'] as const;
export type VacancyStatus = (typeof VACANCY_STATUSES)[number];
export const VACANCY_STATUS_LABELS: Record<VacancyStatus, string> = {
  open: 'Open',
  filled: 'Filled',
  withdrawn: 'Withdrawn',
};

/** Stored lists are comma-separated; anything unknown is dropped and the order is the week's. */
export function parseDays(text: string): Day[] {
  const set = new Set(text.split(',').map((s) => s.trim()));
  return DAYS.filter((d) => set.has(d));
}

export function parseTimes(text: string): TimeOfDay[] {
  const set = new Set(text.split(',').map((s) => s.trim()));
  return TIMES.filter((t) => set.has(t));
}

export function formatList(values: readonly string[]): string {
  return values.join(',');
}

/** A vacancy can be matched while it is open and its closing date (the last day to apply) has not passed. */
export function isOpenOn(v: { status: string; closingDate: string | null }, today: string): boolean {
  return v.status === 'open' && (v.closingDate === null || v.closingDate >= today);
}

/**
 * Whether the pay is at least the legal minimum for this person (their age on the start date;
 * today when the vacancy has no start date). Without a date of birth the 21-and-over rate is
 * assumed and said.
 */
export function vacancyPayCheck(
  v: { hourlyPayPence: number | null; startDate: string | null },
  person: { dateOfBirth: string | null } | null,
  today: string,
): CompetitivePayResult {
  return competitivePay({
    hourlyPayPence: v.hourlyPayPence,
    dateOfBirth: person?.dateOfBirth ?? null,
    startDate: v.startDate ?? today,
  });
}
