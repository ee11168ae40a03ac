import type { DbOrTrx, VacanciesTable } from '../db/types.ts';
import { rowsUpdated } from '../db/records.ts';

export type VacancyRow = VacanciesTable;
/** A vacancy with the names a page or a match shows beside it. */
export type VacancyListRow = VacancyRow & {
  employer_name: string;
  department_name: string | null;
  site_name: string | null;
  site_latitude: number | null;
  site_longitude: number | null;
};

export async function insert(db: DbOrTrx, row: VacancyRow): Promise<void> {
  await db.insertInto('vacancies').values(row).execute();
}

function withNames(db: DbOrTrx) {
  return db
    .selectFrom('vacancies')
    .innerJoin('employers', 'employers.id', 'vacancies.employer_id')
    .leftJoin('employer_departments', 'employer_departments.id', 'vacancies.employer_department_id')
    .leftJoin('employer_sites', 'employer_sites.id', 'vacancies.employer_site_id')
    .selectAll('vacancies')
    .select([
      'employers.name as employer_name',
      'employer_departments.name as department_name',
      'employer_sites.name as site_name',
      'employer_sites.latitude as site_latitude',
      'employer_sites.longitude as site_longitude',
    ]);
}

export async function findById(db: DbOrTrx, id: string): Promise<VacancyListRow | undefined> {
  return withNames(db).where('vacancies.id', '=', id).executeTakeFirst();
}

/** Every vacancy open for matching on `today` (open, closing today or later, or no closing date). */
export async function listOpen(db: DbOrTrx, today: string): Promise<VacancyListRow[]> {
  return withNames(db)
    .where('vacancies.status', '=', 'open')
    .where((eb) => eb.or([eb('vacancies.closing_date', 'is', null), eb('vacancies.closing_date', '>=', today)]))
    .execute();
}

/** The import keys already used, of those given (one query per call; the caller batches). */
export async function existingImportKeys(db: DbOrTrx, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.selectFrom('vacancies').select('import_key').where('import_key', 'in', keys).execute();
  return new Set(rows.map((r) => r.import_key).filter((k): k is string => k !== null));
}

/** Applies changes when `version` still matches; returns the rows changed (0 means stale or gone). */
export async function update(db: DbOrTrx, id: string, version: number, changes: Partial<VacancyRow>): Promise<number> {
  const result = await db
    .updateTable('vacancies')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return rowsUpdated(result);
}
