import { stringify } from 'csv-stringify/sync';
import type ExcelJS from 'exceljs';
import { loadExcel } from '../documents/load.ts';
import { formatDay } from '../pay/minimum-wage.ts';
import { DAY_BUCKETS, HOURS_BUCKETS, type Period, type Quarter } from './outcomes.ts';
import {
  MEASURES,
  type Measure,
  SPLIT_LABELS,
  type ShownCount,
  type ShownDistribution,
  type ShownFigure,
  type ShownGroup,
  type ShownRate,
  type ShownReport,
} from './service.ts';

// The outcome report as a CSV file and an Excel workbook, and the quarterly return in the layout
// of the IPS reporting template. Every figure comes from the presented report (`present`), so a
// download hides exactly what the page hides: a suppressed count is the text "<5", a rate or
// median worked out from hidden numbers is the text "Hidden". Nothing here works a figure out.

/** A cell: a number, a text ("<5", "Hidden", a group's name) or empty. */
export type Cell = number | string | null;

/** How a column is written: percentages and money get a number format in the workbook. */
export type CellKind = 'text' | 'count' | 'number' | 'percent' | 'pounds';

export interface Column {
  header: string;
  kind: CellKind;
  get: (g: ShownGroup) => Cell;
}

/** What a hidden rate, median or pay figure is written as. */
export const HIDDEN = 'Hidden';

const asCount = (f: ShownFigure | null | undefined) => (f ?? null) as ShownCount | null;
const asRate = (f: ShownFigure | null | undefined) => (f ?? null) as ShownRate | null;
const asDistribution = (f: ShownFigure | null | undefined) => (f ?? null) as ShownDistribution | null;
const asValue = (f: ShownFigure | null | undefined) => (f ?? null) as { value: number | null; hidden: boolean } | null;

/** A count part: its number, or "<5" when suppressed; empty when the figure does not apply to the group. */
const countOf = (c: ShownCount | null | undefined): Cell => (c ? c.value : null);

const percentOf = (r: ShownRate | null): Cell => (r === null ? null : r.hidden ? HIDDEN : r.percent);

/** The columns one measure adds: one per figure part. */
export function measureColumns(m: Measure): Column[] {
  const f = (g: ShownGroup) => g.figures[m.key];
  switch (m.kind) {
    case 'count':
      return [{ header: m.label, kind: 'count', get: (g) => countOf(asCount(f(g))) }];
    case 'rate':
      return [
        { header: `${m.label}: numerator`, kind: 'count', get: (g) => countOf(asRate(f(g))?.numerator) },
        { header: `${m.label}: denominator`, kind: 'count', get: (g) => countOf(asRate(f(g))?.denominator) },
        { header: `${m.label}: percent`, kind: 'percent', get: (g) => percentOf(asRate(f(g))) },
      ];
    case 'days':
    case 'hours': {
      const days = m.kind === 'days';
      const buckets = days ? DAY_BUCKETS : HOURS_BUCKETS;
      const d = (g: ShownGroup) => asDistribution(f(g));
      return [
        {
          header: `${m.label}: ${days ? 'referrals with a figure' : 'jobs with hours recorded'}`,
          kind: 'count',
          get: (g) => countOf(d(g)?.count),
        },
        {
          header: `${m.label}: median ${days ? 'days' : 'hours'}`,
          kind: 'number',
          get: (g) => {
            const x = d(g);
            return x === null ? null : x.hidden ? HIDDEN : x.median;
          },
        },
        ...buckets.map((b, i): Column => ({
          header: `${m.label}: ${b.label.toLowerCase()}`,
          kind: 'count',
          get: (g) => countOf(d(g)?.buckets[i]?.count),
        })),
        {
          header: `${m.label}: ${days ? 'no contact yet' : 'hours not recorded'}`,
          kind: 'count',
          get: (g) => countOf(d(g)?.not_yet),
        },
      ];
    }
    case 'pence':
      return [
        {
          header: `${m.label}: median (£)`,
          kind: 'pounds',
          get: (g) => {
            const v = asValue(f(g));
            return v === null ? null : v.hidden ? HIDDEN : v.value === null ? null : v.value / 100;
          },
        },
      ];
  }
}

/** The outcome export's columns: the group, then every part of every measure. */
export function outcomeColumns(report: Pick<ShownReport, 'split'>): Column[] {
  return [
    { header: report.split === 'none' ? 'Group' : SPLIT_LABELS[report.split], kind: 'text', get: (g) => g.label },
    ...MEASURES.flatMap(measureColumns),
  ];
}

/** All first, then the split's groups in the report's order. */
export function outcomeRows(report: ShownReport): ShownGroup[] {
  return [report.total, ...report.groups];
}

/** A text cell a spreadsheet must not run as a formula (team and site names are typed by people). */
export function textCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvOf(columns: readonly Column[], rows: readonly ShownGroup[]): string {
  const body = rows.map((g) =>
    columns.map((c) => {
      const v = c.get(g);
      if (v === null) return '';
      return typeof v === 'string' ? textCell(v) : v;
    }),
  );
  return stringify([columns.map((c) => c.header), ...body], { record_delimiter: 'windows' });
}

