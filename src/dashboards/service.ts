import type { DbOrTrx } from '../db/types.ts';
import { type Viewer, initialsOf } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import { daysBetween, londonDate, londonInstant } from '../referrals/rules.ts';
import * as settings from '../settings/service.ts';
import * as support from '../support/service.ts';
import * as users from '../users/service.ts';
import * as repo from './repo.ts';
import {
  type Alert,
  type AlertKind,
  type AlertLimits,
  type CaseloadFacts,
  type ContactCounts,
  type EmployerContactWeek,
  type TeamFigures,
  type Week,
  alertsFor,
  employerContactWeeks,
  noContactAlert,
  recentWeeks,
  sumCounts,
  teamFigures,
  weeksInstants,
} from './rules.ts';

/** The most people one dashboard lists; far above any caseload, it only bounds a runaway team. */
export const MAX_PEOPLE = 500;
/** The most contacts a figure's list shows. */
export const MAX_CONTACTS = 500;

/** The alert limits, caseload limit and weekly employer contact target from the service's settings. */
export async function dashboardSettings(
  db: DbOrTrx,
): Promise<{ limits: AlertLimits; caseloadLimit: number; employerFaceToFaceTarget: number }> {
  const s = await settings.getSettings(db);
  return {
    caseloadLimit: s.caseloadLimit,
    employerFaceToFaceTarget: s.employerFaceToFaceTarget,
    limits: {
      firstContactTargetDays: s.firstContactTargetDays,
      noContactDays: s.noContactAlertDays,
      jobSearchEmployerContactDays: s.jobSearchEmployerContactDays,
      supportReviewDays: s.supportReviewDays,
    },
  };
}

/** One person on a dashboard: who, where they are, when last and next seen, and what needs doing. */
export interface CaseloadEntry {
  participant: participants.ParticipantListItem;
  facts: CaseloadFacts;
  lastContactAt: string | null;
  /** Calendar days since the last contact, or null when none is logged. */
  lastContactDaysAgo: number | null;
  nextAppointmentAt: string | null;
  alerts: Alert[];
}

const dayOf = (iso: string | null | undefined): string | null => (iso ? londonDate(new Date(iso)) : null);

/** The later of two instants, either of which may be missing. */
function laterInstant(a: string | null | undefined, b: string | null | undefined): string | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/**
 * The people not discharged that the viewer may see (narrowed by practitioner or team), with the
 * facts their alerts need. A fixed number of queries whatever the list's length: the people (two
 * queries: count and page), then their contacts and next appointments, status dates and open
 * referrals, one grouped query each.
 */
export async function caseloadEntries(
  db: DbOrTrx,
  viewer: Viewer,
  now: Date,
  filter: { practitionerId?: string | undefined; teamId?: string | undefined },
  limits: AlertLimits,
): Promise<{ entries: CaseloadEntry[]; total: number }> {
  const search: Parameters<typeof participants.searchParticipants>[2] = { activeOnly: true };
  if (filter.practitionerId) search.practitionerId = filter.practitionerId;
  if (filter.teamId) search.teamId = filter.teamId;
  const { items, total } = await participants.searchParticipants(db, viewer, search, {
    sort: 'name',
    direction: 'asc',
    limit: MAX_PEOPLE,
    offset: 0,
  });
  const ids = items.map((p) => p.id);
  const nowIso = now.toISOString();
  const today = londonDate(now);
  const [contactRows, statusRows, referralRows, reviews] = await Promise.all([
    repo.contactFacts(db, ids, nowIso),
    repo.statusDates(db, ids),
    repo.openReferrals(db, ids),
    support.dueReviews(db, ids, today),
  ]);
  const contactsById = new Map(contactRows.map((r) => [r.id, r]));
  const since = new Map<string, string>();
  for (const r of statusRows) since.set(`${r.participant_id}:${r.to_status}`, r.changed_at);
  const referralById = new Map<string, { receivedDate: string; firstContactDate: string | null }>();
  for (const r of referralRows) {
    const known = referralById.get(r.participant_id);
    if (!known || r.received_date > known.receivedDate)
      referralById.set(r.participant_id, { receivedDate: r.received_date, firstContactDate: r.first_contact_date });
  }
  const entries = items.map((p): CaseloadEntry => {
    const c = contactsById.get(p.id);
    const referral = referralById.get(p.id) ?? null;
    const facts: CaseloadFacts = {
      participantId: p.id,
      status: p.status,
      onCaseloadSince: referral?.receivedDate ?? londonDate(new Date(p.createdAt)),
      referral,
      lastContactDay: dayOf(c?.last_contact_at),
      // Logged either in the person's contact log or in the employer contact log on their behalf.
      lastEmployerContactDay: dayOf(laterInstant(c?.last_employer_contact_at, c?.last_employer_contact_on_behalf_at)),
      lastInWorkSupportDay: dayOf(c?.last_in_work_support_at),
      jobSearchSince: dayOf(since.get(`${p.id}:job_search`)),
      employedSince: dayOf(since.get(`${p.id}:employed`)),
      supportReview: reviews.get(p.id) ?? null,
    };
    return {
      participant: p,
      facts,
      lastContactAt: c?.last_contact_at ?? null,
      lastContactDaysAgo: facts.lastContactDay ? daysBetween(facts.lastContactDay, today) : null,
      nextAppointmentAt: c?.next_appointment_at ?? null,
      alerts: alertsFor(facts, today, limits),
    };
  });
  return { entries, total };
}

