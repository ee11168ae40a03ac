import type { DbOrTrx } from '../db/types.ts';

// Loads, in a handful of set-based queries, the facts the outcome figures are worked out from.
// A scope of null means every team (commissioners and administrators see the whole service).

export interface FactScope {
  teamIds: readonly string[];
  /** The viewer's own caseload, for a practitioner without a team. */
  practitionerId: string | null;
}

export interface ParticipantFactRow {
  id: string;
  team_id: string | null;
  practitioner_id: string | null;
  programme: string;
  date_of_birth: string | null;
}

/** The participants a scope covers, as a subquery for `participant_id in (...)`. */
function scopedIds(db: DbOrTrx, scope: FactScope) {
  return db
    .selectFrom('participants as sp')
    .select('sp.id')
    .where((eb) =>
      eb.or([
        ...(scope.teamIds.length > 0 ? [eb('sp.team_id', 'in', scope.teamIds)] : []),
        ...(scope.practitionerId !== null ? [eb('sp.practitioner_id', '=', scope.practitionerId)] : []),
        ...(scope.teamIds.length === 0 && scope.practitionerId === null ? [eb.lit(false)] : []),
      ]),
    );
}

export async function participantFacts(db: DbOrTrx, scope: FactScope | null): Promise<ParticipantFactRow[]> {
  let q = db.selectFrom('participants').select(['id', 'team_id', 'practitioner_id', 'programme', 'date_of_birth']);
  if (scope !== null) q = q.where('id', 'in', scopedIds(db, scope));
  return q.execute();
}

export async function referralFacts(db: DbOrTrx, scope: FactScope | null) {
  let q = db
    .selectFrom('referrals')
    .select(['participant_id', 'accepted_date', 'first_contact_date', 'closed_date', 'in_work_at_referral'])
    .where('accepted_date', 'is not', null);
  if (scope !== null) q = q.where('participant_id', 'in', scopedIds(db, scope));
  return q.execute();
}

export async function profileStarts(db: DbOrTrx, scope: FactScope | null) {
  let q = db.selectFrom('profile_versions').select(['participant_id', (eb) => eb.fn.min('created_at').as('started_at')]);
  if (scope !== null) q = q.where('participant_id', 'in', scopedIds(db, scope));
  return q.groupBy('participant_id').execute();
}

/**
 * For each accepted referral, the first face-to-face employer contact for the person from its
 * accepted day on. Compared as text, an instant from 23:00 UTC the evening before (just after
 * midnight in British Summer Time) is not counted as on the day; employer visits at that hour do
 * not happen, and the reduction keeps the report to one row per referral.
 */
export async function firstEmployerFaceToFace(
  db: DbOrTrx,
  scope: FactScope | null,
  accepted: { from: string; to: string } | null,
) {
  let q = db
    .selectFrom('referrals')
    .innerJoin('employer_contacts', 'employer_contacts.participant_id', 'referrals.participant_id')
    .select(['referrals.participant_id', (eb) => eb.fn.min('employer_contacts.contacted_at').as('first_at')])
    .where('referrals.accepted_date', 'is not', null)
    .where('employer_contacts.face_to_face', '=', 1)
    .where('employer_contacts.deleted_at', 'is', null)
    .whereRef('employer_contacts.contacted_at', '>=', 'referrals.accepted_date');
  if (scope !== null) q = q.where('referrals.participant_id', 'in', scopedIds(db, scope));
  if (accepted !== null)
    q = q.where('referrals.accepted_date', '>=', accepted.from).where('referrals.accepted_date', '<=', accepted.to);
  return q.groupBy(['referrals.id', 'referrals.participant_id']).execute();
}

export async function jobFacts(db: DbOrTrx, scope: FactScope | null) {
  let q = db
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
    ]);
  if (scope !== null) q = q.where('placements.participant_id', 'in', scopedIds(db, scope));
  return q.execute();
}

export async function redeploymentFacts(db: DbOrTrx, scope: FactScope | null) {
  let q = db
    .selectFrom('redeployments')
    .select(['participant_id', 'closed_on'])
    .where('new_placement_id', 'is not', null)
    .where('closed_on', 'is not', null);
  if (scope !== null) q = q.where('participant_id', 'in', scopedIds(db, scope));
  return q.execute();
}

export async function internFacts(db: DbOrTrx, scope: FactScope | null) {
  let q = db
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
    ]);
  if (scope !== null) q = q.where('cohort_interns.participant_id', 'in', scopedIds(db, scope));
  return q.execute();
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
