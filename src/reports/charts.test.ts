import { describe, expect, it } from 'vitest';
import { CHART_FONT_SIZE, CHART_WIDTH, type Chart, countTicks, outcomeCharts, quarterTick } from './charts.ts';
import { addDays } from '../placements/rules.ts';
import type { JobFact, PersonFact } from './outcomes.ts';
import { type Trends, trendsFrom } from './trends.ts';

// The charts are worked out from facts made here, with the day fixed at 25 November 2026, for
// 2026/27 Q2 (July to September 2026) and the seven quarters before it.

const Q2 = { from: '2026-07-01', to: '2026-09-30' };
const AS_OF = '2026-11-25';
let n = 0;

function job(participantId: string, startDate: string, endDate: string | null = null): JobFact {
  return {
    id: `job-${n++}`,
    participantId,
    employerId: 'employer',
    employerType: 'external',
    siteId: null,
    practitionerId: 'pat',
    title: 'Porter',
    startDate,
    endDate,
    endReason: endDate ? 'resigned' : null,
    hoursPerWeek: 20,
    hourlyPayPence: 1300,
    openToAnyone: true,
    setAsideForDisabled: false,
    contractType: null,
  };
}

/** A person referred (out of work) on `accepted`, with a face-to-face employer contact `contactAfter` days later and jobs starting on `jobs`. */
function person(accepted: string, options: { contactOn?: string; jobs?: [string, string?][] } = {}): PersonFact {
  const id = `person-${n++}`;
  return {
    id,
    teamId: 'team',
    practitionerId: 'pat',
    programme: 'ips',
    dateOfBirth: '1990-01-01',
    profileStartedOn: accepted,
    referrals: [{ acceptedDate: accepted, firstContactDate: accepted, closedDate: null, inWorkAtReferral: false }],
    employerFaceToFaceDays: options.contactOn ? [options.contactOn] : [],
    jobs: (options.jobs ?? []).map(([start, end]) => job(id, start, end ?? null)),
    redeployedOn: [],
    internships: [],
  };
}

/** Twelve people referred in Q2, eight into work, and people reaching 13, 26 and 52 weeks in a job during it. */
function busyService(): PersonFact[] {
  const people: PersonFact[] = [];
  for (let i = 0; i < 12; i++) {
    const accepted = `2026-07-${String(1 + i).padStart(2, '0')}`;
    people.push(
      person(accepted, {
        contactOn: i < 9 ? addDays(accepted, i * 4) : undefined,
        jobs: i < 8 ? [[`2026-08-${String(1 + i).padStart(2, '0')}`]] : [],
      }),
    );
  }
  // Six each reaching 13 weeks (five still in work), 26 weeks and 52 weeks in the quarter.
  for (let i = 0; i < 6; i++) people.push(person('2026-03-02', { jobs: [['2026-04-01', i === 0 ? '2026-05-01' : undefined]] }));
  for (let i = 0; i < 6; i++) people.push(person('2025-12-01', { jobs: [['2026-01-15']] }));
  for (let i = 0; i < 6; i++) people.push(person('2025-07-01', { jobs: [['2025-08-01', i < 3 ? '2026-01-01' : undefined]] }));
  // Earlier quarters: a few referrals each quarter.
  for (const day of ['2025-01-15', '2025-04-15', '2025-10-15', '2026-01-20', '2026-04-20']) people.push(person(day));
  return people;
}

const trendsOf = (people: PersonFact[], canSeePeople: boolean): Trends =>
  trendsFrom(people, Q2, { asOf: AS_OF, canSeePeople, threshold: 5, scope: canSeePeople ? 'Your team' : 'The whole service' });

/** The titles of the drawn marks in a chart's SVG (not the chart's own title). */
function markTitles(svg: string): string[] {
  return [...svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]!.replace(/&lt;/g, '<').replace(/&amp;/g, '&'));
}

/** Every cell of a chart's table as the title a drawn mark of it would carry. */
function cellTitles(chart: Chart): string[] {
  return chart.table.rows.flatMap((r) => r.cells.map((c, i) => `${r.label}, ${chart.table.head[i + 1]}: ${c.text}`));
}

