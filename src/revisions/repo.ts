import type { DbOrTrx, RecordRevisionsTable } from '../db/types.ts';
import { toCount } from '../db/records.ts';

export type RevisionRow = RecordRevisionsTable;

export async function insertMany(db: DbOrTrx, rows: readonly RevisionRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('record_revisions')
    .values([...rows])
    .execute();
}

/** A page of a person's earlier values, newest first, limited to the fields given, with who changed each. */
export async function forParticipant(
  db: DbOrTrx,
  participantId: string,
  fields: readonly string[],
  page: { limit: number; offset: number },
): Promise<{ rows: (RevisionRow & { changed_by_name: string | null })[]; total: number }> {
  if (fields.length === 0) return { rows: [], total: 0 };
  const base = db
    .selectFrom('record_revisions')
    .where('record_revisions.participant_id', '=', participantId)
    .where('record_revisions.field', 'in', fields);
  const totalRow = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .leftJoin('users', 'users.id', 'record_revisions.changed_by_user_id')
    .selectAll('record_revisions')
    .select('users.name as changed_by_name')
    .orderBy('record_revisions.changed_at', 'desc')
    .orderBy('record_revisions.field')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows, total: toCount(totalRow.n) };
}
