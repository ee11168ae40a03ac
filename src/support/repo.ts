import type { DbOrTrx, SupportPlansTable, SupportReviewsTable } from '../db/types.ts';
import { rowsUpdated } from '../db/records.ts';

export type SupportPlanRow = SupportPlansTable;
export type SupportReviewRow = SupportReviewsTable;

/** A job as the support pages name it: the placement with its employer and department names. */
export interface PlacementRow {
  id: string;
  participant_id: string;
  title: string;
  start_date: string;
  end_date: string | null;
  employer_name: string | null;
  department_name: string | null;
  line_manager: string | null;
}

function placements(db: DbOrTrx) {
  return db
    .selectFrom('placements')
    .leftJoin('employers', 'employers.id', 'placements.employer_id')
    .leftJoin('employer_departments', 'employer_departments.id', 'placements.employer_department_id')
    .select([
      'placements.id',
      'placements.participant_id',
      'placements.title',
      'placements.start_date',
      'placements.end_date',
      'placements.line_manager',
      'employers.name as employer_name',
      'employer_departments.name as department_name',
    ]);
}

export async function findPlacement(db: DbOrTrx, id: string): Promise<PlacementRow | undefined> {
  return placements(db).where('placements.id', '=', id).executeTakeFirst();
}

/** A person's jobs not ended before `today`, oldest start first. */
export async function currentPlacements(db: DbOrTrx, participantId: string, today: string): Promise<PlacementRow[]> {
  return placements(db)
    .where('placements.participant_id', '=', participantId)
    .where((eb) => eb.or([eb('placements.end_date', 'is', null), eb('placements.end_date', '>=', today)]))
    .orderBy('placements.start_date')
    .orderBy('placements.id')
    .execute();
}

export async function findPlan(db: DbOrTrx, placementId: string): Promise<SupportPlanRow | undefined> {
  return db.selectFrom('support_plans').selectAll().where('placement_id', '=', placementId).executeTakeFirst();
}

export async function plansFor(db: DbOrTrx, placementIds: readonly string[]): Promise<SupportPlanRow[]> {
  if (placementIds.length === 0) return [];
  return db.selectFrom('support_plans').selectAll().where('placement_id', 'in', placementIds).execute();
}

export async function insertPlan(db: DbOrTrx, row: SupportPlanRow): Promise<void> {
  await db.insertInto('support_plans').values(row).execute();
}

/** Changes a plan read at `version`; 0 when someone changed it first. */
export async function updatePlan(db: DbOrTrx, id: string, version: number, changes: Partial<SupportPlanRow>): Promise<number> {
  const result = await db
    .updateTable('support_plans')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return rowsUpdated(result);
}

export async function insertReview(db: DbOrTrx, row: SupportReviewRow): Promise<void> {
  await db.insertInto('support_reviews').values(row).execute();
}

/** The reviews of these jobs, newest first, with who recorded each. One query. */
export async function reviewsFor(
  db: DbOrTrx,
  placementIds: readonly string[],
): Promise<(SupportReviewRow & { reviewed_by_name: string | null })[]> {
  if (placementIds.length === 0) return [];
  return db
    .selectFrom('support_reviews')
    .leftJoin('users', 'users.id', 'support_reviews.reviewed_by_user_id')
    .selectAll('support_reviews')
    .select('users.name as reviewed_by_name')
    .where('support_reviews.placement_id', 'in', placementIds)
    .orderBy('support_reviews.review_date', 'desc')
    .orderBy('support_reviews.created_at', 'desc')
    .execute();
}

/**
 * The support plans of these people's current jobs, with each job's start date: what the
 * caseload's review alert needs, in one query.
 */
export async function plansOfCurrentJobs(
  db: DbOrTrx,
  participantIds: readonly string[],
  today: string,
): Promise<
  { participant_id: string; placement_id: string; status: string; next_review_date: string | null; start_date: string }[]
> {
  if (participantIds.length === 0) return [];
  return db
    .selectFrom('support_plans')
    .innerJoin('placements', 'placements.id', 'support_plans.placement_id')
    .select([
      'support_plans.participant_id',
      'support_plans.placement_id',
      'support_plans.status',
      'support_plans.next_review_date',
      'placements.start_date',
    ])
    .where('support_plans.participant_id', 'in', participantIds)
    .where((eb) => eb.or([eb('placements.end_date', 'is', null), eb('placements.end_date', '>=', today)]))
    .execute();
}
