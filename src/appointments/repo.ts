import type { AppointmentsTable, CalendarFeedsTable, DbOrTrx } from '../db/types.ts';
import { rowsUpdated } from '../db/records.ts';

export type AppointmentRow = AppointmentsTable;
export type CalendarFeedRow = CalendarFeedsTable;

/** An appointment with what its pages show beside it: the person's names and scope, and the site's name. */
export type AppointmentListRow = AppointmentRow & {
  given_name: string;
  family_name: string;
  preferred_name: string | null;
  participant_practitioner_id: string | null;
  participant_team_id: string | null;
  site_name: string | null;
};

function withDetails(db: DbOrTrx) {
  return db
    .selectFrom('appointments')
    .innerJoin('participants', 'participants.id', 'appointments.participant_id')
    .leftJoin('sites', 'sites.id', 'appointments.site_id')
    .selectAll('appointments')
    .select([
      'participants.given_name',
      'participants.family_name',
      'participants.preferred_name',
      'participants.practitioner_id as participant_practitioner_id',
      'participants.team_id as participant_team_id',
      'sites.name as site_name',
    ]);
}

export async function insert(db: DbOrTrx, row: AppointmentRow): Promise<void> {
  await db.insertInto('appointments').values(row).execute();
}

export async function findById(db: DbOrTrx, id: string): Promise<AppointmentListRow | undefined> {
  return withDetails(db).where('appointments.id', '=', id).executeTakeFirst();
}

/** Applies changes when `version` still matches; returns the rows changed (0 means stale). */
export async function update(db: DbOrTrx, id: string, version: number, changes: Partial<AppointmentRow>): Promise<number> {
  const result = await db
    .updateTable('appointments')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return rowsUpdated(result);
}

/** A practitioner's appointments starting in [from, to), by time: one query. */
export async function listForPractitioner(
  db: DbOrTrx,
  practitionerId: string,
  range: { from?: string | undefined; to?: string | undefined },
  page: { limit: number; after?: { startsAt: string; id: string } | undefined } = { limit: 1000 },
): Promise<AppointmentListRow[]> {
  let q = withDetails(db).where('appointments.practitioner_id', '=', practitionerId);
  if (range.from) q = q.where('appointments.starts_at', '>=', range.from);
  if (range.to) q = q.where('appointments.starts_at', '<', range.to);
  const after = page.after;
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb('appointments.starts_at', '>', after.startsAt),
        eb.and([eb('appointments.starts_at', '=', after.startsAt), eb('appointments.id', '>', after.id)]),
      ]),
    );
  }
  return q.orderBy('appointments.starts_at').orderBy('appointments.id').limit(page.limit).execute();
}

/** A person's appointments, soonest first. */
export async function listForParticipant(db: DbOrTrx, participantId: string, limit: number): Promise<AppointmentListRow[]> {
  return withDetails(db)
    .where('appointments.participant_id', '=', participantId)
    .orderBy('appointments.starts_at', 'desc')
    .orderBy('appointments.id')
    .limit(limit)
    .execute();
}

/** The earliest planned appointment at or after `from` of each person in the list, in one query. */
export async function nextPlannedAt(db: DbOrTrx, participantIds: readonly string[], from: string): Promise<Map<string, string>> {
  if (participantIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('appointments')
    .select(['participant_id', (eb) => eb.fn.min('starts_at').as('next')])
    .where('participant_id', 'in', participantIds)
    .where('status', '=', 'planned')
    .where('starts_at', '>=', from)
    .groupBy('participant_id')
    .execute();
  return new Map(rows.map((r) => [r.participant_id, String(r.next)]));
}

// ---- Calendar feeds ---------------------------------------------------------------------------

export async function insertFeed(db: DbOrTrx, row: CalendarFeedRow): Promise<void> {
  await db.insertInto('calendar_feeds').values(row).execute();
}

/** Revokes every live feed of a user; returns how many there were. */
export async function revokeFeeds(db: DbOrTrx, userId: string, at: string): Promise<number> {
  const result = await db
    .updateTable('calendar_feeds')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return rowsUpdated(result);
}

export async function liveFeedOf(db: DbOrTrx, userId: string): Promise<CalendarFeedRow | undefined> {
  return db
    .selectFrom('calendar_feeds')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

export async function liveFeedByHash(db: DbOrTrx, tokenHash: string): Promise<CalendarFeedRow | undefined> {
  return db
    .selectFrom('calendar_feeds')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}
