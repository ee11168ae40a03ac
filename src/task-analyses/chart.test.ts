import { describe, expect, it } from 'vitest';
import { independenceChart } from './chart.ts';

const points = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    sessionDate: `2027-01-${String(i + 1).padStart(2, '0')}`,
    percentIndependent: (i * 7) % 101,
  }));

describe('independenceChart', () => {
  it('keeps one point per session but thins the labels so 30 sessions stay readable on a phone', () => {
    const svg = independenceChart(points(30), { id: 'c', taskTitle: 'Till' });
    expect(svg.match(/class="stepwise-chart__point/g)).toHaveLength(30);
    expect(svg.match(/class="stepwise-chart__value"/g)?.length).toBeLessThanOrEqual(13);
    // The axis labels: 0%, 50%, 100%, "Session" and at most 11 session numbers.
    expect(svg.match(/class="stepwise-chart__label"/g)?.length).toBeLessThanOrEqual(4 + 11);
  });

  it('escapes the task title and describes an empty chart in words', () => {
    const svg = independenceChart([], { id: 'c', taskTitle: 'Tea & <biscuits>' });
    expect(svg).toContain('<title id="c-title">Steps done independently in each session: Tea &amp; &lt;biscuits&gt;</title>');
    expect(svg).toContain('<desc id="c-desc">No sessions recorded yet.</desc>');
    expect(svg).not.toMatch(/style=/);
  });
});
