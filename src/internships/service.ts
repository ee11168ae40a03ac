import { randomUUID } from 'node:crypto';
import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { isUniqueViolation, newRecordColumns } from '../db/records.ts';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import * as audit from '../audit/service.ts';
import type { Viewer } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import { displayName } from '../profiles/service.ts';
import { canSeeParticipant } from '../participants/rules.ts';
import * as repo from './repo.ts';
import {
  type InternStatus,
  type Outcome,
  type OutcomeRate,
  type OutcomeVerdict,
  outcomeRate,
  programmeOutcome,
} from './rules.ts';

// ---- Shapes --------------------------------------------------------------------------------------

export interface Cohort {
  id: string;
  name: string;
  programmeYear: string;
  hostEmployerId: string;
  hostName: string;
  teamId: string;
  teamName: string | null;
  tutorUserId: string | null;
  tutorName: string | null;
  educationProvider: string | null;
  startDate: string;
  endDate: string;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface CohortInput {
  name: string;
  programmeYear: string;
  hostEmployerId: string;
  teamId: string;
  tutorUserId: string | null;
  educationProvider: string | null;
  startDate: string;
  endDate: string;
  notes: string | null;
}

/** A cohort as the viewer sees it, with what they may do. */
export interface CohortView extends Cohort {
  coachIds: string[];
  siteIds: string[];
  canChange: boolean;
}

export interface Intern {
  id: string;
  cohortId: string;
  participantId: string;
  /** The name to show, or null when the viewer may no longer see the person (handed over to another team). */
  name: string | null;
  dateOfBirth: string | null;
  ehcPlan: boolean;
  status: InternStatus;
  outcome: Outcome | null;
  outcomeDate: string | null;
  outcomeNote: string | null;
  job: {
    employerId: string | null;
    title: string | null;
    departmentId: string | null;
    siteId: string | null;
    startDate: string | null;
    hoursPerWeek: number | null;
    hourlyPayPence: number | null;
    seasonal: boolean | null;
    integrated: boolean | null;
    contractType: string | null;
    lineManager: string | null;
  };
  /** Derived from the job: whether it meets the programme outcome definition. */
  programmeOutcome: OutcomeVerdict;
  handedOverAt: string | null;
  followOnPractitionerId: string | null;
  followOnPlacementId: string | null;
  version: number;
}

// ---- Mapping -------------------------------------------------------------------------------------

export function toCohort(r: repo.CohortListRow): Cohort {
  return {
    id: r.id,
    name: r.name,
    programmeYear: r.programme_year,
    hostEmployerId: r.host_employer_id,
    hostName: r.host_name,
    teamId: r.team_id,
    teamName: r.team_name,
    tutorUserId: r.tutor_user_id,
    tutorName: r.tutor_name,
    educationProvider: r.education_provider,
    startDate: r.start_date,
    endDate: r.end_date,
    notes: r.notes,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

const flag = (v: number | null): boolean | null => (v === null ? null : Number(v) === 1);

export function toIntern(r: repo.InternListRow, visible: boolean): Intern {
  const job = {
    employerId: r.job_employer_id,
    title: r.job_title,
    departmentId: r.job_employer_department_id,
    siteId: r.job_employer_site_id,
    startDate: r.job_start_date,
    hoursPerWeek: r.job_hours_per_week === null ? null : Number(r.job_hours_per_week),
    hourlyPayPence: r.job_hourly_pay_pence === null ? null : Number(r.job_hourly_pay_pence),
    seasonal: flag(r.job_seasonal),
    integrated: flag(r.job_integrated),
    contractType: r.job_contract_type,
    lineManager: r.job_line_manager,
  };
  return {
    id: r.id,
    cohortId: r.cohort_id,
    participantId: r.participant_id,
    name: visible ? displayName({ givenName: r.given_name, familyName: r.family_name, preferredName: r.preferred_name }) : null,
    dateOfBirth: visible ? r.date_of_birth : null,
    ehcPlan: Number(r.ehc_plan) === 1,
    status: r.status as InternStatus,
    outcome: r.outcome as Outcome | null,
    outcomeDate: r.outcome_date,
    outcomeNote: visible ? r.outcome_note : null,
    job,
    programmeOutcome: programmeOutcome({ ...job, dateOfBirth: r.date_of_birth }),
    handedOverAt: r.handed_over_at,
    followOnPractitionerId: r.follow_on_practitioner_id,
    followOnPlacementId: r.follow_on_placement_id,
    version: Number(r.version),
  };
}

const clean = (v: string | null | undefined): string | null => v?.replace(/\r\n/g, '\n').trim() || null;

// ---- Access --------------------------------------------------------------------------------------

/**
 * The interns' team (its practitioners and managers), the tutor and the cohort's job coaches
 * see and run a cohort. Nobody else does: 404, as for a record they cannot see.
 */
export function canSeeCohort(
  viewer: Viewer,
  cohort: { teamId: string; tutorUserId: string | null },
  coachIds: readonly string[],
): boolean {
  if (viewer.role !== 'practitioner' && viewer.role !== 'manager') return false;
  return (
    (viewer.teamId !== null && viewer.teamId === cohort.teamId) ||
    cohort.tutorUserId === viewer.userId ||
    coachIds.includes(viewer.userId)
  );
}

/** A cohort the viewer may see, or 404. Does not audit (a cohort is not a person's record). */
export async function loadCohort(db: DbOrTrx, viewer: Viewer, id: string): Promise<CohortView> {
  const row = await repo.findCohort(db, id);
  if (!row) throw new NotFoundError('Cohort not found');
  const cohort = toCohort(row);
  const [coachIds, siteIds] = await Promise.all([repo.coachIds(db, id), repo.siteIds(db, id)]);
  if (!canSeeCohort(viewer, cohort, coachIds)) throw new NotFoundError('Cohort not found');
  return { ...cohort, coachIds, siteIds, canChange: true };
}

/** Cohorts the viewer may see, latest first. */
export async function listCohorts(db: DbOrTrx, viewer: Viewer): Promise<Cohort[]> {
  if (viewer.role !== 'practitioner' && viewer.role !== 'manager') return [];
  return (await repo.cohortsFor(db, viewer.teamId ? [viewer.teamId] : [], viewer.userId)).map(toCohort);
}

// ---- Cohorts -------------------------------------------------------------------------------------

async function checkCohort(db: DbOrTrx, viewer: Viewer, input: CohortInput, currentTeamId: string | null): Promise<void> {
  const fields: Record<string, string> = {};
  if (input.endDate <= input.startDate) fields.end_date = 'End date must be after the start date';
  const host = await db.selectFrom('employers').select('type').where('id', '=', input.hostEmployerId).executeTakeFirst();
  if (!host) fields.host_employer_id = 'Select the host organisation from the list';
  const team = await db.selectFrom('teams').select('id').where('id', '=', input.teamId).executeTakeFirst();
  if (!team) fields.team_id = 'Select the interns’ team';
  // A cohort stays with its team or moves to the viewer's own; never to a team they are not in.
  else if (input.teamId !== viewer.teamId && input.teamId !== currentTeamId)
    fields.team_id = 'You can set up cohorts for your own team only';
  if (input.tutorUserId) {
    const tutor = await db.selectFrom('users').select(['role', 'active']).where('id', '=', input.tutorUserId).executeTakeFirst();
    if (!tutor || Number(tutor.active) !== 1 || (tutor.role !== 'practitioner' && tutor.role !== 'manager'))
      fields.tutor_user_id = 'Select the tutor from the list';
  }
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
}

function cohortValues(input: CohortInput) {
  return {
    name: input.name.trim(),
    programme_year: input.programmeYear.trim(),
    host_employer_id: input.hostEmployerId,
    team_id: input.teamId,
    tutor_user_id: input.tutorUserId,
    education_provider: clean(input.educationProvider),
    start_date: input.startDate,
    end_date: input.endDate,
    notes: clean(input.notes),
  };
}

/** Sets up a cohort. Managers set up cohorts for their own team; practitioners for theirs. */
export async function createCohort(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  input: CohortInput,
): Promise<CohortView> {
  if (viewer.role !== 'manager' && viewer.role !== 'practitioner')
    throw new RuleError('Only practitioners and managers set up cohorts');
  if (viewer.role === 'practitioner' && viewer.teamId !== input.teamId)
    throw new ValidationError({ team_id: 'You can set up cohorts for your own team only' });
  await checkCohort(db, viewer, input, null);
  const row: repo.CohortRow = { ...newRecordColumns(deps.clock), ...cohortValues(input) };
  await repo.insertCohort(db, row);
  await audit.record(db, deps, ctx, {
    action: 'cohort.created',
    entityType: 'cohort',
    entityId: row.id,
    details: { name: row.name },
  });
  return loadCohort(db, viewer, row.id);
}

export async function updateCohort(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
  version: number,
  input: CohortInput,
): Promise<CohortView> {
  const current = await loadCohort(db, viewer, id);
  if (current.version !== version) throw new ConflictError('Someone else changed this cohort after you opened it');
  await checkCohort(db, viewer, input, current.teamId);
  if ((await repo.updateCohort(db, id, version, { ...cohortValues(input), updated_at: deps.clock.now().toISOString() })) === 0)
    throw new ConflictError();
  await audit.record(db, deps, ctx, { action: 'cohort.updated', entityType: 'cohort', entityId: id });
  return loadCohort(db, viewer, id);
}

/** Sets the cohort's job coaches (active practitioners or managers) and host sites (sites of the host organisation). */
export async function setCoachesAndSites(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
  coachIds: readonly string[],
  siteIds: readonly string[],
): Promise<CohortView> {
  const cohort = await loadCohort(db, viewer, id);
  const fields: Record<string, string> = {};
  const coaches = coachIds.length
    ? await db.selectFrom('users').select(['id', 'role', 'active']).where('id', 'in', coachIds).execute()
    : [];
  if (
    coaches.length !== new Set(coachIds).size ||
    coaches.some((c) => Number(c.active) !== 1 || (c.role !== 'practitioner' && c.role !== 'manager'))
  )
    fields.coach_ids = 'Select job coaches from the list';
  const sites = siteIds.length
    ? await db.selectFrom('employer_sites').select(['id', 'employer_id']).where('id', 'in', siteIds).execute()
    : [];
  if (sites.length !== new Set(siteIds).size || sites.some((s) => s.employer_id !== cohort.hostEmployerId))
    fields.site_ids = 'Select sites of the host organisation from the list';
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  await repo.setCoaches(db, id, [...new Set(coachIds)], randomUUID);
  await repo.setSites(db, id, [...new Set(siteIds)], randomUUID);
  await audit.record(db, deps, ctx, {
    action: 'cohort.team_changed',
    entityType: 'cohort',
    entityId: id,
    details: { coaches: coachIds.length, sites: siteIds.length },
  });
  return loadCohort(db, viewer, id);
}

// ---- Interns -------------------------------------------------------------------------------------

/** A cohort's interns; names only of people the viewer may still see (a graduate handed over to another team is unnamed). */
export async function internsOf(db: DbOrTrx, viewer: Viewer, cohortId: string): Promise<Intern[]> {
  await loadCohort(db, viewer, cohortId);
  const rows = await repo.internsOf(db, cohortId);
  return rows.map((r) =>
    toIntern(
      r,
      canSeeParticipant(viewer, {
        practitionerId: r.participant_practitioner_id,
        teamId: r.participant_team_id,
        clinicalTeamIds: [],
      }),
    ),
  );
}

/** One intern of a cohort the viewer may see (404 otherwise). */
export async function getIntern(db: DbOrTrx, viewer: Viewer, cohortId: string, internId: string): Promise<Intern> {
  const intern = (await internsOf(db, viewer, cohortId)).find((i) => i.id === internId);
  if (!intern) throw new NotFoundError('Intern not found');
  return intern;
}

/**
 * Adds a person to a cohort as an intern: someone the viewer may change, on the internship
 * programme, not already an intern of this cohort. Audited on the person.
 */
export async function addIntern(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  cohortId: string,
  input: { participantId: string; ehcPlan: boolean },
): Promise<Intern> {
  await loadCohort(db, viewer, cohortId);
  const p = await participants.loadEditable(db, viewer, input.participantId).catch((err: unknown) => {
    if (err instanceof NotFoundError) throw new ValidationError({ participant_id: 'Select someone on your team’s caseload' });
    throw err;
  });
  if (p.programme !== 'internship')
    throw new ValidationError({
      participant_id: `${displayName(p)} is not on the supported internship programme: change their programme first`,
    });
  const row: repo.InternRow = {
    ...newRecordColumns(deps.clock),
    cohort_id: cohortId,
    participant_id: p.id,
    ehc_plan: input.ehcPlan ? 1 : 0,
    status: 'active',
    outcome: null,
    outcome_date: null,
    outcome_note: null,
    job_employer_id: null,
    job_title: null,
    job_employer_department_id: null,
    job_employer_site_id: null,
    job_start_date: null,
    job_hours_per_week: null,
    job_hourly_pay_pence: null,
    job_seasonal: null,
    job_integrated: null,
    job_contract_type: null,
    job_line_manager: null,
    handed_over_at: null,
    follow_on_practitioner_id: null,
    follow_on_placement_id: null,
  };
  try {
    await repo.insertIntern(db, row);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ValidationError({ participant_id: 'They are already an intern in this cohort' });
    throw err;
  }
  await audit.record(db, deps, ctx, {
    action: 'intern.added',
    entityType: 'participant',
    entityId: p.id,
    details: { cohort_id: cohortId, intern_id: row.id },
  });
  return getIntern(db, viewer, cohortId, row.id);
}

// ---- Outcomes ------------------------------------------------------------------------------------

/** The cohort's outcome rate, from every intern (names are not needed, so no one is hidden from the figure). */
export async function cohortOutcomeRate(db: DbOrTrx, viewer: Viewer, cohortId: string): Promise<OutcomeRate> {
  await loadCohort(db, viewer, cohortId);
  const rows = await repo.internsOf(db, cohortId);
  return outcomeRate(
    rows.map((r) => {
      const i = toIntern(r, false);
      return { status: i.status, outcome: i.outcome, meets: programmeOutcome({ ...i.job, dateOfBirth: r.date_of_birth }).meets };
    }),
  );
}
