import { sql } from 'kysely';
import type { AtwApplicationsTable, AtwAwardsTable, AtwClaimLinesTable, AtwClaimsTable, DbOrTrx } from '../db/types.ts';
import { rowsUpdated, toCount } from '../db/records.ts';
import { londonMidnight, nextDay } from '../calendar/bank-holidays.ts';

export type ApplicationRow = AtwApplicationsTable;
export type AwardRow = AtwAwardsTable;
export type ClaimRow = AtwClaimsTable;
export type ClaimLineRow = AtwClaimLinesTable;

/** An award with who delivers it and whether a later award renews it. */
export type AwardListRow = AwardRow & { coach_name: string | null; renewed_by_id: string | null };

// ---- Applications --------------------------------------------------------------------------------

export async function insertApplication(db: DbOrTrx, row: ApplicationRow): Promise<void> {
  await db.insertInto('atw_applications').values(row).execute();
}

export async function findApplication(db: DbOrTrx, id: string): Promise<ApplicationRow | undefined> {
  return db.selectFrom('atw_applications').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function applicationsFor(db: DbOrTrx, participantId: string): Promise<ApplicationRow[]> {
  return db
    .selectFrom('atw_applications')
    .selectAll()
    .where('participant_id', '=', participantId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

export async function updateApplication(db: DbOrTrx, id: string, version: number, set: Partial<ApplicationRow>): Promise<number> {
  return rowsUpdated(
    await db
      .updateTable('atw_applications')
      .set({ ...set, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst(),
  );
}

// ---- Awards --------------------------------------------------------------------------------------

function awards(db: DbOrTrx) {
  return db
    .selectFrom('atw_awards')
    .leftJoin('users', 'users.id', 'atw_awards.coach_user_id')
    .selectAll('atw_awards')
    .select('users.name as coach_name')
    .select((eb) =>
      eb
        .selectFrom('atw_awards as renewal')
        .select('renewal.id')
        .whereRef('renewal.renews_award_id', '=', 'atw_awards.id')
        .limit(1)
        .as('renewed_by_id'),
    );
}

export async function insertAward(db: DbOrTrx, row: AwardRow): Promise<void> {
  await db.insertInto('atw_awards').values(row).execute();
}

export async function findAward(db: DbOrTrx, id: string): Promise<AwardListRow | undefined> {
  return awards(db).where('atw_awards.id', '=', id).executeTakeFirst();
}

/** A person's awards, latest start first. */
export async function awardsFor(db: DbOrTrx, participantId: string): Promise<AwardListRow[]> {
  return awards(db)
    .where('atw_awards.participant_id', '=', participantId)
    .orderBy('atw_awards.start_date', 'desc')
    .orderBy('atw_awards.id')
    .execute();
}

/** Awards of the people on these teams (or everyone's, for null), ending on or after `endingFrom`. */
export async function awardsForTeams(
  db: DbOrTrx,
  teamIds: readonly string[] | null,
  endingFrom: string,
): Promise<
  (AwardListRow & { team_id: string | null; practitioner_id: string | null; given_name: string; family_name: string })[]
> {
  let q = awards(db)
    .innerJoin('participants', 'participants.id', 'atw_awards.participant_id')
    .select(['participants.team_id', 'participants.practitioner_id', 'participants.given_name', 'participants.family_name'])
    .where('atw_awards.end_date', '>=', endingFrom);
  if (teamIds !== null) {
    if (teamIds.length === 0) return [];
    q = q.where('participants.team_id', 'in', teamIds);
  }
  return q.orderBy('atw_awards.end_date').orderBy('atw_awards.id').execute();
}

/** A page of awards for the API: one person's, or those of the people in `teamIds`, newest start first. */
export async function pageAwards(
  db: DbOrTrx,
  filter: { participantId?: string; teamIds: readonly string[]; practitionerId?: string },
  page: { limit: number; offset: number },
): Promise<AwardListRow[]> {
  let q = awards(db).innerJoin('participants', 'participants.id', 'atw_awards.participant_id');
  if (filter.participantId) q = q.where('atw_awards.participant_id', '=', filter.participantId);
  q = q.where((eb) => {
    const scopes = [];
    if (filter.teamIds.length > 0) scopes.push(eb('participants.team_id', 'in', filter.teamIds));
    if (filter.practitionerId) scopes.push(eb('participants.practitioner_id', '=', filter.practitionerId));
    // No scope matches nothing (a literal, as SQLite cannot bind a boolean).
    return scopes.length > 0 ? eb.or(scopes) : eb(sql.lit(1), '=', sql.lit(0));
  });
  return q.orderBy('atw_awards.start_date', 'desc').orderBy('atw_awards.id').limit(page.limit).offset(page.offset).execute();
}

export async function updateAward(db: DbOrTrx, id: string, version: number, set: Partial<AwardRow>): Promise<number> {
  return rowsUpdated(
    await db
      .updateTable('atw_awards')
      .set({ ...set, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst(),
  );
}

// ---- Charged contacts ----------------------------------------------------------------------------

export interface ChargedContactRow {
  id: string;
  atw_award_id: string;
  atw_claim_id: string | null;
  started_at: string;
  duration_minutes: number;
  practitioner_id: string;
}

function charged(db: DbOrTrx, awardIds: readonly string[]) {
  return db
    .selectFrom('contacts')
    .select(['id', 'atw_award_id', 'atw_claim_id', 'started_at', 'duration_minutes', 'practitioner_id'])
    .where('atw_award_id', 'in', awardIds)
    .where('deleted_at', 'is', null);
}

/** Contacts charged to these awards (not deleted), oldest first. */
export async function chargedContacts(db: DbOrTrx, awardIds: readonly string[]): Promise<ChargedContactRow[]> {
  if (awardIds.length === 0) return [];
  const rows = await charged(db, awardIds).orderBy('started_at').orderBy('id').execute();
  return rows.map((r) => ({ ...r, atw_award_id: r.atw_award_id!, duration_minutes: Number(r.duration_minutes) }));
}

/**
 * Contacts charged to an award that start in [from, to] (London days) and are not yet in a
 * submitted claim: what a claim for that period would hold.
 */
export async function unclaimedContacts(db: DbOrTrx, awardId: string, from: string, to: string): Promise<ChargedContactRow[]> {
  const rows = await charged(db, [awardId])
    .where('atw_claim_id', 'is', null)
    .where('started_at', '>=', londonMidnight(from).toISOString())
    .where('started_at', '<', londonMidnight(nextDay(to)).toISOString())
    .orderBy('started_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, atw_award_id: r.atw_award_id!, duration_minutes: Number(r.duration_minutes) }));
}

/** Contacts held by a claim (set at submission). */
export async function contactsInClaim(db: DbOrTrx, claimId: string): Promise<ChargedContactRow[]> {
  const rows = await db
    .selectFrom('contacts')
    .select(['id', 'atw_award_id', 'atw_claim_id', 'started_at', 'duration_minutes', 'practitioner_id'])
    .where('atw_claim_id', '=', claimId)
    .orderBy('started_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, atw_award_id: r.atw_award_id!, duration_minutes: Number(r.duration_minutes) }));
}

/** Locks contacts into a claim; only those not yet in one. Returns how many were locked. */
export async function lockContacts(db: DbOrTrx, claimId: string, contactIds: readonly string[]): Promise<number> {
  if (contactIds.length === 0) return 0;
  let locked = 0;
  // Chunks keep the statement under both databases' parameter limits.
  for (let i = 0; i < contactIds.length; i += 500) {
    locked += rowsUpdated(
      await db
        .updateTable('contacts')
        .set({ atw_claim_id: claimId })
        .where('id', 'in', contactIds.slice(i, i + 500))
        .where('atw_claim_id', 'is', null)
        .where('deleted_at', 'is', null)
        .executeTakeFirst(),
    );
  }
  return locked;
}

/** Minutes of in-work support each of these practitioners logged since `sinceInstant`. */
export async function supportMinutesBy(
  db: DbOrTrx,
  practitionerIds: readonly string[],
  sinceInstant: string,
  untilInstant: string,
): Promise<Map<string, number>> {
  if (practitionerIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('contacts')
    .select(['practitioner_id', (eb) => eb.fn.sum<number | string>('duration_minutes').as('minutes')])
    .where('practitioner_id', 'in', practitionerIds)
    .where('deleted_at', 'is', null)
    .where('started_at', '>=', sinceInstant)
    .where('started_at', '<', untilInstant)
    .where((eb) =>
      eb.or([
        eb('placement_id', 'is not', null),
        eb('atw_award_id', 'is not', null),
        eb('purpose', 'in', ['in_work_support', 'task_instruction']),
      ]),
    )
    .groupBy('practitioner_id')
    .execute();
  return new Map(rows.map((r) => [r.practitioner_id, toCount(r.minutes)]));
}

// ---- Claims --------------------------------------------------------------------------------------

export type ClaimListRow = ClaimRow & { award_reference: string | null; submitted_by_name: string | null };

function claims(db: DbOrTrx) {
  return db
    .selectFrom('atw_claims')
    .innerJoin('atw_awards', 'atw_awards.id', 'atw_claims.award_id')
    .leftJoin('users', 'users.id', 'atw_claims.submitted_by_user_id')
    .selectAll('atw_claims')
    .select(['atw_awards.reference as award_reference', 'users.name as submitted_by_name']);
}

export async function insertClaim(db: DbOrTrx, row: ClaimRow): Promise<void> {
  await db.insertInto('atw_claims').values(row).execute();
}

export async function findClaim(db: DbOrTrx, id: string): Promise<ClaimListRow | undefined> {
  return claims(db).where('atw_claims.id', '=', id).executeTakeFirst();
}

/** Claims on these awards, latest period first. */
export async function claimsFor(db: DbOrTrx, awardIds: readonly string[]): Promise<ClaimListRow[]> {
  if (awardIds.length === 0) return [];
  return claims(db)
    .where('atw_claims.award_id', 'in', awardIds)
    .orderBy('atw_claims.period_start', 'desc')
    .orderBy('atw_claims.created_at', 'desc')
    .execute();
}

export async function draftFor(db: DbOrTrx, awardId: string): Promise<ClaimRow | undefined> {
  return db.selectFrom('atw_claims').selectAll().where('award_id', '=', awardId).where('status', '=', 'draft').executeTakeFirst();
}

export async function updateClaim(db: DbOrTrx, id: string, version: number, set: Partial<ClaimRow>): Promise<number> {
  return rowsUpdated(
    await db
      .updateTable('atw_claims')
      .set({ ...set, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst(),
  );
}

export async function deleteDraft(db: DbOrTrx, id: string, version: number): Promise<number> {
  const result = await db
    .deleteFrom('atw_claims')
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function insertLines(db: DbOrTrx, rows: readonly ClaimLineRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto('atw_claim_lines')
      .values(rows.slice(i, i + 200))
      .execute();
}

export async function linesOf(db: DbOrTrx, claimId: string): Promise<ClaimLineRow[]> {
  return db.selectFrom('atw_claim_lines').selectAll().where('claim_id', '=', claimId).orderBy('day').execute();
}

// ---- Alerts and coach capacity (appended) --------------------------------------------------------

/** Awards of the people whose practitioner is `practitionerId`, whatever their team, ending on or after `endingFrom`. */
export async function awardsForPractitioner(
  db: DbOrTrx,
  practitionerId: string,
  endingFrom: string,
): Promise<
  (AwardListRow & { team_id: string | null; practitioner_id: string | null; given_name: string; family_name: string })[]
> {
  return awards(db)
    .innerJoin('participants', 'participants.id', 'atw_awards.participant_id')
    .select(['participants.team_id', 'participants.practitioner_id', 'participants.given_name', 'participants.family_name'])
    .where('atw_awards.end_date', '>=', endingFrom)
    .where('participants.practitioner_id', '=', practitionerId)
    .orderBy('atw_awards.end_date')
    .orderBy('atw_awards.id')
    .execute();
}

/** A practitioner or manager as the capacity page needs them. */
export interface CoachRow {
  id: string;
  name: string;
  role: string;
  team_id: string | null;
  active: number;
  contracted_hours_per_week: number | null;
}

/** The active practitioners and managers of a team, by name. */
export async function teamCoaches(db: DbOrTrx, teamId: string): Promise<CoachRow[]> {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'role', 'team_id', 'active', 'contracted_hours_per_week'])
    .where('team_id', '=', teamId)
    .where('active', '=', 1)
    .where('role', 'in', ['practitioner', 'manager'])
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export async function findCoach(db: DbOrTrx, userId: string): Promise<CoachRow | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'role', 'team_id', 'active', 'contracted_hours_per_week'])
    .where('id', '=', userId)
    .executeTakeFirst();
}

/** Records a coach's contracted hours a week (null: not recorded). */
export async function setContractedHours(db: DbOrTrx, userId: string, hours: number | null): Promise<void> {
  await db.updateTable('users').set({ contracted_hours_per_week: hours }).where('id', '=', userId).execute();
}

/**
 * Support plans of a team's people still giving support (active or reduced) with coach hours
 * set, on jobs that have not ended by `today`, with the person's practitioner.
 */
export async function teamPlanHours(
  db: DbOrTrx,
  teamId: string,
  today: string,
): Promise<
  {
    placement_id: string;
    participant_id: string;
    hours_per_week: number;
    practitioner_id: string | null;
    job_end_date: string | null;
  }[]
> {
  const rows = await db
    .selectFrom('support_plans')
    .innerJoin('placements', 'placements.id', 'support_plans.placement_id')
    .innerJoin('participants', 'participants.id', 'support_plans.participant_id')
    .select([
      'support_plans.placement_id',
      'support_plans.participant_id',
      'support_plans.hours_per_week',
      'participants.practitioner_id',
      'placements.end_date as job_end_date',
    ])
    .where('participants.team_id', '=', teamId)
    .where('support_plans.status', 'in', ['active', 'reduced'])
    .where('support_plans.hours_per_week', 'is not', null)
    .where((eb) => eb.or([eb('placements.end_date', 'is', null), eb('placements.end_date', '>=', today)]))
    .orderBy('support_plans.placement_id')
    .execute();
  return rows.map((r) => ({ ...r, hours_per_week: Number(r.hours_per_week) }));
}

/** A team's applications still waiting for a decision that say the hours asked for and when they would start. */
export async function teamPipeline(
  db: DbOrTrx,
  teamId: string,
  statuses: readonly string[],
): Promise<
  { id: string; participant_id: string; hours_per_week: number; expected_start_date: string; practitioner_id: string | null }[]
> {
  const rows = await db
    .selectFrom('atw_applications')
    .innerJoin('participants', 'participants.id', 'atw_applications.participant_id')
    .select([
      'atw_applications.id',
      'atw_applications.participant_id',
      'atw_applications.hours_per_week',
      'atw_applications.expected_start_date',
      'participants.practitioner_id',
    ])
    .where('participants.team_id', '=', teamId)
    .where('atw_applications.status', 'in', statuses)
    .where('atw_applications.hours_per_week', 'is not', null)
    .where('atw_applications.expected_start_date', 'is not', null)
    .orderBy('atw_applications.id')
    .execute();
  return rows.map((r) => ({ ...r, hours_per_week: Number(r.hours_per_week), expected_start_date: r.expected_start_date! }));
}
