import { describe, expect, it } from 'vitest';
import {
  type JobFact,
  type PersonFact,
  daysToFirstContact,
  daysToFirstEmployerContact,
  employmentRate,
  internshipOutcomes,
  isJobStart,
  jobQuality,
  jobsWithoutHours,
  jobRetentionShare,
  lastCompleteQuarter,
  outcomeFigures,
  paidHoursBy,
  peopleEngaged,
  peopleIntoWork,
  quarterOf,
  quartersTo,
  redeployments,
  redundancies,
  referralsAccepted,
  stillInWork,
  totalJobStarts,
} from './outcomes.ts';
import { jobFact, personFact } from './test-facts.ts';

const Q2: { from: string; to: string } = { from: '2026-07-01', to: '2026-09-30' };
const AS_OF = '2026-11-25';

const job = (over: Partial<JobFact> & { participantId: string }): JobFact => jobFact({ title: 'Porter', ...over });

/** A person on a caseload since 1 June 2026 (referral accepted, first contact two days later). */
const person = (id: string, over: Partial<PersonFact> = {}): PersonFact =>
  personFact({
    id,
    dateOfBirth: '1990-05-01',
    referrals: [{ acceptedDate: '2026-06-01', firstContactDate: '2026-06-03', closedDate: null, inWorkAtReferral: false }],
    ...over,
  });

describe('the four-hour rule for a job start', () => {
  it('estimates paid hours from the hours a week over the days in post, start day included', () => {
    expect(paidHoursBy({ startDate: '2026-08-03', endDate: null, hoursPerWeek: 14 }, '2026-08-03')).toBe(2);
    expect(paidHoursBy({ startDate: '2026-08-03', endDate: null, hoursPerWeek: 14 }, '2026-08-04')).toBe(4);
    expect(paidHoursBy({ startDate: '2026-08-03', endDate: '2026-08-09', hoursPerWeek: 14 }, '2026-12-01')).toBe(14);
    expect(paidHoursBy({ startDate: '2026-08-03', endDate: null, hoursPerWeek: 14 }, '2026-08-02')).toBe(0);
  });

  it('does not count a job of three paid hours, however long ago it started', () => {
    expect(isJobStart({ startDate: '2026-08-03', endDate: '2026-08-09', hoursPerWeek: 3 }, AS_OF)).toBe(false);
  });

  it('counts a job once four paid hours are done, and not a day before', () => {
    const j = { startDate: '2026-08-03', endDate: null, hoursPerWeek: 14 };
    expect(isJobStart(j, '2026-08-03')).toBe(false);
    expect(isJobStart(j, '2026-08-04')).toBe(true);
  });

  it('counts a short-hours job that has run long enough to reach four hours', () => {
    expect(isJobStart({ startDate: '2026-08-03', endDate: '2026-08-16', hoursPerWeek: 3 }, AS_OF)).toBe(true);
  });

  it('does not count a job without hours recorded', () => {
    expect(isJobStart({ startDate: '2026-08-03', endDate: null, hoursPerWeek: null }, AS_OF)).toBe(false);
  });
});

