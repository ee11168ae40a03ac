import type { DbOrTrx, ProfileVersionsTable } from '../db/types.ts';

export type ProfileVersionRow = ProfileVersionsTable;
export type ProfileVersionWithName = ProfileVersionRow & { saved_by_name: string | null };

function withName(db: DbOrTrx) {
  return db
    .selectFrom('profile_versions')
    .leftJoin('users', 'users.id', 'profile_versions.created_by_user_id')
    .selectAll('profile_versions')
    .select('users.name as saved_by_name');
}

function normalise(r: ProfileVersionWithName): ProfileVersionWithName {
  // PostgreSQL may hand integers back as strings; keep them numbers.
  return { ...r, version: Number(r.version) };
}

/** The highest version of a participant's profile (the current one), or undefined before the first save. */
export async function latest(db: DbOrTrx, participantId: string): Promise<ProfileVersionWithName | undefined> {
  const row = await withName(db)
    .where('profile_versions.participant_id', '=', participantId)
    .orderBy('profile_versions.version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? normalise(row) : undefined;
}

/** One version of a participant's profile. */
export async function findVersion(
  db: DbOrTrx,
  participantId: string,
  version: number,
): Promise<ProfileVersionWithName | undefined> {
  const row = await withName(db)
    .where('profile_versions.participant_id', '=', participantId)
    .where('profile_versions.version', '=', version)
    .executeTakeFirst();
  return row ? normalise(row) : undefined;
}

/** Versions newest first, below `beforeVersion` when given; at most `limit` rows. */
export async function versions(
  db: DbOrTrx,
  participantId: string,
  limit: number,
  beforeVersion?: number,
): Promise<ProfileVersionWithName[]> {
  let q = withName(db).where('profile_versions.participant_id', '=', participantId);
  if (beforeVersion !== undefined) q = q.where('profile_versions.version', '<', beforeVersion);
  const rows = await q.orderBy('profile_versions.version', 'desc').limit(limit).execute();
  return rows.map(normalise);
}

/** Adds a version. The unique (participant, version) constraint refuses a second writer of the same version. */
export async function insert(db: DbOrTrx, row: ProfileVersionRow): Promise<void> {
  await db.insertInto('profile_versions').values(row).execute();
}

/** True for the database's "unique constraint broken" error on either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e) return false;
  if (e.code === '23505') return true; // PostgreSQL
  if (typeof e.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT')) return true;
  return typeof e.message === 'string' && /UNIQUE constraint failed/.test(e.message);
}
