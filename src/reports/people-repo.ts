import type { DbOrTrx } from '../db/types.ts';

// The few reads behind the people lists and the empty state of the outcome report.

export interface PersonRow {
  id: string;
  given_name: string;
  family_name: string;
  preferred_name: string | null;
  programme: string;
  team_id: string | null;
  practitioner_id: string | null;
  practitioner_name: string | null;
}

/** The named people, with their practitioner's name, in one query. */
export async function peopleByIds(db: DbOrTrx, ids: readonly string[]): Promise<PersonRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('participants')
    .leftJoin('users', 'users.id', 'participants.practitioner_id')
    .select([
      'participants.id',
      'participants.given_name',
      'participants.family_name',
      'participants.preferred_name',
      'participants.programme',
      'participants.team_id',
      'participants.practitioner_id',
      'users.name as practitioner_name',
    ])
    .where('participants.id', 'in', ids)
    .execute();
}

/**
 * Whether anyone in scope has an accepted referral or a job, ever. `teamIds` null means the whole
 * service; otherwise the people of those teams and of the practitioner (the report's own scope).
 */
export async function anyRecords(
  db: DbOrTrx,
  teamIds: readonly string[] | null,
  practitionerId: string | null,
): Promise<boolean> {
  const inScope = (ids: readonly string[] | null) => {
    const q = db.selectFrom('participants').select('participants.id');
    if (ids === null) return q;
    return q.where((eb) =>
      eb.or([
        ...(ids.length > 0 ? [eb('participants.team_id', 'in', ids)] : []),
        ...(practitionerId !== null ? [eb('participants.practitioner_id', '=', practitionerId)] : []),
        ...(ids.length === 0 && practitionerId === null ? [eb.lit(false)] : []),
      ]),
    );
  };
  const [referral, job] = await Promise.all([
    db
      .selectFrom('referrals')
      .select('referrals.id')
      .where('referrals.accepted_date', 'is not', null)
      .where('referrals.participant_id', 'in', inScope(teamIds))
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('placements')
      .select('placements.id')
      .where('placements.participant_id', 'in', inScope(teamIds))
      .limit(1)
      .executeTakeFirst(),
  ]);
  return referral !== undefined || job !== undefined;
}
