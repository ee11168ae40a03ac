import { stringify } from 'csv-stringify/sync';
import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import * as audit from '../audit/service.ts';
import * as employers from '../employers/service.ts';
import { type Viewer, statusChangeProblem } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import * as placements from '../placements/service.ts';
import { londonDate } from '../referrals/rules.ts';
import * as support from '../support/service.ts';
import * as users from '../users/service.ts';
import { isEmployedOutcome, missingGraduationFields } from './graduation-schema.ts';
import * as graduationRepo from './graduation-repo.ts';
import * as repo from './repo.ts';
import {
  type InternStatus,
  type Outcome,
  type OutcomeRate,
  type OutcomeVerdict,
  outcomeRate,
  programmeOutcome,
} from './rules.ts';
import { type CohortView, type Intern, getIntern, listCohorts, loadCohort, toIntern } from './service.ts';

// The end of an internship: graduation (or leaving early) with the outcome and the job, whether
// that job meets the programme outcome (derived, never typed), the one-step hand-over of an
// employed graduate to a follow-on job coach, the person's internship history for their record
// and timeline, and the outcome report over cohorts and years.

/** The support plan a hand-over writes for the new job. */
export const FOLLOW_ON_COACH_SUPPORT = 'Follow-on job coaching after the internship';
export const FOLLOW_ON_EMPLOYER_OWNS = 'Line management, rota and leave, as for any employee';
export const FOLLOW_ON_CONTACT_EVERY_DAYS = 7;

/** An intern the viewer may see and change, with their cohort and record. */
export interface InternPicture {
  cohort: CohortView;
  intern: Intern;
  participant: participants.ParticipantView;
}

/** The intern as a per-person page shows them: only someone the viewer may still see (404 otherwise). */
async function loadPicture(db: DbOrTrx, viewer: Viewer, cohortId: string, internId: string): Promise<InternPicture> {
  const cohort = await loadCohort(db, viewer, cohortId);
  const intern = await getIntern(db, viewer, cohortId, internId);
  if (intern.name === null) throw new NotFoundError('Intern not found');
  const participant = await participants.loadVisible(db, viewer, intern.participantId).catch((err: unknown) => {
    throw err instanceof NotFoundError ? new NotFoundError('Intern not found') : err;
  });
  return { cohort, intern, participant };
}

/** An intern's graduation, for the graduation page; the read is audited on the person. */
export async function viewGraduation(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  cohortId: string,
  internId: string,
): Promise<InternPicture> {
  const picture = await loadPicture(db, viewer, cohortId, internId);
  await audit.record(db, deps, ctx, {
    action: 'intern.viewed',
    entityType: 'participant',
    entityId: picture.intern.participantId,
    details: { cohort_id: cohortId, intern_id: internId, page: 'graduation' },
  });
  return picture;
}

/** The paid job a graduate went into. */
export interface GraduateJobInput {
  employerId: string;
  title: string;
  departmentId: string | null;
  siteId: string | null;
  startDate: string;
  hoursPerWeek: number;
  hourlyPayPence: number;
  seasonal: boolean;
  integrated: boolean;
  contractType: string | null;
  lineManager: string | null;
}

/** How the internship ended and what came next. `job` only for a paid job (ignored otherwise). */
export interface GraduationInput {
  status: 'graduated' | 'withdrawn';
  outcome: Outcome | null;
  outcomeDate: string;
  note: string | null;
  job: GraduateJobInput | null;
}

/**
 * Records how an intern's internship ended: graduated with an outcome, or left early (an outcome
 * is optional then). A paid job needs its details, from which the programme outcome is derived.
 * The department and site must be the employer's, a job with the host must be with the cohort's
 * host. Refused once the graduate has been handed over. Stale `version` is a 409. Audited on the
 * person (never the note's text).
 */
