import { describe, expect, it } from 'vitest';
import {
  allowedStatusMoves,
  coarsePlace,
  contactOf,
  initials,
  londonClock,
  londonDay,
  londonInstant,
  placeLine,
  rescheduleProblem,
  statusMoveProblem,
  weekDays,
  weekRange,
  weekStartOf,
} from './rules.ts';

describe('weeks in Europe/London', () => {
  it('starts the week on Monday, whatever day it is given', () => {
    expect(weekStartOf('2026-11-30')).toBe('2026-11-30'); // a Monday
    expect(weekStartOf('2026-12-02')).toBe('2026-11-30');
    expect(weekStartOf('2026-12-06')).toBe('2026-11-30'); // Sunday belongs to the week before
    expect(weekStartOf('2027-01-01')).toBe('2026-12-28'); // across a year end
    expect(weekDays('2026-11-30')).toEqual([
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
    ]);
  });

  it('runs from Monday 00:00 BST to the next Monday 00:00 GMT across the October clock change', () => {
    // The clocks go back at 02:00 BST on Sunday 25 October 2026.
    const range = weekRange('2026-10-21');
    expect(range).toEqual({ from: '2026-10-18T23:00:00.000Z', to: '2026-10-26T00:00:00.000Z' });
    expect(Date.parse(range.to) - Date.parse(range.from)).toBe((7 * 24 + 1) * 3_600_000);
  });

  it('puts an appointment late on the Sunday of the clock change in that week, and Monday 00:30 in the next', () => {
    const range = weekRange('2026-10-19');
    const sundayNight = londonInstant('2026-10-25', '23:30')!.toISOString();
    const mondayEarly = londonInstant('2026-10-26', '00:30')!.toISOString();
    expect(sundayNight).toBe('2026-10-25T23:30:00.000Z');
    expect(sundayNight >= range.from && sundayNight < range.to).toBe(true);
    expect(mondayEarly >= range.to).toBe(true);
    expect(londonDay(sundayNight)).toBe('2026-10-25');
  });

  it('runs an hour short across the March clock change', () => {
    const range = weekRange('2027-03-24');
    expect(range).toEqual({ from: '2027-03-22T00:00:00.000Z', to: '2027-03-28T23:00:00.000Z' });
  });

  it('turns a UK wall-clock time into the right UTC instant in summer and winter', () => {
    expect(londonInstant('2026-07-01', '09:30')?.toISOString()).toBe('2026-07-01T08:30:00.000Z');
    expect(londonInstant('2026-12-01', '09:30')?.toISOString()).toBe('2026-12-01T09:30:00.000Z');
    expect(londonClock('2026-07-01T08:30:00.000Z')).toBe('09:30');
  });

  it('takes the first 01:30 on the night the clocks go back, and refuses a time skipped when they go forward', () => {
    expect(londonInstant('2026-10-25', '01:30')?.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(londonInstant('2027-03-28', '01:30')).toBeNull();
    expect(londonInstant('2026-02-30', '10:00')).toBeNull();
  });
});

describe('appointment status moves', () => {
  it('lets a planned appointment be attended, not attended or cancelled', () => {
    expect(allowedStatusMoves('planned')).toEqual(['attended', 'did_not_attend', 'cancelled']);
    expect(statusMoveProblem('planned', 'attended')).toBeNull();
    expect(statusMoveProblem('planned', 'did_not_attend')).toBeNull();
    expect(statusMoveProblem('planned', 'cancelled')).toBeNull();
  });

  it('lets "did not attend" be corrected to attended, and nothing else', () => {
    expect(statusMoveProblem('did_not_attend', 'attended')).toBeNull();
    expect(statusMoveProblem('did_not_attend', 'cancelled')).toMatch(/cannot be marked cancelled/);
  });

  it('keeps attended and cancelled appointments as they are, saying what to do instead', () => {
    expect(statusMoveProblem('attended', 'cancelled')).toMatch(/Change the contact instead/);
    expect(statusMoveProblem('cancelled', 'attended')).toMatch(/Plan a new appointment/);
    expect(statusMoveProblem('planned', 'planned')).toMatch(/already planned/);
  });

  it('reschedules only planned appointments', () => {
    expect(rescheduleProblem('planned')).toBeNull();
    expect(rescheduleProblem('attended')).toMatch(/Only a planned appointment/);
  });
});

describe('place and initials', () => {
  it('writes the place in one line', () => {
    const site = {
      placeKind: 'site',
      siteName: 'St Mary’s Hospital',
      department: 'Pharmacy',
      placeDetail: 'staff entrance',
    } as const;
    expect(placeLine(site)).toBe('St Mary’s Hospital, Pharmacy (staff entrance)');
    expect(coarsePlace(site)).toBe('St Mary’s Hospital, Pharmacy');
    expect(placeLine({ placeKind: 'community', siteName: null, department: null, placeDetail: 'Costa, High Street' })).toBe(
      'Community (Costa, High Street)',
    );
    expect(placeLine({ placeKind: 'remote', siteName: null, department: null, placeDetail: null })).toBe('Remote');
  });

  it('gives initials only', () => {
    expect(initials('Jo', 'Smith')).toBe('J.S.');
    expect(initials('émile', "o'Neill")).toBe('É.O.');
  });

  it('maps where an appointment was to the contact it becomes', () => {
    expect(contactOf({ placeKind: 'site', purpose: 'in_work_support' })).toEqual({
      mode: 'face_to_face',
      place: 'workplace',
      purpose: 'in_work_support',
    });
    expect(contactOf({ placeKind: 'community', purpose: null })).toEqual({
      mode: 'face_to_face',
      place: 'community',
      purpose: 'engagement',
    });
    expect(contactOf({ placeKind: 'remote', purpose: 'job_search' }, 'video')).toEqual({
      mode: 'video',
      place: 'remote',
      purpose: 'job_search',
    });
  });
});