/** People with alerts first (the most first), then by name as listed. */
export function byAttention(entries: readonly CaseloadEntry[]): CaseloadEntry[] {
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => b.e.alerts.length - a.e.alerts.length || a.i - b.i)
    .map((x) => x.e);
}

/** Only the people with an alert of this kind, or with any alert. */
export function withAlert(entries: readonly CaseloadEntry[], kind: AlertKind | 'any'): CaseloadEntry[] {
  return entries.filter((e) => (kind === 'any' ? e.alerts.length > 0 : e.alerts.some((a) => a.kind === kind)));
}

/** The active practitioners of a team, by name. */
export async function teamPractitioners(db: DbOrTrx, teamId: string): Promise<users.User[]> {
  const page = await users.listUsers(db, { role: 'practitioner', active: true, teamId }, MAX_PEOPLE);
  return [...page.items].sort((a, b) => a.name.localeCompare(b.name));
}

/** A date range of London calendar days as the instants that bound it: [start of `from`, start of the day after `to`). */
export function rangeInstants(from: string, to: string): { from: string; to: string } {
  const [y, m, d] = to.split('-').map(Number) as [number, number, number];
  const dayAfter = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return { from: londonInstant(from, '00:00').toISOString(), to: londonInstant(dayAfter, '00:00').toISOString() };
}

export interface PractitionerFigures {
  id: string;
  name: string;
  caseload: number;
  counts: ContactCounts;
  figures: TeamFigures;
  notSeen: number;
}

/** How many weeks the job development section shows: this week and the three before. */
export const JOB_DEVELOPMENT_WEEKS = 4;

export interface JobDevelopment {
  /** Face-to-face employer contacts each practitioner aims for a week. */
  target: number;
  /** This week first. */
  weeks: Week[];
  practitioners: { id: string; name: string; weeks: EmployerContactWeek[] }[];
}

export interface TeamDashboard {
  caseloadLimit: number;
  noContactDays: number;
  practitioners: PractitionerFigures[];
  totals: { caseload: number; counts: ContactCounts; figures: TeamFigures; notSeen: number };
  jobDevelopment: JobDevelopment;
}

/**
 * The viewer's team over a date range: each practitioner's caseload against the limit, contacts
 * per week, face-to-face and out-of-hours shares, employer contacts per week, and how many people
 * on their caseload have had no contact for the no-contact alert's days (as of now). Team totals
 * count everyone in the team, including people with no practitioner. Job development: each
 * practitioner's employer contacts and face-to-face ones in this week and the three before
 * (London weeks, whatever the range), against the service's weekly target.
 */
export async function teamDashboard(
  db: DbOrTrx,
  viewer: Viewer,
  now: Date,
  range: { from: string; to: string },
): Promise<TeamDashboard> {
  const { limits, caseloadLimit, employerFaceToFaceTarget: target } = await dashboardSettings(db);
  const empty = { contacts: 0, faceToFace: 0, outOfHours: 0, employerContacts: 0 };
  const weeks = recentWeeks(londonDate(now), JOB_DEVELOPMENT_WEEKS);
  if (!viewer.teamId) {
    return {
      caseloadLimit,
      noContactDays: limits.noContactDays,
      practitioners: [],
      totals: { caseload: 0, counts: empty, figures: teamFigures(empty, range.from, range.to), notSeen: 0 },
      jobDevelopment: { target, weeks, practitioners: [] },
    };
  }
  const team = await teamPractitioners(db, viewer.teamId);
  const ids = team.map((u) => u.id);
  const instants = rangeInstants(range.from, range.to);
  const weekBounds = weeksInstants(weeks);
  const [caseloads, countRows, people, employerHours] = await Promise.all([
    participants.caseloadCounts(db, ids),
    repo.contactCounts(db, ids, instants.from, instants.to),
    caseloadEntries(db, viewer, now, { teamId: viewer.teamId }, limits),
    repo.employerContactHours(db, ids, weekBounds.from, weekBounds.to),
  ]);
  const byWeek = employerContactWeeks(
    ids,
    employerHours.map((r) => ({
      practitionerId: r.practitioner_id,
      at: r.hour,
      contacts: r.contacts,
      faceToFace: r.face_to_face,
    })),
    weeks,
    target,
  );
  const countsById = new Map(
    countRows.map((r) => [
      r.practitioner_id,
      { contacts: r.contacts, faceToFace: r.face_to_face, outOfHours: r.out_of_hours, employerContacts: r.employer_contacts },
    ]),
  );
  const today = londonDate(now);
  const notSeen = people.entries.filter((e) => noContactAlert(e.facts, today, limits) !== null);
  const rows = team.map((u): PractitionerFigures => {
    const counts = countsById.get(u.id) ?? empty;
    return {
      id: u.id,
      name: u.name,
      caseload: caseloads.counts.get(u.id) ?? 0,
      counts,
      figures: teamFigures(counts, range.from, range.to),
      notSeen: notSeen.filter((e) => e.participant.practitionerId === u.id).length,
    };
  });
  const total = sumCounts(rows.map((r) => r.counts));
  return {
    caseloadLimit,
    noContactDays: limits.noContactDays,
    practitioners: rows,
    totals: {
      caseload: rows.reduce((n, r) => n + r.caseload, 0),
      counts: total,
      figures: teamFigures(total, range.from, range.to),
      notSeen: notSeen.length,
    },
    jobDevelopment: {
      target,
      weeks,
      practitioners: team.map((u) => ({ id: u.id, name: u.name, weeks: byWeek.get(u.id) ?? [] })),
    },
  };
}

