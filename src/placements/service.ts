import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { newRecordColumns } from '../db/records.ts';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import * as audit from '../audit/service.ts';
import * as employers from '../employers/service.ts';
import { type ParticipantStatus, type Viewer, statusChangeProblem } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import { londonDate } from '../referrals/rules.ts';
import * as repo from './repo.ts';
import {
  type AbsenceKind,
  type EndReason,
  type Milestone,
  type RedeploymentFigures,
  type RedeploymentOutcome,
  competitiveVerdict,
  currentAbsence,
  endDateProblem,
  milestones,
  nextMilestone,
  redeploymentFigures,
  redeploymentOutcomeFor,
} from './rules.ts';

// Placements (jobs held): starting a job directly or from a match, changing and ending it, the
// absences during it, and the redeployment a redundancy opens. Every read and change is audited
// on the person.

export interface Placement {
  id: string;
  participantId: string;
  employerId: string;
  vacancyId: string | null;
  matchId: string | null;
  practitionerId: string | null;
  title: string;
  departmentId: string | null;
  siteId: string | null;
  startDate: string;
  endDate: string | null;
  endReason: EndReason | null;
  hoursPerWeek: number | null;
  hourlyPayPence: number | null;
  contractType: string | null;
  lineManager: string | null;
  openToAnyone: boolean;
  setAsideForDisabled: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A placement as its pages and the API show it, with what is derived from it. */
export interface PlacementDetail extends Placement {
  employerName: string;
  employerType: string;
  departmentName: string | null;
  siteName: string | null;
  competitive: boolean;
  competitiveReasons: string[];
  milestones: Milestone[];
  nextMilestone: Milestone | null;
  current: boolean;
}

/** What a new placement starts with. */
export interface PlacementStart {
  participantId: string;
  employerId: string;
  vacancyId?: string | null;
  matchId?: string | null;
  /** The person's practitioner, who supports them in the job. */
  practitionerId?: string | null;
  title: string;
  departmentId?: string | null;
  siteId?: string | null;
  /** `YYYY-MM-DD`. */
  startDate: string;
  hoursPerWeek?: number | null;
  hourlyPayPence?: number | null;
  contractType?: string | null;
  lineManager?: string | null;
  openToAnyone?: boolean;
  setAsideForDisabled?: boolean;
}

/** What a change to a placement may set; ending it sets `endDate` and `endReason` together. */
export interface PlacementChanges {
  employerId?: string;
  title?: string;
  departmentId?: string | null;
  siteId?: string | null;
  startDate?: string;
  endDate?: string | null;
  endReason?: EndReason | null;
  hoursPerWeek?: number | null;
  hourlyPayPence?: number | null;
  contractType?: string | null;
  lineManager?: string | null;
  openToAnyone?: boolean;
  setAsideForDisabled?: boolean;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

export function toPlacement(r: repo.PlacementRow): Placement {
  return {
    id: r.id,
    participantId: r.participant_id,
    employerId: r.employer_id,
    vacancyId: r.vacancy_id,
    matchId: r.match_id,
    practitionerId: r.practitioner_id,
    title: r.title,
    departmentId: r.employer_department_id,
    siteId: r.employer_site_id,
    startDate: r.start_date,
    endDate: r.end_date,
    endReason: r.end_reason as EndReason | null,
    hoursPerWeek: num(r.hours_per_week),
    hourlyPayPence: num(r.hourly_pay_pence),
    contractType: r.contract_type,
    lineManager: r.line_manager,
    openToAnyone: Number(r.open_to_anyone) === 1,
    setAsideForDisabled: Number(r.set_aside_for_disabled) === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

function toDetail(r: repo.PlacementDetailRow, day: string): PlacementDetail {
  const p = toPlacement(r);
  const verdict = competitiveVerdict({
    hourlyPayPence: p.hourlyPayPence,
    dateOfBirth: r.date_of_birth,
    startDate: p.startDate,
    openToAnyone: p.openToAnyone,
    setAsideForDisabled: p.setAsideForDisabled,
    contractType: p.contractType,
  });
  return {
    ...p,
    employerName: r.employer_name,
    employerType: r.employer_type,
    departmentName: r.department_name,
    siteName: r.site_name,
    competitive: verdict.competitive,
    competitiveReasons: verdict.reasons,
    milestones: milestones(p.startDate, p.endDate, day),
    nextMilestone: nextMilestone(p.startDate, p.endDate, day),
    current: p.endDate === null,
  };
}

/** The API shape (DESIGN.md section 3), with `competitive` and the milestones derived. */
export function placementJson(p: PlacementDetail): Record<string, unknown> {
  return {
    id: p.id,
    participant_id: p.participantId,
    employer_id: p.employerId,
    vacancy_id: p.vacancyId,
    match_id: p.matchId,
    title: p.title,
    department_id: p.departmentId,
    site_id: p.siteId,
    start_date: p.startDate,
    end_date: p.endDate,
    end_reason: p.endReason,
    hours_per_week: p.hoursPerWeek,
    hourly_pay_pence: p.hourlyPayPence,
    contract_type: p.contractType,
    line_manager: p.lineManager,
    open_to_anyone: p.openToAnyone,
    set_aside_for_disabled: p.setAsideForDisabled,
    competitive: p.competitive,
    competitive_reasons: p.competitiveReasons,
    milestones: p.milestones.map((m) => ({ weeks: m.weeks, date: m.date, reached: m.reached })),
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    version: p.version,
  };
}

function today(deps: Deps): string {
  return londonDate(deps.clock.now());
}

const clean = (v: string | null | undefined): string | null => v?.trim() || null;

/**
 * Records the start of a job. The caller has checked the person is theirs to change and passes
 * its transaction, so the placement and whatever started it commit together. An open
 * redeployment of the person closes with this job as its outcome. Audited on the person.
 */
export async function createPlacement(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  input: PlacementStart,
): Promise<Placement> {
  const row: repo.PlacementRow = {
    ...newRecordColumns(deps.clock),
    participant_id: input.participantId,
    employer_id: input.employerId,
    vacancy_id: input.vacancyId ?? null,
    match_id: input.matchId ?? null,
    practitioner_id: input.practitionerId ?? null,
    title: input.title.trim(),
    employer_department_id: input.departmentId ?? null,
    employer_site_id: input.siteId ?? null,
    start_date: input.startDate,
    end_date: null,
    end_reason: null,
    hours_per_week: input.hoursPerWeek ?? null,
    hourly_pay_pence: input.hourlyPayPence ?? null,
    contract_type: input.contractType ?? null,
    line_manager: clean(input.lineManager),
    open_to_anyone: input.openToAnyone === false ? 0 : 1,
    set_aside_for_disabled: input.setAsideForDisabled ? 1 : 0,
  };
  await repo.insert(db, row);
  await audit.record(db, deps, ctx, {
    action: 'placement.created',
    entityType: 'participant',
    entityId: input.participantId,
    details: { placement_id: row.id, employer_id: row.employer_id, ...(row.match_id ? { match_id: row.match_id } : {}) },
  });
  await closeRedeploymentsWith(db, deps, ctx, row);
  return toPlacement(row);
}

/** A new job ends every open redeployment of the person: within the host, or with a new employer. */
async function closeRedeploymentsWith(db: DbOrTrx, deps: Deps, ctx: audit.AuditContext, job: repo.PlacementRow): Promise<void> {
  const open = (await repo.redeploymentsFor(db, job.participant_id)).filter((r) => r.outcome === null);
  if (open.length === 0) return;
  const outcome = redeploymentOutcomeFor((await repo.employerType(db, job.employer_id)) ?? 'external');
  for (const r of open) {
    const changed = await repo.updateRedeployment(db, r.id, Number(r.version), {
      outcome,
      new_placement_id: job.id,
      closed_on: job.start_date,
      updated_at: deps.clock.now().toISOString(),
    });
    if (changed === 0) throw new ConflictError();
    await audit.record(db, deps, ctx, {
      action: 'redeployment.closed',
      entityType: 'participant',
      entityId: job.participant_id,
      details: { redeployment_id: r.id, outcome, placement_id: job.id },
    });
  }
}

/** The placement each of these matches created, by match id. */
export async function placementIdsByMatch(db: DbOrTrx, matchIds: readonly string[]): Promise<Map<string, string>> {
  return repo.idsByMatch(db, matchIds);
}

/** Checks the employer, and that the department and site are that employer's (400 naming the field otherwise). */
async function checkEmployerParts(
  db: DbOrTrx,
  viewer: Viewer,
  employerId: string,
  departmentId: string | null | undefined,
  siteId: string | null | undefined,
): Promise<void> {
  const fields: Record<string, string> = {};
  const missing = (err: unknown) => {
    if (!(err instanceof NotFoundError)) throw err;
    return null;
  };
  if ((await employers.getEmployer(db, viewer, employerId).catch(missing)) === null) {
    throw new ValidationError({ employer_id: 'Choose an employer that is recorded' });
  }
  if (departmentId && (await employers.getDepartment(db, viewer, employerId, departmentId).catch(missing)) === null)
    fields.department_id = 'Choose one of this employer’s departments';
  if (siteId && (await employers.getSite(db, viewer, employerId, siteId).catch(missing)) === null)
    fields.site_id = 'Choose one of this employer’s sites';
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
}

export interface StartResult {
  placement: Placement;
  /** The person's status after the start when it changed (to employed). */
  statusChangedTo: ParticipantStatus | null;
  /** Why the status stayed as it was, when it could not move to employed. */
  statusKept: string | null;
}

/** Starts a job directly (not from a match). The person moves to employed when their status allows. Pass a transaction. */
export async function startPlacement(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  input: Omit<PlacementStart, 'participantId' | 'vacancyId' | 'matchId' | 'practitionerId'>,
): Promise<StartResult> {
  const participant = await participants.loadEditable(db, viewer, participantId);
  await checkEmployerParts(db, viewer, input.employerId, input.departmentId, input.siteId);
  const placement = await createPlacement(db, deps, ctx, {
    ...input,
    participantId,
    practitionerId: participant.practitionerId,
  });
  let statusChangedTo: ParticipantStatus | null = null;
  let statusKept: string | null = null;
  if (participant.status !== 'employed') {
    statusKept = statusChangeProblem(participant.status, 'employed');
    if (statusKept === null) {
      await participants.setStatus(db, deps, ctx, viewer, participant, 'employed', 'Started a job');
      statusChangedTo = 'employed';
    }
  }
  return { placement, statusChangedTo, statusKept };
}

/** A placement and its person, when the viewer may see the person (404 otherwise). Not audited. */
export async function getPlacement(
  db: DbOrTrx,
  deps: Deps,
  viewer: Viewer,
  id: string,
): Promise<{ placement: PlacementDetail; participant: participants.ParticipantView }> {
  const row = await repo.findById(db, id);
  if (!row) throw new NotFoundError('Job not found');
  const participant = await participants.loadVisible(db, viewer, row.participant_id).catch((err: unknown) => {
    throw err instanceof NotFoundError ? new NotFoundError('Job not found') : err;
  });
  return { placement: toDetail(row, today(deps)), participant };
}

/** A placement the viewer may see, with the read written to the audit trail (`placement.viewed`). */
export async function viewPlacement(db: DbOrTrx, deps: Deps, ctx: audit.AuditContext, viewer: Viewer, id: string) {
  const found = await getPlacement(db, deps, viewer, id);
  await audit.record(db, deps, ctx, {
    action: 'placement.viewed',
    entityType: 'participant',
    entityId: found.participant.id,
    details: { placement_id: id },
  });
  return found;
}

export interface Absence {
  id: string;
  placementId: string;
  participantId: string;
  kind: AbsenceKind;
  fromDate: string;
  toDate: string | null;
  notes: string | null;
  version: number;
}

function toAbsence(r: repo.AbsenceRow): Absence {
  return {
    id: r.id,
    placementId: r.placement_id,
    participantId: r.participant_id,
    kind: r.kind as AbsenceKind,
    fromDate: r.from_date,
    toDate: r.to_date,
    notes: r.notes,
    version: Number(r.version),
  };
}

/** A person's jobs, current first, each with its absences and the one covering today. The read is audited. */
export async function listPlacements(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
): Promise<{ placement: PlacementDetail; absences: Absence[]; currentAbsence: Absence | null }[]> {
  await participants.loadVisible(db, viewer, participantId);
  const day = today(deps);
  const rows = await repo.listForParticipant(db, participantId);
  const absences = (
    await repo.absencesFor(
      db,
      rows.map((r) => r.id),
    )
  ).map(toAbsence);
  await audit.record(db, deps, ctx, {
    action: 'placement.listed',
    entityType: 'participant',
    entityId: participantId,
    details: { placements: rows.length },
  });
  return rows.map((r) => {
    const mine = absences.filter((a) => a.placementId === r.id);
    return {
      placement: toDetail(r, day),
      absences: mine,
      currentAbsence: r.end_date === null ? currentAbsence(mine, day) : null,
    };
  });
}

/** The absences of one placement, latest first, and the one covering today. */
export async function placementAbsences(db: DbOrTrx, deps: Deps, placement: Placement) {
  const absences = (await repo.absencesFor(db, [placement.id])).map(toAbsence);
  return { absences, current: placement.endDate === null ? currentAbsence(absences, today(deps)) : null };
}

/** A page of placements of people the viewer may see, for the API. Each person's read is audited. */
export async function pagePlacements(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  filter: { participantId?: string | undefined; limit: number; offset: number },
): Promise<{ items: PlacementDetail[]; hasMore: boolean }> {
  if (filter.participantId) await participants.loadVisible(db, viewer, filter.participantId);
  const rows = await repo.listVisible(db, viewer, { ...filter, limit: filter.limit + 1 });
  const day = today(deps);
  const items = rows.slice(0, filter.limit).map((r) => toDetail(r, day));
  for (const participantId of new Set(items.map((p) => p.participantId))) {
    await audit.record(db, deps, ctx, {
      action: 'placement.listed',
      entityType: 'participant',
      entityId: participantId,
      details: { placements: items.filter((p) => p.participantId === participantId).length },
    });
  }
  return { items, hasMore: rows.length > filter.limit };
}

/** A placement the viewer may change (404 when they may not see it, 422 when they may only read it). */
async function loadChangeable(db: DbOrTrx, deps: Deps, viewer: Viewer, id: string) {
  const found = await getPlacement(db, deps, viewer, id);
  if (!found.participant.canEdit) throw new RuleError('You can read this job but not change it');
  return found;
}

export interface ChangeResult {
  placement: PlacementDetail;
  /** The redeployment a redundancy opened. */
  redeploymentId: string | null;
  statusChangedTo: ParticipantStatus | null;
  statusKept: string | null;
}

/**
 * Changes a placement (stale `version` → 409). Ending it (an end date and a reason) moves the person
 * back to job search when it was their last job and their status allows; a redundancy also opens a
 * redeployment. Pass a transaction.
 */
export async function updatePlacement(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
  version: number,
  changes: PlacementChanges,
): Promise<ChangeResult> {
  const { placement: current, participant } = await loadChangeable(db, deps, viewer, id);
  if (current.version !== version) throw new ConflictError('Someone else changed this job after you opened it');
  const employerId = changes.employerId ?? current.employerId;
  const departmentId = changes.departmentId !== undefined ? changes.departmentId : current.departmentId;
  const siteId = changes.siteId !== undefined ? changes.siteId : current.siteId;
  if (changes.employerId !== undefined || changes.departmentId !== undefined || changes.siteId !== undefined)
    await checkEmployerParts(db, viewer, employerId, departmentId, siteId);

  const startDate = changes.startDate ?? current.startDate;
  const endDate = changes.endDate !== undefined ? changes.endDate : current.endDate;
  const endReason = changes.endReason !== undefined ? changes.endReason : current.endReason;
  const fields: Record<string, string> = {};
  if (endDate !== null && endReason === null) fields.end_reason = 'Choose why the job ended';
  if (endDate === null && endReason !== null) fields.end_date = 'Enter the date the job ended';
  if (endDate !== null) {
    const problem = endDateProblem(startDate, endDate);
    if (problem) fields.end_date = problem;
  }
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  const ending = current.endDate === null && endDate !== null;
  if (
    current.endDate !== null &&
    endReason !== current.endReason &&
    (endReason === 'redundancy' || current.endReason === 'redundancy')
  )
    throw new RuleError(
      'A redundancy cannot be added or taken away once the job has ended: its redeployment is already recorded',
    );

  const set: Partial<repo.PlacementRow> = { updated_at: deps.clock.now().toISOString() };
  if (changes.employerId !== undefined) set.employer_id = changes.employerId;
  if (changes.title !== undefined) set.title = changes.title.trim();
  if (changes.departmentId !== undefined) set.employer_department_id = changes.departmentId;
  if (changes.siteId !== undefined) set.employer_site_id = changes.siteId;
  if (changes.startDate !== undefined) set.start_date = changes.startDate;
  if (changes.endDate !== undefined) set.end_date = changes.endDate;
  if (changes.endReason !== undefined) set.end_reason = changes.endReason;
  if (changes.hoursPerWeek !== undefined) set.hours_per_week = changes.hoursPerWeek;
  if (changes.hourlyPayPence !== undefined) set.hourly_pay_pence = changes.hourlyPayPence;
  if (changes.contractType !== undefined) set.contract_type = changes.contractType;
  if (changes.lineManager !== undefined) set.line_manager = clean(changes.lineManager);
  if (changes.openToAnyone !== undefined) set.open_to_anyone = changes.openToAnyone ? 1 : 0;
  if (changes.setAsideForDisabled !== undefined) set.set_aside_for_disabled = changes.setAsideForDisabled ? 1 : 0;
  if ((await repo.update(db, id, version, set)) === 0)
    throw new ConflictError('Someone else changed this job after you opened it');
  await audit.record(db, deps, ctx, {
    action: ending ? 'placement.ended' : 'placement.updated',
    entityType: 'participant',
    entityId: participant.id,
    details: {
      placement_id: id,
      changed: Object.keys(set).filter((k) => k !== 'updated_at'),
      ...(ending ? { end_reason: endReason } : {}),
    },
  });

  let redeploymentId: string | null = null;
  let statusChangedTo: ParticipantStatus | null = null;
  let statusKept: string | null = null;
  if (ending) {
    if (endReason === 'redundancy') {
      const row: repo.RedeploymentRow = {
        ...newRecordColumns(deps.clock),
        participant_id: participant.id,
        ended_placement_id: id,
        opened_on: endDate,
        outcome: null,
        new_placement_id: null,
        closed_on: null,
      };
      await repo.insertRedeployment(db, row);
      redeploymentId = row.id;
      await audit.record(db, deps, ctx, {
        action: 'redeployment.opened',
        entityType: 'participant',
        entityId: participant.id,
        details: { redeployment_id: row.id, placement_id: id },
      });
    }
    // Another job still held keeps the person employed.
    if ((await repo.countCurrent(db, participant.id)) === 0 && participant.status !== 'job_search') {
      statusKept = statusChangeProblem(participant.status, 'job_search');
      if (statusKept === null) {
        const reason = endReason === 'redundancy' ? 'Made redundant: job search starts at once' : 'Their job ended';
        await participants.setStatus(db, deps, ctx, viewer, participant, 'job_search', reason);
        statusChangedTo = 'job_search';
      }
    }
  }
  return { placement: (await getPlacement(db, deps, viewer, id)).placement, redeploymentId, statusChangedTo, statusKept };
}

// ---- Absences -----------------------------------------------------------------------------------

/** Records an absence from a job (open-ended when `toDate` is null). The person stays on the caseload. */
export async function recordAbsence(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  placementId: string,
  input: { kind: AbsenceKind; fromDate: string; toDate: string | null; notes: string | null },
): Promise<Absence> {
  const { placement, participant } = await loadChangeable(db, deps, viewer, placementId);
  if (input.toDate !== null && input.toDate < input.fromDate)
    throw new ValidationError({ to_date: 'Back-to-work date must be on or after the first day off' });
  if (input.fromDate < placement.startDate)
    throw new ValidationError({ from_date: 'First day off must be after the job started' });
  const row: repo.AbsenceRow = {
    ...newRecordColumns(deps.clock),
    placement_id: placementId,
    participant_id: participant.id,
    kind: input.kind,
    from_date: input.fromDate,
    to_date: input.toDate,
    notes: clean(input.notes),
  };
  await repo.insertAbsence(db, row);
  await audit.record(db, deps, ctx, {
    action: 'absence.recorded',
    entityType: 'participant',
    entityId: participant.id,
    details: { placement_id: placementId, absence_id: row.id, kind: row.kind },
  });
  return toAbsence(row);
}

/** An absence of a placement the viewer may change (404 otherwise). */
export async function getAbsence(db: DbOrTrx, deps: Deps, viewer: Viewer, placementId: string, absenceId: string) {
  const found = await loadChangeable(db, deps, viewer, placementId);
  const row = await repo.findAbsence(db, absenceId);
  if (!row || row.placement_id !== placementId) throw new NotFoundError('Absence not found');
  return { ...found, absence: toAbsence(row) };
}

/** Ends an open absence on the day the person went back. */
export async function endAbsence(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  placementId: string,
  absenceId: string,
  version: number,
  toDate: string,
): Promise<void> {
  const { absence, participant } = await getAbsence(db, deps, viewer, placementId, absenceId);
  if (absence.toDate !== null) throw new RuleError('This absence has already ended');
  if (absence.version !== version) throw new ConflictError('Someone else changed this absence after you opened it');
  if (toDate < absence.fromDate)
    throw new ValidationError({ to_date: 'Back-to-work date must be on or after the first day off' });
  const changed = await repo.updateAbsence(db, absenceId, version, {
    to_date: toDate,
    updated_at: deps.clock.now().toISOString(),
  });
  if (changed === 0) throw new ConflictError('Someone else changed this absence after you opened it');
  await audit.record(db, deps, ctx, {
    action: 'absence.ended',
    entityType: 'participant',
    entityId: participant.id,
    details: { placement_id: placementId, absence_id: absenceId },
  });
}

// ---- Redeployment -------------------------------------------------------------------------------

export interface Redeployment {
  id: string;
  participantId: string;
  endedPlacementId: string;
  openedOn: string;
  outcome: RedeploymentOutcome | null;
  newPlacementId: string | null;
  closedOn: string | null;
  version: number;
}

function toRedeployment(r: repo.RedeploymentRow): Redeployment {
  return {
    id: r.id,
    participantId: r.participant_id,
    endedPlacementId: r.ended_placement_id,
    openedOn: r.opened_on,
    outcome: r.outcome as RedeploymentOutcome | null,
    newPlacementId: r.new_placement_id,
    closedOn: r.closed_on,
    version: Number(r.version),
  };
}

/** A person's redeployments, latest first (the viewer may see the person, 404 otherwise). */
export async function redeploymentsOf(db: DbOrTrx, viewer: Viewer, participantId: string): Promise<Redeployment[]> {
  await participants.loadVisible(db, viewer, participantId);
  return (await repo.redeploymentsFor(db, participantId)).map(toRedeployment);
}

/** One redeployment of a person the viewer may see (404 otherwise). */
export async function getRedeployment(db: DbOrTrx, viewer: Viewer, participantId: string, id: string) {
  const participant = await participants.loadVisible(db, viewer, participantId);
  const row = await repo.findRedeployment(db, id);
  if (!row || row.participant_id !== participantId) throw new NotFoundError('Redeployment not found');
  return { participant, redeployment: toRedeployment(row) };
}

/** Closes an open redeployment by hand: the person is not yet in work and the episode stops. */
export async function closeRedeploymentNotYet(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  id: string,
  version: number,
): Promise<void> {
  const { participant, redeployment } = await getRedeployment(db, viewer, participantId, id);
  if (!participant.canEdit) throw new RuleError('You can read this record but not change it');
  if (redeployment.outcome !== null) throw new RuleError('This redeployment is already closed');
  const changed = await repo.updateRedeployment(db, id, version, {
    outcome: 'not_yet',
    closed_on: today(deps),
    updated_at: deps.clock.now().toISOString(),
  });
  if (changed === 0) throw new ConflictError('Someone else changed this redeployment after you opened it');
  await audit.record(db, deps, ctx, {
    action: 'redeployment.closed',
    entityType: 'participant',
    entityId: participantId,
    details: { redeployment_id: id, outcome: 'not_yet' },
  });
}

/** Redundancies of the viewer's team's people, split by the ended job's employer type, with redeployment outcomes. */
export async function redeploymentReport(db: DbOrTrx, viewer: Viewer): Promise<RedeploymentFigures> {
  if (viewer.role !== 'manager' && viewer.role !== 'practitioner') throw new NotFoundError('Report not found');
  if (viewer.teamId === null) return redeploymentFigures([]);
  const rows = await repo.redundanciesForTeam(db, viewer.teamId);
  return redeploymentFigures(rows.map((r) => ({ employerType: r.employer_type, outcome: r.outcome })));
}
