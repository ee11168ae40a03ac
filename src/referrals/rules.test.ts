import { describe, expect, it } from 'vitest';
import {
  NO_CONTACT_MIN_ATTEMPTS,
  NO_CONTACT_MIN_DAYS,
  NO_CONTACT_RULE_TEXT,
  addReferralProblem,
  closeProblem,
  daysBetween,
  firstContactTiming,
  isCalendarDate,
  londonDate,
  londonInstant,
  londonTime,
  startReferral,
  summariseAttempts,
} from './rules.ts';

describe('days to first contact', () => {
  const referral = (firstContactDate: string | null, closedDate: string | null = null) => ({
    receivedDate: '2026-11-01',
    firstContactDate,
    closedDate,
  });

  it('counts from the received date to the first contact date', () => {
    expect(firstContactTiming(referral('2026-11-05'), '2026-11-30', 7)).toEqual({ days: 4, overdue: false, waiting: false });
  });

  it('flags more days than the target and not the target itself or fewer', () => {
    expect(firstContactTiming(referral('2026-11-09'), '2026-11-30', 7).overdue).toBe(true);
    expect(firstContactTiming(referral('2026-11-08'), '2026-11-30', 7).overdue).toBe(false);
    expect(firstContactTiming(referral('2026-11-07'), '2026-11-30', 7).overdue).toBe(false);
  });

  it('counts to today while there is no first contact, and flags it once over the target', () => {
    expect(firstContactTiming(referral(null), '2026-11-04', 7)).toEqual({ days: 3, overdue: false, waiting: true });
    expect(firstContactTiming(referral(null), '2026-11-10', 7)).toEqual({ days: 9, overdue: true, waiting: true });
  });

  it('stops counting on the day a referral without contact was closed', () => {
    expect(firstContactTiming(referral(null, '2026-11-12'), '2027-03-01', 7).days).toBe(11);
  });

  it('uses the service’s own target', () => {
    expect(firstContactTiming(referral('2026-11-05'), '2026-11-30', 3).overdue).toBe(true);
  });

  it('counts calendar days across the change to winter time', () => {
    expect(daysBetween('2026-10-24', '2026-10-26')).toBe(2);
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
  });
});

describe('closing a referral', () => {
  const open = { status: 'open' as const, firstContactDate: null };

  it('closes for the person’s own choice at any time', () => {
    expect(closeProblem(open, 'person_choice', { attempts: 0, days: 0 })).toBeNull();
  });

  it(`refuses no contact until ${NO_CONTACT_MIN_ATTEMPTS} attempts on ${NO_CONTACT_MIN_DAYS} different days`, () => {
    expect(closeProblem(open, 'no_contact', { attempts: 0, days: 0 })).toMatch(/at least 3 failed contact attempts/);
    expect(closeProblem(open, 'no_contact', { attempts: 2, days: 2 })).toMatch(/So far 2 attempts have been recorded, on 2 days/);
    expect(closeProblem(open, 'no_contact', { attempts: 5, days: 1 })).toMatch(/on 1 day$/);
    expect(closeProblem(open, 'no_contact', { attempts: 3, days: 2 })).toBeNull();
  });

  it('refuses no contact once first contact has been made', () => {
    expect(closeProblem({ status: 'open', firstContactDate: '2026-11-02' }, 'no_contact', { attempts: 4, days: 3 })).toMatch(
      /First contact has been made/,
    );
  });

  it('refuses to close a referral that is already closed', () => {
    expect(closeProblem({ status: 'closed', firstContactDate: null }, 'person_choice', { attempts: 0, days: 0 })).toMatch(
      /already closed/,
    );
  });

  it('states the numbers it uses', () => {
    expect(NO_CONTACT_RULE_TEXT).toContain(`${NO_CONTACT_MIN_ATTEMPTS} failed contact attempts`);
    expect(NO_CONTACT_RULE_TEXT).toContain(`${NO_CONTACT_MIN_DAYS} different days`);
  });

  it('counts attempt days in UK time, so 23:30 and 00:30 in summer are two days', () => {
    // 22:30Z and 23:30Z on 1 July are 23:30 on 1 July and 00:30 on 2 July in London.
    expect(summariseAttempts(['2026-07-01T22:30:00Z', '2026-07-01T23:30:00Z', '2026-07-01T10:00:00Z'])).toEqual({
      attempts: 3,
      days: 2,
    });
  });
});

describe('zero exclusion', () => {
  it('accepts a referral whose notes mention convictions, diagnosis, benefits and "not ready" exactly like any other', () => {
    const plain = startReferral({
      source: 'clinical_team',
      receivedDate: '2026-11-20',
      notes: 'Wants to work in a garden centre',
    });
    const flagged = startReferral({
      source: 'clinical_team',
      receivedDate: '2026-11-20',
      notes: 'unspent convictions, psychosis diagnosis, on ESA, referrer says not ready for work',
      whatTheyWant: 'Not sure yet',
    });
    expect(flagged).toEqual(plain);
    expect(flagged).toEqual({ status: 'open', acceptedDate: '2026-11-20', warnings: [] });
  });

  it('accepts onto the caseload on the received date unless another date is given', () => {
    expect(startReferral({ source: 'self', receivedDate: '2026-11-20' }).acceptedDate).toBe('2026-11-20');
    expect(startReferral({ source: 'self', receivedDate: '2026-11-20', acceptedDate: '2026-11-21' }).acceptedDate).toBe(
      '2026-11-21',
    );
  });
});

describe('adding a referral', () => {
  it('allows one open referral at a time, and a new episode after discharge', () => {
    expect(addReferralProblem('engaged', { receivedDate: '2026-11-01' })).toMatch(
      /already has an open referral, received on 1 November 2026/,
    );
    expect(addReferralProblem('discharged', { receivedDate: '2026-11-01' })).toBeNull();
    expect(addReferralProblem('engaged', undefined)).toBeNull();
  });
});

describe('dates and times in UK time', () => {
  it('turns a wall-clock time into the right instant in summer and winter', () => {
    expect(londonInstant('2026-07-01', '14:30').toISOString()).toBe('2026-07-01T13:30:00.000Z');
    expect(londonInstant('2026-12-01', '14:30').toISOString()).toBe('2026-12-01T14:30:00.000Z');
    expect(londonInstant('2026-03-29', '03:00').toISOString()).toBe('2026-03-29T02:00:00.000Z');
  });

  it('reads the day and time of an instant in UK time', () => {
    expect(londonDate(new Date('2026-07-01T23:30:00Z'))).toBe('2026-07-02');
    expect(londonTime(new Date('2026-07-01T23:05:00Z'))).toBe('00:05');
  });

  it('knows a real calendar date', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-2-1')).toBe(false);
  });
});
