// The independence chart: percent of steps done independently, one point per session. A small
// hand-written SVG rather than a charting library, so there are no inline styles to strip (the
// content security policy allows none) and the markup is easy to read. It scales to the width
// it is given, labels every point with its figure, and marks sessions where every step was
// independent with a different shape, so it reads without colour. The same figures are in a
// table beside it for screen readers and anyone who prefers one.

export interface ChartPoint {
  /** `YYYY-MM-DD`. */
  sessionDate: string;
  percentIndependent: number;
}

const WIDTH = 320;
const HEIGHT = 210;
const LEFT = 40;
const RIGHT = 12;
const TOP = 16;
const BOTTOM = 44;

const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const round1 = (n: number): string => String(Math.round(n * 10) / 10);

/** The SVG of a person's independence on a task over their sessions. `id` makes the title and description ids unique. */
export function independenceChart(points: readonly ChartPoint[], options: { id: string; taskTitle: string }): string {
  const titleId = `${options.id}-title`;
  const descId = `${options.id}-desc`;
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const n = points.length;
  const x = (i: number) => LEFT + (n <= 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (pct: number) => TOP + plotH - (Math.max(0, Math.min(100, pct)) * plotH) / 100;
  // Label at most about 10 sessions on the axis and 12 points, so text never overlaps at 360 px.
  const axisEvery = Math.max(1, Math.ceil(n / 10));
  const valueEvery = Math.max(1, Math.ceil(n / 12));

  const first = points[0];
  const last = points[n - 1];
  const desc =
    n === 0
      ? 'No sessions recorded yet.'
      : `${n} session${n === 1 ? '' : 's'} from ${first?.sessionDate} to ${last?.sessionDate}. ` +
        `Steps done independently: ${points.map((p, i) => `session ${i + 1}, ${p.percentIndependent}%`).join('; ')}.`;

  const parts: string[] = [];
  parts.push(
    `<svg class="stepwise-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${titleId} ${descId}" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${titleId}">${escapeXml(`Steps done independently in each session: ${options.taskTitle}`)}</title>`,
    `<desc id="${descId}">${escapeXml(desc)}</desc>`,
  );
  // Grid lines and the percent axis.
  for (const pct of [0, 25, 50, 75, 100]) {
    const gy = round1(y(pct));
    parts.push(
      `<line class="stepwise-chart__grid${pct === 0 ? ' stepwise-chart__axis' : ''}" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${gy}" y2="${gy}"/>`,
    );
    if (pct % 50 === 0) {
      parts.push(
        `<text class="stepwise-chart__label" x="${LEFT - 6}" y="${round1(y(pct) + 4)}" text-anchor="end">${pct}%</text>`,
      );
    }
  }
  parts.push(
    `<text class="stepwise-chart__label" x="${round1(LEFT + plotW / 2)}" y="${HEIGHT - 4}" text-anchor="middle">Session</text>`,
  );
  if (n > 1) {
    const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round1(x(i))} ${round1(y(p.percentIndependent))}`).join(' ');
    parts.push(`<path class="stepwise-chart__line" d="${path}"/>`);
  }
  points.forEach((p, i) => {
    const px = round1(x(i));
    const py = y(p.percentIndependent);
    const label = `Session ${i + 1}, ${p.sessionDate}: ${p.percentIndependent}% independent`;
    // Every step independent: a square, so it stands out without colour.
    if (p.percentIndependent >= 100) {
      parts.push(
        `<rect class="stepwise-chart__point stepwise-chart__point--all" x="${round1(x(i) - 5)}" y="${round1(py - 5)}" width="10" height="10"><title>${escapeXml(label)}</title></rect>`,
      );
    } else {
      parts.push(
        `<circle class="stepwise-chart__point" cx="${px}" cy="${round1(py)}" r="5"><title>${escapeXml(label)}</title></circle>`,
      );
    }
    if (i % valueEvery === 0 || i === n - 1) {
      const ty = py < TOP + 14 ? py + 18 : py - 9;
      parts.push(
        `<text class="stepwise-chart__value" x="${px}" y="${round1(ty)}" text-anchor="middle">${p.percentIndependent}</text>`,
      );
    }
    if (i % axisEvery === 0 || i === n - 1) {
      parts.push(`<text class="stepwise-chart__label" x="${px}" y="${TOP + plotH + 16}" text-anchor="middle">${i + 1}</text>`);
    }
  });
  parts.push('</svg>');
  return parts.join('');
}
