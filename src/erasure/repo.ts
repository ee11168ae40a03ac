import { sql } from 'kysely';
import type { DbOrTrx, ErasureRequestsTable } from '../db/types.ts';

export type ErasureRequestRow = ErasureRequestsTable;

/** A request with its person's name, or nulls once the person is erased. */
export interface ErasureRequestListRow extends ErasureRequestRow {
  given_name: string | null;
  family_name: string | null;
}

export async function insertRequest(db: DbOrTrx, row: ErasureRequestRow): Promise<void> {
  await db.insertInto('erasure_requests').values(row).execute();
}

function withNames(db: DbOrTrx) {
  return db
    .selectFrom('erasure_requests as r')
    .leftJoin('participants as p', 'p.id', 'r.participant_id')
    .selectAll('r')
    .select(['p.given_name', 'p.family_name']);
}

export async function findRequest(db: DbOrTrx, id: string): Promise<ErasureRequestListRow | undefined> {
  return withNames(db).where('r.id', '=', id).executeTakeFirst();
}

/** A team's requests: open ones first, each group by due date. */
export async function listForTeam(db: DbOrTrx, teamId: string): Promise<ErasureRequestListRow[]> {
  return withNames(db)
    .where('r.team_id', '=', teamId)
    .orderBy(sql`case when r.status = 'open' then 0 else 1 end`)
    .orderBy('r.due_on')
    .orderBy('r.created_at')
    .execute();
}

export async function listForParticipant(db: DbOrTrx, participantId: string): Promise<ErasureRequestListRow[]> {
  return withNames(db)
    .where('r.participant_id', '=', participantId)
    .orderBy('r.received_on', 'desc')
    .orderBy('r.created_at')
    .execute();
}

/** Decides an open request; false when it was no longer open. */
export async function decide(
  db: DbOrTrx,
  id: string,
  decision: Pick<ErasureRequestRow, 'status' | 'refusal_reason' | 'decided_by_user_id' | 'decided_at'>,
): Promise<boolean> {
  const result = await db
    .updateTable('erasure_requests')
    .set(decision)
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Marks every other open request about the person as carried out too: there is nothing left to erase. */
export async function closeOthersCarriedOut(
  db: DbOrTrx,
  participantId: string,
  decision: Pick<ErasureRequestRow, 'decided_by_user_id' | 'decided_at'>,
): Promise<string[]> {
  const rows = await db
    .updateTable('erasure_requests')
    .set({ ...decision, status: 'carried_out' })
    .where('participant_id', '=', participantId)
    .where('status', '=', 'open')
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Clears the free text of the person's requests: what stays after erasure holds ids and dates only. */
export async function clearFreeText(db: DbOrTrx, participantId: string): Promise<void> {
  await db.updateTable('erasure_requests').set({ refusal_reason: null }).where('participant_id', '=', participantId).execute();
}

/** Ids per statement, well inside both databases' limits on bound values. */
const CHUNK = 500;

/** Deletes the rows of `table` whose `column` is one of `values`; the number deleted. */
export async function deleteWhereIn(db: DbOrTrx, table: string, column: string, values: readonly string[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < values.length; i += CHUNK) {
    const chunk = values.slice(i, i + CHUNK);
    const result = await sql`delete from ${sql.table(table)} where ${sql.ref(column)} in (${sql.join(chunk)})`.execute(db);
    n += Number(result.numAffectedRows ?? 0);
  }
  return n;
}

/** Other people's records marked "possibly the same person" as this one lose the link. */
export async function unlinkFrom(db: DbOrTrx, participantId: string): Promise<number> {
  const result = await db
    .updateTable('participants')
    .set({ linked_participant_id: null })
    .where('linked_participant_id', '=', participantId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Remembered answers to repeated writes (idempotency keys) whose path or stored answer holds any
 * of `needles`: an API answer can hold the person's whole record as JSON.
 */
export async function deleteIdempotencyKeysMentioning(db: DbOrTrx, needles: readonly string[]): Promise<number> {
  const wanted = needles.filter((n) => n.length >= 6);
  if (wanted.length === 0) return 0;
  const result = await db
    .deleteFrom('idempotency_keys')
    .where((eb) => eb.or(wanted.flatMap((n) => [eb('body', 'like', `%${n}%`), eb('path', 'like', `%${n}%`)])))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
