import type { DbOrTrx, TeamsTable } from '../db/types.ts';
import { rowsUpdated } from '../db/records.ts';

export type TeamRow = TeamsTable;

export async function insert(db: DbOrTrx, row: TeamRow): Promise<void> {
  await db.insertInto('teams').values(row).execute();
}

export async function findById(db: DbOrTrx, id: string): Promise<TeamRow | undefined> {
  return db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findByNameKey(db: DbOrTrx, nameKey: string): Promise<TeamRow | undefined> {
  return db.selectFrom('teams').selectAll().where('name_key', '=', nameKey).executeTakeFirst();
}

export async function listAll(db: DbOrTrx): Promise<TeamRow[]> {
  return db.selectFrom('teams').selectAll().orderBy('name_key').execute();
}

/** A page ordered by name; `after` is the last name key of the previous page. */
export async function listPage(db: DbOrTrx, limit: number, after?: string): Promise<TeamRow[]> {
  let q = db.selectFrom('teams').selectAll();
  if (after) q = q.where('name_key', '>', after);
  return q.orderBy('name_key').limit(limit).execute();
}

export async function memberCounts(db: DbOrTrx): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('users')
    .select(['team_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('team_id', 'is not', null)
    .where('active', '=', 1)
    .groupBy('team_id')
    .execute();
  return new Map(rows.map((r) => [r.team_id as string, Number(r.n)]));
}

/** Renames when `version` still matches; returns the rows changed (0 means stale or gone). */
export async function rename(
  db: DbOrTrx,
  id: string,
  version: number,
  name: string,
  nameKey: string,
  now: string,
): Promise<number> {
  const result = await db
    .updateTable('teams')
    .set({ name, name_key: nameKey, updated_at: now, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return rowsUpdated(result);
}
