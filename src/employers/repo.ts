import type { DbOrTrx, EmployersTable } from '../db/types.ts';
import { rowsUpdated } from '../db/records.ts';
import { containsPattern, like } from '../db/like.ts';

export type EmployerRow = EmployersTable;

export async function insert(db: DbOrTrx, row: EmployerRow): Promise<void> {
  await db.insertInto('employers').values(row).execute();
}

export async function findById(db: DbOrTrx, id: string): Promise<EmployerRow | undefined> {
  return db.selectFrom('employers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findByNameKey(db: DbOrTrx, nameKey: string): Promise<EmployerRow | undefined> {
  return db.selectFrom('employers').selectAll().where('name_key', '=', nameKey).executeTakeFirst();
}

/** Employers whose name key is one of these, in one query (for a CSV import). */
export async function findByNameKeys(db: DbOrTrx, keys: readonly string[]): Promise<EmployerRow[]> {
  if (keys.length === 0) return [];
  return db.selectFrom('employers').selectAll().where('name_key', 'in', keys).execute();
}

export interface EmployerFilter {
  /** Lower-case text found anywhere in the name key or the sector. */
  text?: string | undefined;
  type?: string | undefined;
  stage?: string | undefined;
}

export const EMPLOYER_SORTS = ['name', 'updated'] as const;
export type EmployerSort = (typeof EMPLOYER_SORTS)[number];

export async function search(
  db: DbOrTrx,
  filter: EmployerFilter,
  page: { sort: EmployerSort; limit: number; offset: number },
): Promise<EmployerRow[]> {
  let q = db.selectFrom('employers').selectAll();
  if (filter.text) {
    const pattern = containsPattern(filter.text);
    q = q.where((eb) => eb.or([like(eb.ref('name_key'), pattern), like(eb.fn('lower', [eb.ref('sector')]), pattern)]));
  }
  if (filter.type) q = q.where('type', '=', filter.type);
  if (filter.stage) q = q.where('relationship_stage', '=', filter.stage);
  q = page.sort === 'updated' ? q.orderBy('updated_at', 'desc').orderBy('id') : q.orderBy('name_key').orderBy('id');
  return q.limit(page.limit).offset(page.offset).execute();
}

/** Applies changes when `version` still matches; returns the rows changed (0 means stale or gone). */
export async function update(db: DbOrTrx, id: string, version: number, changes: Partial<EmployerRow>): Promise<number> {
  const result = await db
    .updateTable('employers')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return rowsUpdated(result);
}
