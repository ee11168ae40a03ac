import { describe, expect, it } from 'vitest';
import {
  type CaseloadFacts,
  DEFAULT_ALERT_LIMITS,
  alertsFor,
  defaultRange,
  employerContactWeeks,
  firstContactAlert,
  jobSearchEmployerContactAlert,
  noContactAlert,
  percentage,
  perWeek,
  recentWeeks,
  sumCounts,
  supportReviewAlert,
  teamFigures,
  weekOf,
  weeksIn,
  weeksInstants,
} from './rules.ts';

const ID = '00000000-0000-4000-8000-000000000001';

function facts(overrides: Partial<CaseloadFacts> = {}): CaseloadFacts {
  return {
    participantId: ID,
    status: 'engaged',
    onCaseloadSince: '2026-11-01',
    referral: null,
    lastContactDay: null,
    lastEmployerContactDay: null,
    lastInWorkSupportDay: null,
    jobSearchSince: null,
    employedSince: null,
    ...overrides,
  };
}

describe('referral with no first contact', () => {
  const waiting = facts({ status: 'referred', referral: { receivedDate: '2026-11-01', firstContactDate: null } });
  const limits = { firstContactTargetDays: 7 };

  it('appears once more days than the target have passed, not on the target day itself', () => {
    expect(firstContactAlert(waiting, '2026-11-08', limits)).toBeNull();
    const alert = firstContactAlert(waiting, '2026-11-09', limits);
    expect(alert).toMatchObject({ kind: 'first_contact', days: 8 });
    expect(alert?.message).toBe('Referred 8 days ago and not contacted yet (the target is 7 days)');
    expect(alert?.action).toEqual({ text: 'Log the first contact', href: `/participants/${ID}/contacts/new` });
  });

  it('follows a configured target', () => {
    expect(firstContactAlert(waiting, '2026-11-03', { firstContactTargetDays: 1 })?.days).toBe(2);
    expect(firstContactAlert(waiting, '2026-11-09', { firstContactTargetDays: 10 })).toBeNull();
  });

  it('clears when a contact is logged on or after the day the referral was received', () => {
    expect(firstContactAlert({ ...waiting, lastContactDay: '2026-11-01' }, '2026-11-20', limits)).toBeNull();
    expect(firstContactAlert({ ...waiting, lastContactDay: '2026-11-12' }, '2026-11-20', limits)).toBeNull();
  });

  it('still appears when the only contacts were before this referral (an earlier episode)', () => {
    expect(firstContactAlert({ ...waiting, lastContactDay: '2026-10-31' }, '2026-11-20', limits)).not.toBeNull();
  });

  it("clears when the referral's first contact date is recorded", () => {
    const recorded = facts({ status: 'referred', referral: { receivedDate: '2026-11-01', firstContactDate: '2026-11-03' } });
    expect(firstContactAlert(recorded, '2026-11-20', limits)).toBeNull();
  });

  it('does not apply without an open referral', () => {
    expect(firstContactAlert(facts({ status: 'referred' }), '2026-11-20', limits)).toBeNull();
  });
});

describe('no contact', () => {
  const limits = { noContactDays: 14 };

  it('appears on the 14th day without contact, not the 13th', () => {
    const f = facts({ lastContactDay: '2026-11-01' });
    expect(noContactAlert(f, '2026-11-14', limits)).toBeNull();
    expect(noContactAlert(f, '2026-11-15', limits)).toMatchObject({
      kind: 'no_contact',
      days: 14,
      message: 'No contact for 14 days',
    });
  });

  it('follows a configured number of days', () => {
    expect(noContactAlert(facts({ lastContactDay: '2026-11-01' }), '2026-11-08', { noContactDays: 7 })?.days).toBe(7);
  });

  it('clears when a contact is logged', () => {
    expect(noContactAlert(facts({ lastContactDay: '2026-11-20' }), '2026-11-25', limits)).toBeNull();
  });

  it('counts from the day they joined the caseload when nothing is logged yet', () => {
    const alert = noContactAlert(facts({ onCaseloadSince: '2026-11-01' }), '2026-11-20', limits);
    expect(alert?.message).toBe('No contact logged since they joined the caseload 19 days ago');
    expect(alert?.action.text).toBe('Log a contact');
  });

  it('does not apply to someone discharged', () => {
    expect(noContactAlert(facts({ status: 'discharged' }), '2027-06-01', limits)).toBeNull();
  });
});