export async function recordGraduation(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  cohortId: string,
  internId: string,
  version: number,
  input: GraduationInput,
): Promise<Intern> {
  const { cohort, intern, participant } = await loadPicture(db, viewer, cohortId, internId);
  if (!participant.canEdit) throw new RuleError('You can read this record but not change it');
  if (intern.handedOverAt !== null)
    throw new RuleError('They have moved to follow-on support, so their graduation can no longer be changed');
  if (intern.version !== version) throw new ConflictError('Someone else changed this intern’s record after you opened it');
  const employed = isEmployedOutcome(input.outcome);
  const job = employed ? input.job : null;
  const fields = missingGraduationFields({
    status: input.status,
    outcome: input.outcome,
    outcome_date: input.outcomeDate,
    ...(employed
      ? {
          employer: job?.employerId,
          job_title: job?.title,
          job_start_date: job?.startDate,
          hours_per_week: job?.hoursPerWeek,
          hourly_pay: job?.hourlyPayPence,
          seasonal: job?.seasonal,
          integrated: job?.integrated,
        }
      : {}),
  });
  const today = londonDate(deps.clock.now());
  if (!fields.outcome_date && input.outcomeDate > today) fields.outcome_date = 'Date must be today or in the past';
  else if (!fields.outcome_date && input.outcomeDate < cohort.startDate)
    fields.outcome_date = 'Date must be on or after the day the cohort started';
  if (job) {
    const missing = (err: unknown) => {
      if (!(err instanceof NotFoundError)) throw err;
      return null;
    };
    if ((await employers.getEmployer(db, viewer, job.employerId).catch(missing)) === null)
      fields.employer = 'Choose an employer that is recorded';
    else {
      if (input.outcome === 'employed_host' && job.employerId !== cohort.hostEmployerId)
        fields.employer = `A job with the host organisation is with ${cohort.hostName}. Choose another outcome for a different employer`;
      if (
        job.departmentId &&
        (await employers.getDepartment(db, viewer, job.employerId, job.departmentId).catch(missing)) === null
      )
        fields.department_id = 'Choose one of this employer’s departments';
      if (job.siteId && (await employers.getSite(db, viewer, job.employerId, job.siteId).catch(missing)) === null)
        fields.site_id = 'Choose one of this employer’s sites';
    }
  }
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);

  const set: Partial<repo.InternRow> = {
    status: input.status,
    outcome: input.outcome,
    outcome_date: input.outcomeDate,
    outcome_note: input.note?.replace(/\r\n/g, '\n').trim() || null,
    job_employer_id: job?.employerId ?? null,
    job_title: job?.title.trim() ?? null,
    job_employer_department_id: job?.departmentId ?? null,
    job_employer_site_id: job?.siteId ?? null,
    job_start_date: job?.startDate ?? null,
    job_hours_per_week: job?.hoursPerWeek ?? null,
    job_hourly_pay_pence: job?.hourlyPayPence ?? null,
    job_seasonal: job ? (job.seasonal ? 1 : 0) : null,
    job_integrated: job ? (job.integrated ? 1 : 0) : null,
    job_contract_type: job?.contractType ?? null,
    job_line_manager: job?.lineManager?.trim() || null,
    updated_at: deps.clock.now().toISOString(),
  };
  if ((await repo.updateIntern(db, internId, version, set)) === 0)
    throw new ConflictError('Someone else changed this intern’s record after you opened it');
  const after = await getIntern(db, viewer, cohortId, internId);
  await audit.record(db, deps, ctx, {
    action:
      intern.status === 'active'
        ? input.status === 'graduated'
          ? 'intern.graduated'
          : 'intern.withdrawn'
        : 'intern.outcome_updated',
    entityType: 'participant',
    entityId: intern.participantId,
    details: {
      cohort_id: cohortId,
      intern_id: internId,
      status: input.status,
      outcome: input.outcome,
      meets_programme_outcome: employed ? after.programmeOutcome.meets : false,
    },
  });
  return after;
}

// ---- Hand-over -----------------------------------------------------------------------------------

/** A follow-on job coach to choose: an active practitioner of any team. */
export interface CoachChoice {
  id: string;
  name: string;
  teamName: string | null;
}

