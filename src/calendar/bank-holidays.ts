/**
 * Bank holidays in England and Wales (GOV.UK). The one maintained list: add each new year here
 * as it is announced; `bankHolidayYears` says which years are covered, and a date outside them is
 * treated as an ordinary day.
 */
export const ENGLAND_AND_WALES_BANK_HOLIDAYS: readonly string[] = [
  '2025-01-01',
  '2025-04-18',
  '2025-04-21',
  '2025-05-05',
  '2025-05-26',
  '2025-08-25',
  '2025-12-25',
  '2025-12-26',
  '2026-01-01',
  '2026-04-03',
  '2026-04-06',
  '2026-05-04',
  '2026-05-25',
  '2026-08-31',
  '2026-12-25',
  '2026-12-28',
  '2027-01-01',
  '2027-03-26',
  '2027-03-29',
  '2027-05-03',
  '2027-05-31',
  '2027-08-30',
  '2027-12-27',
  '2027-12-28',
];

const HOLIDAYS = new Set(ENGLAND_AND_WALES_BANK_HOLIDAYS);

export function isBankHoliday(day: string): boolean {
  return HOLIDAYS.has(day);
}

export function bankHolidayYears(): number[] {
  return [...new Set(ENGLAND_AND_WALES_BANK_HOLIDAYS.map((d) => Number(d.slice(0, 4))))];
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  weekday: 'short',
  hourCycle: 'h23',
});

/** The wall-clock day, time and weekday of an instant in Europe/London. */
export function londonTime(instant: Date): { day: string; hour: number; minute: number; weekday: string } {
  const parts = Object.fromEntries(londonParts.formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: String(parts.weekday),
  };
}

/** Working hours: weekdays 08:00 to 18:00, UK time, not on bank holidays. */
export const WORKING_DAY = { startHour: 8, endHour: 18 } as const;

/**
 * Out of hours: before 08:00 or from 18:00 on a weekday, any time at a weekend or on a bank
 * holiday of England and Wales, all in Europe/London time.
 */
export function isOutOfHours(instant: Date): boolean {
  const t = londonTime(instant);
  if (t.weekday === 'Sat' || t.weekday === 'Sun' || isBankHoliday(t.day)) return true;
  const minutes = t.hour * 60 + t.minute;
  return minutes < WORKING_DAY.startHour * 60 || minutes >= WORKING_DAY.endHour * 60;
}

/** The instant a London calendar day starts (00:00 Europe/London), whatever the clock change. */
export function londonMidnight(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  // London is UTC or UTC+1: midnight there is one of these two instants.
  for (const offsetHours of [0, 1]) {
    const candidate = new Date(Date.UTC(y, m - 1, d, 0 - offsetHours));
    const t = londonTime(candidate);
    if (t.day === day && t.hour === 0 && t.minute === 0) return candidate;
  }
  throw new Error(`Not a calendar day: ${day}`);
}

/** The day after `day`, both `YYYY-MM-DD`. */
export function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}
