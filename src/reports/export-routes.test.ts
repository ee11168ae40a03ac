import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeParticipant, makeProfile, makeReferral, makeTeam, makeUser, makeJob } from '../../test/factories.ts';
import { type TestApp, createTestApp, signedInAs } from '../../test/test-app.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import * as settings from '../settings/service.ts';
import type { User } from '../users/service.ts';
import { outcomeColumns } from './export.ts';
import { type ShownCount, outcomeReport, present } from './service.ts';

// A small service with two teams, worked out by hand for 2026/27 Q2 (July to September 2026), the
// last complete quarter on the test clock's day (25 November 2026).
//
// North (practitioner Pat):
//   n1 referred 6 Jul, job 15 Jul (16 h)      n2 referred 6 Jul, job 1 Aug (10 h)
//   n3 referred 10 Aug, no job                 n4 referred 1 Jul while in work, job 20 Jul (20 h)
//   n5 referred 2 Mar, job 1 Apr (ongoing): 13 weeks on 1 Jul and 26 weeks on 30 Sep, in work
//   n6 referred 20 Jul 2025, job 1 Aug 2025 to 31 Mar 2026: 52 weeks on 31 Jul, not in work
//   profiles started for n1 and n2 on 8 Jul.
// =SUM(1+1), a team name that looks like a formula (practitioner Sam):
//   s1, s2, s3 referred 10 Jul, jobs 20 Jul (16 h); s4 referred 10 Jul, no job.

let t: TestApp;
let pat: User;
let northId: string;

async function job(by: User, participantId: string, start: string, hours: number, end?: string) {
  return makeJob(t.db, t.deps, by, participantId, { startDate: start, hoursPerWeek: hours, ...(end ? { endDate: end } : {}) });
}

async function referred(
  by: User,
  accepted: string,
  options: { inWork?: boolean; job?: [string, number, string?]; profileOn?: string } = {},
) {
  const p = await makeParticipant(t.db, t.deps, by);
  await makeReferral(t.db, t.deps, by, p.id, { receivedDate: accepted, inWorkAtReferral: options.inWork ?? false });
  if (options.job) await job(by, p.id, ...options.job);
  if (options.profileOn) {
    t.clock.set(`${options.profileOn}T10:00:00Z`);
    await makeProfile(t.db, t.deps, by, p.id, { aspirations: 'Work in a kitchen' });
    t.clock.set('2026-11-25T10:00:00Z');
  }
}

beforeAll(async () => {
  t = await createTestApp();
  const north = await makeTeam(t.db, t.deps, 'North');
  const south = await makeTeam(t.db, t.deps, '=SUM(1+1)');
  northId = north.id;
  pat = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north.id });
  const sam = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: south.id });
  await referred(pat, '2026-07-06', { job: ['2026-07-15', 16], profileOn: '2026-07-08' });
  await referred(pat, '2026-07-06', { job: ['2026-08-01', 10], profileOn: '2026-07-08' });
  await referred(pat, '2026-08-10');
  await referred(pat, '2026-07-01', { inWork: true, job: ['2026-07-20', 20] });
  await referred(pat, '2026-03-02', { job: ['2026-04-01', 20] });
  await referred(pat, '2025-07-20', { job: ['2025-08-01', 20, '2026-03-31'] });
  for (let i = 0; i < 3; i++) await referred(sam, '2026-07-10', { job: ['2026-07-20', 16] });
  await referred(sam, '2026-07-10');
});
afterAll(async () => {
  await t.close();
});

const csvRows = (body: string): string[][] => parse(body, { relax_column_count: true });

async function workbook(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}

/** A sheet's rows as arrays of cell values (ExcelJS rows start at index 1). */
function sheetRows(wb: ExcelJS.Workbook, name: string): unknown[][] {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`No sheet ${name}`);
  const rows: unknown[][] = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    const values = row.values as unknown[];
    rows.push(Array.from({ length: ws.columnCount }, (_v, i) => values[i + 1] ?? null));
  });
  return rows;
}

async function withThreshold<T>(threshold: number, run: () => Promise<T>): Promise<T> {
  await settings.updateSettings(t.db, t.deps, SYSTEM_CONTEXT, { disclosureThreshold: threshold });
  try {
    return await run();
  } finally {
    await settings.updateSettings(t.db, t.deps, SYSTEM_CONTEXT, { disclosureThreshold: 5 });
  }
}

const RETURN_HEADER = [
  'Quarter',
  'Team',
  'Referrals (by accepted date)',
  'Engaged (vocational profile started)',
  'People supported into work',
  'Total job starts',
  'Employment rate: people out of work at referral who started a job',
  'Employment rate: people out of work at referral',
  'Employment rate (%)',
  'Job-retention referrals on the caseload',
  'People on the caseload at the end of the quarter',
  'Job-retention share (%)',
  'Still in work at 13 weeks',
  'Reached 13 weeks in the quarter',
  '13-week sustainment (%)',
  'Still in work at 26 weeks',
  'Reached 26 weeks in the quarter',
  '26-week sustainment (%)',
  'Still in work at 52 weeks',
  'Reached 52 weeks in the quarter',
  '52-week sustainment (%)',
];
const NORTH_FIGURES = ['4', '2', '3', '3', '2', '5', '40', '1', '6', '16.7', '1', '1', '100', '1', '1', '100', '0', '1', '0'];

