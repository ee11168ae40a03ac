import { describe, expect, it } from 'vitest';
import { type PersonFact, outcomeFigures } from './outcomes.ts';
import { type OutcomeReport, type ShownCount, type ShownRate, present } from './service.ts';
import { hiddenCells, isSmall, rateHidden } from './suppression.ts';
import { jobFact, personFact } from './test-facts.ts';

describe('the small-number rule', () => {
  it('hides counts from 1 to threshold − 1, never 0 or the threshold itself', () => {
    expect([0, 1, 4, 5].map((n) => isSmall(n, 5))).toEqual([false, true, true, false]);
  });

  it('hides the next smallest cell when only one cell of a row that adds up is hidden', () => {
    // Teams with 3, 12 and 7 job starts; total 22 shown: 3 could be worked out as 22 − 12 − 7.
    expect(hiddenCells([3, 12, 7], 5)).toEqual([true, false, true]);
  });

  it('needs no second cell when two are hidden already, or when the total is hidden too', () => {
    expect(hiddenCells([3, 2, 9], 5)).toEqual([true, true, false]);
    expect(hiddenCells([3, 0], 5, false)).toEqual([true, false]);
  });

  it('cannot pick a zero cell as the partner (a zero reveals nothing)', () => {
    expect(hiddenCells([3, 0, 0], 5)).toEqual([true, false, false]);
  });

  it('hides a rate when either count is hidden or the people left out are few', () => {
    expect(rateHidden(9, 10, 5, false, false)).toBe(true); // 1 person did not start a job
    expect(rateHidden(5, 20, 5, false, false)).toBe(false);
    expect(rateHidden(0, 3, 5, false, true)).toBe(true);
    expect(rateHidden(0, 0, 5, false, false)).toBe(false);
  });
});

/** Someone on a caseload since 1 June 2026 who started a 16-hour job on 3 August. */
const jobPerson = (id: string, teamId: string): PersonFact =>
  personFact({
    id,
    teamId,
    practitionerId: null,
    referrals: [{ acceptedDate: '2026-06-01', firstContactDate: null, closedDate: null, inWorkAtReferral: false }],
    jobs: [jobFact({ participantId: id, employerId: 'e', title: 'Porter', contractType: null })],
  });

function report(canSeePeople: boolean): OutcomeReport {
  const period = { from: '2026-07-01', to: '2026-09-30' };
  const asOf = '2026-11-25';
  const a = ['a1', 'a2', 'a3'].map((id) => jobPerson(id, 'A'));
  const b = Array.from({ length: 12 }, (_, i) => jobPerson(`b${i}`, 'B'));
  const c = Array.from({ length: 7 }, (_, i) => jobPerson(`c${i}`, 'C'));
  const group = (key: string, people: PersonFact[]) => ({ key, label: key, figures: outcomeFigures(people, period, asOf) });
  return {
    period,
    asOf,
    split: 'team',
    total: group('all', [...a, ...b, ...c]),
    groups: [group('A', a), group('B', b), group('C', c)],
    canSeePeople,
    threshold: 5,
    scope: 'The whole service',
  };
}

describe('presenting a report', () => {
  it('shows a commissioner "<5" for a team with 3 job starts, and hides the complementary team', () => {
    const shown = present(report(false));
    const starts = (i: number) => (shown.groups[i]!.figures.job_starts as ShownCount).value;
    expect(starts(0)).toBe('<5');
    expect(starts(1)).toBe(12);
    expect(starts(2)).toBe('<5');
    expect((shown.total.figures.job_starts as ShownCount).value).toBe(22);
    expect((shown.total.figures.job_starts as ShownCount).people).toBeNull();
    // Team A: 3 of 3 out of work started a job; the rate would give the count away.
    expect((shown.groups[0]!.figures.job_starts as ShownCount).hidden).toBe('small');
    expect((shown.groups[2]!.figures.job_starts as ShownCount).hidden).toBe('could_be_worked_out');
    const rateA = shown.groups[0]!.figures.employment_rate as ShownRate;
    expect(rateA.percent).toBeNull();
    expect(rateA.hidden).toBe(true);
  });

  it('hides the numerator of a rate that leaves out fewer people than the threshold', () => {
    // Team B: 12 of 12 out of work started a job; showing 12 and 12 says nobody was left out, which is fine,
    // but 11 of 12 would single out one person: that numerator must not be shown beside its denominator.
    const r = report(false);
    const b = r.groups[1]!.figures.employment_rate;
    b.numerator = { value: 11, people: b.numerator.people.slice(1) };
    const rateB = present(r).groups[1]!.figures.employment_rate as ShownRate;
    expect(rateB.numerator.value).toBe('<5');
    expect(rateB.numerator.hidden).toBe('could_be_worked_out');
    expect(rateB.percent).toBeNull();
  });

  it('shows practitioners and managers every figure and the people behind it', () => {
    const shown = present(report(true));
    const a = shown.groups[0]!.figures.job_starts as ShownCount;
    expect(a.value).toBe(3);
    expect(a.people).toEqual(['a1', 'a2', 'a3']);
    expect((shown.groups[0]!.figures.employment_rate as ShownRate).percent).toBe(100);
  });
});
