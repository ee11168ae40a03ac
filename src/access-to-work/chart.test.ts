import { describe, expect, it } from 'vitest';
import { BASELINE, deliveryChart, deliveryChartGeometry } from './chart.ts';

// Twelve weeks of job coaching: intensive at first (10 hours), tapering to 2 hours a week,
// against an award of 5 hours a week.
const TAPER = [600, 600, 540, 480, 420, 360, 300, 240, 180, 150, 120, 120].map((minutes, i) => ({
  weekStart: new Date(Date.UTC(2026, 2, 2 + 7 * i)).toISOString().slice(0, 10),
  minutes,
}));

describe('the delivery chart', () => {
  it('draws one bar per week, tallest for the intensive weeks and shrinking as support tapers', () => {
    const g = deliveryChartGeometry(TAPER, 300);
    expect(g.bars).toHaveLength(12);
    const heights = g.bars.map((b) => b.height);
    for (let i = 1; i < heights.length; i++) expect(heights[i]).toBeLessThanOrEqual(heights[i - 1]!);
    expect(heights[0]).toBeGreaterThan(heights[11]! * 4);
    // Bars stand on the baseline and run left to right.
    for (const b of g.bars) expect(b.y + b.height).toBeCloseTo(BASELINE, 0);
    for (let i = 1; i < g.bars.length; i++) expect(g.bars[i]!.x).toBeGreaterThan(g.bars[i - 1]!.x);
  });

  it('draws the awarded level where a bar of exactly that many hours would reach', () => {
    const g = deliveryChartGeometry(TAPER, 300);
    const fiveHourBar = g.bars[6]!; // 300 minutes
    expect(g.lineY).toBe(fiveHourBar.y);
    // Weeks above the award reach above the line; weeks below stay under it.
    expect(g.bars[0]!.y).toBeLessThan(g.lineY!);
    expect(g.bars[11]!.y).toBeGreaterThan(g.lineY!);
  });

  it('keeps the awarded line on the chart when every week was under it, and leaves it out with no weekly hours', () => {
    const under = deliveryChartGeometry([{ weekStart: '2026-03-02', minutes: 30 }], 7 * 60);
    expect(under.axisMaxHours).toBeGreaterThanOrEqual(7);
    expect(under.lineY).toBe(under.y(7));
    expect(under.lineY!).toBeGreaterThan(0);
    expect(deliveryChartGeometry(TAPER, 0).lineY).toBeNull();
  });

  it('is an image with a title and a description of the figures, with no inline styles', () => {
    const svg = deliveryChart(TAPER, 300, { id: 'award-chart', title: 'Hours delivered each week: job coach' });
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="award-chart-title award-chart-desc"');
    expect(svg).toContain('<title id="award-chart-title">Hours delivered each week: job coach</title>');
    expect(svg).toContain('12 weeks, from the week of 2 Mar 2026 to the week of 18 May 2026.');
    expect(svg).toContain('Awarded: 5.00 hours a week');
    expect(svg).toContain('Most in one week: 10.00 hours, the week of 2 Mar 2026.');
    expect(svg).toContain('Latest week: 2.00 hours.');
    expect(svg.match(/<rect class="stepwise-chart__bar"/g)).toHaveLength(12);
    expect(svg).not.toContain('style=');
  });

  it('says when no week of the award has begun', () => {
    const svg = deliveryChart([], 300, { id: 'c', title: 'T & co' });
    expect(svg).toContain('No weeks of the award have begun yet.');
    expect(svg).toContain('T &amp; co');
    expect(svg).not.toContain('stepwise-chart__bar');
  });
});
