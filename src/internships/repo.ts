import type { CohortInternsTable, CohortsTable, DbOrTrx } from '../db/types.ts';
import { rowsUpdated } from '../db/records.ts';

export type CohortRow = CohortsTable;
export type InternRow = CohortInternsTable;

/** A cohort with the names a page shows beside it. */
export type CohortListRow = CohortRow & { host_name: string; team_name: string | null; tutor_name: string | null };

function cohorts(db: DbOrTrx) {
  return db
    .selectFrom('cohorts')
    .innerJoin('employers', 'employers.id', 'cohorts.host_employer_id')
    .leftJoin('teams', 'teams.id', 'cohorts.team_id')
    .leftJoin('users as tutor', 'tutor.id', 'cohorts.tutor_user_id')
    .selectAll('cohorts')
    .select(['employers.name as host_name', 'teams.name as team_name', 'tutor.name as tutor_name']);
}

export async function insertCohort(db: DbOrTrx, row: CohortRow): Promise<void> {
  await db.insertInto('cohorts').values(row).execute();
}

export async function findCohort(db: DbOrTrx, id: string): Promise<CohortListRow | undefined> {
  return cohorts(db).where('cohorts.id', '=', id).executeTakeFirst();
}

export async function updateCohort(db: DbOrTrx, id: string, version: number, set: Partial<CohortRow>): Promise<number> {
  return rowsUpdated(
    await db
      .updateTable('cohorts')
      .set({ ...set, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst(),
  );
}

/** Cohorts of these teams or with this user as tutor or coach, latest start first. */
export async function cohortsFor(db: DbOrTrx, teamIds: readonly string[], userId: string): Promise<CohortListRow[]> {
  return cohorts(db)
    .where((eb) =>
      eb.or([
        ...(teamIds.length > 0 ? [eb('cohorts.team_id', 'in', teamIds)] : []),
        eb('cohorts.tutor_user_id', '=', userId),
        eb.exists(
          eb
            .selectFrom('cohort_coaches')
            .select('cohort_coaches.id')
            .whereRef('cohort_coaches.cohort_id', '=', 'cohorts.id')
            .where('cohort_coaches.user_id', '=', userId),
        ),
      ]),
    )
    .orderBy('cohorts.start_date', 'desc')
    .orderBy('cohorts.id')
    .execute();
}

export async function coachIds(db: DbOrTrx, cohortId: string): Promise<string[]> {
  return (await db.selectFrom('cohort_coaches').select('user_id').where('cohort_id', '=', cohortId).execute()).map(
    (r) => r.user_id,
  );
}

export async function setCoaches(db: DbOrTrx, cohortId: string, userIds: readonly string[], newId: () => string): Promise<void> {
  await db.deleteFrom('cohort_coaches').where('cohort_id', '=', cohortId).execute();
  if (userIds.length > 0)
    await db
      .insertInto('cohort_coaches')
      .values(userIds.map((user_id) => ({ id: newId(), cohort_id: cohortId, user_id })))
      .execute();
}

export async function siteIds(db: DbOrTrx, cohortId: string): Promise<string[]> {
  return (await db.selectFrom('cohort_sites').select('employer_site_id').where('cohort_id', '=', cohortId).execute()).map(
    (r) => r.employer_site_id,
  );
}

export async function setSites(db: DbOrTrx, cohortId: string, ids: readonly string[], newId: () => string): Promise<void> {
  await db.deleteFrom('cohort_sites').where('cohort_id', '=', cohortId).execute();
  if (ids.length > 0)
    await db
      .insertInto('cohort_sites')
      .values(ids.map((employer_site_id) => ({ id: newId(), cohort_id: cohortId, employer_site_id })))
      .execute();
}

// ---- Interns -------------------------------------------------------------------------------------

/** An intern with the person's names, date of birth and where their record now sits. */
export type InternListRow = InternRow & {
  given_name: string;
  family_name: string;
  preferred_name: string | null;
  date_of_birth: string | null;
  participant_team_id: string | null;
  participant_practitioner_id: string | null;
  programme: string;
};

function interns(db: DbOrTrx) {
  return db
    .selectFrom('cohort_interns')
    .innerJoin('participants', 'participants.id', 'cohort_interns.participant_id')
    .selectAll('cohort_interns')
    .select([
      'participants.given_name',
      'participants.family_name',
      'participants.preferred_name',
      'participants.date_of_birth',
      'participants.team_id as participant_team_id',
      'participants.practitioner_id as participant_practitioner_id',
      'participants.programme',
    ]);
}

export async function insertIntern(db: DbOrTrx, row: InternRow): Promise<void> {
  await db.insertInto('cohort_interns').values(row).execute();
}

export async function findIntern(db: DbOrTrx, id: string): Promise<InternListRow | undefined> {
  return interns(db).where('cohort_interns.id', '=', id).executeTakeFirst();
}

export async function internsOf(db: DbOrTrx, cohortId: string): Promise<InternListRow[]> {
  return interns(db)
    .where('cohort_interns.cohort_id', '=', cohortId)
    .orderBy('participants.family_name')
    .orderBy('participants.given_name')
    .orderBy('cohort_interns.id')
    .execute();
}

/** Interns of several cohorts (reports over years). */
export async function internsOfCohorts(db: DbOrTrx, cohortIds: readonly string[]): Promise<InternListRow[]> {
  if (cohortIds.length === 0) return [];
  return interns(db).where('cohort_interns.cohort_id', 'in', cohortIds).execute();
}

/** The cohorts a person has been an intern in (their internship history). */
export async function internshipsOf(db: DbOrTrx, participantId: string): Promise<InternRow[]> {
  return db.selectFrom('cohort_interns').selectAll().where('participant_id', '=', participantId).orderBy('created_at').execute();
}

export async function updateIntern(db: DbOrTrx, id: string, version: number, set: Partial<InternRow>): Promise<number> {
  return rowsUpdated(
    await db
      .updateTable('cohort_interns')
      .set({ ...set, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst(),
  );
}
