import type { DbOrTrx } from '../db/types.ts';
import { rowsUpdated } from '../db/records.ts';

// Graduation and hand-over: moving a graduate's record to follow-on support, and a person's whole
// internship history in one query (their cohorts, each rotation's department, the outcome and
// the hand-over).

/**
 * Moves a person to another programme, practitioner and team when `version` is current; 0 when
 * someone changed the record first.
 */
export async function moveParticipant(
  db: DbOrTrx,
  id: string,
  version: number,
  set: { programme: string; practitioner_id: string; team_id: string | null; updated_at: string },
): Promise<number> {
  return rowsUpdated(
    await db
      .updateTable('participants')
      .set({ ...set, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst(),
  );
}

/** One row per internship and rotation the person had a department in (or one row with no rotation). */
export interface HistoryRow {
  intern_id: string;
  cohort_id: string;
  cohort_name: string;
  programme_year: string;
  host_name: string;
  joined_at: string;
  status: string;
  outcome: string | null;
  outcome_date: string | null;
  job_title: string | null;
  job_employer_name: string | null;
  job_start_date: string | null;
  job_hours_per_week: number | null;
  job_hourly_pay_pence: number | null;
  job_seasonal: number | null;
  job_integrated: number | null;
  handed_over_at: string | null;
  follow_on_name: string | null;
  follow_on_placement_id: string | null;
  date_of_birth: string | null;
  rotation_number: number | null;
  rotation_start_date: string | null;
  rotation_end_date: string | null;
  department_name: string | null;
  site_name: string | null;
}

/** A person's internships with their rotations' departments, oldest first. One query. */
export async function historyOf(db: DbOrTrx, participantId: string): Promise<HistoryRow[]> {
  return db
    .selectFrom('cohort_interns')
    .innerJoin('cohorts', 'cohorts.id', 'cohort_interns.cohort_id')
    .innerJoin('employers as host', 'host.id', 'cohorts.host_employer_id')
    .innerJoin('participants', 'participants.id', 'cohort_interns.participant_id')
    .leftJoin('employers as job_employer', 'job_employer.id', 'cohort_interns.job_employer_id')
    .leftJoin('users as follow_on', 'follow_on.id', 'cohort_interns.follow_on_practitioner_id')
    .leftJoin('rotation_placements', 'rotation_placements.cohort_intern_id', 'cohort_interns.id')
    .leftJoin('rotations', 'rotations.id', 'rotation_placements.rotation_id')
    .leftJoin('employer_departments', 'employer_departments.id', 'rotation_placements.employer_department_id')
    .leftJoin('employer_sites', 'employer_sites.id', 'employer_departments.employer_site_id')
    .select([
      'cohort_interns.id as intern_id',
      'cohorts.id as cohort_id',
      'cohorts.name as cohort_name',
      'cohorts.programme_year',
      'host.name as host_name',
      'cohort_interns.created_at as joined_at',
      'cohort_interns.status',
      'cohort_interns.outcome',
      'cohort_interns.outcome_date',
      'cohort_interns.job_title',
      'job_employer.name as job_employer_name',
      'cohort_interns.job_start_date',
      'cohort_interns.job_hours_per_week',
      'cohort_interns.job_hourly_pay_pence',
      'cohort_interns.job_seasonal',
      'cohort_interns.job_integrated',
      'cohort_interns.handed_over_at',
      'follow_on.name as follow_on_name',
      'cohort_interns.follow_on_placement_id',
      'participants.date_of_birth',
      'rotations.number as rotation_number',
      'rotations.start_date as rotation_start_date',
      'rotations.end_date as rotation_end_date',
      'employer_departments.name as department_name',
      'employer_sites.name as site_name',
    ])
    .where('cohort_interns.participant_id', '=', participantId)
    .orderBy('cohort_interns.created_at')
    .orderBy('cohort_interns.id')
    .orderBy('rotations.number')
    .execute();
}