describe('job search with no employer contact', () => {
  const limits = { jobSearchEmployerContactDays: 30 };
  const searching = facts({ status: 'job_search', jobSearchSince: '2026-10-01', lastContactDay: '2026-10-25' });

  it('appears after 30 days in job search, not at 29', () => {
    expect(jobSearchEmployerContactAlert(searching, '2026-10-30', limits)).toBeNull();
    const alert = jobSearchEmployerContactAlert(searching, '2026-10-31', limits);
    expect(alert).toMatchObject({ kind: 'job_search_employer_contact', days: 30 });
    expect(alert?.message).toBe(
      'In job search for 30 days with no employer contact on their behalf (rapid job search: within 30 days)',
    );
    expect(alert?.action.href).toBe(`/employer-contacts/new?participant_id=${ID}`);
  });

  it('follows a configured number of days', () => {
    expect(jobSearchEmployerContactAlert(searching, '2026-10-29', { jobSearchEmployerContactDays: 28 })?.days).toBe(28);
  });

  it('clears when an employer contact is logged since entering job search', () => {
    expect(
      jobSearchEmployerContactAlert({ ...searching, lastEmployerContactDay: '2026-10-01' }, '2026-11-20', limits),
    ).toBeNull();
  });

  it('ignores employer contacts from before the latest move into job search', () => {
    const f = { ...searching, lastEmployerContactDay: '2026-09-30' };
    expect(jobSearchEmployerContactAlert(f, '2026-11-20', limits)).not.toBeNull();
  });

  it('applies only while the person is in job search', () => {
    expect(jobSearchEmployerContactAlert({ ...searching, status: 'employed' }, '2026-12-20', limits)).toBeNull();
  });
});

describe('support review due', () => {
  const limits = { supportReviewDays: 28 };
  const working = facts({ status: 'employed', employedSince: '2026-10-01' });

  it('appears 28 days after starting work with no in-work support contact, not at 27', () => {
    expect(supportReviewAlert(working, '2026-10-28', limits)).toBeNull();
    const alert = supportReviewAlert(working, '2026-10-29', limits);
    expect(alert).toMatchObject({ kind: 'support_review', days: 28 });
    expect(alert?.message).toBe('Support review due: no in-work support contact since they started work 28 days ago');
    expect(alert?.action.href).toBe(`/participants/${ID}/contacts/new?purpose=in_work_support`);
  });

  it('counts from the latest in-work support contact, and clears when one is logged', () => {
    const supported = { ...working, lastInWorkSupportDay: '2026-11-01' };
    expect(supportReviewAlert(supported, '2026-11-28', limits)).toBeNull();
    expect(supportReviewAlert(supported, '2026-11-29', limits)?.message).toBe(
      'Support review due: no in-work support contact for 28 days',
    );
    expect(supportReviewAlert({ ...supported, lastInWorkSupportDay: '2026-11-29' }, '2026-11-29', limits)).toBeNull();
  });

  it('follows a configured interval', () => {
    expect(supportReviewAlert(working, '2026-10-15', { supportReviewDays: 14 })?.days).toBe(14);
  });

  it('applies only to people in work', () => {
    expect(supportReviewAlert({ ...working, status: 'job_search' }, '2027-01-01', limits)).toBeNull();
  });

  describe('with a support plan', () => {
    const JOB = '00000000-0000-4000-8000-000000000002';
    const planned = { ...working, supportReview: { placementId: JOB, dueDate: '2026-12-01' } };

    it('follows the plan’s review date instead of the interval, from two weeks before it', () => {
      expect(supportReviewAlert(planned, '2026-11-16', limits)).toBeNull();
      const alert = supportReviewAlert(planned, '2026-11-17', limits);
      expect(alert).toMatchObject({ kind: 'support_review', days: 0, message: 'Support review due on 1 December 2026' });
      expect(alert?.action).toEqual({ text: 'Open the support plan', href: `/placements/${JOB}/support-plan` });
    });

    it('says how long a review is overdue', () => {
      expect(supportReviewAlert(planned, '2026-12-11', limits)).toMatchObject({
        days: 10,
        message: 'Support review overdue: it was due on 1 December 2026 (10 days ago)',
      });
    });

    it('raises nothing once the person has ended support', () => {
      const ended = { ...working, supportReview: { placementId: JOB, dueDate: null } };
      expect(supportReviewAlert(ended, '2027-06-01', limits)).toBeNull();
    });
  });
});

describe('all alerts for a person', () => {
  it('reports a referral waiting for first contact once, not also as no contact', () => {
    const f = facts({
      status: 'referred',
      onCaseloadSince: '2026-11-01',
      referral: { receivedDate: '2026-11-01', firstContactDate: null },
    });
    expect(alertsFor(f, '2026-11-20', DEFAULT_ALERT_LIMITS).map((a) => a.kind)).toEqual(['first_contact']);
  });

  it('lists every rule that applies', () => {
    const f = facts({ status: 'job_search', jobSearchSince: '2026-09-01', lastContactDay: '2026-09-10' });
    expect(alertsFor(f, '2026-11-20', DEFAULT_ALERT_LIMITS).map((a) => a.kind)).toEqual([
      'no_contact',
      'job_search_employer_contact',
    ]);
  });

  it('is empty for someone seen recently and on track', () => {
    expect(alertsFor(facts({ lastContactDay: '2026-11-19' }), '2026-11-20', DEFAULT_ALERT_LIMITS)).toEqual([]);
  });
});

