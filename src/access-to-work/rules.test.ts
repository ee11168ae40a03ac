import { describe, expect, it } from 'vitest';
import {
  type AwardTerms,
  type Commitment,
  amountPence,
  awardProblems,
  awardedMinutes,
  capacityForecast,
  claimSums,
  defaultAward,
  defaultClaimPeriod,
  deliveryFigures,
  minutesAsHours,
  minutesByDay,
  poundsText,
  renewalAlertFrom,
  renewalDue,
  unclaimedMonths,
  weeklyDelivered,
  weeklyMinutes,
} from './rules.ts';

const jobCoach = (over: Partial<AwardTerms> = {}): AwardTerms => ({
  supportKind: 'job_coach',
  startDate: '2026-10-15',
  endDate: '2027-10-14',
  hoursPerWeek: 7,
  hoursTotal: null,
  hourlyRatePence: 1271,
  totalAmountPence: null,
  employerContributionPence: null,
  ...over,
});

const contact = (id: string, startedAt: string, durationMinutes: number) => ({ id, startedAt, durationMinutes });

describe('money in whole pence', () => {
  it('rounds each amount half a penny up with integer arithmetic', () => {
    expect(amountPence(60, 1271)).toBe(1271);
    // 20 minutes at £12.71 is 423.67p.
    expect(amountPence(20, 1271)).toBe(424);
    // 90 minutes at £12.71 is exactly 1906.5p: half up.
    expect(amountPence(90, 1271)).toBe(1907);
    expect(amountPence(0, 1271)).toBe(0);
  });

  it('adds a claim up from its lines, so the total equals the sum of what is printed', () => {
    const sums = claimSums(
      [
        contact('a', '2026-11-03T10:00:00Z', 20),
        contact('b', '2026-11-03T14:00:00Z', 20),
        contact('c', '2026-11-04T09:00:00Z', 20),
        contact('d', '2026-11-05T09:00:00Z', 90),
      ],
      1271,
    );
    expect(sums.lines).toEqual([
      { day: '2026-11-03', minutes: 40, amountPence: 847, contacts: 2 },
      { day: '2026-11-04', minutes: 20, amountPence: 424, contacts: 1 },
      { day: '2026-11-05', minutes: 90, amountPence: 1907, contacts: 1 },
    ]);
    expect(sums.totalMinutes).toBe(150);
    expect(sums.totalPence).toBe(847 + 424 + 1907);
    // A thousand small sessions never drift: pence are integers throughout.
    const many = claimSums(
      Array.from({ length: 1000 }, (_, i) => contact(String(i), `2026-11-${String((i % 28) + 1).padStart(2, '0')}T09:00:00Z`, 5)),
      1271,
    );
    expect(Number.isInteger(many.totalPence)).toBe(true);
    expect(many.totalPence).toBe(many.lines.reduce((s, l) => s + l.amountPence, 0));
  });

  it('writes pence as pounds and minutes as hours without floating-point noise', () => {
    expect(poundsText(171_59)).toBe('£171.59');
    expect(poundsText(123_456_07)).toBe('£123,456.07');
    expect(poundsText(5)).toBe('£0.05');
    expect(minutesAsHours(90)).toBe('1.50');
    expect(minutesAsHours(20)).toBe('0.33');
    expect(minutesAsHours(-75)).toBe('-1.25');
  });
});

describe('hours of support by day', () => {
  it('splits a contact that runs past midnight between the two days', () => {
    // 31 October 2026 is after the clocks go back: London is on GMT.
    expect([...minutesByDay([contact('a', '2026-10-31T23:00:00Z', 120)])]).toEqual([
      ['2026-10-31', 60],
      ['2026-11-01', 60],
    ]);
    // In summer London midnight is 23:00 UTC.
    expect([...minutesByDay([contact('b', '2026-07-14T22:30:00Z', 60)])]).toEqual([
      ['2026-07-14', 30],
      ['2026-07-15', 30],
    ]);
  });

  it('prices each day of a midnight-spanning contact in its own line', () => {
    const sums = claimSums([contact('a', '2026-10-31T23:00:00Z', 120)], 1500);
    expect(sums.lines.map((l) => [l.day, l.minutes, l.amountPence])).toEqual([
      ['2026-10-31', 60, 1500],
      ['2026-11-01', 60, 1500],
    ]);
    expect(sums.totalPence).toBe(3000);
  });
});

