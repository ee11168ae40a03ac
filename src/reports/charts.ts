import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { DAY_BUCKETS, EMPLOYMENT_RATE_BENCHMARK, SUSTAINMENT_WEEKS } from './outcomes.ts';
import type { ShownCount, ShownDistribution, ShownFigure, ShownRate } from './service.ts';
import type { Shown } from './suppression.ts';
import type { QuarterFigures, Trends } from './trends.ts';

// The outcome charts, drawn on the server as SVG by Observable Plot over linkedom's document.
// The content security policy allows no inline styles, so Plot's <style> element and every
// style attribute are taken out before the SVG is written; the look comes from presentation
// attributes and classes in public/stepwise.css. Each chart is built from a table of figures,
// and each drawn mark is titled with the row, column and text of its cell, so the chart can never
// show a figure the table does not. A figure hidden by the small-number rule is not drawn.

/** NHS identity colours used by the charts. */
export const NHS_COLOURS = {
  blue: '#005eb8',
  darkGreen: '#007f3b',
  purple: '#330072',
  red: '#d5281b',
  text: '#212b32',
  grey: '#4c6272',
} as const;

/** Width of the charts' own coordinates; the SVG scales to the column, no wider than 30rem. */
export const CHART_WIDTH = 400;
/**
 * Text size in the chart's coordinates. At 360 px the column is about 328 px wide, so 15 units
 * show as a little over 12 px; wider screens show them larger.
 */
export const CHART_FONT_SIZE = 15;

export const HIDDEN_TEXT = 'hidden: small numbers';

/** A cell of a chart's table: the text shown, and the value drawn (null when not drawn). */
export interface ChartCell {
  text: string;
  value: number | null;
}

export interface ChartRow {
  label: string;
  cells: ChartCell[];
}

export interface ChartTable {
  caption: string;
  /** Heading of the first column (the row labels), then of each cell column. */
  head: string[];
  rows: ChartRow[];
}

export interface ChartKeyItem {
  label: string;
  /** A class modifier for the swatch: `blue`, `green`, `purple`, `red`. */
  colour: string;
  /** How the series is drawn, in words, for people who cannot tell the colours apart. */
  marker: string;
}

export interface Chart {
  id: string;
  heading: string;
  intro: string;
  /** The SVG, or null when there is nothing to draw (then `empty` says why). */
  svg: string | null;
  empty: string | null;
  key: ChartKeyItem[];
  table: ChartTable;
}

// ---- Cells ----------------------------------------------------------------------------------------

/** A count as a table shows it: the number, or "<5 (hidden: small numbers)" and not drawn. */
export function countCell(c: ShownCount | null | undefined): ChartCell {
  if (!c) return { text: 'Not counted', value: null };
  return typeof c.value === 'number'
    ? { text: String(c.value), value: c.value }
    : { text: `${c.value} (${HIDDEN_TEXT})`, value: null };
}

/** A rate's percentage: "40%", "Hidden: small numbers", or "No one to count". */
export function percentCell(r: ShownRate | null | undefined): ChartCell {
  if (!r) return { text: 'Not counted', value: null };
  if (r.hidden) return { text: 'Hidden: small numbers', value: null };
  if (r.percent === null) return { text: 'No one to count', value: null };
  return { text: `${r.percent}%`, value: r.percent };
}

/** A count that is shown but never drawn (a rate's numerator or denominator). */
function plainCount(v: Shown | undefined): ChartCell {
  if (v === undefined) return { text: 'Not counted', value: null };
  return { text: typeof v === 'number' ? String(v) : `${v} (${HIDDEN_TEXT})`, value: null };
}

const asCount = (f: ShownFigure | null | undefined) => (f ?? null) as ShownCount | null;
const asRate = (f: ShownFigure | null | undefined) => (f ?? null) as ShownRate | null;
const asDistribution = (f: ShownFigure | null | undefined) => (f ?? null) as ShownDistribution | null;