describe('outcome charts', () => {
  const practitionerCharts = outcomeCharts(trendsOf(busyService(), true), '2026/27 Q2');

  it('draws four charts as SVG with no style element or style attribute, each an image with a title and a description', () => {
    expect(practitionerCharts.map((c) => c.id)).toEqual([
      'trend-chart',
      'employment-rate-chart',
      'employer-contact-chart',
      'in-work-chart',
    ]);
    for (const c of practitionerCharts) {
      expect(c.svg, c.id).not.toBeNull();
      const svg = c.svg!;
      expect(svg).not.toMatch(/<style/i);
      expect(svg).not.toMatch(/\sstyle=/i);
      const open = svg.slice(0, svg.indexOf('>') + 1);
      expect(open).toMatch(/^<svg /);
      expect(open).toContain(' role="img"');
      expect(open).toContain(` aria-labelledby="${c.id}-title"`);
      expect(open).toContain(` aria-describedby="${c.id}-desc"`);
      // Plot's names for its groups are taken out: inside an image they would only be noise.
      expect(svg.slice(open.length)).not.toContain('aria-label');
      expect(svg).toContain(`<title id="${c.id}-title">`);
      expect(svg).toMatch(new RegExp(`<desc id="${c.id}-desc">[^<]{20,}</desc>`));
    }
  });

  it('writes text no smaller than 12 px on a 360 px screen', () => {
    for (const c of practitionerCharts) {
      const svg = c.svg!;
      expect(svg).toMatch(new RegExp(`^<svg[^>]* viewBox="0 0 ${CHART_WIDTH} \\d+"`));
      expect(svg).toMatch(new RegExp(`^<svg[^>]* font-size="${CHART_FONT_SIZE}"`));
      // Nothing inside sets a smaller size of its own.
      expect(svg.slice(svg.indexOf('>'))).not.toMatch(/font-size=/);
    }
    // A 360 px phone leaves a 328 px column for the chart.
    expect((CHART_FONT_SIZE * 328) / CHART_WIDTH).toBeGreaterThanOrEqual(12);
  });

  it('draws exactly the figures in the table beside each chart', () => {
    for (const c of practitionerCharts) {
      const drawn = markTitles(c.svg!);
      const cells = cellTitles(c);
      const drawnCells = c.table.rows.flatMap((r) => r.cells.filter((x) => x.value !== null));
      expect(drawn.length, c.id).toBe(drawnCells.length);
      for (const title of drawn) expect(cells, c.id).toContain(title);
    }
  });

  it('gives the trend by quarter with the quarter the period ends in last', () => {
    const trend = practitionerCharts[0]!;
    expect(trend.table.rows.map((r) => r.label)).toEqual([
      '2024/25 Q3',
      '2024/25 Q4',
      '2025/26 Q1',
      '2025/26 Q2',
      '2025/26 Q3',
      '2025/26 Q4',
      '2026/27 Q1',
      '2026/27 Q2',
    ]);
    const q2 = trend.table.rows[7]!.cells.map((c) => c.text);
    // Referrals accepted, people into work, job starts.
    expect(q2).toEqual(['12', '8', '8']);
    expect(markTitles(trend.svg!)).toContain('2026/27 Q2, Referrals accepted: 12');
  });

  it('draws the employment rate against the 40% benchmark line', () => {
    const rate = practitionerCharts[1]!;
    const q2 = rate.table.rows[7]!;
    // Out of work on the caseload in Q2: the 12 referred in it, and 23 with referrals still open from before.
    expect(q2.cells.map((c) => c.text)).toEqual(['8', '35', '22.9%']);
    expect(rate.svg).toContain('Benchmark 40%');
    expect(rate.svg).toContain('stroke-dasharray="6 4"');
  });

  it('counts days to the first face-to-face employer contact in the selected period, with those still waiting', () => {
    const days = practitionerCharts[2]!;
    // Contact 0, 4, 8, ... 32 days after the referral for the first nine; none yet for the other three.
    expect(days.table.rows.map((r) => [r.label, r.cells[0]!.text])).toEqual([
      ['0 to 7 days', '2'],
      ['8 to 14 days', '2'],
      ['15 to 30 days', '4'],
      ['31 to 60 days', '1'],
      ['61 to 90 days', '0'],
      ['Over 90 days', '0'],
      ['No employer contact yet', '3'],
    ]);
    expect(days.intro).toContain('The median is 16 days.');
  });

  it('draws the in-work curve from 100% at the start through 13, 26 and 52 weeks', () => {
    const curve = practitionerCharts[3]!;
    expect(curve.table.rows.map((r) => [r.label, ...r.cells.map((c) => c.text)])).toEqual([
      ['At the start', 'Everyone', 'Everyone', '100%'],
      ['13 weeks', '6', '5', '83.3%'],
      // The 13-week group (April starts) reaches 26 weeks on 30 September too.
      ['26 weeks', '12', '11', '91.7%'],
      ['52 weeks', '6', '3', '50%'],
    ]);
    expect(markTitles(curve.svg!)).toEqual([
      'At the start, Share still in work: 100%',
      '13 weeks, Share still in work: 83.3%',
      '26 weeks, Share still in work: 91.7%',
      '52 weeks, Share still in work: 50%',
    ]);
  });

  it('does not draw a figure hidden by the small-number rule, and says so in the table', () => {
    const charts = outcomeCharts(trendsOf(busyService(), false), '2026/27 Q2');
    const trend = charts[0]!;
    // One referral in each earlier quarter: hidden from a commissioner.
    const q1 = trend.table.rows.find((r) => r.label === '2026/27 Q1')!;
    expect(q1.cells[0]).toEqual({ text: '<5 (hidden: small numbers)', value: null });
    expect(markTitles(trend.svg!).some((x) => x.startsWith('2026/27 Q1, Referrals accepted'))).toBe(false);
    expect(markTitles(trend.svg!)).toContain('2026/27 Q2, Referrals accepted: 12');
    // 52 weeks: 3 of 6 still in work, so the 3 who left are few enough to hide the rate; so are the others.
    const curve = charts[3]!;
    expect(curve.table.rows[3]!.cells.map((c) => c.text)).toEqual(['6', '<5 (hidden: small numbers)', 'Hidden: small numbers']);
    expect(curve.svg).toBeNull();
    expect(curve.empty).toContain('too small to show');
    for (const c of charts) {
      if (!c.svg) continue;
      expect(
        markTitles(c.svg).some((x) => /hidden|</i.test(x)),
        c.id,
      ).toBe(false);
    }
  });

  it('shows an empty state and no SVG when there is nothing to draw', () => {
    const charts = outcomeCharts(trendsOf([], true), '2026/27 Q2');
    for (const c of charts) {
      expect(c.svg, c.id).toBeNull();
      expect(c.empty, c.id).toMatch(/^No /);
    }
  });

  it('says a chart’s figures are all too small to show rather than that there are none', () => {
    const few = [person('2026-07-01', { contactOn: '2026-07-03' }), person('2026-07-02', { contactOn: '2026-07-20' })];
    const days = outcomeCharts(trendsOf(few, false), '2026/27 Q2')[2]!;
    expect(days.svg).toBeNull();
    expect(days.empty).toContain('too small to show');
  });
});

