import type { DbOrTrx, VacanciesTable, VacancyImportsTable } from '../db/types.ts';
import { rowsUpdated, toCount } from '../db/records.ts';
import { containsPattern, like } from '../db/like.ts';

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

/** Several vacancies in one statement (a batch of an import). */
export async function insertMany(db: DbOrTrx, rows: readonly VacancyRow[]): Promise<void> {
  if (rows.length > 0)
    await db
      .insertInto('vacancies')
      .values([...rows])
      .execute();
}

export interface VacancyFilter {
  /** Lower-case text found in the title or occupation. */
  text?: string | undefined;
  /** The same text folded as employer names are keyed, found in the employer's name. */
  employerText?: string | undefined;
  /** The stored status. */
  status?: string | undefined;
  /** Open and taking applications on this day (closing on it or later, or no closing date). */
  openOn?: string | undefined;
  /** Open, but the closing date is before this day. */
  closedBefore?: string | undefined;
  /** Closing on or before this day. */
  closingBy?: string | undefined;
  foundVia?: string | undefined;
  employerId?: string | undefined;
}

export const VACANCY_SORTS = ['closing', 'newest', 'pay'] as const;
export type VacancySort = (typeof VACANCY_SORTS)[number];

function filtered(db: DbOrTrx, f: VacancyFilter) {
  let q = withNames(db);
  if (f.text) {
    const pattern = containsPattern(f.text);
    const employerPattern = containsPattern(f.employerText || f.text);
    q = q.where((eb) =>
      eb.or([
        like(eb.fn('lower', [eb.ref('vacancies.title')]), pattern),
        like(eb.fn('lower', [eb.ref('vacancies.occupation')]), pattern),
        like(eb.ref('employers.name_key'), employerPattern),
      ]),
    );
  }
  if (f.status) q = q.where('vacancies.status', '=', f.status);
  if (f.openOn) {
    const day = f.openOn;
    q = q
      .where('vacancies.status', '=', 'open')
      .where((eb) => eb.or([eb('vacancies.closing_date', 'is', null), eb('vacancies.closing_date', '>=', day)]));
  }
  if (f.closedBefore) q = q.where('vacancies.status', '=', 'open').where('vacancies.closing_date', '<', f.closedBefore);
  if (f.closingBy) q = q.where('vacancies.closing_date', '<=', f.closingBy);
  if (f.foundVia) q = q.where('vacancies.found_via', '=', f.foundVia);
  if (f.employerId) q = q.where('vacancies.employer_id', '=', f.employerId);
  return q;
}

/** A page of vacancies in the chosen order (unknown closing dates and pay last). */
export async function search(
  db: DbOrTrx,
  filter: VacancyFilter,
  page: { sort: VacancySort; limit: number; offset: number },
): Promise<VacancyListRow[]> {
  let q = filtered(db, filter);
  if (page.sort === 'newest') q = q.orderBy('vacancies.created_at', 'desc');
  else if (page.sort === 'pay')
    q = q
      .orderBy((eb) => eb.case().when('vacancies.hourly_pay_pence', 'is', null).then(1).else(0).end())
      .orderBy('vacancies.hourly_pay_pence', 'desc');
  else
    q = q
      .orderBy((eb) => eb.case().when('vacancies.closing_date', 'is', null).then(1).else(0).end())
      .orderBy('vacancies.closing_date', 'asc');
  return q.orderBy('vacancies.title').orderBy('vacancies.id').limit(page.limit).offset(page.offset).execute();
}

export async function count(db: DbOrTrx, filter: VacancyFilter): Promise<number> {
  const row = await filtered(db, filter)
    .clearSelect()
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return toCount(row?.n);
}

// ---- CSV imports ----------------------------------------------------------------------------------

export type ImportRow = VacancyImportsTable;
/** An import with the importer's team, which decides which managers may read its report. */
export type ImportWithTeam = ImportRow & { user_team_id: string | null };

export async function insertImport(db: DbOrTrx, row: ImportRow): Promise<void> {
  await db.insertInto('vacancy_imports').values(row).execute();
}

export async function updateImport(db: DbOrTrx, id: string, changes: Partial<ImportRow>): Promise<void> {
  await db.updateTable('vacancy_imports').set(changes).where('id', '=', id).execute();
}

export async function findImport(db: DbOrTrx, id: string): Promise<ImportWithTeam | undefined> {
  return db
    .selectFrom('vacancy_imports')
    .innerJoin('users', 'users.id', 'vacancy_imports.user_id')
    .selectAll('vacancy_imports')
    .select('users.team_id as user_team_id')
    .where('vacancy_imports.id', '=', id)
    .executeTakeFirst();
}

/** Someone's latest imports, newest first. */
export async function importsBy(db: DbOrTrx, userId: string, limit: number): Promise<ImportRow[]> {
  return db
    .selectFrom('vacancy_imports')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}