/** The title each drawn mark carries: the same row, column and text as its table cell. */
export function markTitle(row: string, column: string, text: string): string {
  return `${row}, ${column}: ${text}`;
}

// ---- Rendering ------------------------------------------------------------------------------------

const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** The few DOM features used on Plot's output (the project compiles without the DOM library). */
interface PlotNode {
  tagName: string;
  children: ArrayLike<PlotNode>;
  outerHTML: string;
  remove(): void;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
}

/** Every element below `node`, itself included. */
function* elements(node: PlotNode): Generator<PlotNode> {
  yield node;
  for (const child of Array.from(node.children)) yield* elements(child);
}

/**
 * Draws a chart and makes its SVG safe and accessible: no <style> element, no style attribute,
 * role="img" named by a <title> and described by a <desc>, text at the chart's font size.
 */
export function renderPlot(options: Plot.PlotOptions, meta: { id: string; title: string; desc: string }): string {
  // linkedom's types name DOM types this project does not compile with: held as unknown here.
  const { document } = parseHTML('<!doctype html><html><body></body></html>') as unknown as { document: unknown };
  const node = Plot.plot({ width: CHART_WIDTH, ...options, document }) as unknown as PlotNode;
  for (const el of [...elements(node)]) {
    if (el.tagName.toLowerCase() === 'style') el.remove();
    el.removeAttribute('style');
    // Plot names its groups ("bar", "y-axis tick"); inside an image they are noise to a screen reader.
    if (el !== node) el.removeAttribute('aria-label');
  }
  node.setAttribute('class', 'stepwise-plot');
  node.setAttribute('role', 'img');
  node.setAttribute('aria-labelledby', `${meta.id}-title`);
  node.setAttribute('aria-describedby', `${meta.id}-desc`);
  node.setAttribute('font-size', String(CHART_FONT_SIZE));
  node.setAttribute('fill', NHS_COLOURS.text);
  node.removeAttribute('font-family');
  // Titles and descriptions are written as markup (escaped here), then put first in the SVG.
  const head = `<title id="${meta.id}-title">${escapeXml(meta.title)}</title><desc id="${meta.id}-desc">${escapeXml(meta.desc)}</desc>`;
  return node.outerHTML.replace(/^(<svg\b[^>]*>)/, `$1${head}`);
}

/** Whole-number ticks from 0 that reach `max`, at most six of them. */
export function countTicks(max: number): number[] {
  const top = Math.max(1, max);
  const step = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000].find((s) => Math.ceil(top / s) <= 5) ?? Math.ceil(top / 5);
  const ticks: number[] = [];
  for (let t = 0; t <= Math.ceil(top / step) * step; t += step) ticks.push(t);
  return ticks;
}

/**
 * Two-line quarter ticks: "Q3" under every quarter, the financial year under the first and under
 * each Q1, so eight quarters fit at 360 px. The first is left without a year when a Q1 follows it
 * at once (the two years would overlap).
 */
export function quarterTick(quarters: readonly QuarterFigures[]): (label: string) => string {
  return (label: string) => {
    const i = quarters.findIndex((q) => q.quarter.label === label);
    const [year, q] = label.split(' ') as [string, string];
    const showYear = q === 'Q1' || (i === 0 && quarters[1]?.quarter.label.endsWith('Q1') !== true);
    return showYear ? `${q}\n${year}` : q;
  };
}

const rowLabel = (q: QuarterFigures) => (q.partial ? `${q.quarter.label} (so far)` : q.quarter.label);

/** Describes the quarters a chart covers, for its <desc>. */
function quarterSpan(quarters: readonly QuarterFigures[]): string {
  const first = quarters[0];
  const last = quarters[quarters.length - 1];
  if (!first || !last) return '';
  return `${quarters.length} quarters, from ${first.quarter.label} (${first.quarter.months}) to ${last.quarter.label} (${last.quarter.months})${last.partial ? ', which has not ended yet' : ''}.`;
}