describe('chart axes', () => {
  it('labels quarters with the financial year under the first and under each Q1', () => {
    const trends = trendsOf([], true);
    const tick = quarterTick(trends.quarters);
    expect(trends.quarters.map((q) => tick(q.quarter.label))).toEqual([
      'Q3\n2024/25',
      'Q4',
      'Q1\n2025/26',
      'Q2',
      'Q3',
      'Q4',
      'Q1\n2026/27',
      'Q2',
    ]);
  });

  it('leaves the year off a first Q4 so it does not run into the Q1 beside it', () => {
    const trends = trendsFrom(
      [],
      { from: '2026-10-01', to: '2026-12-31' },
      { asOf: AS_OF, canSeePeople: true, threshold: 5, scope: 'x' },
    );
    const tick = quarterTick(trends.quarters);
    expect(trends.quarters.map((q) => tick(q.quarter.label)).slice(0, 2)).toEqual(['Q4', 'Q1\n2025/26']);
    expect(trends.quarters[7]!.partial).toBe(true);
  });

  it('counts in whole numbers', () => {
    expect(countTicks(0)).toEqual([0, 1]);
    expect(countTicks(4)).toEqual([0, 1, 2, 3, 4]);
    expect(countTicks(17)).toEqual([0, 5, 10, 15, 20]);
  });
});
