import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { IMPORT_COLUMNS, type RowResult, decodeCsv, importKeyOf, parseHeader, parseImportRow, readCsv } from './import.ts';

const HEADER = IMPORT_COLUMNS.join(',');

/** A row with the documented columns, blank unless given. */
function csvLine(values: Partial<Record<(typeof IMPORT_COLUMNS)[number], string>>): string {
  return IMPORT_COLUMNS.map((c) => values[c] ?? '').join(',');
}

function fileProblem(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.fields.file ?? '';
    throw err;
  }
  throw new Error('expected the file to be refused');
}

/** The one row of a file made of the header and this line. */
function row(values: Partial<Record<(typeof IMPORT_COLUMNS)[number], string>>): RowResult {
  const file = readCsv(`${HEADER}\n${csvLine(values)}\n`);
  return parseImportRow(file.columns, file.rows[0]!);
}

function ok(result: RowResult) {
  if (!result.ok) throw new Error(`expected the row to be valid: ${result.message}`);
  return result.vacancy;
}

function problem(result: RowResult): string {
  if (result.ok) throw new Error('expected the row to be refused');
  return result.message;
}

describe('reading the file', () => {
  it('numbers rows by the line they start on, counting line breaks inside quoted cells and blank lines', () => {
    const text = `${HEADER}\r\n${csvLine({ employer: 'A', title: 'One' })}\r\n\r\n${csvLine({
      employer: 'B',
      title: 'Two',
      description: '"First line\r\nsecond line\r\nthird"',
    })}\r\n${csvLine({ employer: 'C', title: 'Three' })}\r\n`;
    const file = readCsv(text);
    expect(file.rows.map((r) => r.line)).toEqual([2, 4, 7]);
    expect(file.rows[1]?.cells[IMPORT_COLUMNS.indexOf('description')]).toBe('First line\r\nsecond line\r\nthird');
  });

  it('numbers lines the same with Unix line endings and a byte-order mark', () => {
    const text = `\ufeff${HEADER}\n${csvLine({ employer: 'A', title: '"One\ntwo"' })}\n${csvLine({ employer: 'B', title: 'Three' })}`;
    expect(readCsv(text).rows.map((r) => r.line)).toEqual([2, 4]);
  });

  it('reads header names in any case and with spaces for underscores', () => {
    expect(parseHeader(['Employer', 'TITLE', 'Hours per week', 'closing-date'])).toEqual([
      'employer',
      'title',
      'hours_per_week',
      'closing_date',
    ]);
  });

  it('refuses unknown columns, naming each of them', () => {
    expect(fileProblem(() => parseHeader(['employer', 'title', 'salary', 'Grade']))).toBe(
      'The header has columns Stepwise does not know: “salary”, “grade”. Use only the columns listed on this page',
    );
  });

  it('refuses a header without employer or title, a repeated column and an unnamed one', () => {
    expect(fileProblem(() => parseHeader(['employer', 'hours_per_week']))).toContain('must have “title”');
    expect(fileProblem(() => parseHeader(['place']))).toContain('must have “employer” and “title”');
    expect(fileProblem(() => parseHeader(['employer', 'title', 'Title']))).toContain('names “title” more than once');
    expect(fileProblem(() => parseHeader(['employer', '', 'title']))).toContain('no name for column 2');
  });

  it('refuses a file that is not CSV, an empty one, and one with no vacancies', () => {
    expect(fileProblem(() => readCsv(`${HEADER}\n"unclosed,quote\n`))).toContain('cannot be read as CSV');
    expect(fileProblem(() => readCsv(''))).toContain('The file is empty');
    expect(fileProblem(() => readCsv(`${HEADER}\n,,,\n`))).toBe('The file has a header but no vacancies under it');
  });

  it('skips rows that are only commas, as spreadsheets save blank rows', () => {
    const file = readCsv(`employer,title\nAcme,Porter\n,\n`);
    expect(file.rows).toHaveLength(1);
  });

  it('decodes UTF-8, and Windows-1252 as Excel saves it', () => {
    expect(decodeCsv(Buffer.from('£12.71', 'utf8'))).toBe('£12.71');
    expect(decodeCsv(Buffer.from([0xa3, 0x31, 0x32]))).toBe('£12');
  });
});