describe('referrals and engagement', () => {
  it('counts referrals by the day they were accepted, never without that day', () => {
    const people = [
      person('a', {
        referrals: [{ acceptedDate: '2026-07-01', firstContactDate: null, closedDate: null, inWorkAtReferral: false }],
      }),
      person('b', { referrals: [{ acceptedDate: null, firstContactDate: null, closedDate: null, inWorkAtReferral: false }] }),
      person('c', {
        referrals: [{ acceptedDate: '2026-10-01', firstContactDate: null, closedDate: null, inWorkAtReferral: false }],
      }),
      person('d', {
        referrals: [
          { acceptedDate: '2026-07-10', firstContactDate: null, closedDate: '2026-07-20', inWorkAtReferral: false },
          { acceptedDate: '2026-09-30', firstContactDate: null, closedDate: null, inWorkAtReferral: false },
        ],
      }),
    ];
    const r = referralsAccepted(people, Q2);
    expect(r.value).toBe(3);
    expect(r.people.sort()).toEqual(['a', 'd']);
  });

  it('counts a person as engaged when their vocational profile was started in the period', () => {
    const people = [
      person('a', { profileStartedOn: '2026-07-01' }),
      person('b', { profileStartedOn: '2026-06-30' }),
      person('c'),
    ];
    expect(peopleEngaged(people, Q2).people).toEqual(['a']);
  });

  it('gives the median and spread of days to first contact, and who has had none yet', () => {
    const acc = (accepted: string, first: string | null) => ({
      acceptedDate: accepted,
      firstContactDate: first,
      closedDate: null,
      inWorkAtReferral: false,
    });
    const people = [
      person('a', { referrals: [acc('2026-07-01', '2026-07-03')] }), // 2 days
      person('b', { referrals: [acc('2026-07-01', '2026-07-11')] }), // 10 days
      person('c', { referrals: [acc('2026-07-01', '2026-08-10')] }), // 40 days
      person('d', { referrals: [acc('2026-07-01', null)] }),
    ];
    const d = daysToFirstContact(people, Q2);
    expect(d.count.value).toBe(3);
    expect(d.median).toBe(10);
    expect(d.buckets.map((b) => b.value)).toEqual([1, 1, 0, 1, 0, 0]);
    expect(d.notYet.people).toEqual(['d']);
  });

  it('measures days to the first face-to-face employer contact on or after acceptance', () => {
    const people = [
      person('a', {
        referrals: [{ acceptedDate: '2026-07-10', firstContactDate: null, closedDate: null, inWorkAtReferral: false }],
        employerFaceToFaceDays: ['2026-07-01', '2026-07-31', '2026-08-05'],
      }),
      person('b', {
        referrals: [{ acceptedDate: '2026-07-10', firstContactDate: null, closedDate: null, inWorkAtReferral: false }],
        employerFaceToFaceDays: ['2026-07-10'],
      }),
    ];
    const d = daysToFirstEmployerContact(people, Q2);
    expect(d.median).toBe(10.5); // 21 and 0 days
    expect(d.buckets[0]!.people).toEqual(['b']);
    expect(d.buckets[2]!.people).toEqual(['a']);
  });
});

describe('jobs started and people supported into work', () => {
  const first = job({ participantId: 'a', startDate: '2026-07-06' });
  const second = job({ participantId: 'a', startDate: '2026-08-10', title: 'Cleaner', hoursPerWeek: 8 });
  const tiny = job({ participantId: 'b', startDate: '2026-08-03', endDate: '2026-08-09', hoursPerWeek: 3 });
  const outside = job({ participantId: 'c', startDate: '2026-06-30' });

  it('counts a second job as a job start but not a second person', () => {
    const jobs = [first, second, tiny, outside];
    expect(totalJobStarts(jobs, Q2, AS_OF).value).toBe(2);
    expect(peopleIntoWork(jobs, Q2, AS_OF)).toEqual({ value: 1, people: ['a'] });
  });

  it('counts jobs without hours recorded apart, so they can be filled in', () => {
    const unknown = job({ participantId: 'e', hoursPerWeek: null });
    expect(totalJobStarts([unknown, first], Q2, AS_OF).value).toBe(1);
    expect(jobsWithoutHours([unknown, first], Q2).people).toEqual(['e']);
  });

  it('leaves out a job started in the period that has not reached four hours by the report day', () => {
    const j = job({ participantId: 'd', startDate: '2026-09-30', hoursPerWeek: 14 });
    expect(totalJobStarts([j], Q2, '2026-09-30').value).toBe(0);
    expect(totalJobStarts([j], Q2, '2026-10-01').value).toBe(1);
  });
});

