import { describe, expect, it } from 'vitest';
import type { PersonFact } from '../reports/outcomes.ts';
import { jobFact, personFact } from '../reports/test-facts.ts';
import {
  type ContactFact,
  fullTimeEquivalent,
  monthsOf,
  proposeCaseload,
  proposeCommunity,
  proposeCompetitive,
  proposeDiversity,
  proposeEmployerContact,
  proposeFollowAlong,
  proposeRapidSearch,
} from './proposals.ts';
import { addMonths } from '../support/rules.ts';

const Q2 = { from: '2026-07-01', to: '2026-09-30' };
const AS_OF = '2026-11-25';

const person = personFact;
const job = jobFact;

const referral = (acceptedDate: string) => ({ acceptedDate, firstContactDate: null, closedDate: null, inWorkAtReferral: false });
const fullTimers = (k: number) => Array.from({ length: k }, (_, i) => ({ id: `u${i}`, hoursPerWeek: null }));

describe('item 1: caseload size', () => {
  it('weights each practitioner by contracted hours over 37.5, full time when not recorded', () => {
    expect(
      fullTimeEquivalent([
        { id: 'a', hoursPerWeek: 18.75 },
        { id: 'b', hoursPerWeek: null },
      ]),
    ).toBe(1.5);
  });

  it.each([
    [40, 2, 5],
    [41, 2, 4], // 20.5
    [50, 2, 4],
    [51, 2, 3], // 25.5
    [60, 2, 3],
    [61, 2, 2],
    [80, 2, 2],
    [81, 2, 1],
  ])('proposes the score for %i people over %i full-time practitioners: %i', (people, staff, score) => {
    expect(proposeCaseload(fullTimers(staff), people, Q2.to).score).toBe(score);
  });

  it('says the figure behind the proposal in words', () => {
    const p = proposeCaseload([{ id: 'a', hoursPerWeek: 30 }, ...fullTimers(4)], 88, Q2.to);
    expect(p).toEqual({
      item: 1,
      score: 5,
      evidence:
        'Average caseload 18.3 per full-time specialist (5 practitioners, 4.8 full-time equivalent, 88 people with an open referral on 30 September 2026)',
    });
  });

  it('proposes nothing for a team without practitioners', () => {
    expect(proposeCaseload([], 12, Q2.to).score).toBeNull();
  });
});