// ---- a) Trend of counts ---------------------------------------------------------------------------

const TREND_SERIES = [
  {
    key: 'referrals_accepted',
    label: 'Referrals accepted',
    colour: 'blue',
    hex: NHS_COLOURS.blue,
    symbol: 'circle',
    r: 4.5,
    dash: null,
    marker: 'solid line, circles',
  },
  {
    key: 'people_into_work',
    label: 'People into work',
    colour: 'green',
    hex: NHS_COLOURS.darkGreen,
    symbol: 'square',
    r: 6.5,
    dash: '6 3',
    marker: 'dashed line, squares',
  },
  {
    key: 'job_starts',
    label: 'Job starts',
    colour: 'purple',
    hex: NHS_COLOURS.purple,
    symbol: 'triangle',
    r: 4,
    dash: '2 3',
    marker: 'dotted line, triangles',
  },
] as const;

/** The table behind the trend of referrals, people into work and job starts. */
export function trendTable(trends: Trends): ChartTable {
  return {
    caption: 'Referrals accepted, people into work and job starts, by quarter',
    head: ['Quarter', ...TREND_SERIES.map((s) => s.label)],
    rows: trends.quarters.map((q) => ({
      label: rowLabel(q),
      cells: TREND_SERIES.map((s) => countCell(asCount(q.figures[s.key]))),
    })),
  };
}

function latestSentence(table: ChartTable): string {
  const last = table.rows[table.rows.length - 1];
  if (!last) return '';
  return `In ${last.label}: ${last.cells.map((c, i) => `${table.head[i + 1]?.toLowerCase()} ${c.text}`).join(', ')}.`;
}

function trendChart(trends: Trends): Chart {
  const table = trendTable(trends);
  const drawn = table.rows.some((r) => r.cells.some((c) => c.value !== null && c.value > 0));
  const max = Math.max(0, ...table.rows.flatMap((r) => r.cells.map((c) => c.value ?? 0)));
  const ticks = countTicks(max);
  const labels = trends.quarters.map((q) => q.quarter.label);
  const marks: Plot.Markish[] = [Plot.ruleY([0], { stroke: NHS_COLOURS.grey })];
  TREND_SERIES.forEach((s, si) => {
    // A hidden figure is a gap in the line: the value is left undefined, so nothing is drawn there.
    const points = table.rows.map((r, i) => ({
      x: labels[i]!,
      y: r.cells[si]!.value ?? undefined,
      title: markTitle(r.label, s.label, r.cells[si]!.text),
    }));
    marks.push(
      Plot.lineY(points, { x: 'x', y: 'y', stroke: s.hex, strokeWidth: 2.5, ...(s.dash ? { strokeDasharray: s.dash } : {}) }),
      Plot.dot(
        points.filter((p) => p.y !== undefined),
        { x: 'x', y: 'y', fill: s.hex, stroke: s.hex, symbol: s.symbol, r: s.r, title: 'title' },
      ),
    );
  });
  const hiddenNote = table.rows.some((r) => r.cells.some((c) => c.text.includes(HIDDEN_TEXT)))
    ? ' Figures hidden because the numbers are small are left out of the lines.'
    : '';
  return {
    id: 'trend-chart',
    heading: 'Referrals, people into work and job starts',
    intro: `The ${trends.quarters.length} quarters up to the one your period ends in.`,
    svg: drawn
      ? renderPlot(
          {
            height: 280,
            marginLeft: 44,
            marginRight: 16,
            marginBottom: 56,
            x: { type: 'point', domain: labels, label: null, tickFormat: quarterTick(trends.quarters), padding: 0.3 },
            y: { domain: [0, ticks[ticks.length - 1]!], ticks, tickFormat: (d: number) => String(d), grid: true, label: null },
            marks,
          },
          {
            id: 'trend-chart',
            title: 'Referrals accepted, people into work and job starts by quarter',
            desc: `${quarterSpan(trends.quarters)} ${latestSentence(table)}${hiddenNote}`,
          },
        )
      : null,
    empty: drawn ? null : emptyText(table, 'No referrals were accepted and no jobs started in these quarters.'),
    key: TREND_SERIES.map((s) => ({ label: s.label, colour: s.colour, marker: s.marker })),
    table,
  };
}

