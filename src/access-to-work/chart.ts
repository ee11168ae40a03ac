// The delivery chart of an award: hours of support delivered each week as bars, and the hours a
// week awarded as a dashed line, so the intensive start and the taper after it show at a glance.
// Hand-written SVG (no charting library): presentation attributes and classes only, since the
// content security policy allows no inline styles. The same figures are in a table beside it.

import { minutesAsHours } from './rules.ts';

export interface WeekDelivered {
  /** The Monday of the week, `YYYY-MM-DD`. */
  weekStart: string;
  minutes: number;
}

export interface ChartBar extends WeekDelivered {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DeliveryChartGeometry {
  bars: ChartBar[];
  /** Where the awarded level is drawn, or null when the award has no weekly hours. */
  lineY: number | null;
  /** The top of the hours axis, in hours. */
  axisMaxHours: number;
  /** Hours with a grid line, from 0 up to the top of the axis. */
  gridHours: number[];
  /** Maps hours to a y coordinate. */
  y: (hours: number) => number;
}

export const WIDTH = 320;
export const HEIGHT = 200;
const LEFT = 34;
const RIGHT = 10;
const TOP = 22;
const BOTTOM = 36;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;
/** The bottom of the plot: zero hours. */
export const BASELINE = TOP + PLOT_H;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** "2 Mar 2026" from `YYYY-MM-DD`. */
function shortDay(day: string): string {
  const [y, m, d] = day.split('-');
  return `${Number(d)} ${MONTHS[Number(m) - 1] ?? ''} ${y}`;
}

/** An axis label: "2 Mar" when the chart stays in one year, else "Mar 2027". */
function axisLabel(day: string, oneYear: boolean): string {
  const [y, m, d] = day.split('-');
  return oneYear ? `${Number(d)} ${MONTHS[Number(m) - 1] ?? ''}` : `${MONTHS[Number(m) - 1] ?? ''} ${y}`;
}

/** A step of 0.5, 1, 2, 5, 10... hours that gives at most five grid lines above zero. */
function gridStep(topHours: number): number {
  for (const step of [0.5, 1, 2, 5, 10, 20, 25, 50, 100]) if (Math.ceil(topHours / step) <= 5) return step;
  return Math.ceil(topHours / 5 / 100) * 100;
}

/** Where each bar and the awarded line go, in the chart's own coordinates (pure, for tests). */
export function deliveryChartGeometry(weeks: readonly WeekDelivered[], awardedWeeklyMinutes: number): DeliveryChartGeometry {
  const topMinutes = Math.max(60, awardedWeeklyMinutes, ...weeks.map((w) => w.minutes));
  const step = gridStep(topMinutes / 60);
  const axisMaxHours = Math.ceil(topMinutes / 60 / step) * step;
  const gridHours: number[] = [];
  for (let h = 0; h <= axisMaxHours + 1e-9; h += step) gridHours.push(Math.round(h * 10) / 10);
  const y = (hours: number) => round1(BASELINE - (Math.max(0, hours) * PLOT_H) / axisMaxHours);
  const slot = weeks.length > 0 ? PLOT_W / weeks.length : PLOT_W;
  const width = round1(Math.max(1, slot * 0.7));
  const bars = weeks.map((w, i) => {
    const top = y(w.minutes / 60);
    return { ...w, x: round1(LEFT + i * slot + (slot - width) / 2), y: top, width, height: round1(BASELINE - top) };
  });
  return { bars, lineY: awardedWeeklyMinutes > 0 ? y(awardedWeeklyMinutes / 60) : null, axisMaxHours, gridHours, y };
}

const hoursWord = (minutes: number) => `${minutesAsHours(minutes)} ${minutes === 60 ? 'hour' : 'hours'}`;

/**
 * The SVG of the hours delivered each week against the hours a week awarded. `id` makes the
 * title and description ids unique on the page.
 */
export function deliveryChart(
  weeks: readonly WeekDelivered[],
  awardedWeeklyMinutes: number,
  options: { id: string; title: string },
): string {
  const g = deliveryChartGeometry(weeks, awardedWeeklyMinutes);
  const titleId = `${options.id}-title`;
  const descId = `${options.id}-desc`;
  const n = weeks.length;
  const first = weeks[0];
  const last = weeks[n - 1];
  const peak = weeks.reduce<WeekDelivered | null>((best, w) => (best === null || w.minutes > best.minutes ? w : best), null);
  const desc = [
    n === 0 || !first || !last
      ? 'No weeks of the award have begun yet.'
      : `${n} week${n === 1 ? '' : 's'}, from the week of ${shortDay(first.weekStart)} to the week of ${shortDay(last.weekStart)}.`,
    awardedWeeklyMinutes > 0 ? `Awarded: ${hoursWord(awardedWeeklyMinutes)} a week, drawn as a dashed line.` : '',
    peak && peak.minutes > 0 ? `Most in one week: ${hoursWord(peak.minutes)}, the week of ${shortDay(peak.weekStart)}.` : '',
    last ? `Latest week: ${hoursWord(last.minutes)}.` : '',
  ]
    .filter(Boolean)
    .join(' ');

  const parts: string[] = [
    `<svg class="stepwise-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${titleId} ${descId}" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${titleId}">${escapeXml(options.title)}</title>`,
    `<desc id="${descId}">${escapeXml(desc)}</desc>`,
  ];
  for (const h of g.gridHours) {
    const gy = g.y(h);
    parts.push(
      `<line class="stepwise-chart__grid${h === 0 ? ' stepwise-chart__axis' : ''}" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${gy}" y2="${gy}" stroke="${h === 0 ? '#4c6272' : '#d8dde0'}" stroke-width="1"/>`,
      `<text class="stepwise-chart__label" x="${LEFT - 5}" y="${round1(gy + 4)}" text-anchor="end" font-size="12" fill="#212b32">${h}</text>`,
    );
  }
  parts.push(`<text class="stepwise-chart__label" x="2" y="11" text-anchor="start" font-size="11" fill="#212b32">Hours</text>`);
  for (const b of g.bars) {
    parts.push(
      `<rect class="stepwise-chart__bar" x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" fill="#005eb8"><title>${escapeXml(
        `Week of ${shortDay(b.weekStart)}: ${hoursWord(b.minutes)}`,
      )}</title></rect>`,
    );
  }
  if (g.lineY !== null) {
    parts.push(
      `<line class="stepwise-chart__awarded" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${g.lineY}" y2="${g.lineY}" stroke="#d5281b" stroke-width="2" stroke-dasharray="6 4"/>`,
      `<text class="stepwise-chart__label" x="${WIDTH - RIGHT}" y="${round1(g.lineY - 4)}" text-anchor="end" font-size="11" fill="#212b32">Awarded</text>`,
    );
  }
  // At most five dates under the bars, so they never overlap at 360 px.
  const every = Math.max(1, Math.ceil(n / 5));
  const oneYear = first !== undefined && last !== undefined && first.weekStart.slice(0, 4) === last.weekStart.slice(0, 4);
  g.bars.forEach((b, i) => {
    if (i % every !== 0) return;
    const anchor = i === 0 ? 'start' : 'middle';
    const x = i === 0 ? LEFT : round1(b.x + b.width / 2);
    parts.push(
      `<text class="stepwise-chart__label" x="${x}" y="${BASELINE + 16}" text-anchor="${anchor}" font-size="11" fill="#212b32">${escapeXml(
        axisLabel(b.weekStart, oneYear),
      )}</text>`,
    );
  });
  parts.push(
    `<text class="stepwise-chart__label" x="${round1(LEFT + PLOT_W / 2)}" y="${HEIGHT - 3}" text-anchor="middle" font-size="11" fill="#212b32">Week starting</text>`,
    '</svg>',
  );
  return parts.join('');
}
