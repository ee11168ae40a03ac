import type {
  DbOrTrx,
  EmployabilityChecksTable,
  EmployabilityItemsTable,
  InternAttendanceTable,
  RotationReviewsTable,
  RotationsTable,
} from '../db/types.ts';
import { rowsUpdated } from '../db/records.ts';

// Skills progress per rotation (tasks learnt, the employability checklist, the end-of-rotation
// review) and daily attendance. The only SQL for them.

export type RotationRow = RotationsTable;
export type ItemRow = EmployabilityItemsTable;
export type CheckRow = EmployabilityChecksTable;
export type ReviewRow = RotationReviewsTable;
export type AttendanceRow = InternAttendanceTable;

// ---- Rotations and where an intern is in each --------------------------------------------------

/** A cohort's rotations, first to last. */
export async function rotationsOf(db: DbOrTrx, cohortId: string): Promise<RotationRow[]> {
  return db.selectFrom('rotations').selectAll().where('cohort_id', '=', cohortId).orderBy('number').execute();
}

export async function findRotation(db: DbOrTrx, id: string): Promise<RotationRow | undefined> {
  return db.selectFrom('rotations').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface PlacementRow {
  rotation_id: string;
  employer_department_id: string;
  department_name: string;
  site_name: string | null;
}

/** The department an intern is in for each rotation they have been placed in. */
export async function placementsOfIntern(db: DbOrTrx, internId: string): Promise<PlacementRow[]> {
  return db
    .selectFrom('rotation_placements')
    .innerJoin('employer_departments', 'employer_departments.id', 'rotation_placements.employer_department_id')
    .leftJoin('employer_sites', 'employer_sites.id', 'employer_departments.employer_site_id')
    .select([
      'rotation_placements.rotation_id',
      'rotation_placements.employer_department_id',
      'employer_departments.name as department_name',
      'employer_sites.name as site_name',
    ])
    .where('rotation_placements.cohort_intern_id', '=', internId)
    .execute();
}

// ---- Tasks learnt ------------------------------------------------------------------------------

export interface TaskRow {
  rotation_id: string;
  task_analysis_id: string;
  title: string;
}

/** The tasks ticked as learnt by an intern (in one rotation, when given), with their titles. */
export async function tasksOf(db: DbOrTrx, internId: string, rotationId?: string): Promise<TaskRow[]> {
  let q = db
    .selectFrom('rotation_tasks')
    .innerJoin('task_analyses', 'task_analyses.id', 'rotation_tasks.task_analysis_id')
    .select(['rotation_tasks.rotation_id', 'rotation_tasks.task_analysis_id', 'task_analyses.title'])
    .where('rotation_tasks.cohort_intern_id', '=', internId);
  if (rotationId) q = q.where('rotation_tasks.rotation_id', '=', rotationId);
  return q.orderBy('task_analyses.title').orderBy('rotation_tasks.task_analysis_id').execute();
}

export async function insertTasks(
  db: DbOrTrx,
  rows: readonly { id: string; rotation_id: string; cohort_intern_id: string; task_analysis_id: string; created_at: string }[],
): Promise<void> {
  if (rows.length > 0)
    await db
      .insertInto('rotation_tasks')
      .values([...rows])
      .execute();
}

export async function deleteTasks(db: DbOrTrx, rotationId: string, internId: string, taskIds: readonly string[]): Promise<void> {
  if (taskIds.length === 0) return;
  await db
    .deleteFrom('rotation_tasks')
    .where('rotation_id', '=', rotationId)
    .where('cohort_intern_id', '=', internId)
    .where('task_analysis_id', 'in', taskIds)
    .execute();
}

// ---- The employability checklist ---------------------------------------------------------------

/** Every checklist item in order, retired ones included. */
export async function items(db: DbOrTrx): Promise<ItemRow[]> {
  return db.selectFrom('employability_items').selectAll().orderBy('position').orderBy('created_at').execute();
}

export async function findItem(db: DbOrTrx, id: string): Promise<ItemRow | undefined> {
  return db.selectFrom('employability_items').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertItem(db: DbOrTrx, row: ItemRow): Promise<void> {
  await db.insertInto('employability_items').values(row).execute();
}

export async function maxItemPosition(db: DbOrTrx): Promise<number> {
  const row = await db
    .selectFrom('employability_items')
    .select((eb) => eb.fn.max('position').as('n'))
    .executeTakeFirst();
  return row?.n === null || row?.n === undefined ? 0 : Number(row.n);
}

export async function updateItem(db: DbOrTrx, id: string, version: number, set: Partial<ItemRow>): Promise<number> {
  return rowsUpdated(
    await db
      .updateTable('employability_items')
      .set({ ...set, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst(),
  );
}

/** Sets an item's position without touching its version (moving is not an edit of its words). */
export async function setItemPosition(db: DbOrTrx, id: string, position: number, updatedAt: string): Promise<void> {
  await db.updateTable('employability_items').set({ position, updated_at: updatedAt }).where('id', '=', id).execute();
}

/** An intern's checklist answers (in one rotation, when given). */
export async function checksOf(db: DbOrTrx, internId: string, rotationId?: string): Promise<CheckRow[]> {
  let q = db.selectFrom('employability_checks').selectAll().where('cohort_intern_id', '=', internId);
  if (rotationId) q = q.where('rotation_id', '=', rotationId);
  return q.execute();
}

export async function insertCheck(db: DbOrTrx, row: CheckRow): Promise<void> {
  await db.insertInto('employability_checks').values(row).execute();
}

export async function updateCheck(
  db: DbOrTrx,
  id: string,
  set: Pick<CheckRow, 'achieved' | 'note' | 'updated_at' | 'updated_by_user_id'>,
): Promise<void> {
  await db.updateTable('employability_checks').set(set).where('id', '=', id).execute();
}

// ---- End-of-rotation reviews -------------------------------------------------------------------

export type ReviewListRow = ReviewRow & { written_by_name: string | null };

/** An intern's reviews (of one rotation, when given), with who wrote each. */
export async function reviewsOf(db: DbOrTrx, internId: string, rotationId?: string): Promise<ReviewListRow[]> {
  let q = db
    .selectFrom('rotation_reviews')
    .leftJoin('users', 'users.id', 'rotation_reviews.written_by_user_id')
    .selectAll('rotation_reviews')
    .select('users.name as written_by_name')
    .where('rotation_reviews.cohort_intern_id', '=', internId);
  if (rotationId) q = q.where('rotation_reviews.rotation_id', '=', rotationId);
  return q.execute();
}

export async function insertReview(db: DbOrTrx, row: ReviewRow): Promise<void> {
  await db.insertInto('rotation_reviews').values(row).execute();
}

export async function updateReview(db: DbOrTrx, id: string, version: number, set: Partial<ReviewRow>): Promise<number> {
  return rowsUpdated(
    await db
      .updateTable('rotation_reviews')
      .set({ ...set, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst(),
  );
}

// ---- Attendance --------------------------------------------------------------------------------

/** Attendance of these interns, on one day when given, oldest first. */
export async function attendanceOf(db: DbOrTrx, internIds: readonly string[], day?: string): Promise<AttendanceRow[]> {
  if (internIds.length === 0) return [];
  let q = db.selectFrom('intern_attendance').selectAll().where('cohort_intern_id', 'in', internIds);
  if (day) q = q.where('day', '=', day);
  return q.orderBy('day').orderBy('cohort_intern_id').execute();
}

export async function insertAttendance(db: DbOrTrx, row: AttendanceRow): Promise<void> {
  await db.insertInto('intern_attendance').values(row).execute();
}

export async function updateAttendance(db: DbOrTrx, id: string, version: number, set: Partial<AttendanceRow>): Promise<number> {
  return rowsUpdated(
    await db
      .updateTable('intern_attendance')
      .set({ ...set, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst(),
  );
}