/** The outcome report as CSV: a header row, then All and each group, one column per figure part. */
export function outcomesCsv(report: ShownReport): string {
  return csvOf(outcomeColumns(report), outcomeRows(report));
}

// ---- Workbooks ------------------------------------------------------------------------------------

const NUMBER_FORMATS: Record<CellKind, string | undefined> = {
  text: undefined,
  count: '0',
  number: '0.0',
  percent: '0.0%',
  pounds: '£#,##0.00',
};

/** Writes a sheet of figures: a bold, frozen header row, numbers as numbers, percentages formatted. */
function figureSheet(
  wb: ExcelJS.Workbook,
  name: string,
  columns: readonly Column[],
  rows: readonly ShownGroup[],
  frozenColumns: number,
): void {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', xSplit: frozenColumns, ySplit: 1 }] });
  ws.columns = columns.map((c, i) => ({
    width: i < frozenColumns ? 28 : Math.min(24, Math.max(12, Math.ceil(c.header.length / 2.2))),
  }));
  const header = ws.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'top' };
  for (const g of rows) {
    const row = ws.addRow(
      columns.map((c) => {
        const v = c.get(g);
        // Percentages are stored as fractions so the spreadsheet's own percent format shows them.
        return c.kind === 'percent' && typeof v === 'number' ? Math.round(v * 10) / 1000 : v;
      }),
    );
    columns.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      const format = NUMBER_FORMATS[c.kind];
      if (format && typeof cell.value === 'number') cell.numFmt = format;
      if (typeof cell.value === 'string' && c.kind !== 'text') cell.alignment = { horizontal: 'right' };
    });
  }
}