describe('employment rate', () => {
  it('leaves in-work (job retention) referrals out of both sides', () => {
    const people = [
      person('a', { jobs: [job({ participantId: 'a' })] }),
      person('b'),
      person('c'),
      person('r', {
        referrals: [{ acceptedDate: '2026-06-01', firstContactDate: null, closedDate: null, inWorkAtReferral: true }],
        jobs: [job({ participantId: 'r' })],
      }),
    ];
    const r = employmentRate(people, Q2, AS_OF);
    expect(r.numerator.people).toEqual(['a']);
    expect(r.denominator.people.sort()).toEqual(['a', 'b', 'c']);
    expect(r.percent).toBe(33.3);
  });

  it('counts only people on a caseload during the period, and jobs started after their referral', () => {
    const people = [
      person('closed-before', {
        referrals: [{ acceptedDate: '2026-01-01', firstContactDate: null, closedDate: '2026-06-30', inWorkAtReferral: false }],
      }),
      person('accepted-after', {
        referrals: [{ acceptedDate: '2026-10-01', firstContactDate: null, closedDate: null, inWorkAtReferral: false }],
      }),
      person('job-before-referral', {
        referrals: [{ acceptedDate: '2026-08-20', firstContactDate: null, closedDate: null, inWorkAtReferral: false }],
        jobs: [job({ participantId: 'job-before-referral', startDate: '2026-08-03' })],
      }),
    ];
    const r = employmentRate(people, Q2, AS_OF);
    expect(r.denominator.people).toEqual(['job-before-referral']);
    expect(r.numerator.value).toBe(0);
    expect(r.percent).toBe(0);
  });

  it('has no rate with nobody out of work', () => {
    expect(employmentRate([], Q2, AS_OF).percent).toBeNull();
  });
});

describe('still in work 13, 26 and 52 weeks after starting', () => {
  it('counts people whose point fell in the period, in work on that day', () => {
    // 13 weeks after 2026-04-06 is 2026-07-06; after 2026-05-04 is 2026-08-03.
    const stayed = person('stayed', { jobs: [job({ participantId: 'stayed', startDate: '2026-04-06' })] });
    const left = person('left', { jobs: [job({ participantId: 'left', startDate: '2026-05-04', endDate: '2026-07-31' })] });
    const moved = person('moved', {
      jobs: [
        job({ participantId: 'moved', startDate: '2026-05-04', endDate: '2026-06-30' }),
        job({ participantId: 'moved', startDate: '2026-07-20', title: 'Cleaner' }),
      ],
    });
    const notYet = person('not-yet', { jobs: [job({ participantId: 'not-yet', startDate: '2026-09-01' })] });
    const r = stillInWork([stayed, left, moved, notYet], 13, Q2, AS_OF);
    expect(r.denominator.people.sort()).toEqual(['left', 'moved', 'stayed']);
    expect(r.numerator.people.sort()).toEqual(['moved', 'stayed']);
    expect(r.percent).toBe(66.7);
  });

  it('does not count a point still in the future on the report day', () => {
    const p = person('p', { jobs: [job({ participantId: 'p', startDate: '2026-06-29' })] }); // 13 weeks: 2026-09-28
    expect(stillInWork([p], 13, Q2, '2026-09-27').denominator.value).toBe(0);
    expect(stillInWork([p], 13, Q2, '2026-09-28').denominator.value).toBe(1);
  });
});

describe('job quality', () => {
  it('gives median hours and pay and the share of competitive jobs', () => {
    const x = person('a', {
      dateOfBirth: '1990-01-01',
      jobs: [
        job({ participantId: 'a', hoursPerWeek: 10, hourlyPayPence: 1300 }),
        job({ participantId: 'a', title: 'Cleaner', hoursPerWeek: 20, hourlyPayPence: 1000 }), // below the 21+ minimum wage
        job({ participantId: 'a', title: 'Clerk', hoursPerWeek: 37.5, hourlyPayPence: 1500, setAsideForDisabled: true }),
      ],
    });
    const q = jobQuality([x], Q2, AS_OF);
    expect(q.hours.median).toBe(20);
    expect(q.hours.buckets.map((b) => b.value)).toEqual([1, 1, 1]);
    expect(q.medianHourlyPayPence).toBe(1300);
    expect(q.competitive.numerator.value).toBe(1);
    expect(q.competitive.denominator.value).toBe(3);
    expect(q.competitive.percent).toBe(33.3);
  });
});

