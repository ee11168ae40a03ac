import type { DbOrTrx, FidelityActionsTable, FidelityReviewItemsTable, FidelityReviewsTable } from '../db/types.ts';
import { rowsUpdated } from '../db/records.ts';

export type ReviewRow = FidelityReviewsTable;
export type ItemRow = FidelityReviewItemsTable;
export type ActionRow = FidelityActionsTable;
export type ReviewListRow = ReviewRow & { team_name: string | null };

// ---- Reviews -----------------------------------------------------------------------------------

export async function insertReview(db: DbOrTrx, row: ReviewRow, items: readonly ItemRow[]): Promise<void> {
  await db.insertInto('fidelity_reviews').values(row).execute();
  await db
    .insertInto('fidelity_review_items')
    .values([...items])
    .execute();
}

export async function findReview(db: DbOrTrx, id: string): Promise<ReviewListRow | undefined> {
  return db
    .selectFrom('fidelity_reviews')
    .leftJoin('teams', 'teams.id', 'fidelity_reviews.team_id')
    .selectAll('fidelity_reviews')
    .select('teams.name as team_name')
    .where('fidelity_reviews.id', '=', id)
    .executeTakeFirst();
}

/** Reviews newest first; `teamId` null means every team. */
export async function listReviews(db: DbOrTrx, teamId: string | null, limit: number, offset: number): Promise<ReviewListRow[]> {
  let q = db
    .selectFrom('fidelity_reviews')
    .leftJoin('teams', 'teams.id', 'fidelity_reviews.team_id')
    .selectAll('fidelity_reviews')
    .select('teams.name as team_name');
  if (teamId !== null) q = q.where('fidelity_reviews.team_id', '=', teamId);
  return q
    .orderBy('fidelity_reviews.review_date', 'desc')
    .orderBy('fidelity_reviews.created_at', 'desc')
    .orderBy('fidelity_reviews.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function reviewsByIds(db: DbOrTrx, ids: readonly string[]): Promise<ReviewListRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('fidelity_reviews')
    .leftJoin('teams', 'teams.id', 'fidelity_reviews.team_id')
    .selectAll('fidelity_reviews')
    .select('teams.name as team_name')
    .where('fidelity_reviews.id', 'in', ids)
    .execute();
}

/** Items of these reviews, in item order. One query. */
export async function itemsOf(db: DbOrTrx, reviewIds: readonly string[]): Promise<ItemRow[]> {
  if (reviewIds.length === 0) return [];
  return db
    .selectFrom('fidelity_review_items')
    .selectAll()
    .where('review_id', 'in', reviewIds)
    .orderBy('review_id')
    .orderBy('item')
    .execute();
}

/** Bumps the version when it is still `version`; 0 rows means someone changed it first. */
export async function updateReview(db: DbOrTrx, id: string, version: number, changes: Partial<ReviewRow>): Promise<number> {
  const result = await db
    .updateTable('fidelity_reviews')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return rowsUpdated(result);
}

export async function updateItem(
  db: DbOrTrx,
  reviewId: string,
  item: number,
  changes: Partial<Pick<ItemRow, 'score' | 'evidence' | 'proposed_score' | 'proposed_evidence'>>,
): Promise<void> {
  await db.updateTable('fidelity_review_items').set(changes).where('review_id', '=', reviewId).where('item', '=', item).execute();
}

// ---- Actions -----------------------------------------------------------------------------------

export async function actionsOf(db: DbOrTrx, reviewId: string): Promise<ActionRow[]> {
  return db
    .selectFrom('fidelity_actions')
    .selectAll()
    .where('review_id', '=', reviewId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function insertAction(db: DbOrTrx, row: ActionRow): Promise<void> {
  await db.insertInto('fidelity_actions').values(row).execute();
}

export async function updateAction(db: DbOrTrx, id: string, changes: Partial<ActionRow>): Promise<number> {
  const result = await db.updateTable('fidelity_actions').set(changes).where('id', '=', id).executeTakeFirst();
  return rowsUpdated(result);
}

export async function deleteAction(db: DbOrTrx, id: string): Promise<void> {
  await db.deleteFrom('fidelity_actions').where('id', '=', id).execute();
}

// ---- Figures for the proposals -----------------------------------------------------------------

/** The team's active practitioners and their contracted hours. */
export async function teamPractitioners(db: DbOrTrx, teamId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'contracted_hours_per_week'])
    .where('team_id', '=', teamId)
    .where('role', '=', 'practitioner')
    .where('active', '=', 1)
    .execute();
}

/** People of the team with an accepted referral still open on `day`. */
export async function openCaseloadOn(db: DbOrTrx, teamId: string, day: string): Promise<number> {
  const rows = await db
    .selectFrom('referrals')
    .innerJoin('participants', 'participants.id', 'referrals.participant_id')
    .select('referrals.participant_id')
    .distinct()
    .where('participants.team_id', '=', teamId)
    .where('referrals.accepted_date', 'is not', null)
    .where('referrals.accepted_date', '<=', day)
    .where((eb) => eb.or([eb('referrals.closed_date', 'is', null), eb('referrals.closed_date', '>', day)]))
    .execute();
  return rows.length;
}

/**
 * Instants of face-to-face employer contacts by these practitioners between two instants (the
 * caller keeps those on the period's London days).
 */
export async function employerFaceToFaceBy(db: DbOrTrx, practitionerIds: readonly string[], from: string, to: string) {
  if (practitionerIds.length === 0) return [];
  return db
    .selectFrom('employer_contacts')
    .select('contacted_at')
    .where('practitioner_id', 'in', practitionerIds)
    .where('face_to_face', '=', 1)
    .where('deleted_at', 'is', null)
    .where('contacted_at', '>=', from)
    .where('contacted_at', '<', to)
    .execute();
}

/** Contacts with the team's people between two instants (not deleted). */
export async function teamContacts(db: DbOrTrx, teamId: string, from: string, to: string) {
  return db
    .selectFrom('contacts')
    .innerJoin('participants', 'participants.id', 'contacts.participant_id')
    .select([
      'contacts.participant_id',
      'contacts.started_at',
      'contacts.duration_minutes',
      'contacts.place',
      'contacts.purpose',
      'contacts.placement_id',
    ])
    .where('participants.team_id', '=', teamId)
    .where('contacts.deleted_at', 'is', null)
    .where('contacts.started_at', '>=', from)
    .where('contacts.started_at', '<', to)
    .execute();
}