function emptyText(table: ChartTable, nothing: string): string {
  const hidden = table.rows.some((r) => r.cells.some((c) => /hidden/i.test(c.text)));
  return hidden
    ? 'Every figure here is too small to show, so there is nothing to draw. The table gives what can be shown.'
    : nothing;
}

// ---- a) Employment rate against the benchmark -----------------------------------------------------

/** The table behind the employment rate by quarter. */
export function employmentRateTable(trends: Trends): ChartTable {
  return {
    caption: `Employment rate by quarter (benchmark ${EMPLOYMENT_RATE_BENCHMARK}%)`,
    head: ['Quarter', 'Started a job', 'Out of work when referred', 'Employment rate'],
    rows: trends.quarters.map((q) => {
      const r = asRate(q.figures.employment_rate);
      return {
        label: rowLabel(q),
        cells: [plainCount(r?.numerator.value), plainCount(r?.denominator.value), percentCell(r)],
      };
    }),
  };
}

function employmentRateChart(trends: Trends): Chart {
  const table = employmentRateTable(trends);
  const labels = trends.quarters.map((q) => q.quarter.label);
  const bars = table.rows
    .map((r, i) => ({ x: labels[i]!, y: r.cells[2]!.value, title: markTitle(r.label, 'Employment rate', r.cells[2]!.text) }))
    .filter((b): b is { x: string; y: number; title: string } => b.y !== null);
  const last = table.rows[table.rows.length - 1];
  const above = bars.filter((b) => b.y >= EMPLOYMENT_RATE_BENCHMARK).length;
  return {
    id: 'employment-rate-chart',
    heading: 'Employment rate against the benchmark',
    intro: `Of the people out of work when referred, the share who started a job in the quarter. The dashed line is the ${EMPLOYMENT_RATE_BENCHMARK}% benchmark.`,
    svg:
      bars.length > 0
        ? renderPlot(
            {
              height: 260,
              marginLeft: 58,
              marginRight: 16,
              marginBottom: 56,
              x: { type: 'band', domain: labels, label: null, tickFormat: quarterTick(trends.quarters), padding: 0.25 },
              y: {
                domain: [0, 100],
                ticks: [0, 20, 40, 60, 80, 100],
                tickFormat: (d: number) => `${d}%`,
                grid: true,
                label: null,
              },
              marks: [
                Plot.barY(bars, { x: 'x', y: 'y', fill: NHS_COLOURS.blue, title: 'title' }),
                Plot.ruleY([0], { stroke: NHS_COLOURS.grey }),
                Plot.ruleY([EMPLOYMENT_RATE_BENCHMARK], { stroke: NHS_COLOURS.red, strokeWidth: 2, strokeDasharray: '6 4' }),
                Plot.text([EMPLOYMENT_RATE_BENCHMARK], {
                  y: (d: number) => d,
                  text: () => `Benchmark ${EMPLOYMENT_RATE_BENCHMARK}%`,
                  frameAnchor: 'right',
                  textAnchor: 'end',
                  dy: -10,
                  fill: NHS_COLOURS.text,
                  stroke: 'white',
                  strokeWidth: 4,
                  paintOrder: 'stroke',
                }),
              ],
            },
            {
              id: 'employment-rate-chart',
              title: `Employment rate by quarter against the ${EMPLOYMENT_RATE_BENCHMARK}% benchmark`,
              desc: `${quarterSpan(trends.quarters)} ${bars.length} of the ${table.rows.length} quarters have a rate to show; ${above} of them reach the benchmark.${last ? ` In ${last.label}: ${last.cells[2]!.text}.` : ''}`,
            },
          )
        : null,
    empty:
      bars.length > 0
        ? null
        : emptyText(table, 'No one out of work was on a caseload in these quarters, so there is no rate to draw.'),
    key: [
      { label: 'Employment rate', colour: 'blue', marker: 'bars' },
      { label: `Benchmark ${EMPLOYMENT_RATE_BENCHMARK}%`, colour: 'red', marker: 'dashed line' },
    ],
    table,
  };
}

