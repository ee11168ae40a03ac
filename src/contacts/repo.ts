import type { ContactRevisionsTable, ContactsTable, DbOrTrx } from '../db/types.ts';
import { rowsUpdated } from '../db/records.ts';

export type ContactRow = ContactsTable;
export type ContactRevisionRow = ContactRevisionsTable;

export async function insert(db: DbOrTrx, row: ContactRow): Promise<void> {
  await db.insertInto('contacts').values(row).execute();
}

export async function findById(db: DbOrTrx, id: string): Promise<ContactRow | undefined> {
  return db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A participant's contacts, newest first, leaving out deleted ones (and unshared ones when asked). */
export async function listForParticipant(
  db: DbOrTrx,
  participantId: string,
  options: { sharedOnly: boolean; limit: number; offset: number; placementId?: string },
): Promise<(ContactRow & { practitioner_name: string | null })[]> {
  let q = db
    .selectFrom('contacts')
    .leftJoin('users', 'users.id', 'contacts.practitioner_id')
    .selectAll('contacts')
    .select('users.name as practitioner_name')
    .where('contacts.participant_id', '=', participantId)
    .where('contacts.deleted_at', 'is', null);
  if (options.sharedOnly) q = q.where('contacts.shared_with_clinical_team', '=', 1);
  if (options.placementId) q = q.where('contacts.placement_id', '=', options.placementId);
  return q.orderBy('contacts.started_at', 'desc').orderBy('contacts.id').limit(options.limit).offset(options.offset).execute();
}

/** The practitioner's most recent contact, for the form's defaults. */
export async function lastByPractitioner(db: DbOrTrx, practitionerId: string): Promise<ContactRow | undefined> {
  return db
    .selectFrom('contacts')
    .selectAll()
    .where('practitioner_id', '=', practitionerId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function update(db: DbOrTrx, id: string, version: number, changes: Partial<ContactRow>): Promise<number> {
  const result = await db
    .updateTable('contacts')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return rowsUpdated(result);
}

export async function insertRevision(db: DbOrTrx, row: ContactRevisionRow): Promise<void> {
  await db.insertInto('contact_revisions').values(row).execute();
}

export async function revisions(
  db: DbOrTrx,
  contactId: string,
): Promise<(ContactRevisionRow & { revised_by_name: string | null })[]> {
  return db
    .selectFrom('contact_revisions')
    .leftJoin('users', 'users.id', 'contact_revisions.revised_by_user_id')
    .selectAll('contact_revisions')
    .select('users.name as revised_by_name')
    .where('contact_id', '=', contactId)
    .orderBy('revised_at', 'desc')
    .execute();
}

/** The latest contact date of each participant in the list, in one query. */
export async function lastContactAt(db: DbOrTrx, participantIds: readonly string[]): Promise<Map<string, string>> {
  if (participantIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('contacts')
    .select(['participant_id', (eb) => eb.fn.max('started_at').as('last')])
    .where('participant_id', 'in', participantIds)
    .where('deleted_at', 'is', null)
    .groupBy('participant_id')
    .execute();
  return new Map(rows.map((r) => [r.participant_id, String(r.last)]));
}

/** How many of a participant's contacts are not deleted (and, when asked, shared with the clinical team). */
export async function countForParticipant(db: DbOrTrx, participantId: string, options: { sharedOnly: boolean }): Promise<number> {
  let q = db
    .selectFrom('contacts')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('participant_id', '=', participantId)
    .where('deleted_at', 'is', null);
  if (options.sharedOnly) q = q.where('shared_with_clinical_team', '=', 1);
  const row = await q.executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Each listed person's contacts from a day on, oldest first (for "days to first contact"). */
export async function startedSince(
  db: DbOrTrx,
  participantIds: readonly string[],
  sinceDay: string,
): Promise<{ participant_id: string; started_at: string }[]> {
  if (participantIds.length === 0) return [];
  return db
    .selectFrom('contacts')
    .select(['participant_id', 'started_at'])
    .where('participant_id', 'in', participantIds)
    .where('deleted_at', 'is', null)
    .where('started_at', '>=', sinceDay)
    .orderBy('started_at')
    .execute();
}
