import { londonInstant } from '../referrals/rules.ts';
import type { Role } from '../users/roles.ts';

/** What a person's timeline can show, in the order a tie on the same instant is listed. */
export const TIMELINE_KINDS = ['contact', 'employer_contact', 'status', 'referral', 'profile', 'internship'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];
export const TIMELINE_KIND_LABELS: Record<TimelineKind, string> = {
  contact: 'Contacts',
  employer_contact: 'Employer contacts on their behalf',
  status: 'Status changes',
  referral: 'Referrals received and closed',
  profile: 'Vocational profile versions',
  internship: 'Supported internship',
};

/** Anything the timeline lists: its kind, a unique id, and the ISO-8601 instant it is dated by. */
export interface Dated {
  kind: TimelineKind;
  id: string;
  at: string;
}

const KIND_ORDER: Record<TimelineKind, number> = {
  contact: 0,
  employer_contact: 1,
  status: 2,
  referral: 3,
  profile: 4,
  internship: 5,
};

/**
 * The kinds a role may see on a timeline. Job development is not shared with the clinical team,
 * so a clinician never sees employer contacts.
 */
export function kindsFor(role: Role): TimelineKind[] {
  return role === 'clinician' ? TIMELINE_KINDS.filter((k) => k !== 'employer_contact') : [...TIMELINE_KINDS];
}

/** Newest first; on the same instant by kind, then by id, so the order never changes between pages. */
export function compareNewestFirst(a: Dated, b: Dated): number {
  const ta = Date.parse(a.at);
  const tb = Date.parse(b.at);
  if (ta !== tb) return tb - ta;
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * Merges sources that are each newest first into one newest-first list of at most `take` entries:
 * a k-way merge that looks at no more than `take` entries of each source, never sorting them all.
 * A source that is not in order is sorted first, so a caller's mistake costs time, not correctness.
 */
export function mergeNewestFirst<T extends Dated>(sources: readonly (readonly T[])[], take: number): T[] {
  const lists = sources.map((s) => (isNewestFirst(s) ? s : [...s].sort(compareNewestFirst)));
  const heads = lists.map(() => 0);
  const out: T[] = [];
  while (out.length < take) {
    let best = -1;
    for (let i = 0; i < lists.length; i++) {
      const candidate = lists[i]?.[heads[i] ?? 0];
      if (candidate === undefined) continue;
      const current = best >= 0 ? lists[best]?.[heads[best] ?? 0] : undefined;
      if (current === undefined || compareNewestFirst(candidate, current) < 0) best = i;
    }
    if (best < 0) break;
    out.push(lists[best]![heads[best]!]!);
    heads[best]! += 1;
  }
  return out;
}

function isNewestFirst(list: readonly Dated[]): boolean {
  for (let i = 1; i < list.length; i++) if (compareNewestFirst(list[i - 1]!, list[i]!) > 0) return false;
  return true;
}

/** Which kinds to show: those asked for that are `available`, or all available when none is asked for. */
export function kindsToShow(
  asked: readonly TimelineKind[] | undefined,
  available: readonly TimelineKind[] = TIMELINE_KINDS,
): TimelineKind[] {
  const set = new Set(asked ?? []);
  return set.size === 0 ? [...available] : available.filter((k) => set.has(k));
}

export interface TimelinePage<T> {
  items: T[];
  page: number;
  pages: number;
  total: number;
  /** 1-based position of the first item on the page, and of the last. */
  first: number;
  last: number;
}

/**
 * One page of the merged timeline. Each source holds its newest `page * pageSize` entries (or
 * all it has) and `total` counts every entry of the kinds shown, so a page needs one bounded
 * fetch per source whatever the person's history.
 */
export function timelinePage<T extends Dated>(
  sources: readonly (readonly T[])[],
  total: number,
  page: number,
  pageSize: number,
): TimelinePage<T> {
  const offset = (page - 1) * pageSize;
  const items = mergeNewestFirst(sources, offset + pageSize).slice(offset);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return { items, page, pages, total, first: items.length ? offset + 1 : 0, last: offset + items.length };
}

/** How many entries of each source a page needs: everything up to the end of that page. */
export function fetchLimit(page: number, pageSize: number): number {
  return page * pageSize;
}

/**
 * The instant a calendar date (`YYYY-MM-DD`) is listed at: the start of that day in London, so
 * a referral received on a day comes before (below) the contacts made that day.
 */
export function dayStart(date: string): string {
  return londonInstant(date, '00:00').toISOString();
}

/**
 * The referral events a timeline shows: received, and closed when it has been. Both are dated by
 * day; their ids end `/1` and `/2` so a referral closed on the day it arrived lists the closing
 * above the receipt.
 */
export function referralEvents<R extends { id: string; receivedDate: string; closedDate: string | null }>(
  referral: R,
): { kind: 'referral'; id: string; at: string; event: 'received' | 'closed'; referral: R }[] {
  const events: { kind: 'referral'; id: string; at: string; event: 'received' | 'closed'; referral: R }[] = [];
  if (referral.closedDate) {
    events.push({ kind: 'referral', id: `${referral.id}/2`, at: dayStart(referral.closedDate), event: 'closed', referral });
  }
  events.push({ kind: 'referral', id: `${referral.id}/1`, at: dayStart(referral.receivedDate), event: 'received', referral });
  return events;
}

/** Page numbers to link, with `null` for a gap: the first, the last, and those beside the current one. */
export function pageNumbers(page: number, pages: number): (number | null)[] {
  const shown = [...new Set([1, page - 1, page, page + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  const out: (number | null)[] = [];
  shown.forEach((n, i) => {
    const before = shown[i - 1];
    if (before !== undefined && n - before > 1) out.push(null);
    out.push(n);
  });
  return out;
}
