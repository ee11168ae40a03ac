import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { parseFormDate } from '../contacts/schema.ts';
import { employerNameKey, tidyEmployerName } from '../employers/rules.ts';
import { ValidationError } from '../errors.ts';
import { DAYS, type Day, TIMES, type TimeOfDay } from '../profiles/rules.ts';
import { FOUND_VIA, type FoundVia, poundsToPence } from './rules.ts';

// Reading a vacancies CSV file: the header, each row checked on its own, and the key that makes
// importing the same file twice add nothing. Pure: no database, no clock.

/** The documented header, in its documented order (docs/user-guide.md, the import page). */
export const IMPORT_COLUMNS = [
  'reference',
  'employer',
  'title',
  'occupation',
  'department',
  'site',
  'place',
  'latitude',
  'longitude',
  'hours_per_week',
  'days',
  'shift',
  'weekends',
  'hourly_pay',
  'start_date',
  'closing_date',
  'found_via',
  'check_required',
  'description',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
const REQUIRED: readonly ImportColumn[] = ['employer', 'title'];

/** The largest file the browser and the API accept. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

/** One data row of the file: where it starts (header is line 1) and its cells. */
export interface CsvRow {
  line: number;
  cells: string[];
}

export interface CsvFile {
  columns: ImportColumn[];
  rows: CsvRow[];
}

/** A vacancy as a row describes it, checked and ready to save. */
export interface ImportVacancy {
  reference: string | null;
  employerName: string;
  employerKey: string;
  title: string;
  occupation: string | null;
  department: string | null;
  site: string | null;
  place: string | null;
  latitude: number | null;
  longitude: number | null;
  hoursPerWeek: number | null;
  days: Day[];
  times: TimeOfDay[];
  weekends: boolean;
  hourlyPayPence: number | null;
  startDate: string | null;
  closingDate: string | null;
  foundVia: FoundVia;
  checkRequired: boolean;
  description: string | null;
  importKey: string;
}

export type RowResult = { ok: true; vacancy: ImportVacancy } | { ok: false; message: string };

const fileError = (message: string) => new ValidationError({ file: message });

/** Text from the file's bytes: UTF-8 when it is (a byte-order mark is dropped), else Windows-1252 as Excel writes it. */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

const breaks = (s: string): number => s.match(/\r\n|\n|\r/g)?.length ?? 0;

/** "Hours per week" and "HOURS_PER_WEEK" both name `hours_per_week`. */
function columnName(cell: string): string {
  return cell
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** The header's columns; a missing, repeated, unnamed or unknown column refuses the whole file. */
export function parseHeader(cells: readonly string[]): ImportColumn[] {
  const names = cells.map(columnName);
  const known = new Set<string>(IMPORT_COLUMNS);
  const unnamed = names.map((n, i) => (n === '' ? i + 1 : 0)).filter(Boolean);
  if (unnamed.length > 0)
    throw fileError(`The header has no name for column ${unnamed.join(', ')}. Remove empty columns or name them`);
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    const list = unknown.map((n) => `“${n}”`).join(', ');
    throw fileError(
      `The header has ${unknown.length === 1 ? 'a column' : 'columns'} Stepwise does not know: ${list}. Use only the columns listed on this page`,
    );
  }
  const repeated = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (repeated.length > 0) throw fileError(`The header names ${repeated.map((n) => `“${n}”`).join(', ')} more than once`);
  const missing = REQUIRED.filter((c) => !names.includes(c));
  if (missing.length > 0)
    throw fileError(
      `The header must have ${missing.map((c) => `“${c}”`).join(' and ')}: every vacancy needs an employer and a title`,
    );
  return names as ImportColumn[];
}

/**
 * Reads the file as CSV. Anything that stops the whole file (not CSV, no header, a bad header,
 * no rows) is a ValidationError on `file`; rows are only split into cells here, not checked.
 * Each row's line is where it starts, counting line breaks inside quoted cells.
 */
export function readCsv(text: string): CsvFile {
  let records: { record: string[]; raw: string }[];
  try {
    // With `raw`, each record comes with its text; the types do not know that option.
    records = parse(text, { bom: true, raw: true, relax_column_count: true, skip_empty_lines: true }) as unknown as {
      record: string[];
      raw: string;
    }[];
  } catch (err) {
    const where = (err as { lines?: unknown }).lines;
    throw fileError(
      `The file cannot be read as CSV${typeof where === 'number' ? ` (a problem near line ${where})` : ''}. Check it is saved as CSV and that every quote (") is closed`,
    );
  }
  let line = 1;
  const located: CsvRow[] = [];
  for (const { record, raw } of records) {
    // A record's raw text carries the empty lines skipped before it, then its own lines.
    const start = line + breaks(/^(?:\r\n|\n|\r)*/.exec(raw)?.[0] ?? '');
    line += breaks(raw);
    located.push({ line: start, cells: record });
  }
  const [header, ...rows] = located;
  if (!header) throw fileError('The file is empty. It needs a header line and a line for each vacancy');
  const columns = parseHeader(header.cells);
  // Spreadsheets often save blank rows as commas only: those are not vacancies.
  const data = rows.filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (data.length === 0) throw fileError('The file has a header but no vacancies under it');
  return { columns, rows: data };
}

const norm = (s: string | null): string => (s ?? '').trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * What makes a row the same vacancy when a file is imported again: its `reference` within the
 * employer when given, otherwise a hash of the employer, title, site, closing date and hours
 * (ignoring case and extra spaces).
 */
export function importKeyOf(v: {
  reference: string | null;
  employerKey: string;
  title: string;
  site: string | null;
  closingDate: string | null;
  hoursPerWeek: number | null;
}): string {
  if (v.reference) return `ref:${v.employerKey}:${v.reference}`;
  const parts = [
    v.employerKey,
    norm(v.title),
    norm(v.site),
    v.closingDate ?? '',
    v.hoursPerWeek === null ? '' : String(v.hoursPerWeek),
  ];
  return `hash:${createHash('sha256').update(JSON.stringify(parts)).digest('hex')}`;
}

const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0']);
const DAY_NAMES: Record<Day, string> = {
  mon: 'monday',
  tue: 'tuesday',
  wed: 'wednesday',
  thu: 'thursday',
  fri: 'friday',
  sat: 'saturday',
  sun: 'sunday',
};
const LIMITS: Partial<Record<ImportColumn, number>> = { reference: 100, description: 10_000 };
const TEXT_LIMIT = 200;

/** Checks one row; every problem in it is named, by column, in one message. */
export function parseImportRow(columns: readonly ImportColumn[], row: CsvRow): RowResult {
  if (row.cells.length !== columns.length) {
    const n = row.cells.length;
    return {
      ok: false,
      message: `Has ${n} ${n === 1 ? 'value' : 'values'} but the header has ${columns.length} columns. Put quotes around any value with a comma in it.`,
    };
  }
  const cell: Partial<Record<ImportColumn, string>> = {};
  columns.forEach((c, i) => (cell[c] = (row.cells[i] ?? '').trim()));
  const problems: string[] = [];
  const text = (c: ImportColumn): string | null => {
    const v = cell[c] ?? '';
    const max = LIMITS[c] ?? TEXT_LIMIT;
    if (v.length > max) problems.push(`${c} must be ${max.toLocaleString('en-GB')} characters or fewer`);
    return v === '' ? null : v;
  };
  const number = (c: ImportColumn, min: number, max: number, example: string): number | null => {
    const v = cell[c] ?? '';
    if (v === '') return null;
    const n = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
    if (Number.isNaN(n) || n < min || n > max) {
      problems.push(`${c} “${v}” must be a number from ${min} to ${max}, like ${example}`);
      return null;
    }
    return n;
  };
  const flag = (c: ImportColumn): boolean => {
    const v = (cell[c] ?? '').toLowerCase();
    if (v === '' || NO.has(v)) return false;
    if (YES.has(v)) return true;
    problems.push(`${c} “${cell[c]}” must be yes or no`);
    return false;
  };
  const date = (c: ImportColumn): string | null => {
    const v = cell[c] ?? '';
    if (v === '') return null;
    const d = parseFormDate(v);
    if (d === null) problems.push(`${c} “${v}” must be a real date, as YYYY-MM-DD or DD/MM/YYYY`);
    return d;
  };
  /** A `;`-separated list of known words, in the week's order; `word` names a token or is undefined. */
  const list = <T extends string>(c: ImportColumn, all: readonly T[], word: (token: string) => T | undefined): T[] => {
    const tokens = (cell[c] ?? '')
      .toLowerCase()
      .split(/[;,/\s]+/)
      .filter(Boolean);
    const bad = tokens.filter((tk) => word(tk) === undefined);
    if (bad.length > 0) problems.push(`${c} has ${bad.map((b) => `“${b}”`).join(', ')}: use ${all.join(', ')}, separated by ;`);
    const found = new Set(tokens.map(word));
    return all.filter((x) => found.has(x));
  };

  const reference = text('reference');
  const employerName = text('employer');
  const employerKey = employerName ? employerNameKey(employerName) : '';
  if (!employerName || !employerKey) problems.push('employer is empty: every vacancy needs the employer’s name');
  const title = text('title');
  if (!title) problems.push('title is empty: every vacancy needs a job title');
  const occupation = text('occupation');
  const department = text('department');
  const site = text('site');
  const place = text('place');
  const latitude = number('latitude', -90, 90, '51.5072');
  const longitude = number('longitude', -180, 180, '-0.1276');
  if (!cell.latitude !== !cell.longitude) problems.push('latitude and longitude go together: give both, or neither');
  const hours = number('hours_per_week', 0, 100, '37.5');
  if (hours === 0) problems.push('hours_per_week must be more than 0');
  const days = list('days', DAYS, (tk) => DAYS.find((d) => tk.length >= 3 && DAY_NAMES[d].startsWith(tk)));
  const times = list('shift', TIMES, (tk) => TIMES.find((t) => t === tk || t === `${tk}s`));
  const weekends = flag('weekends');
  const payText = cell.hourly_pay ?? '';
  const hourlyPayPence = payText === '' ? null : poundsToPence(payText);
  if (payText !== '' && hourlyPayPence === null) problems.push(`hourly_pay “${payText}” must be an amount in pounds, like 12.71`);
  const startDate = date('start_date');
  const closingDate = date('closing_date');
  const foundText = columnName(cell.found_via ?? '');
  const foundVia = foundText === '' ? 'advertised' : FOUND_VIA.find((f) => f === foundText);
  if (foundVia === undefined) problems.push(`found_via “${cell.found_via}” must be one of ${FOUND_VIA.join(', ')}`);
  const checkRequired = flag('check_required');
  const description = text('description');

  if (problems.length > 0 || !employerName || !title || foundVia === undefined)
    return { ok: false, message: `${problems.join('. ')}.` };
  const tidyName = tidyEmployerName(employerName);
  const vacancy: Omit<ImportVacancy, 'importKey'> = {
    reference,
    employerName: tidyName,
    employerKey,
    title: title.replace(/\s+/g, ' '),
    occupation,
    department,
    site,
    place,
    latitude: latitude !== null && longitude !== null ? latitude : null,
    longitude: latitude !== null && longitude !== null ? longitude : null,
    hoursPerWeek: hours,
    days,
    times,
    // Saturday or Sunday among the days is weekend work whatever the column says.
    weekends: weekends || days.includes('sat') || days.includes('sun'),
    hourlyPayPence,
    startDate,
    closingDate,
    foundVia,
    checkRequired,
    description,
  };
  return { ok: true, vacancy: { ...vacancy, importKey: importKeyOf(vacancy) } };
}

/** What each column holds, with an example: shown on the import page and in the user guide. */
export const IMPORT_COLUMN_HELP: Record<ImportColumn, { meaning: string; example: string }> = {
  reference: {
    meaning: 'The employer’s or job board’s reference, if it has one. Makes a second import skip the row',
    example: 'REQ-2041',
  },
  employer: {
    meaning:
      'Required. Matched to a recorded employer by name (“Ltd”, case and punctuation do not count); a new name adds the employer',
    example: 'Leeds Teaching Hospitals',
  },
  title: { meaning: 'Required. The job title', example: 'Domestic assistant' },
  occupation: { meaning: 'Occupation or sector', example: 'Cleaning' },
  department: { meaning: 'A department of the employer, matched by name (added when new)', example: 'Facilities' },
  site: { meaning: 'A site of the employer, matched by name (added when new)', example: 'St James’s' },
  place: { meaning: 'Where the work is, in words', example: 'Beckett Street, Leeds' },
  latitude: { meaning: 'With longitude, or neither: for distances in matching', example: '53.8067' },
  longitude: { meaning: 'With latitude, or neither', example: '-1.5200' },
  hours_per_week: { meaning: 'Hours a week, decimals allowed', example: '22.5' },
  days: { meaning: 'Days worked: mon, tue, wed, thu, fri, sat, sun separated by ;', example: 'mon;tue;wed' },
  shift: { meaning: 'Shift pattern: mornings, afternoons, evenings, nights separated by ;', example: 'evenings;nights' },
  weekends: { meaning: 'Weekend work: yes or no (sat or sun in days also means yes)', example: 'no' },
  hourly_pay: { meaning: 'Hourly pay in pounds, with or without £', example: '12.71' },
  start_date: { meaning: 'YYYY-MM-DD or DD/MM/YYYY', example: '2026-05-01' },
  closing_date: { meaning: 'The last day to apply, YYYY-MM-DD or DD/MM/YYYY', example: '20/04/2026' },
  found_via: { meaning: 'advertised (the default), employer_relationship or created_with_employer', example: 'advertised' },
  check_required: { meaning: 'A DBS or similar check is needed: yes or no', example: 'yes' },
  description: {
    meaning: 'Anything else; put it in double quotes if it has commas or line breaks',
    example: '"Cleaning wards, 3 shifts a week"',
  },
};