/** The people in the viewer's team (optionally one practitioner's) with no contact for the alert's days. */
export async function notSeen(
  db: DbOrTrx,
  viewer: Viewer,
  now: Date,
  practitionerId: string | undefined,
): Promise<{ entries: CaseloadEntry[]; noContactDays: number }> {
  const { limits } = await dashboardSettings(db);
  if (!viewer.teamId) return { entries: [], noContactDays: limits.noContactDays };
  const { entries } = await caseloadEntries(db, viewer, now, { teamId: viewer.teamId, practitionerId }, limits);
  const today = londonDate(now);
  const found = entries.filter((e) => noContactAlert(e.facts, today, limits) !== null);
  // Longest without contact first: they need attention soonest.
  found.sort((a, b) => (a.facts.lastContactDay ?? '').localeCompare(b.facts.lastContactDay ?? ''));
  return { entries: found, noContactDays: limits.noContactDays };
}

export interface TeamContact {
  id: string;
  startedAt: string;
  mode: string;
  purpose: string;
  outOfHours: boolean;
  practitionerName: string | null;
  /** Null when the person is outside the viewer's team: the figure counts the work, the list does not name them. */
  participant: { id: string; name: string } | null;
}

/** The contacts behind a team figure: the team's (or one practitioner's) in the range, of one kind. */
export async function teamContacts(
  db: DbOrTrx,
  viewer: Viewer,
  range: { from: string; to: string },
  practitionerId: string | undefined,
  kind: repo.ContactKind,
): Promise<{ contacts: TeamContact[]; truncated: boolean }> {
  if (!viewer.teamId) return { contacts: [], truncated: false };
  const team = (await teamPractitioners(db, viewer.teamId)).map((u) => u.id);
  const ids = practitionerId ? team.filter((id) => id === practitionerId) : team;
  const instants = rangeInstants(range.from, range.to);
  const rows = await repo.contactList(db, ids, instants.from, instants.to, kind, MAX_CONTACTS + 1);
  const visible = (r: repo.ContactListRow) =>
    r.participant_team_id === viewer.teamId || r.participant_practitioner_id === viewer.userId;
  return {
    truncated: rows.length > MAX_CONTACTS,
    contacts: rows.slice(0, MAX_CONTACTS).map((r) => ({
      id: r.id,
      startedAt: r.started_at,
      mode: r.mode,
      purpose: r.purpose,
      outOfHours: Number(r.out_of_hours) === 1,
      practitionerName: r.practitioner_name,
      participant: visible(r) ? { id: r.participant_id, name: `${r.given_name} ${r.family_name}` } : null,
    })),
  };
}

/**
 * A practitioner's open alerts for the daily email digest, with initials only (the digest's
 * `AlertSource`): the same rules and settings as the caseload page.
 */
export async function digestAlerts(
  db: DbOrTrx,
  practitionerId: string,
  now: Date,
): Promise<{ initials: string; message: string }[]> {
  const { limits } = await dashboardSettings(db);
  const viewer: Viewer = { userId: practitionerId, role: 'practitioner', teamId: null };
  const { entries } = await caseloadEntries(db, viewer, now, { practitionerId }, limits);
  return byAttention(entries).flatMap((e) =>
    e.alerts.map((a) => ({
      initials: initialsOf(e.participant.preferredName ?? e.participant.givenName, e.participant.familyName),
      message: a.message,
    })),
  );
}
