import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  HIDDEN,
  outcomeColumns,
  outcomesCsv,
  outcomesFileName,
  quarterlyReturnColumns,
  quarterlyReturnFileName,
  quarterlyReturnRows,
  textCell,
} from './export.ts';
import { type PersonFact, outcomeFigures, quarterOf } from './outcomes.ts';
import { MEASURES, type Split, present } from './service.ts';

// The download layouts over a report made here, so every cell can be checked by hand.

const Q2 = { from: '2026-07-01', to: '2026-09-30' };
const AS_OF = '2026-11-25';

/** A person referred on 1 July, out of work, starting a 20-hour job on 1 August when `works`. */
function person(id: string, teamId: string, works: boolean): PersonFact {
  return {
    id,
    teamId,
    practitionerId: 'pat',
    programme: 'ips',
    dateOfBirth: '1990-01-01',
    profileStartedOn: '2026-07-02',
    referrals: [{ acceptedDate: '2026-07-01', firstContactDate: '2026-07-02', closedDate: null, inWorkAtReferral: false }],
    employerFaceToFaceDays: [],
    jobs: works
      ? [
          {
            id: `job-${id}`,
            participantId: id,
            employerId: 'e',
            employerType: 'external',
            siteId: null,
            practitionerId: 'pat',
            title: 'Porter',
            startDate: '2026-08-01',
            endDate: null,
            endReason: null,
            hoursPerWeek: 20,
            hourlyPayPence: 1250,
            openToAnyone: true,
            setAsideForDisabled: false,
            contractType: null,
          },
        ]
      : [],
    redeployedOn: [],
    internships: [],
  };
}

// Team A: 10 referred, 8 into work. Team B (a formula-looking name): 3 referred, 3 into work.
const teamA = Array.from({ length: 10 }, (_v, i) => person(`a${i}`, 'a', i < 8));
const teamB = Array.from({ length: 3 }, (_v, i) => person(`b${i}`, 'b', true));

function report(canSeePeople: boolean, split: Split = 'team') {
  return present({
    period: Q2,
    asOf: AS_OF,
    split,
    total: { key: 'all', label: 'All', figures: outcomeFigures([...teamA, ...teamB], Q2, AS_OF) },
    groups: [
      { key: 'a', label: 'Alpha', figures: outcomeFigures(teamA, Q2, AS_OF) },
      { key: 'b', label: '=HYPERLINK("http://example.org")', figures: outcomeFigures(teamB, Q2, AS_OF) },
    ],
    canSeePeople,
    threshold: 5,
    scope: canSeePeople ? 'Your team' : 'The whole service',
  });
}

const rowsOf = (csv: string): string[][] => parse(csv);

describe('the outcome CSV', () => {
  it('has one row per group, All first, and one column per figure part', () => {
    const [header, ...rows] = rowsOf(outcomesCsv(report(true)));
    expect(header![0]).toBe('Team');
    expect(header).toContain('Employment rate: numerator');
    expect(header).toContain('Employment rate: denominator');
    expect(header).toContain('Employment rate: percent');
    expect(header).toContain('Days from referral to first face-to-face employer contact: 0 to 7 days');
    expect(header).toContain('Hourly pay of jobs started: median (£)');
    expect(rows.map((r) => r[0])).toEqual(['All', 'Alpha', `'=HYPERLINK("http://example.org")`]);
    const cell = (row: number, name: string) => rows[row]![header!.indexOf(name)];
    expect(cell(0, 'Total job starts')).toBe('11');
    expect(cell(0, 'Employment rate: percent')).toBe('84.6');
    expect(cell(1, 'Employment rate: numerator')).toBe('8');
    expect(cell(1, 'Employment rate: denominator')).toBe('10');
    expect(cell(0, 'Hourly pay of jobs started: median (£)')).toBe('12.5');
  });

  it('writes "<5" for small counts and "Hidden" for rates and pay worked out from them, for a commissioner', () => {
    const [header, ...rows] = rowsOf(outcomesCsv(report(false)));
    const cell = (row: number, name: string) => rows[row]![header!.indexOf(name)];
    // Team B's 3 job starts are small; Team A's 8 go with them, or B's could be worked out from the total.
    expect(cell(2, 'Total job starts')).toBe('<5');
    expect(cell(1, 'Total job starts')).toBe('<5');
    expect(cell(0, 'Total job starts')).toBe('11');
    expect(cell(2, 'Employment rate: percent')).toBe(HIDDEN);
    expect(cell(2, 'Hourly pay of jobs started: median (£)')).toBe(HIDDEN);
    // Two of the 13 out of work did not start: too few to show the overall rate either.
    expect(cell(0, 'Employment rate: percent')).toBe(HIDDEN);
  });

  it('leaves a figure that does not apply to a group empty', () => {
    const r = report(true, 'employer_type');
    const [header, ...rows] = rowsOf(outcomesCsv(r));
    expect(header![0]).toBe('Employer type (host, supplier, external)');
    expect(rows[1]![header!.indexOf('Referrals accepted')]).toBe('');
    expect(rows[1]![header!.indexOf('Total job starts')]).toBe('8');
  });

  it('has a column for every part of every measure', () => {
    const columns = outcomeColumns({ split: 'none' });
    expect(columns[0]!.header).toBe('Group');
    for (const m of MEASURES)
      expect(
        columns.some((c) => c.header.startsWith(m.label)),
        m.key,
      ).toBe(true);
    expect(new Set(columns.map((c) => c.header)).size).toBe(columns.length);
  });
});

describe('the quarterly return layout', () => {
  it('puts the teams first and the total last, labelled for who is asking', () => {
    expect(quarterlyReturnRows(report(false)).map((g) => g.label)).toEqual([
      'Alpha',
      '=HYPERLINK("http://example.org")',
      'Service total',
    ]);
    expect(quarterlyReturnRows(report(true)).map((g) => g.label)).toEqual(['Alpha', '=HYPERLINK("http://example.org")', 'Total']);
  });

  it('reads the employment rate in the template’s three columns', () => {
    const q = quarterOf('2026-08-15');
    const columns = quarterlyReturnColumns(q);
    const total = quarterlyReturnRows(report(true)).at(-1)!;
    const value = (header: string) => columns.find((c) => c.header === header)!.get(total);
    expect(value('Quarter')).toBe('2026/27 Q2');
    expect(value('Employment rate: people out of work at referral who started a job')).toBe(11);
    expect(value('Employment rate: people out of work at referral')).toBe(13);
    expect(value('Employment rate (%)')).toBe(84.6);
  });
});

describe('spreadsheet safety and file names', () => {
  it('makes text that a spreadsheet would run as a formula plain text', () => {
    expect(textCell('=1+1')).toBe("'=1+1");
    expect(textCell('+44 20')).toBe("'+44 20");
    expect(textCell('-x')).toBe("'-x");
    expect(textCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(textCell('North team')).toBe('North team');
  });

  it('names downloads by their period, split and quarter', () => {
    expect(outcomesFileName(Q2, 'none', 'xlsx')).toBe('stepwise-outcomes-2026-07-01-to-2026-09-30.xlsx');
    expect(outcomesFileName(Q2, 'employer_type', 'csv')).toBe('stepwise-outcomes-2026-07-01-to-2026-09-30-by-employer-type.csv');
    expect(quarterlyReturnFileName(quarterOf('2027-02-01'), 'csv')).toBe('stepwise-quarterly-return-2026-27-q4.csv');
  });
});