describe('checking a row', () => {
  it('reads every documented column', () => {
    const v = ok(
      row({
        reference: 'REQ-77',
        employer: '  Acme   Foods Ltd ',
        title: 'Kitchen  porter',
        occupation: 'Catering',
        department: 'Kitchens',
        site: 'Main site',
        place: 'Leeds',
        latitude: '53.8',
        longitude: '-1.55',
        hours_per_week: '37.5',
        days: 'Mon;tue;WEDNESDAY',
        shift: 'evening;nights',
        weekends: 'no',
        hourly_pay: '£12.71',
        start_date: '01/05/2026',
        closing_date: '2026-04-20',
        found_via: 'employer_relationship',
        check_required: 'yes',
        description: 'Washing up',
      }),
    );
    expect(v).toMatchObject({
      reference: 'REQ-77',
      employerName: 'Acme Foods Ltd',
      employerKey: 'acme foods',
      title: 'Kitchen porter',
      occupation: 'Catering',
      department: 'Kitchens',
      site: 'Main site',
      place: 'Leeds',
      latitude: 53.8,
      longitude: -1.55,
      hoursPerWeek: 37.5,
      days: ['mon', 'tue', 'wed'],
      times: ['evenings', 'nights'],
      weekends: false,
      hourlyPayPence: 1271,
      startDate: '2026-05-01',
      closingDate: '2026-04-20',
      foundVia: 'employer_relationship',
      checkRequired: true,
      description: 'Washing up',
      importKey: 'ref:acme foods:REQ-77',
    });
  });

  it('needs only the employer and the title; the rest default', () => {
    const v = ok(row({ employer: 'Acme', title: 'Porter' }));
    expect(v).toMatchObject({
      hoursPerWeek: null,
      days: [],
      times: [],
      weekends: false,
      hourlyPayPence: null,
      foundVia: 'advertised',
      checkRequired: false,
    });
  });

  it('counts Saturday or Sunday among the days as weekend work', () => {
    expect(ok(row({ employer: 'Acme', title: 'Porter', days: 'fri;sat', weekends: 'no' })).weekends).toBe(true);
  });

  it('names every problem of a row by its column', () => {
    const message = problem(
      row({
        employer: 'Acme',
        title: '',
        hours_per_week: 'lots',
        days: 'mon;funday',
        shift: 'lunchtimes',
        weekends: 'maybe',
        hourly_pay: 'ten pounds',
        closing_date: '31/02/2026',
        found_via: 'newspaper',
        latitude: '53.8',
      }),
    );
    for (const part of [
      'title is empty',
      'hours_per_week “lots” must be a number from 0 to 100',
      'days has “funday”',
      'shift has “lunchtimes”',
      'weekends “maybe” must be yes or no',
      'hourly_pay “ten pounds” must be an amount in pounds, like 12.71',
      'closing_date “31/02/2026” must be a real date',
      'found_via “newspaper” must be one of advertised, employer_relationship, created_with_employer',
      'latitude and longitude go together',
    ])
      expect(message).toContain(part);
  });

  it('refuses a row with a different number of values than the header', () => {
    const file = readCsv('employer,title,place\nAcme,Porter\n');
    expect(problem(parseImportRow(file.columns, file.rows[0]!))).toBe(
      'Has 2 values but the header has 3 columns. Put quotes around any value with a comma in it.',
    );
  });

  it('refuses an employer name that is only punctuation', () => {
    expect(problem(row({ employer: '--', title: 'Porter' }))).toContain('employer is empty');
  });
});

describe('the import key', () => {
  const base = {
    reference: null,
    employerKey: 'acme',
    title: 'Porter',
    site: 'Main',
    closingDate: '2026-12-01',
    hoursPerWeek: 16,
  };

  it('is the reference within the employer when there is one', () => {
    expect(importKeyOf({ ...base, reference: 'R1' })).toBe('ref:acme:R1');
  });

  it('otherwise ignores case and spacing of the title and site, and changes with the closing date or hours', () => {
    const key = importKeyOf(base);
    expect(key).toMatch(/^hash:[0-9a-f]{64}$/);
    expect(importKeyOf({ ...base, title: ' PORTER ', site: 'main' })).toBe(key);
    expect(importKeyOf({ ...base, closingDate: '2026-12-02' })).not.toBe(key);
    expect(importKeyOf({ ...base, hoursPerWeek: 16.5 })).not.toBe(key);
    expect(importKeyOf({ ...base, employerKey: 'acme foods' })).not.toBe(key);
  });

  it('is the same for "Acme Ltd" and "ACME" (the employer is matched by its name key)', () => {
    const a = ok(row({ employer: 'Acme Ltd', title: 'Porter' })).importKey;
    const b = ok(row({ employer: 'ACME', title: 'porter' })).importKey;
    expect(a).toBe(b);
  });
});