describe('item 15: rapid job search', () => {
  const accepted = '2026-07-01';
  const after = (days: number) => new Date(Date.parse(`${accepted}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

  it.each([
    [30, 5],
    [31, 4],
    [60, 4],
    [61, 3],
    [90, 3],
    [91, 2],
    [120, 2],
    [121, 1],
  ])('proposes the score for a mean of %i days: %i', (days, score) => {
    const x = person({ referrals: [referral(accepted)], employerFaceToFaceDays: [after(days)] });
    expect(proposeRapidSearch([x], Q2).score).toBe(score);
  });

  it('averages over the referrals accepted in the period, and counts those still waiting', () => {
    const people = [
      person({ referrals: [referral('2026-07-01')], employerFaceToFaceDays: ['2026-07-11'] }),
      person({ referrals: [referral('2026-07-01')], employerFaceToFaceDays: ['2026-06-01', '2026-07-31'] }),
      person({ referrals: [referral('2026-08-01')] }),
      person({ referrals: [referral('2026-05-01')], employerFaceToFaceDays: ['2026-07-05'] }),
    ];
    expect(proposeRapidSearch(people, Q2)).toEqual({
      item: 15,
      score: 5,
      evidence:
        'Average 20 days from accepting a referral to the first face-to-face employer contact (2 referrals accepted in the period; 1 referral accepted in the period had no such contact yet)',
    });
  });

  it('proposes nothing when no referral was accepted in the period', () => {
    expect(proposeRapidSearch([person()], Q2)).toMatchObject({
      score: null,
      evidence: 'No referrals were accepted in the period',
    });
  });
});

describe('item 17: frequent employer contact', () => {
  const week = { from: '2026-07-06', to: '2026-07-12' };

  it.each([
    [6, 5],
    [5.9, 4],
    [5, 4],
    [4.9, 3],
    [4, 3],
    [3.9, 2],
    [3, 2],
    [2.9, 1],
    [0, 1],
  ])('scores %f contacts a week per practitioner as %i', (perWeek, score) => {
    expect(proposeEmployerContact(10, Math.round(perWeek * 10), week).score).toBe(score);
  });

  it('proposes nothing for a team without practitioners', () => {
    expect(proposeEmployerContact(0, 12, week).score).toBeNull();
  });

  it('says the contacts, weeks and practitioners behind the figure', () => {
    expect(proposeEmployerContact(2, 104, { from: '2026-07-01', to: '2026-08-11' }).evidence).toBe(
      '8.7 face-to-face employer contacts a week per practitioner (104 contacts over 6 weeks by 2 practitioners)',
    );
  });
});

describe('items 19 and 20: diversity of job types and employers', () => {
  /** `k` starts of which `unique` have a title (and employer) nobody else has; the rest (two or more) share one. */
  function starts(k: number, unique: number): PersonFact[] {
    return Array.from({ length: k }, (_, i) =>
      person({
        jobs: [job({ title: i < unique ? `Title ${i}` : 'Kitchen porter', employerId: i < unique ? `emp${i}` : 'shared' })],
      }),
    );
  }

  it.each([
    [20, 18, 5], // 90%
    [20, 17, 4], // 85%
    [20, 16, 4], // 80%
    [20, 15, 3], // 75%
    [20, 14, 3], // 70%
    [20, 13, 2], // 65%
    [20, 12, 2], // 60%
    [20, 11, 1], // 55%
  ])('of %i starts with %i unique, proposes %i', (k, unique, score) => {
    const people = starts(k, unique);
    expect(proposeDiversity(people, Q2, AS_OF, 'title').score).toBe(score);
    expect(proposeDiversity(people, Q2, AS_OF, 'employer').score).toBe(score);
  });

  it('treats titles alike whatever their case and spacing', () => {
    const people = [person({ jobs: [job({ title: 'Kitchen  Porter' })] }), person({ jobs: [job({ title: 'kitchen porter' })] })];
    expect(proposeDiversity(people, Q2, AS_OF, 'title')).toMatchObject({
      score: 1,
      evidence: '0% of job starts in the period had a job title no other start shared (0 of 2 starts)',
    });
  });

  it('proposes nothing without job starts in the period', () => {
    expect(proposeDiversity([person({ jobs: [job({ startDate: '2026-05-01' })] })], Q2, AS_OF, 'employer').score).toBeNull();
  });
});

describe('item 21: competitive jobs', () => {
  function jobsWith(k: number, competitive: number): PersonFact[] {
    return Array.from({ length: k }, (_, i) => person({ jobs: [job({ setAsideForDisabled: i >= competitive })] }));
  }

  it.each([
    [20, 19, 5], // 95%
    [20, 18, 4], // 90%
    [20, 17, 4], // 85%
    [20, 16, 3], // 80%
    [20, 15, 3], // 75%
    [20, 14, 2], // 70%
    [20, 13, 2], // 65%
    [20, 12, 1], // 60%
  ])('of %i starts with %i competitive, proposes %i', (k, c, score) => {
    expect(proposeCompetitive(jobsWith(k, c), Q2, AS_OF).score).toBe(score);
  });
});

describe('item 23: time-unlimited follow-along', () => {
  const support = (participantId: string, day: string): ContactFact => ({
    participantId,
    day,
    minutes: 30,
    place: 'workplace',
    purpose: 'in_work_support',
    placementId: null,
  });

  it('counts people in a job started 1 to 12 months before the period end who had support every month', () => {
    const everyMonth = person({ jobs: [job({ startDate: '2026-03-01' })] });
    const missedAugust = person({ jobs: [job({ startDate: '2026-03-01' })] });
    const tooNew = person({ jobs: [job({ startDate: '2026-09-15' })] });
    const tooOld = person({ jobs: [job({ startDate: '2025-09-01' })] });
    const contacts = [
      ...['2026-07-10', '2026-08-10', '2026-09-10'].map((d) => support(everyMonth.id, d)),
      ...['2026-07-10', '2026-09-10'].map((d) => support(missedAugust.id, d)),
    ];
    expect(proposeFollowAlong([everyMonth, missedAugust, tooNew, tooOld], contacts, Q2)).toEqual({
      item: 23,
      score: 3,
      evidence:
        '50% of people in work had in-work support every month they were in work in the period (1 of 2 people whose job started 1 to 12 months before 30 September 2026)',
    });
  });

  it('needs support only in the months the person was in the job, and counts contacts tied to the job', () => {
    const leftInAugust = person({ jobs: [job({ startDate: '2026-04-01', endDate: '2026-08-05' })] });
    const contacts: ContactFact[] = [
      support(leftInAugust.id, '2026-07-20'),
      { ...support(leftInAugust.id, '2026-08-04'), purpose: 'task_instruction', placementId: 'j' },
    ];
    expect(proposeFollowAlong([leftInAugust], contacts, Q2).score).toBe(5);
  });

  it.each([
    [9, 10, 5],
    [8, 10, 4],
    [5, 10, 3],
    [4, 10, 2],
    [3, 4, 4], // 75%
    [1, 4, 2], // 25%
    [0, 4, 1],
  ])('with %i of %i supported every month, proposes %i', (supported, total, score) => {
    const people = Array.from({ length: total }, () => person({ jobs: [job({ startDate: '2026-06-01' })] }));
    const contacts = people
      .slice(0, supported)
      .flatMap((x) => ['2026-07-01', '2026-08-31', '2026-09-30'].map((d) => support(x.id, d)));
    expect(proposeFollowAlong(people, contacts, Q2).score).toBe(score);
  });

  it('proposes nothing when nobody was in such a job', () => {
    expect(proposeFollowAlong([person()], [], Q2).score).toBeNull();
  });
});

describe('item 24: community-based services', () => {
  const contact = (place: string, minutes: number): ContactFact => ({
    participantId: 'p',
    day: '2026-07-10',
    minutes,
    place,
    purpose: 'job_search',
    placementId: null,
  });

  it.each([
    [65, 5],
    [64, 4],
    [50, 4],
    [49, 3],
    [35, 3],
    [34, 2],
    [20, 2],
    [19, 1],
  ])('with %i%% of the minutes outside the office, proposes %i', (outside, score) => {
    expect(proposeCommunity([contact('community', outside), contact('clinic', 100 - outside)]).score).toBe(score);
  });

  it('counts workplaces, the community and homes as outside the office, but not the clinic or remote contacts', () => {
    const p = proposeCommunity([
      contact('workplace', 60),
      contact('home', 30),
      contact('community', 30),
      contact('clinic', 60),
      contact('remote', 60),
    ]);
    expect(p.evidence).toBe(
      '50% of contact time was outside the office, in workplaces, the community or people’s homes (120 of 240 minutes)',
    );
    expect(p.score).toBe(4);
  });

  it('proposes nothing without contacts', () => {
    expect(proposeCommunity([]).score).toBeNull();
  });
});

describe('calendar helpers', () => {
  it('moves by months, keeping inside the month', () => {
    expect(addMonths('2026-09-30', -1)).toBe('2026-08-30');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-09-30', -12)).toBe('2025-09-30');
  });

  it('splits a span into its calendar months', () => {
    expect(monthsOf('2026-07-15', '2026-09-02')).toEqual([
      { from: '2026-07-15', to: '2026-07-31' },
      { from: '2026-08-01', to: '2026-08-31' },
      { from: '2026-09-01', to: '2026-09-02' },
    ]);
  });
});
