import { describe, expect, it } from 'vitest';
import {
  ITEMS,
  bandOf,
  compareReviews,
  itemsOf,
  scoreCaseload,
  scoreCommunity,
  scoreCompetitive,
  scoreEmployerContact,
  scoreEmployers,
  scoreFollowAlong,
  scoreJobTypes,
  scoreRapidSearch,
  summarise,
} from './rules.ts';

const all = (score: number, n = 25) => Array.from({ length: n }, () => score);
/** 25 scores adding up to `total` (between 25 and 125). */
function scoresTotalling(total: number): number[] {
  const scores = all(1);
  let left = total - 25;
  for (let i = 0; i < 25 && left > 0; i++) {
    const add = Math.min(4, left);
    scores[i] = 1 + add;
    left -= add;
  }
  return scores;
}

describe('the IPS-25 items', () => {
  it('has 25 items in three sections: staffing 1-3, organisation 4-11, services 12-25', () => {
    expect(ITEMS.map((i) => i.item)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(itemsOf('staffing').map((i) => i.item)).toEqual([1, 2, 3]);
    expect(itemsOf('organisation').map((i) => i.item)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    expect(itemsOf('services').map((i) => i.item)).toEqual(Array.from({ length: 14 }, (_, i) => i + 12));
  });

  it('describes every score of every item', () => {
    for (const i of ITEMS) for (const s of [1, 2, 3, 4, 5] as const) expect(i.anchors[s].length).toBeGreaterThan(0);
  });
});

describe('bands', () => {
  it.each([
    [25, 'not_ips'],
    [73, 'not_ips'],
    [74, 'fair'],
    [99, 'fair'],
    [100, 'good'],
    [114, 'good'],
    [115, 'exemplary'],
    [125, 'exemplary'],
  ] as const)('puts a total of %i in %s', (total, band) => {
    expect(bandOf(total)).toBe(band);
    expect(summarise(scoresTotalling(total))).toMatchObject({ scored: 25, total, band });
  });

  it('gives no total or band until all 25 are scored, and says how many are', () => {
    const scores: (number | null)[] = [...all(5, 24), null];
    expect(summarise(scores)).toEqual({ scored: 24, total: null, band: null, text: '24 of 25 scored' });
    expect(summarise(all(4)).text).toBe('Total 100 of 125');
  });
});

describe('comparing reviews over time', () => {
  const review = (id: string, scores: Record<number, number | null>) => ({
    id,
    reviewDate: '2026-01-01',
    scores: new Map(Object.entries(scores).map(([k, v]) => [Number(k), v])),
  });

  it('shows each item going up, down or staying the same from the previous review to the latest', () => {
    const rows = compareReviews([review('a', { 1: 2, 2: 4, 3: 3, 4: 1 }), review('b', { 1: 4, 2: 3, 3: 3, 4: null })]);
    expect(rows).toHaveLength(25);
    expect(rows[0]).toMatchObject({ item: 1, scores: [2, 4], change: { from: 2, to: 4, delta: 2, direction: 'up' } });
    expect(rows[1]!.change).toMatchObject({ delta: -1, direction: 'down' });
    expect(rows[2]!.change).toMatchObject({ delta: 0, direction: 'same' });
    expect(rows[3]!.change).toBeNull();
    expect(rows[10]!.scores).toEqual([null, null]);
  });

  it('compares only the last two of several reviews, and shows no change with one review', () => {
    const rows = compareReviews([review('a', { 1: 1 }), review('b', { 1: 5 }), review('c', { 1: 3 })]);
    expect(rows[0]).toMatchObject({ scores: [1, 5, 3], change: { direction: 'down', delta: -2 } });
    expect(compareReviews([review('a', { 1: 1 })])[0]!.change).toBeNull();
  });
});

describe('scores proposed from figures, at each anchor edge', () => {
  it('caseload size: 5 up to 20, 4 up to 25, 3 up to 30, 2 up to 40, 1 above', () => {
    expect([0, 20, 20.1, 25, 25.1, 30, 30.1, 40, 40.1, 41].map(scoreCaseload)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  });

  it('rapid job search: 5 within 30 days, 4 by 60, 3 by 90, 2 by 120, 1 after', () => {
    expect([0, 30, 30.1, 60, 60.1, 90, 90.1, 120, 120.1].map(scoreRapidSearch)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1]);
  });

  it('employer contacts: 5 at 6 a week, 4 at 5, 3 at 4, 2 at 3, 1 below', () => {
    expect([10, 6, 5.9, 5, 4.9, 4, 3.9, 3, 2.9, 2, 0].map(scoreEmployerContact)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 1]);
  });

  it('diversity of job types and of employers: 5 at 90%, 4 at 80%, 3 at 70%, 2 at 60%, 1 below', () => {
    const edges = [100, 90, 89.9, 80, 79.9, 70, 69.9, 60, 59.9, 0];
    const expected = [5, 5, 4, 4, 3, 3, 2, 2, 1, 1];
    expect(edges.map(scoreJobTypes)).toEqual(expected);
    expect(edges.map(scoreEmployers)).toEqual(expected);
  });

  it('competitive jobs: 5 at 95%, 4 at 85%, 3 at 75%, 2 at 65%, 1 below', () => {
    expect([100, 95, 94.9, 85, 84.9, 75, 74.9, 65, 64.9].map(scoreCompetitive)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1]);
  });

  it('time-unlimited support: 5 at 90%, 4 at 75%, 3 at 50%, 2 at 25%, 1 below', () => {
    expect([90, 89.9, 75, 74.9, 50, 49.9, 25, 24.9].map(scoreFollowAlong)).toEqual([5, 4, 4, 3, 3, 2, 2, 1]);
  });

  it('community-based services: 5 at 65%, 4 at 50%, 3 at 35%, 2 at 20%, 1 below', () => {
    expect([65, 64.9, 50, 49.9, 35, 34.9, 20, 19.9].map(scoreCommunity)).toEqual([5, 4, 4, 3, 3, 2, 2, 1]);
  });
});