describe('award terms', () => {
  it('accepts an award of exactly three years and refuses a day more', () => {
    expect(awardProblems(jobCoach({ startDate: '2026-01-01', endDate: '2028-12-31' }))).toEqual({});
    expect(awardProblems(jobCoach({ startDate: '2026-01-01', endDate: '2029-01-01' })).end_date).toMatch(/at most 3 years/);
  });

  it('says what is wrong with dates, hours and rates', () => {
    expect(awardProblems(jobCoach({ endDate: '2026-10-15' })).end_date).toBe('End date must be after the start date');
    expect(awardProblems(jobCoach({ hoursPerWeek: 0 })).hours_per_week).toBe('Hours a week must be more than 0');
    expect(awardProblems(jobCoach({ hoursPerWeek: 5, hoursTotal: 100 })).hours_per_week).toMatch(/not both/);
    expect(awardProblems(jobCoach({ hourlyRatePence: -100 })).hourly_rate).toBe('Hourly rate must be more than £0');
    expect(awardProblems(jobCoach({ hourlyRatePence: null })).hourly_rate).toMatch(/hourly rate/);
    expect(awardProblems(jobCoach({ hoursPerWeek: null })).hours_per_week).toMatch(/hours awarded/);
    // Equipment is a sum of money, not hours.
    expect(
      awardProblems(jobCoach({ supportKind: 'equipment', hoursPerWeek: null, hourlyRatePence: null, totalAmountPence: null }))
        .total_amount,
    ).toMatch(/total amount/);
  });
});

describe('hours awarded, delivered and left', () => {
  it('gives an award that starts mid-month only its own days of that month', () => {
    const a = jobCoach();
    // 15 to 31 October: 17 days of 7 hours a week = 17 hours.
    expect(awardedMinutes(a, '2026-10-01', '2026-10-31')).toBe(17 * 60);
    expect(awardedMinutes(a, '2026-09-01', '2026-09-30')).toBe(0);
    // A whole award of hours in total spreads evenly over its days.
    const total = jobCoach({ startDate: '2026-01-01', endDate: '2026-12-31', hoursPerWeek: null, hoursTotal: 365 });
    expect(awardedMinutes(total, '2026-01-01', '2026-01-31')).toBe(31 * 60);
    expect(weeklyMinutes(total)).toBe(7 * 60);
  });

  it('shows per month whether support was under or over the award, and what is left', () => {
    const a = jobCoach();
    const delivered = minutesByDay([
      contact('a', '2026-10-20T09:00:00Z', 600), // October: 10 h of 17 h
      contact('b', '2026-11-02T09:00:00Z', 720),
      contact('c', '2026-11-09T09:00:00Z', 720),
      contact('d', '2026-11-16T09:00:00Z', 720), // November so far: 36 h
    ]);
    const f = deliveryFigures(a, delivered, '2026-11-25');
    expect(f.periods[0]).toMatchObject({ start: '2026-10-15', end: '2026-10-31', awardedMinutes: 1020, deliveredMinutes: 600 });
    expect(f.periods[0]!.state).toBe('under');
    expect(f.periods[0]!.differenceMinutes).toBe(-420);
    expect(f.periods[1]).toMatchObject({ start: '2026-11-01', end: '2026-11-30', deliveredMinutes: 2160, state: 'in_progress' });
    expect(f.periods[2]!.state).toBe('not_started');
    expect(f.periods.at(-1)).toMatchObject({ start: '2027-10-01', end: '2027-10-14' });
    // 365 days of 7 hours a week: 365 hours.
    expect(f.awardedMinutes).toBe(365 * 60);
    expect(f.deliveredMinutes).toBe(2760);
    expect(f.leftMinutes).toBe(365 * 60 - 2760);
  });

  it('draws the weeks from the award start to this week, support in the right week', () => {
    const weeks = weeklyDelivered(
      jobCoach(),
      minutesByDay([contact('a', '2026-10-15T09:00:00Z', 120), contact('b', '2026-11-24T09:00:00Z', 60)]),
      '2026-11-25',
    );
    expect(weeks[0]).toEqual({ weekStart: '2026-10-12', minutes: 120 });
    expect(weeks.at(-1)).toEqual({ weekStart: '2026-11-23', minutes: 60 });
    expect(weeks).toHaveLength(7);
  });
});

describe('renewal at a new rate', () => {
  const old = { id: 'old', ...jobCoach({ startDate: '2025-11-01', endDate: '2026-10-31', hourlyRatePence: 1500 }) };
  const renewal = { id: 'new', ...jobCoach({ startDate: '2026-11-01', endDate: '2027-10-31', hourlyRatePence: 1600 }) };

  it('charges support to the award running on its day, each at its own rate', () => {
    expect(defaultAward([old, renewal], '2026-10-30')?.id).toBe('old');
    expect(defaultAward([old, renewal], '2026-11-02')?.id).toBe('new');
    expect(claimSums([contact('a', '2026-10-30T10:00:00Z', 60)], old.hourlyRatePence!).totalPence).toBe(1500);
    expect(claimSums([contact('b', '2026-11-02T10:00:00Z', 90)], renewal.hourlyRatePence!).totalPence).toBe(2400);
  });

  it('does not guess when two job-coach awards overlap, nor charge to other kinds', () => {
    const overlap = { ...renewal, id: 'overlap', startDate: '2026-10-01' };
    expect(defaultAward([old, overlap], '2026-10-15')).toBeNull();
    expect(defaultAward([{ ...old, supportKind: 'support_worker' as const }], '2026-10-15')).toBeNull();
  });
});

