import type { DbOrTrx, ReferralContactAttemptsTable, ReferralsTable } from '../db/types.ts';
import { rowsUpdated } from '../db/records.ts';

export type ReferralRow = ReferralsTable;
export type ContactAttemptRow = ReferralContactAttemptsTable;

export async function insert(db: DbOrTrx, row: ReferralRow): Promise<void> {
  await db.insertInto('referrals').values(row).execute();
}

export async function findById(db: DbOrTrx, id: string): Promise<ReferralRow | undefined> {
  return db.selectFrom('referrals').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every referral of a person, newest first (received date, then when it was entered). */
export async function listForParticipant(db: DbOrTrx, participantId: string): Promise<ReferralRow[]> {
  return db
    .selectFrom('referrals')
    .selectAll()
    .where('participant_id', '=', participantId)
    .orderBy('received_date', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** The sort key a page of referrals continues after. */
export interface ReferralKey {
  receivedDate: string;
  createdAt: string;
  id: string;
}

/** A page of a person's referrals, newest first, after `after` when given. */
export async function pageForParticipant(
  db: DbOrTrx,
  participantId: string,
  limit: number,
  after?: ReferralKey,
): Promise<ReferralRow[]> {
  let q = db.selectFrom('referrals').selectAll().where('participant_id', '=', participantId);
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb('received_date', '<', after.receivedDate),
        eb.and([eb('received_date', '=', after.receivedDate), eb('created_at', '<', after.createdAt)]),
        eb.and([eb('received_date', '=', after.receivedDate), eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
      ]),
    );
  }
  return q.orderBy('received_date', 'desc').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Changes a referral only if it is still at `version`; returns the rows changed (0 means stale). */
export async function update(db: DbOrTrx, id: string, version: number, set: Partial<ReferralRow>): Promise<number> {
  const result = await db
    .updateTable('referrals')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return rowsUpdated(result);
}

export async function insertAttempt(db: DbOrTrx, row: ContactAttemptRow): Promise<void> {
  await db.insertInto('referral_contact_attempts').values(row).execute();
}

/** The contact attempts of several referrals in one query, oldest first. */
export async function attemptsFor(db: DbOrTrx, referralIds: readonly string[]): Promise<ContactAttemptRow[]> {
  if (referralIds.length === 0) return [];
  return db
    .selectFrom('referral_contact_attempts')
    .selectAll()
    .where('referral_id', 'in', referralIds)
    .orderBy('attempted_at', 'asc')
    .orderBy('created_at', 'asc')
    .execute();
}