describe('caseload mix, redundancy and internships', () => {
  it('gives the share of the caseload on the last day referred while in work', () => {
    const open = (inWork: boolean) => [
      { acceptedDate: '2026-01-01', firstContactDate: null, closedDate: null, inWorkAtReferral: inWork },
    ];
    const people = [
      person('a', { referrals: open(true) }),
      person('b', { referrals: open(false) }),
      person('c', { referrals: open(false) }),
      person('d', { referrals: open(false) }),
      person('closed', {
        referrals: [{ acceptedDate: '2026-01-01', firstContactDate: null, closedDate: '2026-09-29', inWorkAtReferral: true }],
      }),
    ];
    const r = jobRetentionShare(people, Q2);
    expect(r.numerator.value).toBe(1);
    expect(r.denominator.value).toBe(4);
    expect(r.percent).toBe(25);
  });

  it('counts redundancies by end day and redeployments by the day they closed with a job', () => {
    const jobs = [
      job({ participantId: 'a', endDate: '2026-08-31', endReason: 'redundancy' }),
      job({ participantId: 'b', endDate: '2026-10-01', endReason: 'redundancy' }),
      job({ participantId: 'c', endDate: '2026-08-31', endReason: 'resigned' }),
    ];
    expect(redundancies(jobs, Q2).people).toEqual(['a']);
    expect(
      redeployments([person('a', { redeployedOn: ['2026-09-15'] }), person('b', { redeployedOn: ['2026-10-15'] })], Q2).people,
    ).toEqual(['a']);
  });

  it('gives the internship outcome rate of graduates of cohorts ending in the period', () => {
    const people = [
      person('a', { internships: [{ cohortEndDate: '2026-07-17', status: 'graduated', meetsOutcome: true }] }),
      person('b', { internships: [{ cohortEndDate: '2026-07-17', status: 'graduated', meetsOutcome: false }] }),
      person('c', { internships: [{ cohortEndDate: '2026-07-17', status: 'withdrawn', meetsOutcome: false }] }),
      person('d', { internships: [{ cohortEndDate: '2025-07-17', status: 'graduated', meetsOutcome: true }] }),
    ];
    const r = internshipOutcomes(people, Q2);
    expect([r.numerator.value, r.denominator.value, r.percent]).toEqual([1, 2, 50]);
  });
});

describe('figures for a group split by employer type', () => {
  it('uses only the group’s jobs for the job figures', () => {
    const a = person('a', {
      jobs: [
        job({ participantId: 'a', employerType: 'host' }),
        job({ participantId: 'a', employerType: 'supplier', title: 'Cleaner' }),
      ],
    });
    const hostJobs = a.jobs.filter((j) => j.employerType === 'host');
    const f = outcomeFigures([{ ...a, jobs: hostJobs }], Q2, AS_OF, hostJobs);
    expect(f.job_starts.value).toBe(1);
    expect(outcomeFigures([a], Q2, AS_OF).job_starts.value).toBe(2);
  });
});

describe('quarters of the financial year', () => {
  it('names the quarter and its months', () => {
    expect(quarterOf('2026-11-25')).toEqual({
      from: '2026-10-01',
      to: '2026-12-31',
      label: '2026/27 Q3',
      months: 'October to December 2026',
    });
    expect(quarterOf('2027-02-28')).toMatchObject({ from: '2027-01-01', to: '2027-03-31', label: '2026/27 Q4' });
    expect(quarterOf('2026-04-01')).toMatchObject({ from: '2026-04-01', to: '2026-06-30', label: '2026/27 Q1' });
  });

  it('defaults to the last complete quarter', () => {
    expect(lastCompleteQuarter('2026-11-25')).toMatchObject({ from: '2026-07-01', to: '2026-09-30', label: '2026/27 Q2' });
    expect(lastCompleteQuarter('2026-10-01')).toMatchObject({ from: '2026-07-01', to: '2026-09-30' });
    expect(lastCompleteQuarter('2026-01-15')).toMatchObject({ from: '2025-10-01', to: '2025-12-31', label: '2025/26 Q3' });
  });

  it('lists quarters oldest first, across a year end', () => {
    expect(quartersTo('2026-02-01', 3).map((q) => q.label)).toEqual(['2025/26 Q2', '2025/26 Q3', '2025/26 Q4']);
  });
});