describe('renewal alert', () => {
  it('appears exactly 84 days (12 weeks) before the end date and not before', () => {
    expect(renewalAlertFrom('2027-03-31', 12)).toBe('2027-01-06');
    const facts = { endDate: '2027-03-31', renewed: false, notRenewing: false };
    expect(renewalDue(facts, '2027-01-05', 12)).toBe(false);
    expect(renewalDue(facts, '2027-01-06', 12)).toBe(true);
    expect(renewalDue(facts, '2027-03-31', 12)).toBe(true);
  });

  it('stops once the award is renewed or marked as not renewing', () => {
    expect(renewalDue({ endDate: '2027-03-31', renewed: true, notRenewing: false }, '2027-02-01', 12)).toBe(false);
    expect(renewalDue({ endDate: '2027-03-31', renewed: false, notRenewing: true }, '2027-02-01', 12)).toBe(false);
  });
});

describe('claims due', () => {
  it('offers the last whole calendar month first', () => {
    expect(defaultClaimPeriod('2026-11-25')).toEqual({ start: '2026-10-01', end: '2026-10-31' });
    expect(defaultClaimPeriod('2027-01-03')).toEqual({ start: '2026-12-01', end: '2026-12-31' });
  });

  it('lists ended months with unclaimed support, flagging those past the claim limit', () => {
    const unclaimed = minutesByDay([
      contact('a', '2026-02-10T10:00:00Z', 60),
      contact('b', '2026-10-05T10:00:00Z', 30),
      contact('c', '2026-11-03T10:00:00Z', 45),
    ]);
    const months = unclaimedMonths(unclaimed, '2026-11-25', 9);
    expect(months.map((m) => [m.start, m.minutes, m.pastLimit])).toEqual([
      ['2026-02-01', 60, true],
      ['2026-10-01', 30, false],
    ]);
  });
});

describe('coach capacity forecast (hand-checked)', () => {
  // Two coaches: 37.5 + 18.75 = 56.25 hours a week. Today is Wednesday 25 November 2026.
  const coaches = [
    { id: 'amira', name: 'Amira', contractedHoursPerWeek: 37.5, deliveredMinutes12Weeks: 0 },
    { id: 'ben', name: 'Ben', contractedHoursPerWeek: 18.75, deliveredMinutes12Weeks: 0 },
  ];
  const base: Commitment[] = [
    // 10 h a week, ending Friday 15 January 2027 (in the week of 11 January).
    { coachId: 'amira', kind: 'award', from: '2026-01-16', to: '2027-01-15', minutesPerWeek: 600 },
    { coachId: 'ben', kind: 'award', from: '2026-06-01', to: '2027-12-31', minutesPerWeek: 1800 },
    { coachId: 'amira', kind: 'plan', from: null, to: null, minutesPerWeek: 300 },
  ];

  it('says plainly when demand will exceed capacity, from when, and by how much of a coach', () => {
    // A pending application for 35 hours a week from Monday 1 February 2027.
    const pipeline: Commitment = { coachId: 'amira', kind: 'pipeline', from: '2027-02-01', to: null, minutesPerWeek: 2100 };
    const f = capacityForecast(coaches, [...base, pipeline], '2026-11-25');
    expect(f.capacityMinutes).toBe(3375);
    expect(f.weeks).toHaveLength(26);
    expect(f.weeks[0]).toEqual({ weekStart: '2026-11-23', demandMinutes: 2700, capacityMinutes: 3375, excessMinutes: -675 });
    // The 10-hour award still counts in the week it ends, not the week after.
    expect(f.weeks.find((w) => w.weekStart === '2027-01-11')!.demandMinutes).toBe(2700);
    expect(f.weeks.find((w) => w.weekStart === '2027-01-18')!.demandMinutes).toBe(2100);
    // 30 + 5 + 35 = 70 hours against 56.25: 13.75 hours short.
    expect(f.weeks.find((w) => w.weekStart === '2027-02-01')!.excessMinutes).toBe(825);
    expect(f.shortfallFrom).toBe('2027-02-01');
    expect(f.peakExcessMinutes).toBe(825);
    expect(f.statement).toBe(
      "Demand exceeds the team's capacity by 13.8 h/week from the week of 1 February 2027: about 0.4 of a full-time coach (37.5 hours a week).",
    );
    // Committed now: pipeline does not count until it starts.
    expect(f.coaches.map((c) => [c.id, c.committedMinutes])).toEqual([
      ['amira', 900],
      ['ben', 1800],
    ]);
  });

  it('says how much is spare when capacity covers the next 26 weeks', () => {
    const f = capacityForecast(coaches, base, '2026-11-25');
    expect(f.shortfallFrom).toBeNull();
    expect(f.tightestSpareMinutes).toBe(675);
    expect(f.statement).toBe(
      "The team's contracted hours cover the demand for the next 26 weeks, with at least 11.3 h/week to spare.",
    );
  });

  it('counts a shortfall that already exists as now, and coaches without recorded hours as none', () => {
    const f = capacityForecast([{ ...coaches[0]!, contractedHoursPerWeek: null }], base, '2026-11-25');
    expect(f.capacityMinutes).toBe(0);
    expect(f.statement).toMatch(/^Demand exceeds the team's capacity by 45 h\/week now: about 1\.2 of a full-time coach/);
    expect(f.unassignedMinutes).toBe(1800);
  });
});
