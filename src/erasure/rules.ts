// Pure rules for erasure requests (UK GDPR article 17): when one must be answered, whether it is
// late, and how a request is shown once the person it was about no longer exists.

export const REQUESTED_BY = ['the person', 'their representative'] as const;
export type RequestedBy = (typeof REQUESTED_BY)[number];

export const REQUEST_STATUSES = ['open', 'refused', 'carried_out'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const STATUS_LABELS: Record<RequestStatus, string> = {
  open: 'Open',
  refused: 'Refused',
  carried_out: 'Carried out',
};

export const STATUS_COLOURS: Record<RequestStatus, string> = {
  open: 'blue',
  refused: 'grey',
  carried_out: 'green',
};

/**
 * The day a request received on `receivedOn` (YYYY-MM-DD) must be answered by: the same day of the
 * next calendar month, or that month's last day when it has no such day (31 January gives
 * 28 or 29 February), as the ICO counts "one month".
 */
export function dueDate(receivedOn: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(receivedOn);
  if (!m) throw new Error(`Not a date: ${receivedOn}`);
  const year = Number(m[1]);
  const month = Number(m[2]); // 1 to 12
  const day = Number(m[3]);
  const nextYear = month === 12 ? year + 1 : year;
  const nextMonth = month === 12 ? 1 : month + 1;
  // Day 0 of the month after next is the last day of the next month.
  const lastDay = new Date(Date.UTC(nextYear, nextMonth, 0)).getUTCDate();
  const d = Math.min(day, lastDay);
  return `${nextYear}-${String(nextMonth).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** True when an open request has passed its due day (`today` is YYYY-MM-DD, Europe/London). */
export function isOverdue(status: RequestStatus, dueOn: string, today: string): boolean {
  return status === 'open' && dueOn < today;
}

/** The first eight characters of an id, to tell tombstones apart without naming anyone. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** How a request names its person: their name while they exist, "Erased person" and a short id after. */
export function personLabel(participantId: string, name: string | null): string {
  return name ?? `Erased person ${shortId(participantId)}`;
}
