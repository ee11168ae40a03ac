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

/** Where a status can move: an open vacancy is filled or withdrawn; either can be reopened. */
export function allowedNextStatuses(from: VacancyStatus): readonly VacancyStatus[] {
  return from === 'open' ? ['filled', 'withdrawn'] : ['open'];
}

/** Its closing date (the last day to apply) is before today, whatever its status. */
export function isPastClosing(v: { closingDate: string | null }, today: string): boolean {
  return v.closingDate !== null && v.closingDate < today;
}

/** How many days ahead "closing soon" looks, today included. */
export const CLOSING_SOON_DAYS = 14;

/** The last day that counts as "closing soon" from `today` (both `YYYY-MM-DD`). */
export function closingSoonUntil(today: string): string {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + CLOSING_SOON_DAYS - 1);
  return d.toISOString().slice(0, 10);
}

/** "12.71" or "£12.71" (commas and spaces allowed) to 1271 pence; null when it is not an amount. */
export function poundsToPence(text: string): number | null {
  const s = text.trim().replace(/^£\s*/, '').replace(/,/g, '');
  if (!/^\d{1,4}(\.\d{1,2})?$/.test(s)) return null;
  const [whole = '0', part = ''] = s.split('.');
  // Whole pence from the digits, so 0.1 + 0.2 style rounding never enters.
  return Number(whole) * 100 + Number(part.padEnd(2, '0'));
}

/** 1271 to "12.71", as a pay field shows it. */
export function penceToPounds(pence: number | null): string {
  return pence === null ? '' : (pence / 100).toFixed(2);
}

/** Hours a week as people write them: 37.5, 16, 7.25. */
export function formatHours(hours: number): string {
  return `${Number.isInteger(hours) ? hours : Number(hours.toFixed(2))} ${hours === 1 ? 'hour' : 'hours'} a week`;
}

/** What the vacancies list can show: open ones by default; "closed" is open but past its closing date. */
export const LIST_STATUSES = ['open', 'closed', 'filled', 'withdrawn', 'all'] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];
export const LIST_STATUS_LABELS: Record<ListStatus, string> = {
  open: 'Open (taking applications)',
  closed: 'Closing date passed',
  filled: 'Filled',
  withdrawn: 'Withdrawn',
  all: 'Any status',
};
