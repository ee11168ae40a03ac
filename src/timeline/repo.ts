import type { DbOrTrx } from '../db/types.ts';

// The timeline is a read model over other domains' records. Where a domain's service offers no
// bounded, unaudited list (profile versions), the timeline reads what it shows itself: ids, dates
// and names only, never the profile's contents.

export interface ProfileVersionRow {
  id: string;
  version: number;
  created_at: string;
  saved_by_name: string | null;
}

/** A person's newest `limit` profile versions (no contents), and how many there are. */
export async function profileVersions(
  db: DbOrTrx,
  participantId: string,
  limit: number,
): Promise<{ rows: ProfileVersionRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('profile_versions')
      .leftJoin('users', 'users.id', 'profile_versions.created_by_user_id')
      .select(['profile_versions.id', 'profile_versions.version', 'profile_versions.created_at', 'users.name as saved_by_name'])
      .where('profile_versions.participant_id', '=', participantId)
      .orderBy('profile_versions.version', 'desc')
      .limit(limit)
      .execute(),
    db
      .selectFrom('profile_versions')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('participant_id', '=', participantId)
      .executeTakeFirst(),
  ]);
  return { rows: rows.map((r) => ({ ...r, version: Number(r.version) })), total: Number(count?.n ?? 0) };
}