describe('team figures', () => {
  it('turns counts over four weeks into weekly rates and shares', () => {
    const counts = { contacts: 4, faceToFace: 3, outOfHours: 1, employerContacts: 2 };
    expect(teamFigures(counts, '2026-10-29', '2026-11-25')).toEqual({
      contactsPerWeek: 1,
      faceToFaceShare: 75,
      outOfHoursShare: 25,
      employerContactsPerWeek: 0.5,
    });
  });

  it('has no shares when there were no contacts', () => {
    expect(teamFigures({ contacts: 0, faceToFace: 0, outOfHours: 0, employerContacts: 0 }, '2026-11-01', '2026-11-07')).toEqual({
      contactsPerWeek: 0,
      faceToFaceShare: null,
      outOfHoursShare: null,
      employerContactsPerWeek: 0,
    });
  });

  it('counts the days of a range inclusively and rounds rates to one decimal', () => {
    expect(weeksIn('2026-11-01', '2026-11-07')).toBe(1);
    expect(perWeek(10, 3)).toBe(3.3);
    expect(percentage(1, 3)).toBe(33);
  });

  it('adds up the team', () => {
    const a = { contacts: 4, faceToFace: 3, outOfHours: 1, employerContacts: 2 };
    expect(sumCounts([a, a])).toEqual({ contacts: 8, faceToFace: 6, outOfHours: 2, employerContacts: 4 });
  });

  it('defaults to the last four weeks, ending today', () => {
    expect(defaultRange('2026-11-25')).toEqual({ from: '2026-10-29', to: '2026-11-25' });
    expect(weeksIn('2026-10-29', '2026-11-25')).toBe(4);
  });
});

describe('job development weeks', () => {
  it('lists this week and the three before, Monday to Sunday, this week first', () => {
    expect(recentWeeks('2026-11-25', 4)).toEqual([
      { monday: '2026-11-23', sunday: '2026-11-29' },
      { monday: '2026-11-16', sunday: '2026-11-22' },
      { monday: '2026-11-09', sunday: '2026-11-15' },
      { monday: '2026-11-02', sunday: '2026-11-08' },
    ]);
    expect(recentWeeks('2026-11-29', 1)[0]?.monday).toBe('2026-11-23');
    expect(recentWeeks('2026-11-30', 1)[0]?.monday).toBe('2026-11-30');
  });

  it('puts Sunday 23:30 and Monday 00:30 London time in different weeks, in GMT and in BST', () => {
    // GMT: London is UTC.
    expect(weekOf('2026-11-22T23:30:00.000Z')).toBe('2026-11-16');
    expect(weekOf('2026-11-23T00:30:00.000Z')).toBe('2026-11-23');
    // BST: London is UTC+1, so Monday 00:30 in London is still Sunday in UTC.
    expect(weekOf('2026-06-14T22:30:00.000Z')).toBe('2026-06-08');
    expect(weekOf('2026-06-14T23:30:00.000Z')).toBe('2026-06-15');
  });

  it('bounds the weeks by London midnight, across the clock change', () => {
    // The clocks go forward on Sunday 29 March 2026: the first Monday is in GMT, the end in BST.
    expect(weeksInstants(recentWeeks('2026-04-01', 2))).toEqual({
      from: '2026-03-23T00:00:00.000Z',
      to: '2026-04-05T23:00:00.000Z',
    });
  });

  it('counts each practitioner’s contacts in the week they fell in and says whether the face-to-face target was met', () => {
    const weeks = recentWeeks('2026-06-17', 2);
    const byPractitioner = employerContactWeeks(
      ['pat', 'sam'],
      [
        // Sunday 23:00 and Monday 00:00 in London (BST), as the hours the repository groups by.
        { practitionerId: 'pat', at: '2026-06-14T22:00:00.000Z', contacts: 3, faceToFace: 2 },
        { practitionerId: 'pat', at: '2026-06-14T23:00:00.000Z', contacts: 4, faceToFace: 4 },
        { practitionerId: 'pat', at: '2026-06-16T09:00:00.000Z', contacts: 2, faceToFace: 2 },
        // Before the weeks shown: left out.
        { practitionerId: 'pat', at: '2026-05-01T09:00:00.000Z', contacts: 9, faceToFace: 9 },
      ],
      weeks,
      6,
    );
    expect(byPractitioner.get('pat')).toEqual([
      { monday: '2026-06-15', sunday: '2026-06-21', contacts: 6, faceToFace: 6, metTarget: true },
      { monday: '2026-06-08', sunday: '2026-06-14', contacts: 3, faceToFace: 2, metTarget: false },
    ]);
    expect(byPractitioner.get('sam')?.map((w) => [w.contacts, w.faceToFace, w.metTarget])).toEqual([
      [0, 0, false],
      [0, 0, false],
    ]);
  });
});