/** Every active practitioner, of any team, with their team's name, by name. */
export async function coachChoices(db: DbOrTrx): Promise<CoachChoice[]> {
  const page = await users.listUsers(db, { role: 'practitioner', active: true }, 500);
  return page.items
    .map((u) => ({ id: u.id, name: u.name, teamName: u.teamName ?? null }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** Why a graduate cannot be handed over now, in words; null when they can. */
export function handOverProblem(intern: Pick<Intern, 'status' | 'outcome' | 'handedOverAt'>): string | null {
  if (intern.handedOverAt !== null) return 'They have already moved to follow-on support';
  if (intern.status !== 'graduated') return 'Only a graduate can move to follow-on support. Record their graduation first';
  if (!isEmployedOutcome(intern.outcome))
    return 'Follow-on support is for graduates in a paid job. Record the job in their graduation first';
  return null;
}

/** The intern and the state of their hand-over, for the hand-over page; the read is audited on the person. */
export async function viewHandOver(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  cohortId: string,
  internId: string,
): Promise<{ cohort: CohortView; intern: Intern; followOnName: string | null; problem: string | null }> {
  const cohort = await loadCohort(db, viewer, cohortId);
  const intern = await getIntern(db, viewer, cohortId, internId);
  // After the hand-over the interns' team may no longer see the person: the page then says only
  // that they moved, and to whom, without their name.
  if (intern.name === null && intern.handedOverAt === null) throw new NotFoundError('Intern not found');
  const followOnName = intern.followOnPractitionerId
    ? ((await users.getUser(db, intern.followOnPractitionerId).catch(() => undefined))?.name ?? null)
    : null;
  await audit.record(db, deps, ctx, {
    action: 'intern.viewed',
    entityType: 'participant',
    entityId: intern.participantId,
    details: { cohort_id: cohortId, intern_id: internId, page: 'hand-over' },
  });
  return { cohort, intern, followOnName, problem: handOverProblem(intern) };
}

export interface HandOverResult {
  participantId: string;
  placementId: string;
  coachName: string;
  /** The person's status after the hand-over moved them to employed, or why it stayed. */
  statusKept: string | null;
}

/**
 * Starts follow-on support for an employed graduate, in the caller's transaction: the job from
 * their graduation becomes a placement (open to anyone), with a support plan (follow-on job
 * coaching, in touch every week); the person moves to employed when their status allows, to the
 * `follow_on` programme, and to the coach's caseload and team, keeping their whole history. The
 * intern records when and to whom. Refused (422) when already handed over, not a graduate in a
 * paid job, or when the coach is not an active practitioner. Audited on the person.
 */
export async function handOver(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  cohortId: string,
  internId: string,
  version: number,
  coachId: string,
): Promise<HandOverResult> {
  const { intern, participant } = await loadPicture(db, viewer, cohortId, internId);
  if (!participant.canEdit) throw new RuleError('You can read this record but not change it');
  const problem = handOverProblem(intern);
  if (problem) throw new RuleError(problem);
  if (intern.version !== version) throw new ConflictError('Someone else changed this intern’s record after you opened it');
  const coach = await users.getUser(db, coachId).catch(() => undefined);
  if (!coach || !coach.active || coach.role !== 'practitioner')
    throw new RuleError('The follow-on job coach must be an active practitioner. Choose one from the list');
  const job = intern.job;
  if (!job.employerId || !job.title || !job.startDate)
    throw new RuleError('The job’s employer, title and start date are needed. Complete the graduation first');

  let current: participants.Participant = participant;
  let statusKept: string | null = null;
  if (current.status !== 'employed') {
    statusKept = statusChangeProblem(current.status, 'employed');
    if (statusKept === null)
      current = await participants.setStatus(
        db,
        deps,
        ctx,
        viewer,
        current,
        'employed',
        'Graduated from the internship into a job',
      );
  }
  const placement = await placements.createPlacement(db, deps, ctx, {
    participantId: participant.id,
    employerId: job.employerId,
    practitionerId: coach.id,
    title: job.title,
    departmentId: job.departmentId,
    siteId: job.siteId,
    startDate: job.startDate,
    hoursPerWeek: job.hoursPerWeek,
    hourlyPayPence: job.hourlyPayPence,
    contractType: job.contractType,
    lineManager: job.lineManager,
    openToAnyone: true,
    setAsideForDisabled: false,
  });
  // The plan is written while the interns' team still holds the record (savePlan checks the writer may change it).
  await support.savePlan(
    db,
    deps,
    ctx,
    viewer,
    placement.id,
    {
      coachSupport: FOLLOW_ON_COACH_SUPPORT,
      employerOwns: FOLLOW_ON_EMPLOYER_OWNS,
      contactEveryDays: FOLLOW_ON_CONTACT_EVERY_DAYS,
      adjustments: null,
      nextReviewDate: null,
      fadingPlan: null,
      hoursPerWeek: null,
    },
    undefined,
  );
  const now = deps.clock.now().toISOString();
  const moved = await graduationRepo.moveParticipant(db, participant.id, current.version, {
    programme: 'follow_on',
    practitioner_id: coach.id,
    team_id: coach.teamId,
    updated_at: now,
  });
  if (moved === 0) throw new ConflictError('Someone else changed this person’s record after you opened it');
  const changed = await repo.updateIntern(db, internId, version, {
    handed_over_at: now,
    follow_on_practitioner_id: coach.id,
    follow_on_placement_id: placement.id,
    updated_at: now,
  });
  if (changed === 0) throw new ConflictError('Someone else changed this intern’s record after you opened it');
  await audit.record(db, deps, ctx, {
    action: 'intern.handed_over',
    entityType: 'participant',
    entityId: participant.id,
    details: {
      cohort_id: cohortId,
      intern_id: internId,
      placement_id: placement.id,
      from_practitioner: participant.practitionerId,
      to_practitioner: coach.id,
      to_team: coach.teamId,
      programme: 'follow_on',
    },
  });
  return { participantId: participant.id, placementId: placement.id, coachName: coach.name, statusKept };
}

// ---- The person's internship history -------------------------------------------------------------

export interface InternshipRotation {
  number: number;
  startDate: string;
  endDate: string;
  departmentName: string;
  siteName: string | null;
}

/** One internship of a person, as their record and timeline show it. */
export interface Internship {
  internId: string;
  cohortId: string;
  cohortName: string;
  programmeYear: string;
  hostName: string;
  joinedAt: string;
  status: InternStatus;
  outcome: Outcome | null;
  outcomeDate: string | null;
  job: { title: string | null; employerName: string | null; startDate: string | null } | null;
  /** For a paid job: whether it meets the programme outcome, and why. */
  programmeOutcome: OutcomeVerdict | null;
  handedOverAt: string | null;
  followOnName: string | null;
  followOnPlacementId: string | null;
  rotations: InternshipRotation[];
}

/**
 * A person's internships, oldest first, each with its rotations' departments, outcome and
 * hand-over: for their record and timeline, whoever holds them now. One query; the caller has
 * checked the viewer may see the person.
 */
export async function internshipHistory(db: DbOrTrx, participantId: string): Promise<Internship[]> {
  const rows = await graduationRepo.historyOf(db, participantId);
  const byIntern = new Map<string, Internship>();
  for (const r of rows) {
    let item = byIntern.get(r.intern_id);
    if (!item) {
      const outcome = r.outcome as Outcome | null;
      const employed = isEmployedOutcome(outcome);
      const flag = (v: number | null) => (v === null ? null : Number(v) === 1);
      item = {
        internId: r.intern_id,
        cohortId: r.cohort_id,
        cohortName: r.cohort_name,
        programmeYear: r.programme_year,
        hostName: r.host_name,
        joinedAt: r.joined_at,
        status: r.status as InternStatus,
        outcome,
        outcomeDate: r.outcome_date,
        job: employed ? { title: r.job_title, employerName: r.job_employer_name, startDate: r.job_start_date } : null,
        programmeOutcome: employed
          ? programmeOutcome({
              hoursPerWeek: r.job_hours_per_week === null ? null : Number(r.job_hours_per_week),
              hourlyPayPence: r.job_hourly_pay_pence === null ? null : Number(r.job_hourly_pay_pence),
              seasonal: flag(r.job_seasonal),
              integrated: flag(r.job_integrated),
              startDate: r.job_start_date,
              dateOfBirth: r.date_of_birth,
            })
          : null,
        handedOverAt: r.handed_over_at,
        followOnName: r.follow_on_name,
        followOnPlacementId: r.follow_on_placement_id,
        rotations: [],
      };
      byIntern.set(r.intern_id, item);
    }
    if (r.rotation_number !== null && r.rotation_start_date && r.rotation_end_date && r.department_name)
      item.rotations.push({
        number: Number(r.rotation_number),
        startDate: r.rotation_start_date,
        endDate: r.rotation_end_date,
        departmentName: r.department_name,
        siteName: r.site_name,
      });
  }
  return [...byIntern.values()];
}

// ---- The outcome report --------------------------------------------------------------------------

/** One line of the report: a cohort, a programme year, or every year together. */
export interface ReportRow extends OutcomeRate {
  label: string;
  cohortId: string | null;
  programmeYear: string | null;
  interns: number;
}

export interface InternshipReport {
  cohorts: ReportRow[];
  years: ReportRow[];
  overall: ReportRow;
}

/**
 * Outcome figures of the cohorts the viewer may see: per cohort, per programme year (newest
 * first) and over all years. Counts only, no names. Two queries whatever the number of cohorts.
 */
export async function internshipReport(db: DbOrTrx, viewer: Viewer): Promise<InternshipReport> {
  const cohorts = await listCohorts(db, viewer);
  const rows = await repo.internsOfCohorts(
    db,
    cohorts.map((c) => c.id),
  );
  const facts = rows.map((r) => {
    const i = toIntern(r, false);
    return { cohortId: r.cohort_id, status: i.status, outcome: i.outcome, meets: i.programmeOutcome.meets };
  });
  const line = (label: string, cohortId: string | null, year: string | null, of: typeof facts): ReportRow => ({
    label,
    cohortId,
    programmeYear: year,
    interns: of.length,
    ...outcomeRate(of),
  });
  const byYear = (a: string, b: string) => b.localeCompare(a);
  const cohortRows = [...cohorts]
    .sort((a, b) => byYear(a.programmeYear, b.programmeYear) || a.name.localeCompare(b.name))
    .map((c) =>
      line(
        c.name,
        c.id,
        c.programmeYear,
        facts.filter((f) => f.cohortId === c.id),
      ),
    );
  const years = [...new Set(cohorts.map((c) => c.programmeYear))].sort(byYear);
  const yearRows = years.map((y) => {
    const ids = new Set(cohorts.filter((c) => c.programmeYear === y).map((c) => c.id));
    return line(
      y,
      null,
      y,
      facts.filter((f) => ids.has(f.cohortId)),
    );
  });
  return { cohorts: cohortRows, years: yearRows, overall: line('All years', null, null, facts) };
}

/** Guards a spreadsheet from treating a typed name as a formula. */
function textCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The report as CSV: a row per cohort, then per programme year, then all years; rates as whole percentages. */
export function reportCsv(report: InternshipReport): string {
  const row = (kind: string, r: ReportRow) => [
    kind,
    textCell(r.label),
    r.programmeYear ?? '',
    String(r.interns),
    String(r.graduates),
    String(r.employed),
    String(r.programmeOutcomes),
    r.ratePercent === null ? '' : String(r.ratePercent),
  ];
  return stringify(
    [
      [
        'Row',
        'Name',
        'Programme year',
        'Interns',
        'Graduates',
        'Employed',
        'Jobs meeting the programme outcome',
        'Outcome rate %',
      ],
      ...report.cohorts.map((r) => row('Cohort', r)),
      ...report.years.map((r) => row('Programme year', r)),
      row('All years', report.overall),
    ],
    { record_delimiter: 'windows' },
  );
}
