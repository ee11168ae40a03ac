import { type ExpressionBuilder, sql } from 'kysely';
import { toCount } from '../db/records.ts';
import type { Database, DbOrTrx } from '../db/types.ts';

// Read-only aggregate queries behind the dashboards. Each one answers for a whole list of people
// or practitioners at once, so a page makes the same few queries however long its list is.
//
// "Latest contact" lookups are correlated subqueries ordered by started_at with LIMIT 1: on the
// (participant_id, started_at) index each is a short backward index scan per person, however many
// years of contacts the person has, instead of a scan and sort of all of them.

/** The latest live contact (optionally of one purpose) of the person in the outer query, up to `now`. */
function latestContact(eb: ExpressionBuilder<Database, 'participants'>, now: string, purpose?: string) {
  let q = eb
    .selectFrom('contacts')
    .select('contacts.started_at')
    .whereRef('contacts.participant_id', '=', 'participants.id')
    .where('contacts.deleted_at', 'is', null)
    .where('contacts.started_at', '<=', now);
  if (purpose) q = q.where('contacts.purpose', '=', purpose);
  return q.orderBy('contacts.started_at', 'desc').limit(1);
}

/** The latest live employer contact made on behalf of the person in the outer query, up to `now`. */
function latestEmployerContactOnBehalf(eb: ExpressionBuilder<Database, 'participants'>, now: string) {
  return eb
    .selectFrom('employer_contacts')
    .select('employer_contacts.contacted_at')
    .whereRef('employer_contacts.participant_id', '=', 'participants.id')
    .where('employer_contacts.deleted_at', 'is', null)
    .where('employer_contacts.contacted_at', '<=', now)
    .orderBy('employer_contacts.contacted_at', 'desc')
    .limit(1);
}

export interface ContactFactsRow {
  id: string;
  last_contact_at: string | null;
  /** From the person's own contact log (purpose employer contact). */
  last_employer_contact_at: string | null;
  /** From the employer contact log, where the contact was made on the person's behalf. */
  last_employer_contact_on_behalf_at: string | null;
  last_in_work_support_at: string | null;
  next_appointment_at: string | null;
}

/**
 * For each person: their latest contact, latest employer contact (in their contact log, and in the
 * employer contact log on their behalf), latest in-work support contact (all up to `now`, deleted
 * ones left out) and their next planned appointment from `now`. One query.
 */
export async function contactFacts(db: DbOrTrx, participantIds: readonly string[], now: string): Promise<ContactFactsRow[]> {
  if (participantIds.length === 0) return [];
  return db
    .selectFrom('participants')
    .select((eb) => [
      'participants.id',
      latestContact(eb, now).as('last_contact_at'),
      latestContact(eb, now, 'employer_contact').as('last_employer_contact_at'),
      latestEmployerContactOnBehalf(eb, now).as('last_employer_contact_on_behalf_at'),
      latestContact(eb, now, 'in_work_support').as('last_in_work_support_at'),
      eb
        .selectFrom('appointments')
        .select('appointments.starts_at')
        .whereRef('appointments.participant_id', '=', 'participants.id')
        .where('appointments.status', '=', 'planned')
        .where('appointments.starts_at', '>=', now)
        .orderBy('appointments.starts_at', 'asc')
        .limit(1)
        .as('next_appointment_at'),
    ])
    .where('participants.id', 'in', participantIds)
    .execute();
}

/** When each person last moved into job search and into work, from the status history. One grouped query. */
export async function statusDates(
  db: DbOrTrx,
  participantIds: readonly string[],
): Promise<{ participant_id: string; to_status: string; changed_at: string }[]> {
  if (participantIds.length === 0) return [];
  const rows = await db
    .selectFrom('participant_status_changes')
    .select(['participant_id', 'to_status', (eb) => eb.fn.max('changed_at').as('changed_at')])
    .where('participant_id', 'in', participantIds)
    .where('to_status', 'in', ['job_search', 'employed'])
    .groupBy(['participant_id', 'to_status'])
    .execute();
  return rows.map((r) => ({ participant_id: r.participant_id, to_status: r.to_status, changed_at: String(r.changed_at) }));
}

/** The open referrals of these people (one each, normally). One query. */
export async function openReferrals(
  db: DbOrTrx,
  participantIds: readonly string[],
): Promise<{ participant_id: string; received_date: string; first_contact_date: string | null }[]> {
  if (participantIds.length === 0) return [];
  return db
    .selectFrom('referrals')
    .select(['participant_id', 'received_date', 'first_contact_date'])
    .where('participant_id', 'in', participantIds)
    .where('status', '=', 'open')
    .execute();
}

export interface ContactCountsRow {
  practitioner_id: string;
  contacts: number;
  face_to_face: number;
  out_of_hours: number;
  employer_contacts: number;
}

/**
 * Contacts each practitioner logged in [from, to): how many, face to face, out of hours, with
 * employers. One grouped query on the (practitioner_id, started_at) index; plain SUM(CASE) so it
 * runs alike on SQLite and PostgreSQL.
 */
export async function contactCounts(
  db: DbOrTrx,
  practitionerIds: readonly string[],
  from: string,
  to: string,
): Promise<ContactCountsRow[]> {
  if (practitionerIds.length === 0) return [];
  const rows = await db
    .selectFrom('contacts')
    .select((eb) => [
      'contacts.practitioner_id',
      eb.fn.countAll().as('contacts'),
      eb.fn.sum(eb.case().when('contacts.mode', '=', 'face_to_face').then(1).else(0).end()).as('face_to_face'),
      eb.fn.sum('contacts.out_of_hours').as('out_of_hours'),
      eb.fn.sum(eb.case().when('contacts.purpose', '=', 'employer_contact').then(1).else(0).end()).as('employer_contacts'),
    ])
    .where('contacts.practitioner_id', 'in', practitionerIds)
    .where('contacts.started_at', '>=', from)
    .where('contacts.started_at', '<', to)
    .where('contacts.deleted_at', 'is', null)
    .groupBy('contacts.practitioner_id')
    .execute();
  return rows.map((r) => ({
    practitioner_id: r.practitioner_id,
    contacts: toCount(r.contacts),
    face_to_face: toCount(r.face_to_face),
    out_of_hours: toCount(r.out_of_hours),
    employer_contacts: toCount(r.employer_contacts),
  }));
}

