import { containsPattern, like } from '../db/like.ts';
import { sql } from 'kysely';
import type { DbOrTrx, UsersTable } from '../db/types.ts';
import { rowsUpdated, toCount } from '../db/records.ts';

export type UserRow = UsersTable;

export async function insert(db: DbOrTrx, row: UserRow): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function findById(db: DbOrTrx, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findByEmail(db: DbOrTrx, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function countAll(db: DbOrTrx): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return toCount(r.n);
}

export async function countActiveAdmins(db: DbOrTrx): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .executeTakeFirstOrThrow();
  return toCount(r.n);
}

export interface UserListFilter {
  search?: string;
  role?: string;
  teamId?: string;
  active?: boolean;
}

export type UserListRow = UserRow & { team_name: string | null };

/** One page of users ordered by email, with their team's name (one query, no N+1). */
export async function listPage(db: DbOrTrx, f: UserListFilter, limit: number, afterEmail?: string): Promise<UserListRow[]> {
  let q = db
    .selectFrom('users')
    .leftJoin('teams', 'teams.id', 'users.team_id')
    .selectAll('users')
    .select('teams.name as team_name');
  if (f.search) {
    const pattern = containsPattern(f.search.toLowerCase());
    q = q.where((eb) => eb.or([like(sql`lower(${eb.ref('users.name')})`, pattern), like(eb.ref('users.email'), pattern)]));
  }
  if (f.role) q = q.where('users.role', '=', f.role);
  if (f.teamId) q = q.where('users.team_id', '=', f.teamId);
  if (f.active !== undefined) q = q.where('users.active', '=', f.active ? 1 : 0);
  if (afterEmail) q = q.where('users.email', '>', afterEmail);
  return q.orderBy('users.email').limit(limit).execute();
}

/** Applies changes when `version` still matches; returns the rows changed (0 means stale). */
export async function update(
  db: DbOrTrx,
  id: string,
  version: number,
  changes: Partial<Omit<UserRow, 'id' | 'created_at' | 'version'>>,
): Promise<number> {
  const result = await db
    .updateTable('users')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return rowsUpdated(result);
}

/** Changes that are not edits of the record by a person (sign-in time), without a version bump. */
export async function touchSignIn(db: DbOrTrx, id: string, at: string): Promise<void> {
  await db.updateTable('users').set({ last_sign_in_at: at }).where('id', '=', id).execute();
}
