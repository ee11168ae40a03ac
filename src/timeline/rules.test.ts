import { describe, expect, it } from 'vitest';
import {
  type Dated,
  compareNewestFirst,
  dayStart,
  kindsFor,
  kindsToShow,
  mergeNewestFirst,
  pageNumbers,
  referralEvents,
  timelinePage,
} from './rules.ts';

const e = (kind: Dated['kind'], id: string, at: string): Dated => ({ kind, id, at });

describe('timeline rules', () => {
  const contacts = [
    e('contact', 'c3', '2026-11-25T10:00:00Z'),
    e('contact', 'c2', '2026-11-20T10:00:00Z'),
    e('contact', 'c1', '2026-11-01T10:00:00Z'),
  ];
  const statuses = [e('status', 's2', '2026-11-21T09:00:00Z'), e('status', 's1', '2026-10-30T09:00:00Z')];
  const profiles = [e('profile', 'p1', '2026-11-22T12:00:00Z')];

  it('merges sources newest first', () => {
    const merged = mergeNewestFirst([contacts, statuses, profiles], 10);
    expect(merged.map((x) => x.id)).toEqual(['c3', 'p1', 's2', 'c2', 'c1', 's1']);
  });

  it('takes no more than asked for', () => {
    expect(mergeNewestFirst([contacts, statuses, profiles], 2).map((x) => x.id)).toEqual(['c3', 'p1']);
    expect(mergeNewestFirst([contacts], 0)).toEqual([]);
    expect(mergeNewestFirst([], 5)).toEqual([]);
  });

  it('sorts a source that arrives out of order', () => {
    const shuffled = [contacts[2]!, contacts[0]!, contacts[1]!];
    expect(mergeNewestFirst([shuffled, statuses], 10).map((x) => x.id)).toEqual(['c3', 's2', 'c2', 'c1', 's1']);
  });

  it('orders entries at the same instant by kind, then id, so pages never shift', () => {
    const at = '2026-11-25T10:00:00Z';
    const same = [e('profile', 'b', at), e('status', 'a', at), e('contact', 'a', at), e('contact', 'b', at)];
    expect([...same].sort(compareNewestFirst).map((x) => `${x.kind}:${x.id}`)).toEqual([
      'contact:b',
      'contact:a',
      'status:a',
      'profile:b',
    ]);
  });

  it('compares instants written with different offsets by time, not by text', () => {
    const a = e('contact', 'a', '2026-11-25T10:30:00+01:00');
    const b = e('contact', 'b', '2026-11-25T09:45:00Z');
    expect(compareNewestFirst(a, b)).toBeGreaterThan(0);
  });

  it('pages through the merged timeline', () => {
    const sources = [contacts, statuses, profiles];
    const first = timelinePage(sources, 6, 1, 4);
    expect(first).toMatchObject({ page: 1, pages: 2, total: 6, first: 1, last: 4 });
    expect(first.items.map((x) => x.id)).toEqual(['c3', 'p1', 's2', 'c2']);
    const second = timelinePage(sources, 6, 2, 4);
    expect(second).toMatchObject({ page: 2, pages: 2, first: 5, last: 6 });
    expect(second.items.map((x) => x.id)).toEqual(['c1', 's1']);
    expect(timelinePage(sources, 6, 3, 4)).toMatchObject({ items: [], first: 0, last: 8 });
    expect(timelinePage([], 0, 1, 25)).toMatchObject({ items: [], pages: 1, total: 0 });
  });

  it('shows every kind when none is chosen', () => {
    expect(kindsToShow(undefined)).toEqual(['contact', 'employer_contact', 'status', 'referral', 'profile', 'internship']);
    expect(kindsToShow([])).toEqual(['contact', 'employer_contact', 'status', 'referral', 'profile', 'internship']);
    expect(kindsToShow(['profile', 'contact', 'contact'])).toEqual(['contact', 'profile']);
  });

  it('never offers a clinician employer contacts, even when asked for', () => {
    expect(kindsFor('clinician')).toEqual(['contact', 'status', 'referral', 'profile', 'internship']);
    expect(kindsFor('practitioner')).toContain('employer_contact');
    expect(kindsToShow(['employer_contact'], kindsFor('clinician'))).toEqual([]);
    expect(kindsToShow(undefined, kindsFor('clinician'))).not.toContain('employer_contact');
  });

  it('dates a day at its start in London, in summer and winter', () => {
    expect(dayStart('2026-11-25')).toBe('2026-11-25T00:00:00.000Z');
    expect(dayStart('2026-07-01')).toBe('2026-06-30T23:00:00.000Z');
  });

  it('turns a referral into received and, once closed, closed, the closing listed first on the same day', () => {
    const open = { id: 'r1', receivedDate: '2026-11-20', closedDate: null };
    expect(referralEvents(open).map((x) => x.event)).toEqual(['received']);
    const closed = { id: 'r2', receivedDate: '2026-11-20', closedDate: '2026-11-20' };
    const events = referralEvents(closed);
    expect(
      [...events]
        .reverse()
        .sort(compareNewestFirst)
        .map((x) => x.event),
    ).toEqual(['closed', 'received']);
  });

  it('lists page numbers around the current one with gaps', () => {
    expect(pageNumbers(1, 1)).toEqual([1]);
    expect(pageNumbers(1, 3)).toEqual([1, 2, 3]);
    expect(pageNumbers(5, 10)).toEqual([1, null, 4, 5, 6, null, 10]);
    expect(pageNumbers(10, 10)).toEqual([1, null, 9, 10]);
  });
});