// ---- b) Days to first face-to-face employer contact ------------------------------------------------

/** The table behind the days from referral to first face-to-face employer contact. */
export function employerContactTable(trends: Trends): ChartTable {
  const d = asDistribution(trends.selected.days_to_first_employer_contact);
  return {
    caption: 'Days from referral to first face-to-face employer contact',
    head: ['Days', 'Referrals'],
    rows: [
      ...DAY_BUCKETS.map((b, i) => ({ label: b.label, cells: [countCell(d?.buckets[i]?.count)] })),
      // People still waiting are shown in the table but not drawn: they have no number of days yet.
      { label: 'No employer contact yet', cells: [{ ...countCell(d?.not_yet), value: null }] },
    ],
  };
}

function employerContactChart(trends: Trends, periodLabel: string): Chart {
  const table = employerContactTable(trends);
  const d = asDistribution(trends.selected.days_to_first_employer_contact);
  const bucketRows = table.rows.slice(0, DAY_BUCKETS.length);
  const bars = bucketRows
    .map((r) => ({
      y: r.label,
      x: r.cells[0]!.value,
      text: r.cells[0]!.text,
      title: markTitle(r.label, 'Referrals', r.cells[0]!.text),
    }))
    .filter((b): b is { y: string; x: number; text: string; title: string } => b.x !== null);
  const drawn = bars.some((b) => b.x > 0);
  const max = Math.max(0, ...bars.map((b) => b.x));
  const ticks = countTicks(max);
  const median =
    d === null
      ? ''
      : d.hidden
        ? 'The median is hidden because the numbers are small.'
        : d.median === null
          ? ''
          : `The median is ${d.median} days.`;
  const within30 = bucketRows.slice(0, 3).map((r) => r.cells[0]!.value);
  const within30Text = within30.every((v) => v !== null)
    ? ` ${within30.reduce<number>((s, v) => s + (v ?? 0), 0)} within 30 days.`
    : '';
  return {
    id: 'employer-contact-chart',
    heading: 'Days to first face-to-face employer contact',
    intro:
      `For referrals accepted in ${periodLabel}: how soon an employer was met face to face about a job for the person (rapid job search: within 30 days). ${median}`.trim(),
    svg: drawn
      ? renderPlot(
          {
            height: 300,
            marginLeft: 116,
            marginRight: 36,
            marginBottom: 40,
            y: { type: 'band', domain: DAY_BUCKETS.map((b) => b.label), label: null, padding: 0.2 },
            x: {
              domain: [0, ticks[ticks.length - 1]!],
              ticks,
              tickFormat: (v: number) => String(v),
              grid: true,
              label: 'Referrals',
            },
            marks: [
              Plot.barX(bars, { y: 'y', x: 'x', fill: NHS_COLOURS.blue, title: 'title' }),
              Plot.ruleX([0], { stroke: NHS_COLOURS.grey }),
              Plot.text(bars, { y: 'y', x: 'x', text: 'text', textAnchor: 'start', dx: 5, fill: NHS_COLOURS.text }),
            ],
          },
          {
            id: 'employer-contact-chart',
            title: 'Referrals by days from referral to first face-to-face employer contact',
            desc: `${bucketRows.map((r) => `${r.label}: ${r.cells[0]!.text}`).join('; ')}.${within30Text} ${median}`.trim(),
          },
        )
      : null,
    empty: drawn
      ? null
      : emptyText(table, `No referrals accepted in ${periodLabel} have had a face-to-face employer contact yet.`),
    key: [],
    table,
  };
}

