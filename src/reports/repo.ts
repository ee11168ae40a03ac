import type { DbOrTrx } from '../db/types.ts';

// Loads, in a handful of set-based queries, the facts the outcome figures are worked out from.
// `teamIds` null means every team (commissioners and administrators see the whole service); the
// other queries load the whole service's rows and the service keeps those of the people in scope.

export interface ParticipantFactRow {
  id: string;
  team_id: string | null;
  practitioner_id: string | null;
  programme: string;
  date_of_birth: string | null;
}

export async function participantFacts(
  db: DbOrTrx,
  teamIds: readonly string[] | null,
  practitionerId: string | null,
): Promise<ParticipantFactRow[]> {
  let q = db.selectFrom('participants').select(['id', 'team_id', 'practitioner_id', 'programme', 'date_of_birth']);
  if (teamIds !== null) {
    q = q.where((eb) =>
      eb.or([
        ...(teamIds.length > 0 ? [eb('team_id', 'in', teamIds)] : []),
        ...(practitionerId !== null ? [eb('practitioner_id', '=', practitionerId)] : []),
        ...(teamIds.length === 0 && practitionerId === null ? [eb.lit(false)] : []),
      ]),
    );
  }
  return q.execute();
}

export async function referralFacts(db: DbOrTrx) {
  return db
    .selectFrom('referrals')
    .select(['participant_id', 'accepted_date', 'first_contact_date', 'closed_date', 'in_work_at_referral'])
    .where('accepted_date', 'is not', null)
    .execute();
}

export async function profileStarts(db: DbOrTrx) {
  return db
    .selectFrom('profile_versions')
    .select(['participant_id', (eb) => eb.fn.min('created_at').as('started_at')])
    .groupBy('participant_id')
    .execute();
}

export async function employerFaceToFace(db: DbOrTrx) {
  return db
    .selectFrom('employer_contacts')
    .select(['participant_id', 'contacted_at'])
    .where('face_to_face', '=', 1)
    .where('deleted_at', 'is', null)
    .where('participant_id', 'is not', null)
    .execute();
}

export async function jobFacts(db: DbOrTrx) {
  return db
    .selectFrom('placements')
    .innerJoin('employers', 'employers.id', 'placements.employer_id')
    .select([
      'placements.id',
      'placements.participant_id',
      'placements.employer_id',
      'employers.type as employer_type',
      'placements.employer_site_id',
      'placements.practitioner_id',
      'placements.title',
      'placements.start_date',
      'placements.end_date',
      'placements.end_reason',
      'placements.hours_per_week',
      'placements.hourly_pay_pence',
      'placements.open_to_anyone',
      'placements.set_aside_for_disabled',
      'placements.contract_type',
    ])
    .execute();
}

export async function redeploymentFacts(db: DbOrTrx) {
  return db
    .selectFrom('redeployments')
    .select(['participant_id', 'closed_on'])
    .where('new_placement_id', 'is not', null)
    .where('closed_on', 'is not', null)
    .execute();
}

export async function internFacts(db: DbOrTrx) {
  return db
    .selectFrom('cohort_interns')
    .innerJoin('cohorts', 'cohorts.id', 'cohort_interns.cohort_id')
    .select([
      'cohort_interns.participant_id',
      'cohorts.end_date as cohort_end_date',
      'cohort_interns.status',
      'cohort_interns.outcome',
      'cohort_interns.job_hours_per_week',
      'cohort_interns.job_hourly_pay_pence',
      'cohort_interns.job_seasonal',
      'cohort_interns.job_integrated',
      'cohort_interns.job_start_date',
    ])
    .execute();
}

/** Names for the groups of a split. */
export async function teamNames(db: DbOrTrx) {
  return db.selectFrom('teams').select(['id', 'name']).execute();
}

export async function userNames(db: DbOrTrx) {
  return db.selectFrom('users').select(['id', 'name']).execute();
}

export async function siteNames(db: DbOrTrx) {
  return db
    .selectFrom('employer_sites')
    .innerJoin('employers', 'employers.id', 'employer_sites.employer_id')
    .select(['employer_sites.id', 'employer_sites.name', 'employers.name as employer_name'])
    .execute();
}
