import { londonTime } from '../calendar/bank-holidays.ts';
import type { ContactMode, ContactPlace, ContactPurpose } from '../contacts/rules.ts';

export const APPOINTMENT_STATUSES = ['planned', 'attended', 'did_not_attend', 'cancelled'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
export const APPOINTMENT_STATUS_LABELS: Record<AppointmentStatus, string> = {
  planned: 'Planned',
  attended: 'Attended',
  did_not_attend: 'Did not attend',
  cancelled: 'Cancelled',
};
export const APPOINTMENT_STATUS_COLOURS: Record<AppointmentStatus, string> = {
  planned: 'blue',
  attended: 'green',
  did_not_attend: 'orange',
  cancelled: 'grey',
};

/** Where an appointment happens: at one of the service's sites (optionally a department there), out in the community, or remotely. */
export const PLACE_KINDS = ['site', 'community', 'remote'] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];
export const PLACE_KIND_LABELS: Record<PlaceKind, string> = {
  site: 'At a site',
  community: 'In the community',
  remote: 'Remote (phone or video)',
};

// Attended and cancelled are final: an attended appointment became a contact (change the contact
// instead), and a cancelled one is planned again as a new appointment. "Did not attend" can be
// corrected to attended when the person turned up late or it was recorded by mistake.
const MOVES: Record<AppointmentStatus, readonly AppointmentStatus[]> = {
  planned: ['attended', 'did_not_attend', 'cancelled'],
  did_not_attend: ['attended'],
  attended: [],
  cancelled: [],
};

/** Statuses an appointment can move to from `from`. */
export function allowedStatusMoves(from: AppointmentStatus): readonly AppointmentStatus[] {
  return MOVES[from];
}

/** Why a status move is refused, in words for the practitioner; null when it is allowed. */
export function statusMoveProblem(from: AppointmentStatus, to: AppointmentStatus): string | null {
  if (from === to) return `This appointment is already ${APPOINTMENT_STATUS_LABELS[from].toLowerCase()}`;
  if (MOVES[from].includes(to)) return null;
  if (from === 'attended') return 'This appointment was attended and logged as a contact. Change the contact instead';
  if (from === 'cancelled') return 'This appointment was cancelled. Plan a new appointment instead';
  return `An appointment that is ${APPOINTMENT_STATUS_LABELS[from].toLowerCase()} cannot be marked ${APPOINTMENT_STATUS_LABELS[to].toLowerCase()}`;
}

/** Only a planned appointment is moved to another time or place. */
export function rescheduleProblem(status: AppointmentStatus): string | null {
  return status === 'planned'
    ? null
    : `Only a planned appointment can be changed; this one is ${APPOINTMENT_STATUS_LABELS[status].toLowerCase()}`;
}

// ---- Time in Europe/London ------------------------------------------------------------------------

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The instant a wall-clock day and time in Europe/London stands for. In the hour the clocks go
 * back the earlier (BST) instant is taken; a time skipped when the clocks go forward is null.
 */
export function londonInstant(day: string, time: string): Date | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(time);
  if (!m || !isCalendarDate(day)) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  const wall = Date.parse(`${day}T${pad(Number(m[1]))}:${m[2]}:00Z`);
  if (Number.isNaN(wall)) return null;
  // London is UTC+1 (summer) or UTC+0 (winter): try the summer offset first.
  for (const offsetMinutes of [60, 0]) {
    const candidate = new Date(wall - offsetMinutes * 60_000);
    const t = londonTime(candidate);
    if (t.day === day && t.hour * 60 + t.minute === minutes) return candidate;
  }
  return null;
}

/** `YYYY-MM-DD` that is a real calendar date. */
export function isCalendarDate(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

/** A calendar day `n` days after `day` (before, when negative). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The Monday of the week (Monday to Sunday) that holds `day`. */
export function weekStartOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 is Sunday
  return addDays(day, -((weekday + 6) % 7));
}

/** The seven days of the week starting on `monday`. */
export function weekDays(monday: string): string[] {
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/**
 * The instants a London week covers: from Monday 00:00 to the next Monday 00:00, UK time, as
 * UTC. A week with a clock change is an hour longer or shorter than 7 × 24 hours.
 */
export function weekRange(monday: string): { from: string; to: string } {
  const start = weekStartOf(monday);
  return {
    from: londonInstant(start, '00:00')!.toISOString(),
    to: londonInstant(addDays(start, 7), '00:00')!.toISOString(),
  };
}

/** The UK calendar day an instant falls on. */
export function londonDay(instant: string | Date): string {
  return londonTime(typeof instant === 'string' ? new Date(instant) : instant).day;
}

/** "14:30", UK time. */
export function londonClock(instant: string | Date): string {
  const t = londonTime(typeof instant === 'string' ? new Date(instant) : instant);
  return `${pad(t.hour)}:${pad(t.minute)}`;
}

// ---- Place ------------------------------------------------------------------------------------------

export interface PlaceParts {
  placeKind: PlaceKind;
  siteName: string | null;
  department: string | null;
  placeDetail: string | null;
}

/** Where, in one line: "St Mary’s Hospital, Pharmacy (staff entrance)", "Community (Costa, High Street)", "Remote (video)". */
export function placeLine(p: PlaceParts): string {
  const main = coarsePlace(p);
  return p.placeDetail ? `${main} (${p.placeDetail})` : main;
}

/**
 * The place without the free-text detail, for the calendar feed: the detail is typed freely and
 * could hold an address or the name of a clinic, so it stays inside Stepwise.
 */
export function coarsePlace(p: PlaceParts): string {
  if (p.placeKind === 'site') return [p.siteName ?? 'Site', p.department].filter(Boolean).join(', ');
  return p.placeKind === 'community' ? 'Community' : 'Remote';
}

export { initialsOf as initials } from '../participants/rules.ts';

/** How an attended appointment is logged as a contact: mode and place follow from where it was. */
export function contactOf(
  a: { placeKind: PlaceKind; purpose: ContactPurpose | null },
  remoteMode: ContactMode = 'phone',
): { mode: ContactMode; place: ContactPlace; purpose: ContactPurpose } {
  const purpose = a.purpose ?? 'engagement';
  if (a.placeKind === 'remote') return { mode: remoteMode === 'face_to_face' ? 'phone' : remoteMode, place: 'remote', purpose };
  return { mode: 'face_to_face', place: a.placeKind === 'site' ? 'workplace' : 'community', purpose };
}
