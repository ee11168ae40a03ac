// The capacity chart: coach hours needed each week as bars against the team's contracted hours
// as a dashed line. A small hand-written SVG (no inline styles under the content security policy;
// colours are presentation attributes), scaling to its width. Weeks over capacity are drawn in a
// different colour and named in each bar's title; the table beside it has every figure, so the
// chart is never the only way to read them.

export interface CapacityChartWeek {
  weekStart: string;
  demandMinutes: number;
  capacityMinutes: number;
}

const WIDTH = 340;
const HEIGHT = 200;
const LEFT = 34;
const RIGHT = 8;
const TOP = 18;
const BOTTOM = 34;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;
const BASELINE = TOP + PLOT_H;

const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
const round1 = (n: number): string => String(Math.round(n * 10) / 10);
const hours = (minutes: number): string => String(Math.round(minutes / 0.6) / 100);

const shortDate = (day: string): string =>
  new Date(`${day}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** A step for the hours axis giving 3 to 5 grid lines. */
function stepFor(maxHours: number): number {
  for (const step of [1, 2, 5, 10, 20, 25, 50, 100, 200, 500]) if (maxHours / step <= 5) return step;
  return Math.ceil(maxHours / 5 / 100) * 100;
}

/** The SVG of a team's weekly coach demand against its capacity. */
export function capacityChart(weeks: readonly CapacityChartWeek[], options: { id: string; teamName: string }): string {
  const titleId = `${options.id}-title`;
  const descId = `${options.id}-desc`;
  const n = weeks.length;
  const maxMinutes = Math.max(60, ...weeks.map((w) => Math.max(w.demandMinutes, w.capacityMinutes)));
  const step = stepFor(maxMinutes / 60);
  const top = Math.ceil(maxMinutes / 60 / step) * step;
  const y = (minutes: number) => BASELINE - (minutes / 60 / top) * PLOT_H;
  const slot = n === 0 ? PLOT_W : PLOT_W / n;
  const barW = Math.max(2, slot * 0.7);
  const over = weeks.filter((w) => w.demandMinutes > w.capacityMinutes).length;
  const desc =
    n === 0
      ? 'No weeks to show.'
      : `${n} weeks from ${weeks[0]!.weekStart}. Capacity ${hours(weeks[0]!.capacityMinutes)} hours a week. ` +
        (over === 0 ? 'Demand is within capacity every week.' : `Demand is over capacity in ${over} of the weeks.`);

  const parts: string[] = [
    `<svg class="stepwise-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${titleId} ${descId}" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${titleId}">${escapeXml(`Coach hours needed each week against contracted hours: ${options.teamName}`)}</title>`,
    `<desc id="${descId}">${escapeXml(desc)}</desc>`,
  ];
  for (let h = 0; h <= top; h += step) {
    const gy = round1(y(h * 60));
    parts.push(
      `<line class="stepwise-chart__grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${gy}" y2="${gy}" stroke="${h === 0 ? '#4c6272' : '#d8dde0'}" stroke-width="1"/>`,
      `<text class="stepwise-chart__label" x="${LEFT - 5}" y="${round1(Number(gy) + 4)}" text-anchor="end" font-size="11" fill="#212b32">${h}</text>`,
    );
  }
  parts.push(
    `<text class="stepwise-chart__label" x="${LEFT - 5}" y="${TOP - 6}" text-anchor="end" font-size="11" fill="#212b32">h</text>`,
  );
  weeks.forEach((w, i) => {
    const x = LEFT + i * slot + (slot - barW) / 2;
    const by = y(w.demandMinutes);
    const isOver = w.demandMinutes > w.capacityMinutes;
    const label = `Week of ${shortDate(w.weekStart)}: ${hours(w.demandMinutes)} hours needed, ${hours(w.capacityMinutes)} contracted${isOver ? ' (over capacity)' : ''}`;
    parts.push(
      `<rect x="${round1(x)}" y="${round1(by)}" width="${round1(barW)}" height="${round1(BASELINE - by)}" fill="${isOver ? '#d5281b' : '#005eb8'}"><title>${escapeXml(label)}</title></rect>`,
    );
    // About five dates along the axis, so they never overlap at 360 px.
    if (i % Math.max(1, Math.ceil(n / 5)) === 0) {
      parts.push(
        `<text class="stepwise-chart__label" x="${round1(x + barW / 2)}" y="${BASELINE + 14}" text-anchor="${i === 0 ? 'start' : 'middle'}" font-size="11" fill="#212b32">${escapeXml(shortDate(w.weekStart))}</text>`,
      );
    }
  });
  if (n > 0) {
    const cy = round1(y(weeks[0]!.capacityMinutes));
    parts.push(
      `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${cy}" y2="${cy}" stroke="#212b32" stroke-width="2" stroke-dasharray="6 4"/>`,
      `<text class="stepwise-chart__label" x="${WIDTH - RIGHT}" y="${round1(Number(cy) - 4)}" text-anchor="end" font-size="11" fill="#212b32">Contracted</text>`,
    );
  }
  parts.push(
    `<text class="stepwise-chart__label" x="${round1(LEFT + PLOT_W / 2)}" y="${HEIGHT - 3}" text-anchor="middle" font-size="11" fill="#212b32">Week starting</text>`,
    '</svg>',
  );
  return parts.join('');
}
