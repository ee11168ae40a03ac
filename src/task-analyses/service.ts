import { randomUUID } from 'node:crypto';
import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { newRecordColumns } from '../db/records.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import * as audit from '../audit/service.ts';
import type { Viewer } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import * as placements from '../placements/service.ts';
import { canUseEmployers } from '../employers/service.ts';
import { displayName } from '../profiles/service.ts';
import { londonDate } from '../referrals/rules.ts';
import * as settings from '../settings/service.ts';
import * as repo from './repo.ts';
import {
  type MasteryVerdict,
  type PromptLevel,
  type SessionSummary,
  type StepDraft,
  isPromptLevel,
  masteryVerdict,
  summariseSession,
} from './rules.ts';

// Task analyses hold no personal data and are shared by practitioners and managers; the
// instruction sessions recorded with them belong to a person and are audited on that person.

export interface TaskStep {
  id: string;
  position: number;
  text: string;
  retired: boolean;
}

export interface TaskAnalysis {
  id: string;
  title: string;
  employerId: string | null;
  employerName: string | null;
  departmentId: string | null;
  departmentName: string | null;
  description: string | null;
  copiedFromId: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  steps: TaskStep[];
}

export interface TaskAnalysisListItem extends Omit<TaskAnalysis, 'steps'> {
  stepCount: number;
}

const toStep = (r: repo.TaskStepRow): TaskStep => ({
  id: r.id,
  position: Number(r.position),
  text: r.text,
  retired: Number(r.retired) === 1,
});