export const CONTACT_KINDS = ['all', 'face_to_face', 'out_of_hours', 'employer_contact'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

export interface ContactListRow {
  id: string;
  participant_id: string;
  practitioner_id: string;
  started_at: string;
  mode: string;
  purpose: string;
  out_of_hours: number;
  given_name: string;
  family_name: string;
  participant_team_id: string | null;
  participant_practitioner_id: string | null;
  practitioner_name: string | null;
}

/** The contacts behind a team figure, newest first: no notes, only what the list shows. */
export async function contactList(
  db: DbOrTrx,
  practitionerIds: readonly string[],
  from: string,
  to: string,
  kind: ContactKind,
  limit: number,
): Promise<ContactListRow[]> {
  if (practitionerIds.length === 0) return [];
  let q = db
    .selectFrom('contacts')
    .innerJoin('participants', 'participants.id', 'contacts.participant_id')
    .leftJoin('users', 'users.id', 'contacts.practitioner_id')
    .select([
      'contacts.id',
      'contacts.participant_id',
      'contacts.practitioner_id',
      'contacts.started_at',
      'contacts.mode',
      'contacts.purpose',
      'contacts.out_of_hours',
      'participants.given_name',
      'participants.family_name',
      'participants.team_id as participant_team_id',
      'participants.practitioner_id as participant_practitioner_id',
      'users.name as practitioner_name',
    ])
    .where('contacts.practitioner_id', 'in', practitionerIds)
    .where('contacts.started_at', '>=', from)
    .where('contacts.started_at', '<', to)
    .where('contacts.deleted_at', 'is', null);
  if (kind === 'face_to_face') q = q.where('contacts.mode', '=', 'face_to_face');
  if (kind === 'out_of_hours') q = q.where('contacts.out_of_hours', '=', 1);
  if (kind === 'employer_contact') q = q.where('contacts.purpose', '=', 'employer_contact');
  return q.orderBy('contacts.started_at', 'desc').orderBy('contacts.id').limit(limit).execute();
}

export interface EmployerContactHourRow {
  practitioner_id: string;
  /** The UTC hour the contacts were made in, as an ISO instant (`2026-11-23T09:00:00.000Z`). */
  hour: string;
  contacts: number;
  face_to_face: number;
}

// Instants are stored as UTC ISO text, so the first 13 characters are the UTC hour. London is
// always a whole number of hours from UTC, so an hour never straddles two London days (or weeks).
// No bound parameters inside: PostgreSQL then sees the SELECT and GROUP BY expressions as one.
const hourOf = (column: 'employer_contacts.contacted_at' | 'contacts.started_at') =>
  sql<string>`substr(${sql.ref(column)}, 1, 13)`;

type Count = string | number | bigint | null;
const hourRows = (rows: { practitioner_id: string; hour: string; contacts: Count; face_to_face: Count }[]) =>
  rows.map((r) => ({
    practitioner_id: r.practitioner_id,
    hour: `${r.hour}:00:00.000Z`,
    contacts: toCount(r.contacts),
    face_to_face: toCount(r.face_to_face),
  }));

/**
 * Employer contacts each practitioner made in [from, to), by the hour, from both logs: the
 * employer contact log (face to face as recorded there) and contacts with a person whose purpose
 * is an employer contact (face to face by mode). Two grouped queries for the whole team.
 */
export async function employerContactHours(
  db: DbOrTrx,
  practitionerIds: readonly string[],
  from: string,
  to: string,
): Promise<EmployerContactHourRow[]> {
  if (practitionerIds.length === 0) return [];
  const employerLog = hourOf('employer_contacts.contacted_at');
  const contactLog = hourOf('contacts.started_at');
  const [logged, withPerson] = await Promise.all([
    db
      .selectFrom('employer_contacts')
      .select((eb) => [
        'employer_contacts.practitioner_id',
        employerLog.as('hour'),
        eb.fn.countAll().as('contacts'),
        eb.fn.sum('employer_contacts.face_to_face').as('face_to_face'),
      ])
      .where('employer_contacts.practitioner_id', 'in', practitionerIds)
      .where('employer_contacts.contacted_at', '>=', from)
      .where('employer_contacts.contacted_at', '<', to)
      .where('employer_contacts.deleted_at', 'is', null)
      .groupBy(['employer_contacts.practitioner_id', employerLog])
      .execute(),
    db
      .selectFrom('contacts')
      .select((eb) => [
        'contacts.practitioner_id',
        contactLog.as('hour'),
        eb.fn.countAll().as('contacts'),
        eb.fn.sum(eb.case().when('contacts.mode', '=', 'face_to_face').then(1).else(0).end()).as('face_to_face'),
      ])
      .where('contacts.practitioner_id', 'in', practitionerIds)
      .where('contacts.purpose', '=', 'employer_contact')
      .where('contacts.started_at', '>=', from)
      .where('contacts.started_at', '<', to)
      .where('contacts.deleted_at', 'is', null)
      .groupBy(['contacts.practitioner_id', contactLog])
      .execute(),
  ]);
  return [...hourRows(logged), ...hourRows(withPerson)];
}
