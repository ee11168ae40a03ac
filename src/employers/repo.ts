import type {
  DbOrTrx,
  EmployerContactsTable,
  EmployerDepartmentsTable,
  EmployerPeopleTable,
  EmployerSitesTable,
  EmployersTable,
} from '../db/types.ts';
import { rowsUpdated, toCount } from '../db/records.ts';
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

/** The employers a filter keeps, before choosing columns. */
function matching(db: DbOrTrx, filter: EmployerFilter) {
  let q = db.selectFrom('employers');
  if (filter.text) {
    const pattern = containsPattern(filter.text);
    q = q.where((eb) => eb.or([like(eb.ref('name_key'), pattern), like(eb.fn('lower', [eb.ref('sector')]), pattern)]));
  }
  if (filter.type) q = q.where('type', '=', filter.type);
  if (filter.stage) q = q.where('relationship_stage', '=', filter.stage);
  return q;
}

export async function search(
  db: DbOrTrx,
  filter: EmployerFilter,
  page: { sort: EmployerSort; limit: number; offset: number },
): Promise<EmployerRow[]> {
  let q = matching(db, filter).selectAll();
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

/** How many employers a search finds (for "Showing 1 to 25 of 73"). */
export async function count(db: DbOrTrx, filter: EmployerFilter): Promise<number> {
  const row = await matching(db, filter)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return toCount(row?.n);
}

/** The names of the most recently changed employers, for the contact form's suggestions. */
export async function recentNames(db: DbOrTrx, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('employers').select('name').orderBy('updated_at', 'desc').orderBy('id').limit(limit).execute();
  return rows.map((r) => r.name);
}

// ---- Sites, departments and people ---------------------------------------------------------------

export type SiteRow = EmployerSitesTable;
export type DepartmentRow = EmployerDepartmentsTable;
export type PersonRow = EmployerPeopleTable;

/** The tables of an employer's parts: each row belongs to one employer. */
interface PartTables {
  employer_sites: SiteRow;
  employer_departments: DepartmentRow;
  employer_people: PersonRow;
}
export type PartTable = keyof PartTables;
export type PartRow<T extends PartTable> = PartTables[T];

type AnyPartRow = PartTables[PartTable];

export async function insertPart(db: DbOrTrx, table: PartTable, row: AnyPartRow): Promise<void> {
  await db.insertInto(table).values(row).execute();
}

/** One part of this employer (undefined when it belongs to another). */
export async function findPart<T extends PartTable>(
  db: DbOrTrx,
  table: T,
  employerId: string,
  id: string,
): Promise<PartTables[T] | undefined> {
  const from: PartTable = table;
  const row: AnyPartRow | undefined = await db
    .selectFrom(from)
    .selectAll()
    .where('id', '=', id)
    .where('employer_id', '=', employerId)
    .executeTakeFirst();
  // The row comes from the table asked for.
  return row as PartTables[T] | undefined;
}

/** An employer's parts of one kind, by name. */
export async function listParts<T extends PartTable>(db: DbOrTrx, table: T, employerId: string): Promise<PartTables[T][]> {
  const from: PartTable = table;
  const rows: AnyPartRow[] = await db
    .selectFrom(from)
    .selectAll()
    .where('employer_id', '=', employerId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows as PartTables[T][];
}

/** Applies changes when `version` still matches; returns the rows changed (0 means stale). */
export async function updatePart(
  db: DbOrTrx,
  table: PartTable,
  id: string,
  version: number,
  changes: Partial<AnyPartRow>,
): Promise<number> {
  const result = await db
    .updateTable(table)
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return rowsUpdated(result);
}

// ---- Employer contacts ---------------------------------------------------------------------------

export type EmployerContactRow = EmployerContactsTable;

/**
 * An employer contact with what the pages show beside it: the employer, the author and their
 * team, the person spoken to, and the participant it was for with what decides who may see them.
 */
export type EmployerContactListRow = EmployerContactRow & {
  employer_name: string;
  practitioner_name: string | null;
  practitioner_team_id: string | null;
  employer_person_name: string | null;
  participant_given_name: string | null;
  participant_family_name: string | null;
  participant_preferred_name: string | null;
  participant_practitioner_id: string | null;
  participant_team_id: string | null;
};

export async function insertContact(db: DbOrTrx, row: EmployerContactRow): Promise<void> {
  await db.insertInto('employer_contacts').values(row).execute();
}

function contactsWithNames(db: DbOrTrx) {
  return db
    .selectFrom('employer_contacts')
    .innerJoin('employers', 'employers.id', 'employer_contacts.employer_id')
    .leftJoin('users', 'users.id', 'employer_contacts.practitioner_id')
    .leftJoin('employer_people', 'employer_people.id', 'employer_contacts.employer_person_id')
    .leftJoin('participants', 'participants.id', 'employer_contacts.participant_id')
    .selectAll('employer_contacts')
    .select([
      'employers.name as employer_name',
      'users.name as practitioner_name',
      'users.team_id as practitioner_team_id',
      'employer_people.name as employer_person_name',
      'participants.given_name as participant_given_name',
      'participants.family_name as participant_family_name',
      'participants.preferred_name as participant_preferred_name',
      'participants.practitioner_id as participant_practitioner_id',
      'participants.team_id as participant_team_id',
    ])
    .where('employer_contacts.deleted_at', 'is', null);
}

/** A contact that is not deleted, with its names. */
export async function findContact(db: DbOrTrx, id: string): Promise<EmployerContactListRow | undefined> {
  return contactsWithNames(db).where('employer_contacts.id', '=', id).executeTakeFirst();
}

/** An employer's contacts, newest first, leaving out deleted ones. */
export async function listContacts(
  db: DbOrTrx,
  employerId: string,
  page: { limit: number; offset: number },
): Promise<EmployerContactListRow[]> {
  return contactsWithNames(db)
    .where('employer_contacts.employer_id', '=', employerId)
    .orderBy('employer_contacts.contacted_at', 'desc')
    .orderBy('employer_contacts.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function countContacts(db: DbOrTrx, employerId: string): Promise<number> {
  const row = await db
    .selectFrom('employer_contacts')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('employer_id', '=', employerId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return toCount(row?.n);
}

export async function updateContact(
  db: DbOrTrx,
  id: string,
  version: number,
  changes: Partial<EmployerContactRow>,
): Promise<number> {
  const result = await db
    .updateTable('employer_contacts')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return rowsUpdated(result);
}

// ---- The employer's history: vacancies and people placed -------------------------------------------

/** An employer's vacancies, newest first (the vacancies domain owns them; this is its history). */
export async function vacanciesOf(
  db: DbOrTrx,
  employerId: string,
  limit: number,
): Promise<{ id: string; title: string; status: string; closing_date: string | null }[]> {
  return db
    .selectFrom('vacancies')
    .select(['id', 'title', 'status', 'closing_date'])
    .where('employer_id', '=', employerId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export type PlacementAtRow = {
  id: string;
  title: string;
  start_date: string;
  end_date: string | null;
  participant_id: string;
  participant_given_name: string;
  participant_family_name: string;
  participant_preferred_name: string | null;
  participant_practitioner_id: string | null;
  participant_team_id: string | null;
};

/** The jobs people hold or held at an employer, latest start first, with what decides who may see each person. */
export async function placementsAt(db: DbOrTrx, employerId: string, limit: number): Promise<PlacementAtRow[]> {
  return db
    .selectFrom('placements')
    .innerJoin('participants', 'participants.id', 'placements.participant_id')
    .select([
      'placements.id',
      'placements.title',
      'placements.start_date',
      'placements.end_date',
      'placements.participant_id',
      'participants.given_name as participant_given_name',
      'participants.family_name as participant_family_name',
      'participants.preferred_name as participant_preferred_name',
      'participants.practitioner_id as participant_practitioner_id',
      'participants.team_id as participant_team_id',
    ])
    .where('placements.employer_id', '=', employerId)
    .orderBy('placements.start_date', 'desc')
    .orderBy('placements.id')
    .limit(limit)
    .execute();
}

/** Moves an employer from one stage to another unless someone already moved it; true when it moved. */
export async function moveStage(db: DbOrTrx, id: string, from: string, to: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('employers')
    .set((eb) => ({ relationship_stage: to, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('relationship_stage', '=', from)
    .executeTakeFirst();
  return rowsUpdated(result) > 0;
}