function toAnalysis(
  r: repo.TaskAnalysisRow & { employer_name?: string | null; department_name?: string | null },
): Omit<TaskAnalysis, 'steps'> {
  return {
    id: r.id,
    title: r.title,
    employerId: r.employer_id,
    employerName: r.employer_name ?? null,
    departmentId: r.employer_department_id,
    departmentName: r.department_name ?? null,
    description: r.description,
    copiedFromId: r.copied_from_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

const stepJson = (s: TaskStep) => ({ id: s.id, position: s.position, text: s.text, retired: s.retired });

/** The API shape of a task analysis. */
export function taskAnalysisJson(a: TaskAnalysis | TaskAnalysisListItem): Record<string, unknown> {
  return {
    id: a.id,
    title: a.title,
    employer_id: a.employerId,
    department_id: a.departmentId,
    description: a.description,
    copied_from_id: a.copiedFromId,
    ...('steps' in a ? { steps: a.steps.map(stepJson) } : { step_count: a.stepCount }),
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    version: a.version,
  };
}

/** Task analyses belong with job development: practitioners and managers only, as employers do. */
function assertCanUse(viewer: Viewer): void {
  if (!canUseEmployers(viewer)) throw new NotFoundError('Task analysis not found');
}

/** A task analysis with its steps in order (retired ones included, marked). */
export async function getTaskAnalysis(db: DbOrTrx, viewer: Viewer, id: string): Promise<TaskAnalysis> {
  assertCanUse(viewer);
  const row = await repo.findAnalysis(db, id);
  if (!row) throw new NotFoundError('Task analysis not found');
  const steps = (await repo.stepsOf(db, [id])).map(toStep);
  return { ...toAnalysis(row), steps };
}

export type TaskAnalysisSearch = repo.AnalysisFilter;

export async function searchTaskAnalyses(
  db: DbOrTrx,
  viewer: Viewer,
  filter: TaskAnalysisSearch,
  limit: number,
  offset = 0,
): Promise<TaskAnalysisListItem[]> {
  assertCanUse(viewer);
  const rows = await repo.listAnalyses(db, filter, limit, offset);
  return rows.map((r) => ({ ...toAnalysis(r), stepCount: Number(r.step_count) }));
}

export async function countTaskAnalyses(db: DbOrTrx, viewer: Viewer, filter: TaskAnalysisSearch): Promise<number> {
  assertCanUse(viewer);
  return repo.countAnalyses(db, filter);
}

export interface DepartmentOption {
  employerId: string;
  employerName: string;
  departmentId: string | null;
  departmentName: string | null;
}

/** Every employer, and each of its departments, to choose where a task is done. */
export async function departmentOptions(db: DbOrTrx, viewer: Viewer): Promise<DepartmentOption[]> {
  assertCanUse(viewer);
  const rows = await repo.departmentOptions(db);
  const out: DepartmentOption[] = [];
  let lastEmployer: string | null = null;
  for (const r of rows) {
    // The employer itself first (no particular department), then each department.
    if (r.employer_id !== lastEmployer) {
      out.push({ employerId: r.employer_id, employerName: r.employer_name, departmentId: null, departmentName: null });
      lastEmployer = r.employer_id;
    }
    if (r.department_id) {
      out.push({
        employerId: r.employer_id,
        employerName: r.employer_name,
        departmentId: r.department_id,
        departmentName: r.department_name,
      });
    }
  }
  return out;
}

/** Checks the employer exists and the department is one of its own; the department implies its employer. */
async function checkPlace(
  db: DbOrTrx,
  employerId: string | null,
  departmentId: string | null,
): Promise<{ employerId: string | null; departmentId: string | null }> {
  if (departmentId) {
    const dept = await repo.departmentOf(db, departmentId);
    if (!dept) throw new ValidationError({ department_id: 'Select a department from the list' });
    if (employerId && dept.employer_id !== employerId) {
      throw new ValidationError({ department_id: 'The department must belong to the employer chosen' });
    }
    return { employerId: dept.employer_id, departmentId };
  }
  if (employerId && !(await repo.employerExists(db, employerId))) {
    throw new ValidationError({ employer_id: 'Select an employer from the list' });
  }
  return { employerId, departmentId: null };
}

export interface TaskAnalysisInput {
  title: string;
  employerId?: string | null;
  departmentId?: string | null;
  description?: string | null;
  steps: readonly string[];
}

const cleanText = (v: string | null | undefined): string | null => v?.replace(/\r\n/g, '\n').trim() || null;

/** Creates a task analysis with its first steps. */
export async function createTaskAnalysis(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  input: TaskAnalysisInput,
  copiedFromId: string | null = null,
): Promise<TaskAnalysis> {
  assertCanUse(viewer);
  const place = await checkPlace(db, input.employerId ?? null, input.departmentId ?? null);
  const row: repo.TaskAnalysisRow = {
    ...newRecordColumns(deps.clock),
    title: input.title.trim(),
    employer_id: place.employerId,
    employer_department_id: place.departmentId,
    description: cleanText(input.description),
    copied_from_id: copiedFromId,
    created_by_user_id: viewer.userId,
  };
  await repo.insertAnalysis(db, row);
  await repo.insertSteps(
    db,
    input.steps.map((text, i) => ({
      id: randomUUID(),
      task_analysis_id: row.id,
      position: i + 1,
      text: text.trim(),
      retired: 0,
    })),
  );
  await audit.record(db, deps, ctx, {
    action: copiedFromId ? 'task_analysis.copied' : 'task_analysis.created',
    entityType: 'task_analysis',
    entityId: row.id,
    details: { steps: input.steps.length, ...(copiedFromId ? { copied_from_id: copiedFromId } : {}) },
  });
  return getTaskAnalysis(db, viewer, row.id);
}

export interface TaskAnalysisChanges {
  title?: string | undefined;
  description?: string | null | undefined;
  employerId?: string | null | undefined;
  departmentId?: string | null | undefined;
  /**
   * The steps in their new order. Existing steps carry their id; a step left out is retired
   * when sessions used it and removed when none did, so past sessions keep their meaning.
   */
  steps?: readonly StepDraft[] | undefined;
}

/** Changes a task analysis and its steps, refusing a stale version. */
export async function updateTaskAnalysis(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
  version: number,
  changes: TaskAnalysisChanges,
): Promise<TaskAnalysis> {
  const current = await getTaskAnalysis(db, viewer, id);
  if (current.version !== version) throw new ConflictError();
  const row: Partial<repo.TaskAnalysisRow> = { updated_at: deps.clock.now().toISOString() };
  if (changes.title !== undefined) row.title = changes.title.trim();
  if (changes.description !== undefined) row.description = cleanText(changes.description);
  if (changes.employerId !== undefined || changes.departmentId !== undefined) {
    const place = await checkPlace(
      db,
      changes.employerId === undefined ? current.employerId : changes.employerId,
      changes.departmentId === undefined ? current.departmentId : changes.departmentId,
    );
    row.employer_id = place.employerId;
    row.employer_department_id = place.departmentId;
  }
  if ((await repo.updateAnalysis(db, id, version, row)) === 0) throw new ConflictError();
  const stepChanges = changes.steps ? await saveSteps(db, current.steps, changes.steps, id) : null;
  await audit.record(db, deps, ctx, {
    action: 'task_analysis.updated',
    entityType: 'task_analysis',
    entityId: id,
    details: { fields: Object.keys(row).filter((k) => k !== 'updated_at'), ...(stepChanges ?? {}) },
  });
  return getTaskAnalysis(db, viewer, id);
}

async function saveSteps(db: DbOrTrx, existing: readonly TaskStep[], drafts: readonly StepDraft[], analysisId: string) {
  const byId = new Map(existing.map((s) => [s.id, s]));
  const fields: Record<string, string> = {};
  drafts.forEach((d, i) => {
    if (d.id !== undefined && !byId.has(d.id)) fields[`steps.${i}.id`] = 'This step is not part of this task analysis';
    if (!d.text.trim()) fields[`steps.${i}.text`] = `Enter the text of step ${i + 1}`;
  });
  if (drafts.filter((d) => !d.retired).length === 0) fields.steps = 'Keep at least one step that is not retired';
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);

  const kept = new Set(drafts.map((d) => d.id).filter((x): x is string => x !== undefined));
  const leftOut = existing.filter((s) => !kept.has(s.id));
  const used = await repo.usedStepIds(
    db,
    leftOut.map((s) => s.id),
  );
  let added = 0;
  let retired = 0;
  // Positions follow the new order; steps left out go to the end, retired (or removed when unused).
  const ordered: StepDraft[] = [
    ...drafts,
    ...leftOut.filter((s) => used.has(s.id)).map((s) => ({ id: s.id, text: s.text, retired: true })),
  ];
  for (const s of leftOut.filter((s) => !used.has(s.id))) await repo.deleteStep(db, s.id);
  const inserts: repo.TaskStepRow[] = [];
  for (const [i, d] of ordered.entries()) {
    const position = i + 1;
    const was = d.id ? byId.get(d.id) : undefined;
    if (!was) {
      inserts.push({ id: randomUUID(), task_analysis_id: analysisId, position, text: d.text.trim(), retired: d.retired ? 1 : 0 });
      added += 1;
      continue;
    }
    if (d.retired && !was.retired) retired += 1;
    if (was.position !== position || was.text !== d.text.trim() || was.retired !== d.retired) {
      await repo.updateStep(db, was.id, { position, text: d.text.trim(), retired: d.retired ? 1 : 0 });
    }
  }
  await repo.insertSteps(db, inserts);
  return { steps_added: added, steps_retired: retired, steps_removed: leftOut.length - used.size };
}

export interface CopyInput {
  title?: string | undefined;
  employerId?: string | null | undefined;
  departmentId?: string | null | undefined;
}

/** Copies an analysis's current steps for a new department or manager; the person starts a new baseline on it. */
export async function copyTaskAnalysis(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
  input: CopyInput,
): Promise<TaskAnalysis> {
  const source = await getTaskAnalysis(db, viewer, id);
  return createTaskAnalysis(
    db,
    deps,
    ctx,
    viewer,
    {
      title: input.title?.trim() || source.title,
      employerId: input.employerId === undefined ? source.employerId : input.employerId,
      departmentId: input.departmentId ?? null,
      description: source.description,
      steps: source.steps.filter((s) => !s.retired).map((s) => s.text),
    },
    source.id,
  );
}

// ---- Instruction sessions ----

export interface InstructionSession {
  id: string;
  taskAnalysisId: string;
  participantId: string;
  placementId: string | null;
  practitionerId: string;
  practitionerName: string | null;
  sessionDate: string;
  notes: string | null;
  /** Prompt level at each step, by step id. */
  levels: Map<string, PromptLevel>;
  /** Figures over the steps recorded in this session. */
  summary: SessionSummary;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** The API shape of a session, with its summary. */
export function sessionJson(s: InstructionSession): Record<string, unknown> {
  return {
    id: s.id,
    task_analysis_id: s.taskAnalysisId,
    participant_id: s.participantId,
    placement_id: s.placementId,
    practitioner_id: s.practitionerId,
    session_date: s.sessionDate,
    notes: s.notes,
    results: [...s.levels].map(([stepId, level]) => ({ step_id: stepId, prompt_level: level })),
    summary: {
      counts: s.summary.counts,
      steps_recorded: s.summary.total,
      percent_independent: s.summary.percentIndependent,
    },
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    version: s.version,
  };
}

async function loadSessions(db: DbOrTrx, filter: repo.SessionFilter): Promise<InstructionSession[]> {
  const rows = await repo.sessions(db, filter);
  const results = await repo.resultsOf(
    db,
    rows.map((r) => r.id),
  );
  const bySession = new Map<string, Map<string, PromptLevel>>();
  for (const r of results) {
    if (!isPromptLevel(r.prompt_level)) continue;
    const levels = bySession.get(r.session_id) ?? new Map<string, PromptLevel>();
    levels.set(r.step_id, r.prompt_level);
    bySession.set(r.session_id, levels);
  }
  return rows.map((r) => {
    const levels = bySession.get(r.id) ?? new Map<string, PromptLevel>();
    return {
      id: r.id,
      taskAnalysisId: r.task_analysis_id,
      participantId: r.participant_id,
      placementId: r.placement_id,
      practitionerId: r.practitioner_id,
      practitionerName: r.practitioner_name,
      sessionDate: r.session_date,
      notes: r.notes,
      levels,
      summary: summariseSession(levels.values()),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      version: Number(r.version),
    };
  });
}

export interface PlacementForInstruction {
  id: string;
  participantId: string;
  employerId: string;
  departmentId: string | null;
  title: string;
  employerName: string | null;
  departmentName: string | null;
  participantName: string;
  /** Whether the viewer may record sessions for this person. */
  canEdit: boolean;
}

/** A job whose person the viewer may see, or 404. */
export async function loadPlacement(
  db: DbOrTrx,
  deps: Deps,
  viewer: Viewer,
  placementId: string,
): Promise<PlacementForInstruction> {
  assertCanUse(viewer);
  const { placement: p, participant } = await placements.getPlacement(db, deps, viewer, placementId);
  return {
    id: p.id,
    participantId: p.participantId,
    employerId: p.employerId,
    departmentId: p.departmentId,
    title: p.title,
    employerName: p.employerName,
    departmentName: p.departmentName,
    participantName: displayName(participant),
    canEdit: participant.canEdit,
  };
}

export interface SessionInput {
  participantId: string;
  placementId?: string | null | undefined;
  /** `YYYY-MM-DD`. */
  sessionDate: string;
  notes?: string | null | undefined;
  results: readonly { stepId: string; promptLevel: PromptLevel }[];
}

/** Records one instruction session: a prompt level for every current step. Audited on the person. */
export async function recordSession(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  taskAnalysisId: string,
  input: SessionInput,
): Promise<InstructionSession> {
  const analysis = await getTaskAnalysis(db, viewer, taskAnalysisId);
  await participants.loadEditable(db, viewer, input.participantId);
  if (input.placementId) {
    const placement = await placements.getPlacement(db, deps, viewer, input.placementId).catch(() => null);
    if (placement?.placement.participantId !== input.participantId) {
      throw new ValidationError({ placement_id: 'The job must be one this person holds' });
    }
  }
  const current = analysis.steps.filter((s) => !s.retired);
  const given = new Map(input.results.map((r) => [r.stepId, r.promptLevel]));
  const fields: Record<string, string> = {};
  if (input.sessionDate > londonDate(deps.clock.now())) fields.session_date = 'Session date must be today or in the past';
  for (const [stepId] of given) {
    if (!current.some((s) => s.id === stepId)) fields.results = 'Every result must be for a current step of this task analysis';
  }
  for (const s of current) {
    if (!given.has(s.id)) fields[`step_${s.id}`] = `Select the prompt needed at step ${s.position}: ${s.text}`;
  }
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);

  const row: repo.SessionRow = {
    ...newRecordColumns(deps.clock),
    task_analysis_id: taskAnalysisId,
    participant_id: input.participantId,
    placement_id: input.placementId ?? null,
    practitioner_id: viewer.userId,
    session_date: input.sessionDate,
    notes: cleanText(input.notes),
  };
  await repo.insertSession(
    db,
    row,
    current.map((s) => ({ session_id: row.id, step_id: s.id, prompt_level: given.get(s.id) as PromptLevel })),
  );
  const summary = summariseSession(current.map((s) => given.get(s.id) as PromptLevel));
  await audit.record(db, deps, ctx, {
    action: 'instruction_session.recorded',
    entityType: 'participant',
    entityId: input.participantId,
    details: {
      session_id: row.id,
      task_analysis_id: taskAnalysisId,
      ...(row.placement_id ? { placement_id: row.placement_id } : {}),
      percent_independent: summary.percentIndependent,
    },
  });
  return {
    id: row.id,
    taskAnalysisId,
    participantId: row.participant_id,
    placementId: row.placement_id,
    practitionerId: row.practitioner_id,
    practitionerName: null,
    sessionDate: row.session_date,
    notes: row.notes,
    levels: new Map(current.map((s) => [s.id, given.get(s.id) as PromptLevel])),
    summary,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export interface TaskProgress {
  analysis: TaskAnalysis;
  sessions: InstructionSession[];
  verdict: MasteryVerdict;
}

/** A person's sessions on one task (in one job, when given), with the mastery verdict. Audited as a read. */
export async function taskProgress(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  taskAnalysisId: string,
  participantId: string,
  placementId?: string,
): Promise<TaskProgress> {
  const analysis = await getTaskAnalysis(db, viewer, taskAnalysisId);
  await participants.loadVisible(db, viewer, participantId);
  const sessions = await loadSessions(db, { participantId, taskAnalysisId, placementId });
  const { masterySessions } = await settings.getSettings(db);
  const verdict = masteryVerdict(
    sessions,
    analysis.steps.filter((s) => !s.retired).map((s) => s.id),
    masterySessions,
  );
  await audit.record(db, deps, ctx, {
    action: 'instruction_sessions.viewed',
    entityType: 'participant',
    entityId: participantId,
    details: { task_analysis_id: taskAnalysisId, ...(placementId ? { placement_id: placementId } : {}) },
  });
  return { analysis, sessions, verdict };
}

export interface InstructionOverviewItem {
  analysis: Omit<TaskAnalysis, 'steps'>;
  sessionCount: number;
  latest: InstructionSession | null;
  verdict: MasteryVerdict;
}

/** The task analyses used with the person in this job, each with its latest summary and mastery. Audited. */
export async function instructionOverview(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  placementId: string,
): Promise<{ placement: PlacementForInstruction; items: InstructionOverviewItem[] }> {
  const placement = await loadPlacement(db, deps, viewer, placementId);
  const sessions = await loadSessions(db, { participantId: placement.participantId, placementId });
  const items = await summariseByTask(db, sessions);
  await audit.record(db, deps, ctx, {
    action: 'instruction_sessions.viewed',
    entityType: 'participant',
    entityId: placement.participantId,
    details: { placement_id: placementId },
  });
  return { placement, items };
}

async function summariseByTask(db: DbOrTrx, sessions: readonly InstructionSession[]): Promise<InstructionOverviewItem[]> {
  const ids = [...new Set(sessions.map((s) => s.taskAnalysisId))];
  const [analyses, steps, { masterySessions }] = await Promise.all([
    repo.analysesByIds(db, ids),
    repo.stepsOf(db, ids),
    settings.getSettings(db),
  ]);
  return analyses.map((a) => {
    const mine = sessions.filter((s) => s.taskAnalysisId === a.id);
    const current = steps.filter((s) => s.task_analysis_id === a.id && Number(s.retired) === 0).map((s) => s.id);
    return {
      analysis: toAnalysis(a),
      sessionCount: mine.length,
      latest: mine[mine.length - 1] ?? null,
      verdict: masteryVerdict(mine, current, masterySessions),
    };
  });
}

/** Task analyses to start with in this job: its department's first, then its employer's, then the rest. */
export async function suggestionsFor(
  db: DbOrTrx,
  viewer: Viewer,
  placement: PlacementForInstruction,
  q: string | undefined,
  limit: number,
): Promise<TaskAnalysisListItem[]> {
  const department = placement.departmentId
    ? await searchTaskAnalyses(db, viewer, { q, employerId: placement.employerId, departmentId: placement.departmentId }, limit)
    : [];
  const employer = await searchTaskAnalyses(db, viewer, { q, employerId: placement.employerId }, limit);
  const others = await searchTaskAnalyses(db, viewer, { q }, limit);
  const seen = new Set<string>();
  return [...department, ...employer, ...others].filter((a) => !seen.has(a.id) && seen.add(a.id)).slice(0, limit);
}

/** A person's sessions on a task, oldest first, for the API. Audited as a read. */
export async function listSessions(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  taskAnalysisId: string,
  participantId: string,
): Promise<InstructionSession[]> {
  return (await taskProgress(db, deps, ctx, viewer, taskAnalysisId, participantId)).sessions;
}

/**
 * The tasks a person has mastered, in any job, with the date each was mastered: what they can
 * take to a new job (redeployment). Not audited here; the caller shows it within a read it audits.
 */
export async function masteredTasks(db: DbOrTrx, participantId: string): Promise<{ title: string; masteredOn: string }[]> {
  const sessions = await loadSessions(db, { participantId });
  const items = await summariseByTask(db, sessions);
  return items
    .filter((i) => i.verdict.mastered && i.verdict.masteredOn !== null)
    .map((i) => ({ title: i.analysis.title, masteredOn: i.verdict.masteredOn as string }))
    .sort((a, b) => (a.masteredOn < b.masteredOn ? -1 : a.masteredOn > b.masteredOn ? 1 : a.title.localeCompare(b.title)));
}