// ---- c) Still in work after starting --------------------------------------------------------------

const weekKey = (w: number) => `in_work_${w}_weeks`;

/** The table behind the in-work curve: 100% at the start, then the 13, 26 and 52 week figures. */
export function survivalTable(trends: Trends): ChartTable {
  return {
    caption: 'Share still in work after starting a job',
    head: ['Weeks after starting', 'Reached this point', 'Still in work', 'Share still in work'],
    rows: [
      {
        label: 'At the start',
        cells: [
          { text: 'Everyone', value: null },
          { text: 'Everyone', value: null },
          { text: '100%', value: 100 },
        ],
      },
      ...SUSTAINMENT_WEEKS.map((w) => {
        const r = asRate(trends.selected[weekKey(w)]);
        return { label: `${w} weeks`, cells: [plainCount(r?.denominator.value), plainCount(r?.numerator.value), percentCell(r)] };
      }),
    ],
  };
}

function survivalChart(trends: Trends, periodLabel: string): Chart {
  const table = survivalTable(trends);
  const weeks = [0, ...SUSTAINMENT_WEEKS];
  const points = table.rows.map((r, i) => ({
    x: weeks[i]!,
    y: r.cells[2]!.value ?? undefined,
    title: markTitle(r.label, 'Share still in work', r.cells[2]!.text),
  }));
  const drawn = points.slice(1).some((p) => p.y !== undefined);
  return {
    id: 'in-work-chart',
    heading: 'Still in work after starting',
    intro: `Of the people whose 13, 26 or 52 week point after starting a job fell in ${periodLabel}, the share in paid work on that day. Each point is a different group of people.`,
    svg: drawn
      ? renderPlot(
          {
            height: 260,
            marginLeft: 58,
            marginRight: 20,
            marginBottom: 48,
            x: {
              domain: [0, 52],
              ticks: weeks,
              tickFormat: (d: number) => String(d),
              label: 'Weeks after starting',
              labelAnchor: 'center',
              labelArrow: 'none',
            },
            y: { domain: [0, 100], ticks: [0, 25, 50, 75, 100], tickFormat: (d: number) => `${d}%`, grid: true, label: null },
            marks: [
              Plot.ruleY([0], { stroke: NHS_COLOURS.grey }),
              Plot.lineY(points, { x: 'x', y: 'y', stroke: NHS_COLOURS.blue, strokeWidth: 2.5 }),
              Plot.dot(
                points.filter((p) => p.y !== undefined),
                { x: 'x', y: 'y', fill: NHS_COLOURS.blue, r: 4.5, title: 'title' },
              ),
            ],
          },
          {
            id: 'in-work-chart',
            title: 'Share still in work 13, 26 and 52 weeks after starting a job',
            desc: `Everyone is in work when they start. ${table.rows
              .slice(1)
              .map((r) => `${r.label}: ${r.cells[2]!.text}`)
              .join('; ')}.`,
          },
        )
      : null,
    empty: drawn
      ? null
      : emptyText(
          { ...table, rows: table.rows.slice(1) },
          `No one reached 13, 26 or 52 weeks in a job during ${periodLabel}, so there is nothing to draw yet.`,
        ),
    key: [],
    table,
  };
}

// ---- All of them ----------------------------------------------------------------------------------

/** The four outcome charts of a period, each with its table. */
export function outcomeCharts(trends: Trends, periodLabel: string): Chart[] {
  return [
    trendChart(trends),
    employmentRateChart(trends),
    employerContactChart(trends, periodLabel),
    survivalChart(trends, periodLabel),
  ];
}
