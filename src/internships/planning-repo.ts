import type { DbOrTrx, RotationPlacementsTable, RotationsTable } from '../db/types.ts';
import { rowsUpdated } from '../db/records.ts';

// Departments, rotations and the rotation grid of a cohort. The only SQL for planning.

export type RotationRow = RotationsTable;
export type RotationPlacementRow = RotationPlacementsTable;

/** A department of the host with its site's name. */
export interface DepartmentListRow {
  id: string;
  employer_id: string;
  name: string;
  employer_site_id: string | null;
  site_name: string | null;
  intern_capacity: number | null;
  intern_contact: string | null;
  version: number;
}

function departments(db: DbOrTrx) {
  return db
    .selectFrom('employer_departments')
    .leftJoin('employer_sites', 'employer_sites.id', 'employer_departments.employer_site_id')
    .select([
      'employer_departments.id',
      'employer_departments.employer_id',
      'employer_departments.name',
      'employer_departments.employer_site_id',
      'employer_sites.name as site_name',
      'employer_departments.intern_capacity',
      'employer_departments.intern_contact',
      'employer_departments.version',
    ]);
}

/** The host's departments at these sites, and those at no one site, by site then name. */
export async function departmentsAt(db: DbOrTrx, employerId: string, siteIds: readonly string[]): Promise<DepartmentListRow[]> {
  return departments(db)
    .where('employer_departments.employer_id', '=', employerId)
    .where((eb) =>
      eb.or([
        eb('employer_departments.employer_site_id', 'is', null),
        ...(siteIds.length > 0 ? [eb('employer_departments.employer_site_id', 'in', siteIds)] : []),
      ]),
    )
    .orderBy('employer_sites.name')
    .orderBy('employer_departments.name')
    .orderBy('employer_departments.id')
    .execute();
}

/** One department of the employer. */
export async function findDepartment(db: DbOrTrx, employerId: string, id: string): Promise<DepartmentListRow | undefined> {
  return departments(db)
    .where('employer_departments.employer_id', '=', employerId)
    .where('employer_departments.id', '=', id)
    .executeTakeFirst();
}

/** Sets a department's intern capacity and contact at the version read; returns rows changed (0 when stale). */
export async function setInternFields(
  db: DbOrTrx,
  id: string,
  version: number,
  set: { intern_capacity: number | null; intern_contact: string | null; updated_at: string },
): Promise<number> {
  return rowsUpdated(
    await db
      .updateTable('employer_departments')
      .set({ ...set, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst(),
  );
}

// ---- Rotations -----------------------------------------------------------------------------------

export async function rotationsOf(db: DbOrTrx, cohortId: string): Promise<RotationRow[]> {
  return db.selectFrom('rotations').selectAll().where('cohort_id', '=', cohortId).orderBy('number').execute();
}

export async function insertRotation(db: DbOrTrx, row: RotationRow): Promise<void> {
  await db.insertInto('rotations').values(row).execute();
}

export async function updateRotation(
  db: DbOrTrx,
  id: string,
  set: { start_date: string; end_date: string; updated_at: string },
): Promise<void> {
  await db
    .updateTable('rotations')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

/** How many reviews, tasks and checklist ticks are recorded against each of these rotations. */
export async function progressCounts(db: DbOrTrx, rotationIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (rotationIds.length === 0) return out;
  for (const table of ['rotation_reviews', 'rotation_tasks', 'employability_checks'] as const) {
    const rows = await db
      .selectFrom(table)
      .select(['rotation_id', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('rotation_id', 'in', rotationIds)
      .groupBy('rotation_id')
      .execute();
    for (const r of rows) out.set(r.rotation_id, (out.get(r.rotation_id) ?? 0) + Number(r.n));
  }
  return out;
}

/** Deletes rotations and the placements in them (callers check nothing else hangs off them). */
export async function deleteRotations(db: DbOrTrx, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('rotation_placements').where('rotation_id', 'in', ids).execute();
  await db.deleteFrom('rotations').where('id', 'in', ids).execute();
}

// ---- Placements in the grid ----------------------------------------------------------------------

/** Every placement in the cohort's rotations. */
export async function placementsOf(db: DbOrTrx, cohortId: string): Promise<RotationPlacementRow[]> {
  return db
    .selectFrom('rotation_placements')
    .innerJoin('rotations', 'rotations.id', 'rotation_placements.rotation_id')
    .selectAll('rotation_placements')
    .where('rotations.cohort_id', '=', cohortId)
    .execute();
}

export async function insertPlacement(db: DbOrTrx, row: RotationPlacementRow): Promise<void> {
  await db.insertInto('rotation_placements').values(row).execute();
}

export async function updatePlacement(db: DbOrTrx, id: string, departmentId: string, now: string): Promise<void> {
  await db
    .updateTable('rotation_placements')
    .set({ employer_department_id: departmentId, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function deletePlacement(db: DbOrTrx, id: string): Promise<void> {
  await db.deleteFrom('rotation_placements').where('id', '=', id).execute();
}

// ---- Job preferences ----------------------------------------------------------------------------

/** The stored data of each person's latest profile version (people with no profile are left out). */
export async function latestProfiles(db: DbOrTrx, participantIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < participantIds.length; i += 500) {
    const rows = await db
      .selectFrom('profile_versions')
      .select(['participant_id', 'data'])
      .where('participant_id', 'in', participantIds.slice(i, i + 500))
      .where((eb) =>
        eb(
          'version',
          '=',
          eb
            .selectFrom('profile_versions as latest')
            .select((l) => l.fn.max('latest.version').as('v'))
            .whereRef('latest.participant_id', '=', 'profile_versions.participant_id'),
        ),
      )
      .execute();
    for (const r of rows) out.set(r.participant_id, r.data);
  }
  return out;
}

/** The names of these users, by name. */
export async function userNames(db: DbOrTrx, ids: readonly string[]): Promise<{ id: string; name: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).orderBy('name').execute();
}
