import type { DbOrTrx, SitesTable } from '../db/types.ts';
import { rowsUpdated } from '../db/records.ts';

export type SiteRow = SitesTable;

export async function insert(db: DbOrTrx, row: SiteRow): Promise<void> {
  await db.insertInto('sites').values(row).execute();
}

export async function findById(db: DbOrTrx, id: string): Promise<SiteRow | undefined> {
  return db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findByNameKey(db: DbOrTrx, nameKey: string): Promise<SiteRow | undefined> {
  return db.selectFrom('sites').selectAll().where('name_key', '=', nameKey).executeTakeFirst();
}

export async function listAll(db: DbOrTrx): Promise<SiteRow[]> {
  return db.selectFrom('sites').selectAll().orderBy('name_key').execute();
}

/** Applies changes when `version` still matches; returns the rows changed (0 means stale or gone). */
export async function update(
  db: DbOrTrx,
  id: string,
  version: number,
  changes: Pick<SiteRow, 'name' | 'name_key' | 'address' | 'updated_at'>,
): Promise<number> {
  const result = await db
    .updateTable('sites')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return rowsUpdated(result);
}
