import type { DbOrTrx } from '../db/types.ts';

/** Active practitioners with an email address, who each get a digest. */
export async function practitioners(db: DbOrTrx): Promise<{ id: string; name: string; email: string }[]> {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'email'])
    .where('role', '=', 'practitioner')
    .where('active', '=', 1)
    .orderBy('email')
    .execute();
}

/** Claims the day's send for a practitioner; false when it was already claimed (sent before, even before a restart). */
export async function claimSend(db: DbOrTrx, userId: string, day: string, at: string): Promise<boolean> {
  const result = await db
    .insertInto('digest_sends')
    .values({ user_id: userId, day, sent_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'day']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Gives a claim back when sending failed, so a later run tries again. */
export async function releaseSend(db: DbOrTrx, userId: string, day: string): Promise<void> {
  await db.deleteFrom('digest_sends').where('user_id', '=', userId).where('day', '=', day).execute();
}

/** A practitioner's planned appointments between two instants, with the person's names for initials. */
export async function appointmentsBetween(db: DbOrTrx, practitionerId: string, from: string, to: string) {
  return db
    .selectFrom('appointments')
    .innerJoin('participants', 'participants.id', 'appointments.participant_id')
    .leftJoin('sites', 'sites.id', 'appointments.site_id')
    .select([
      'appointments.starts_at',
      'appointments.place_kind',
      'appointments.department',
      'sites.name as site_name',
      'participants.given_name',
      'participants.family_name',
      'participants.preferred_name',
    ])
    .where('appointments.practitioner_id', '=', practitionerId)
    .where('appointments.status', '=', 'planned')
    .where('appointments.starts_at', '>=', from)
    .where('appointments.starts_at', '<', to)
    .orderBy('appointments.starts_at')
    .execute();
}
