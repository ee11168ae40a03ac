import { ageOn } from '../participants/rules.ts';
import { formatPence } from '../profiles/rules.ts';

// The legal minimum hourly pay in the UK: the National Living Wage (21 and over) and the National
// Minimum Wage bands below it. Pure data and arithmetic, no I/O.

export const WAGE_BANDS = ['aged_21_and_over', 'aged_18_to_20', 'under_18', 'apprentice'] as const;
export type WageBand = (typeof WAGE_BANDS)[number];

/** How a band reads in a sentence: "the £12.71 minimum for someone aged 25" or "for an apprentice". */
const BAND_LABELS: Record<WageBand, string> = {
  aged_21_and_over: 'someone aged 21 or over',
  aged_18_to_20: 'someone aged 18 to 20',
  under_18: 'someone under 18',
  apprentice: 'an apprentice',
};

export interface MinimumWageYear {
  /** The day the rates take effect, `YYYY-MM-DD`; they apply until the next row's date. */
  from: string;
  /** Hourly rates in integer pence. */
  pence: Readonly<Record<WageBand, number>>;
}

/**
 * The dated table, oldest first. When the government announces the next April's rates (usually in
 * the autumn budget), add a row here with its `from` date and a test for its boundary; nothing else
 * changes. Rows are never edited once their date has passed, so older placements keep their answer.
 */
export const MINIMUM_WAGE_TABLE: readonly MinimumWageYear[] = Object.freeze([
  {
    from: '2025-04-01',
    pence: { aged_21_and_over: 1221, aged_18_to_20: 1000, under_18: 755, apprentice: 755 },
  },
  {
    from: '2026-04-01',
    pence: { aged_21_and_over: 1271, aged_18_to_20: 1085, under_18: 800, apprentice: 800 },
  },
]);

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function checkDay(day: string, what: string): void {
  if (!DAY_PATTERN.test(day)) throw new RangeError(`${what} must be a date as YYYY-MM-DD, got "${day}"`);
}

/** The table row in force on `day` (`YYYY-MM-DD`), or null before the table starts. */
export function minimumWageYearOn(day: string): MinimumWageYear | null {
  checkDay(day, 'The date');
  let found: MinimumWageYear | null = null;
  // ISO dates compare correctly as strings.
  for (const row of MINIMUM_WAGE_TABLE) if (row.from <= day) found = row;
  return found;
}

/**
 * The band for an age. `apprentice` is the caller's statement that the apprentice rate applies
 * (an apprentice under 19, or of any age in the first year of the apprenticeship); otherwise the
 * age decides.
 */
export function wageBand(ageYears: number, options: { apprentice?: boolean } = {}): WageBand {
  if (options.apprentice) return 'apprentice';
  if (ageYears >= 21) return 'aged_21_and_over';
  if (ageYears >= 18) return 'aged_18_to_20';
  return 'under_18';
}

/** The legal minimum hourly pay in pence for someone of `ageYears` on `day`, or null before the table starts. */
export function minimumHourlyPence(ageYears: number, day: string, options: { apprentice?: boolean } = {}): number | null {
  const row = minimumWageYearOn(day);
  return row === null ? null : row.pence[wageBand(ageYears, options)];
}

/** Month names, January first (calendar dates are formatted without a time zone). */
export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** "1 May 2026" from `2026-05-01` (a calendar date: no time zone involved). */
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTHS[m - 1] ?? '?'} ${y}`;
}

export interface CompetitivePayInput {
  hourlyPayPence: number | null;
  /** `YYYY-MM-DD`; null when not recorded (the 21-and-over rate is then assumed, and said). */
  dateOfBirth: string | null;
  /** `YYYY-MM-DD`: the age and the rates are those of this day. */
  startDate: string | null;
  apprentice?: boolean;
}

export interface CompetitivePayResult {
  /** True when the pay is at least the legal minimum; null when that cannot be told. */
  competitive: boolean | null;
  minimumPence: number | null;
  /** The working in plain English, to show beside the flag. */
  reasons: string[];
}

/**
 * Whether an hourly rate is at least the legal minimum wage for the person's age on the start
 * date. This is the pay test only: a competitive job must also be open to anyone and not set
 * aside for disabled people, which the placement records and checks on its own.
 */
export function competitivePay(input: CompetitivePayInput): CompetitivePayResult {
  const { hourlyPayPence, dateOfBirth, startDate, apprentice = false } = input;
  const reasons: string[] = [];
  if (startDate === null) {
    return { competitive: null, minimumPence: null, reasons: ['No start date recorded, so the minimum wage cannot be checked'] };
  }
  checkDay(startDate, 'The start date');
  const row = minimumWageYearOn(startDate);
  if (row === null) {
    const first = MINIMUM_WAGE_TABLE[0];
    return {
      competitive: null,
      minimumPence: null,
      reasons: [`Stepwise has minimum wage rates only from ${first ? formatDay(first.from) : 'a later date'}`],
    };
  }

  let who: string;
  let band: WageBand;
  if (apprentice) {
    band = 'apprentice';
    who = BAND_LABELS.apprentice;
  } else if (dateOfBirth === null) {
    band = 'aged_21_and_over';
    who = BAND_LABELS.aged_21_and_over;
    reasons.push('No date of birth recorded, so the rate for someone aged 21 or over is assumed');
  } else {
    checkDay(dateOfBirth, 'The date of birth');
    const age = ageOn(dateOfBirth, startDate);
    band = wageBand(age);
    who = `someone aged ${age}`;
  }
  const minimumPence = row.pence[band];
  const on = formatDay(startDate);

  // A start date a year past the newest row probably has newer rates that nobody has added yet.
  if (row === MINIMUM_WAGE_TABLE.at(-1) && startDate >= anniversary(row.from)) {
    reasons.push(
      `Rates from ${formatDay(anniversary(row.from))} are not in Stepwise yet: the ${formatDay(row.from)} rates are used`,
    );
  }

  if (hourlyPayPence === null) {
    reasons.push(`No hourly pay recorded; the minimum for ${who} on ${on} is ${formatPence(minimumPence)}`);
    return { competitive: null, minimumPence, reasons };
  }
  const competitive = hourlyPayPence >= minimumPence;
  const pay = `${formatPence(hourlyPayPence)} an hour`;
  reasons.push(
    competitive
      ? `${pay} is at or above the ${formatPence(minimumPence)} minimum for ${who} on ${on}`
      : `${pay} is below the ${formatPence(minimumPence)} minimum for ${who} on ${on}`,
  );
  return { competitive, minimumPence, reasons };
}

/** The same day a year later: the date the following rates are due. */
function anniversary(day: string): string {
  return `${Number(day.slice(0, 4)) + 1}${day.slice(4)}`;
}