describe('the quarterly return', () => {
  it('gives a manager their team’s row and the total in the template’s column order', async () => {
    const { browser } = await signedInAs(t, 'manager', northId);
    const res = await browser.get('/reports/outcomes/quarterly-return.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toBe('attachment; filename="stepwise-quarterly-return-2026-27-q2.csv"');
    expect(csvRows(res.body)).toEqual([
      RETURN_HEADER,
      ['2026/27 Q2', 'North', ...NORTH_FIGURES],
      ['2026/27 Q2', 'Total', ...NORTH_FIGURES],
    ]);
  });

  it('adds up the whole service in the total row for a commissioner, one row per team', async () => {
    const rows = await withThreshold(1, async () => {
      const { browser } = await signedInAs(t, 'commissioner');
      return csvRows((await browser.get('/reports/outcomes/quarterly-return.csv?quarter=2026-08-15')).body);
    });
    expect(rows[0]).toEqual(RETURN_HEADER);
    expect(rows).toHaveLength(4);
    expect(rows).toContainEqual(['2026/27 Q2', 'North', ...NORTH_FIGURES]);
    // A team name that looks like a formula is written as text.
    expect(rows).toContainEqual([
      '2026/27 Q2',
      "'=SUM(1+1)",
      '4',
      '0',
      '3',
      '3',
      '3',
      '4',
      '75',
      '0',
      '4',
      '0',
      '0',
      '0',
      '',
      '0',
      '0',
      '',
      '0',
      '0',
      '',
    ]);
    expect(rows[3]).toEqual([
      '2026/27 Q2',
      'Service total',
      '8',
      '2',
      '6',
      '6',
      '5',
      '9',
      '55.6',
      '1',
      '10',
      '10',
      '1',
      '1',
      '100',
      '1',
      '1',
      '100',
      '0',
      '1',
      '0',
    ]);
  });

  it('hides small numbers from a commissioner as on the report page', async () => {
    const { browser } = await signedInAs(t, 'commissioner');
    const rows = csvRows((await browser.get('/reports/outcomes/quarterly-return.csv')).body);
    const total = rows.find((r) => r[1] === 'Service total')!;
    // Referrals 8 shown; engaged 2 hidden; the employment rate 5 of 9 leaves 4 out, so its
    // numerator is hidden too (5 beside 9 would say 4 did not start work).
    expect(total.slice(2, 9)).toEqual(['8', '<5', '6', '6', '<5', '9', 'Hidden']);
    const north = rows.find((r) => r[1] === 'North')!;
    expect(north[5]).toBe('<5');
  });

  it('writes a workbook with numbers as numbers, percentages formatted, and every column defined', async () => {
    const { browser } = await signedInAs(t, 'manager', northId);
    const res = await browser.get('/reports/outcomes/quarterly-return.xlsx?quarter=1/9/2026');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="stepwise-quarterly-return-2026-27-q2.xlsx"');
    const wb = await workbook(res.rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Quarterly return', 'Definitions', 'About']);
    const rows = sheetRows(wb, 'Quarterly return');
    expect(rows[0]).toEqual(RETURN_HEADER);
    expect(rows[1]).toEqual(['2026/27 Q2', 'North', 4, 2, 3, 3, 2, 5, 0.4, 1, 6, 0.167, 1, 1, 1, 1, 1, 1, 0, 1, 0]);
    const ws = wb.getWorksheet('Quarterly return')!;
    expect(ws.getRow(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getCell('I2').numFmt).toBe('0.0%');
    const definitions = sheetRows(wb, 'Definitions');
    expect(definitions.slice(1).map((r) => r[0])).toEqual(RETURN_HEADER);
    expect(definitions.find((r) => r[0] === 'Employment rate (%)')?.[2]).toBe('Benchmark 40%');
  });

  it('takes the quarter from the report page’s period when no quarter is given', async () => {
    const { browser } = await signedInAs(t, 'manager', northId);
    const res = await browser.get('/reports/outcomes/quarterly-return.csv?from=2026-04-01&to=2026-06-30&split=team');
    expect(res.headers['content-disposition']).toBe('attachment; filename="stepwise-quarterly-return-2026-27-q1.csv"');
    // Q1 (April to June): no referral accepted, no profile started; n5 started a job on 1 April.
    expect(csvRows(res.body)[1]!.slice(0, 6)).toEqual(['2026/27 Q1', 'North', '0', '0', '1', '1']);
  });

  it('says what is wrong with a quarter that is not a date', async () => {
    const { browser } = await signedInAs(t, 'manager', northId);
    const res = await browser.get('/reports/outcomes/quarterly-return.csv?quarter=next-year');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Quarter must be a real date in the quarter');
  });
});

describe('outcome report downloads', () => {
  it('gives a commissioner the presented figures in the workbook, "<5" where a team has 3 job starts', async () => {
    const { browser, user } = await signedInAs(t, 'commissioner');
    const res = await browser.get('/reports/outcomes.xlsx?from=2026-07-01&to=2026-09-30&split=team');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="stepwise-outcomes-2026-07-01-to-2026-09-30-by-team.xlsx"',
    );
    const wb = await workbook(res.rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Outcomes', 'Definitions', 'About']);

    const shown = present(
      await outcomeReport(
        t.db,
        { clock: t.clock },
        { userId: user.id, role: 'commissioner', teamId: null },
        { from: '2026-07-01', to: '2026-09-30' },
        'team',
      ),
    );
    const columns = outcomeColumns(shown);
    const rows = sheetRows(wb, 'Outcomes');
    expect(rows[0]).toEqual(columns.map((c) => c.header));
    const groups = [shown.total, ...shown.groups];
    expect(rows.slice(1).map((r) => r[0])).toEqual(groups.map((g) => g.label));
    groups.forEach((g, i) => {
      columns.forEach((c, j) => {
        const v = c.get(g);
        const expected = c.kind === 'percent' && typeof v === 'number' ? Math.round(v * 10) / 1000 : v;
        expect(rows[i + 1]![j], `${g.label} / ${c.header}`).toEqual(expected);
      });
    });

    const starts = columns.findIndex((c) => c.header === 'Total job starts');
    const south = rows.find((r) => r[0] === '=SUM(1+1)')!;
    expect((shown.groups.find((g) => g.label === '=SUM(1+1)')!.figures.job_starts as ShownCount).value).toBe('<5');
    expect(south[starts]).toBe('<5');
    expect(rows[1]![starts]).toBe(6);

    const about = sheetRows(wb, 'About');
    expect(about).toContainEqual(['Scope', 'The whole service']);
    expect(about.find((r) => r[0] === 'Small numbers')?.[1]).toContain('Numbers from 1 to 4 are shown as "<5"');
    expect(sheetRows(wb, 'Definitions')[0]).toEqual(['Measure', 'Definition', 'Benchmark']);
  });

  it('writes a practitioner’s exact figures, one column per figure part, All first', async () => {
    const { browser } = await signedInAs(t, 'practitioner', northId);
    const res = await browser.get('/reports/outcomes.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="stepwise-outcomes-2026-07-01-to-2026-09-30.csv"');
    const [header, all, ...rest] = csvRows(res.body);
    expect(rest).toEqual([]);
    const cell = (name: string) => all![header!.indexOf(name)];
    expect(all![0]).toBe('All');
    expect(cell('Referrals accepted')).toBe('4');
    expect(cell('Total job starts')).toBe('3');
    expect(cell('Employment rate: numerator')).toBe('2');
    expect(cell('Employment rate: denominator')).toBe('5');
    expect(cell('Employment rate: percent')).toBe('40');
    expect(cell('Hourly pay of jobs started: median (£)')).toBe('13');
  });

  it('writes a formula-looking team name as text in the CSV', async () => {
    const { browser } = await signedInAs(t, 'commissioner');
    const res = await browser.get('/reports/outcomes.csv?split=team');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("'=SUM(1+1)");
    expect(res.body).not.toMatch(/(^|\n|,)=SUM/);
    expect(csvRows(res.body)[0]![0]).toBe('Team');
  });

  it('records who downloaded which figures in the audit trail', async () => {
    const { browser, user } = await signedInAs(t, 'manager', northId);
    await browser.get('/reports/outcomes.xlsx?from=1/7/2026&to=30/9/2026&split=practitioner');
    const events = await t.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('actor_user_id', '=', user.id)
      .where('action', '=', 'report.outcomes_exported')
      .execute();
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.details!)).toEqual({
      format: 'xlsx',
      from: '2026-07-01',
      to: '2026-09-30',
      split: 'practitioner',
    });
  });

  it('refuses a period that ends before it starts, saying why', async () => {
    const { browser } = await signedInAs(t, 'manager', northId);
    const res = await browser.get('/reports/outcomes.csv?from=2026-09-30&to=2026-07-01');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('End date must be on or after the start date');
  });
});

describe('who may download', () => {
  const URLS = [
    '/reports/outcomes.csv',
    '/reports/outcomes.xlsx',
    '/reports/outcomes/quarterly-return.csv',
    '/reports/outcomes/quarterly-return.xlsx',
    '/reports/outcomes/charts',
  ];

  it('refuses a clinician every download and the charts', async () => {
    const { browser } = await signedInAs(t, 'clinician', northId);
    for (const url of URLS) expect((await browser.get(url)).statusCode, url).toBe(403);
  });

  it('lets an administrator download the whole service’s figures with small numbers hidden', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const rows = csvRows((await browser.get('/reports/outcomes/quarterly-return.csv')).body);
    expect(rows.map((r) => r[1])).toEqual(['Team', expect.any(String), expect.any(String), 'Service total']);
    expect(rows.map((r) => r[1])).toContain("'=SUM(1+1)");
    expect(rows.find((r) => r[1] === 'Service total')?.[3]).toBe('<5');
  });
});