function definitionsSheet(wb: ExcelJS.Workbook, rows: readonly [string, string, string][]): void {
  const ws = wb.addWorksheet('Definitions', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [{ width: 40 }, { width: 100 }, { width: 22 }];
  const header = ws.addRow(['Measure', 'Definition', 'Benchmark']);
  header.font = { bold: true };
  for (const r of rows) ws.addRow(r).alignment = { wrapText: true, vertical: 'top' };
}

function aboutSheet(wb: ExcelJS.Workbook, rows: readonly [string, string][]): void {
  const ws = wb.addWorksheet('About');
  ws.columns = [{ width: 22 }, { width: 100 }];
  for (const [k, v] of rows) {
    const row = ws.addRow([k, v]);
    row.getCell(1).font = { bold: true };
    row.alignment = { wrapText: true, vertical: 'top' };
  }
}

/** What a download says about where its figures came from. */
export interface ExportFacts {
  /** "2026/27 Q2 (July to September 2026)" or "1 July 2026 to 30 September 2026". */
  periodLabel: string;
  /** When the file was made: an ISO instant. */
  generatedAt: string;
}

/** The note on small numbers an export carries. */
export function thresholdNote(report: Pick<ShownReport, 'canSeePeople' | 'threshold'>): string {
  return report.canSeePeople
    ? 'No figure is hidden: you may see the people behind them. Keep this file within the team and delete it when you no longer need it.'
    : `Numbers from 1 to ${report.threshold - 1} are shown as "<${report.threshold}". A figure that would let a hidden number be worked out is hidden too, and rates, medians and pay worked out from few people are shown as "${HIDDEN}".`;
}

function measureDefinitions(): [string, string, string][] {
  return MEASURES.map((m) => [m.label, m.definition, m.benchmark ?? '']);
}

/** The generated-on text: the London date and time. */
function generatedText(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

async function bufferOf(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function newWorkbook(facts: ExportFacts, title: string): Promise<ExcelJS.Workbook> {
  const Excel = await loadExcel();
  const wb = new Excel.Workbook();
  wb.creator = 'Stepwise';
  wb.title = title;
  wb.created = new Date(facts.generatedAt);
  wb.modified = new Date(facts.generatedAt);
  return wb;
}

/** The outcome report as an Excel workbook: sheets "Outcomes", "Definitions" and "About". */
export async function outcomesWorkbook(report: ShownReport, facts: ExportFacts): Promise<Buffer> {
  const wb = await newWorkbook(facts, 'Stepwise outcome report');
  figureSheet(wb, 'Outcomes', outcomeColumns(report), outcomeRows(report), 1);
  definitionsSheet(wb, measureDefinitions());
  aboutSheet(wb, [
    ['Report', 'Stepwise outcome report'],
    ['Period', `${facts.periodLabel}: ${formatDay(report.period.from)} to ${formatDay(report.period.to)}`],
    ['Split by', SPLIT_LABELS[report.split]],
    ['Scope', report.scope],
    ['Generated on', generatedText(facts.generatedAt)],
    ['Job starts', `A job counts as started once four hours of paid work are done, worked out on ${formatDay(report.asOf)}.`],
    ['Small numbers', thresholdNote(report)],
  ]);
  return bufferOf(wb);
}

/** `stepwise-outcomes-2026-07-01-to-2026-09-30.xlsx`, with `-by-team` (and so on) for a split. */
export function outcomesFileName(period: Period, split: ShownReport['split'], extension: 'csv' | 'xlsx'): string {
  const by = split === 'none' ? '' : `-by-${split.replace(/_/g, '-')}`;
  return `stepwise-outcomes-${period.from}-to-${period.to}${by}.${extension}`;
}

// ---- The quarterly return ------------------------------------------------------------------------

const measure = (key: string): Measure => {
  const m = MEASURES.find((x) => x.key === key);
  if (!m) throw new Error(`No measure ${key}`);
  return m;
};

interface ReturnColumn extends Column {
  definition: string;
  benchmark?: string;
}

function returnCount(key: string, header: string): ReturnColumn {
  const m = measure(key);
  return { header, kind: 'count', definition: m.definition, get: (g) => countOf(asCount(g.figures[key])) };
}

function returnRate(key: string, headers: [string, string, string]): ReturnColumn[] {
  const m = measure(key);
  const r = (g: ShownGroup) => asRate(g.figures[key]);
  return [
    { header: headers[0], kind: 'count', definition: m.definition, get: (g) => countOf(r(g)?.numerator) },
    { header: headers[1], kind: 'count', definition: m.definition, get: (g) => countOf(r(g)?.denominator) },
    {
      header: headers[2],
      kind: 'percent',
      definition: m.definition,
      ...(m.benchmark ? { benchmark: m.benchmark } : {}),
      get: (g) => percentOf(r(g)),
    },
  ];
}

/**
 * The quarterly return's columns in the order of the IPS reporting template: referrals (by
 * accepted date), engaged, people into work, total job starts, the employment rate's numerator,
 * denominator and percentage, the job-retention share, then 13, 26 and 52 week sustainment.
 */
export function quarterlyReturnColumns(quarter: Quarter): ReturnColumn[] {
  return [
    {
      header: 'Quarter',
      kind: 'text',
      definition: `The NHS financial-year quarter: ${quarter.label} is ${quarter.months}.`,
      get: () => quarter.label,
    },
    {
      header: 'Team',
      kind: 'text',
      definition: 'The team whose caseload the people are on; the last row is the total.',
      get: (g) => g.label,
    },
    returnCount('referrals_accepted', 'Referrals (by accepted date)'),
    returnCount('people_engaged', 'Engaged (vocational profile started)'),
    returnCount('people_into_work', 'People supported into work'),
    returnCount('job_starts', 'Total job starts'),
    ...returnRate('employment_rate', [
      'Employment rate: people out of work at referral who started a job',
      'Employment rate: people out of work at referral',
      'Employment rate (%)',
    ]),
    ...returnRate('job_retention_share', [
      'Job-retention referrals on the caseload',
      'People on the caseload at the end of the quarter',
      'Job-retention share (%)',
    ]),
    ...([13, 26, 52] as const).flatMap((w) =>
      returnRate(`in_work_${w}_weeks`, [
        `Still in work at ${w} weeks`,
        `Reached ${w} weeks in the quarter`,
        `${w}-week sustainment (%)`,
      ]),
    ),
  ];
}

/** One row per team, then the total row, which is the whole report's total (not a sum of the rows). */
export function quarterlyReturnRows(report: ShownReport): ShownGroup[] {
  return [...report.groups, { ...report.total, label: report.canSeePeople ? 'Total' : 'Service total' }];
}

/** The quarterly return as CSV. */
export function quarterlyReturnCsv(report: ShownReport, quarter: Quarter): string {
  return csvOf(quarterlyReturnColumns(quarter), quarterlyReturnRows(report));
}

/** The quarterly return as a workbook: the return, the definition of every column, and where it came from. */
export async function quarterlyReturnWorkbook(report: ShownReport, quarter: Quarter, facts: ExportFacts): Promise<Buffer> {
  const wb = await newWorkbook(facts, `Stepwise quarterly return ${quarter.label}`);
  const columns = quarterlyReturnColumns(quarter);
  figureSheet(wb, 'Quarterly return', columns, quarterlyReturnRows(report), 2);
  definitionsSheet(
    wb,
    columns.map((c) => [c.header, c.definition, c.benchmark ?? '']),
  );
  aboutSheet(wb, [
    ['Report', 'Stepwise quarterly return (IPS reporting template layout)'],
    ['Quarter', `${quarter.label}: ${quarter.months} (${formatDay(quarter.from)} to ${formatDay(quarter.to)})`],
    ['Scope', report.scope],
    ['Generated on', generatedText(facts.generatedAt)],
    ['Job starts', `A job counts as started once four hours of paid work are done, worked out on ${formatDay(report.asOf)}.`],
    ['Small numbers', thresholdNote(report)],
  ]);
  return bufferOf(wb);
}

/** `stepwise-quarterly-return-2026-27-q2.csv`. */
export function quarterlyReturnFileName(quarter: Quarter, extension: 'csv' | 'xlsx'): string {
  return `stepwise-quarterly-return-${quarter.label.replace('/', '-').replace(' ', '-').toLowerCase()}.${extension}`;
}
