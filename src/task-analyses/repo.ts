import type {
  DbOrTrx,
  InstructionSessionsTable,
  InstructionStepResultsTable,
  TaskAnalysesTable,
  TaskStepsTable,
} from '../db/types.ts';
import { rowsUpdated } from '../db/records.ts';
import { containsPattern, like } from '../db/like.ts';

export type TaskAnalysisRow = TaskAnalysesTable;
export type TaskStepRow = TaskStepsTable;
export type SessionRow = InstructionSessionsTable;
export type StepResultRow = InstructionStepResultsTable;

export type TaskAnalysisListRow = TaskAnalysisRow & {
  employer_name: string | null;
  department_name: string | null;
  step_count: number | string | bigint;
};

export async function insertAnalysis(db: DbOrTrx, row: TaskAnalysisRow): Promise<void> {
  await db.insertInto('task_analyses').values(row).execute();
}

export async function insertSteps(db: DbOrTrx, rows: readonly TaskStepRow[]): Promise<void> {
  if (rows.length > 0)
    await db
      .insertInto('task_steps')
      .values([...rows])
      .execute();
}

export async function findAnalysis(
  db: DbOrTrx,
  id: string,
): Promise<(TaskAnalysisRow & { employer_name: string | null; department_name: string | null }) | undefined> {
  return db
    .selectFrom('task_analyses')
    .leftJoin('employers', 'employers.id', 'task_analyses.employer_id')
    .leftJoin('employer_departments', 'employer_departments.id', 'task_analyses.employer_department_id')
    .selectAll('task_analyses')
    .select(['employers.name as employer_name', 'employer_departments.name as department_name'])
    .where('task_analyses.id', '=', id)
    .executeTakeFirst();
}

/** Steps of these analyses, in order. One query. */
export async function stepsOf(db: DbOrTrx, analysisIds: readonly string[]): Promise<TaskStepRow[]> {
  if (analysisIds.length === 0) return [];
  return db
    .selectFrom('task_steps')
    .selectAll()
    .where('task_analysis_id', 'in', analysisIds)
    .orderBy('task_analysis_id')
    .orderBy('position')
    .execute();
}

export interface AnalysisFilter {
  q?: string | undefined;
  employerId?: string | undefined;
  departmentId?: string | undefined;
  sort?: 'title' | 'updated' | undefined;
}

const searchPattern = (filter: AnalysisFilter): string | null => (filter.q ? containsPattern(filter.q.toLowerCase()) : null);

/** Task analyses matching the filter, by title (or latest change first), with step counts. */
export async function listAnalyses(
  db: DbOrTrx,
  filter: AnalysisFilter,
  limit: number,
  offset = 0,
): Promise<TaskAnalysisListRow[]> {
  let q = db
    .selectFrom('task_analyses')
    .leftJoin('employers', 'employers.id', 'task_analyses.employer_id')
    .leftJoin('employer_departments', 'employer_departments.id', 'task_analyses.employer_department_id')
    .selectAll('task_analyses')
    .select((eb) => [
      'employers.name as employer_name',
      'employer_departments.name as department_name',
      eb
        .selectFrom('task_steps')
        .select(eb.fn.countAll().as('n'))
        .whereRef('task_steps.task_analysis_id', '=', 'task_analyses.id')
        .where('task_steps.retired', '=', 0)
        .as('step_count'),
    ]);
  const pattern = searchPattern(filter);
  if (pattern) q = q.where((eb) => like(eb.fn('lower', [eb.ref('task_analyses.title')]), pattern));
  if (filter.employerId) q = q.where('task_analyses.employer_id', '=', filter.employerId);
  if (filter.departmentId) q = q.where('task_analyses.employer_department_id', '=', filter.departmentId);
  q =
    filter.sort === 'updated'
      ? q.orderBy('task_analyses.updated_at', 'desc').orderBy('task_analyses.id')
      : q.orderBy('task_analyses.title').orderBy('task_analyses.id');
  return q.limit(limit).offset(offset).execute() as Promise<TaskAnalysisListRow[]>;
}

export async function countAnalyses(db: DbOrTrx, filter: AnalysisFilter): Promise<number> {
  let q = db.selectFrom('task_analyses').select((eb) => eb.fn.countAll().as('n'));
  const pattern = searchPattern(filter);
  if (pattern) q = q.where((eb) => like(eb.fn('lower', [eb.ref('title')]), pattern));
  if (filter.employerId) q = q.where('employer_id', '=', filter.employerId);
  if (filter.departmentId) q = q.where('employer_department_id', '=', filter.departmentId);
  const row = await q.executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function updateAnalysis(
  db: DbOrTrx,
  id: string,
  version: number,
  changes: Partial<TaskAnalysisRow>,
): Promise<number> {
  const result = await db
    .updateTable('task_analyses')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return rowsUpdated(result);
}

export async function updateStep(db: DbOrTrx, id: string, changes: Partial<Omit<TaskStepRow, 'id'>>): Promise<void> {
  await db.updateTable('task_steps').set(changes).where('id', '=', id).execute();
}

export async function deleteStep(db: DbOrTrx, id: string): Promise<void> {
  await db.deleteFrom('task_steps').where('id', '=', id).execute();
}

/** Which of these steps have been recorded in any session. One query. */
export async function usedStepIds(db: DbOrTrx, stepIds: readonly string[]): Promise<Set<string>> {
  if (stepIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('instruction_step_results')
    .select('step_id')
    .distinct()
    .where('step_id', 'in', stepIds)
    .execute();
  return new Set(rows.map((r) => r.step_id));
}

export async function insertSession(db: DbOrTrx, row: SessionRow, results: readonly StepResultRow[]): Promise<void> {
  await db.insertInto('instruction_sessions').values(row).execute();
  if (results.length > 0)
    await db
      .insertInto('instruction_step_results')
      .values([...results])
      .execute();
}

export interface SessionFilter {
  participantId: string;
  taskAnalysisId?: string | undefined;
  placementId?: string | undefined;
}

/** A person's instruction sessions, oldest first, with the practitioner's name. */
export async function sessions(
  db: DbOrTrx,
  filter: SessionFilter,
): Promise<(SessionRow & { practitioner_name: string | null })[]> {
  let q = db
    .selectFrom('instruction_sessions')
    .leftJoin('users', 'users.id', 'instruction_sessions.practitioner_id')
    .selectAll('instruction_sessions')
    .select('users.name as practitioner_name')
    .where('instruction_sessions.participant_id', '=', filter.participantId);
  if (filter.taskAnalysisId) q = q.where('instruction_sessions.task_analysis_id', '=', filter.taskAnalysisId);
  if (filter.placementId) q = q.where('instruction_sessions.placement_id', '=', filter.placementId);
  return q.orderBy('instruction_sessions.session_date').orderBy('instruction_sessions.created_at').execute();
}

/** The step results of these sessions. One query. */
export async function resultsOf(db: DbOrTrx, sessionIds: readonly string[]): Promise<StepResultRow[]> {
  if (sessionIds.length === 0) return [];
  return db.selectFrom('instruction_step_results').selectAll().where('session_id', 'in', sessionIds).execute();
}

/** Every employer with each of its departments (or none), by name, for choosing where a task is done. */
export async function departmentOptions(
  db: DbOrTrx,
): Promise<{ employer_id: string; employer_name: string; department_id: string | null; department_name: string | null }[]> {
  return db
    .selectFrom('employers')
    .leftJoin('employer_departments', 'employer_departments.employer_id', 'employers.id')
    .select([
      'employers.id as employer_id',
      'employers.name as employer_name',
      'employer_departments.id as department_id',
      'employer_departments.name as department_name',
    ])
    .orderBy('employers.name')
    .orderBy('employers.id')
    .orderBy('employer_departments.name')
    .limit(2000)
    .execute();
}

/** Whether the department belongs to the employer. */
export async function departmentOf(db: DbOrTrx, departmentId: string): Promise<{ employer_id: string } | undefined> {
  return db.selectFrom('employer_departments').select('employer_id').where('id', '=', departmentId).executeTakeFirst();
}

export async function employerExists(db: DbOrTrx, employerId: string): Promise<boolean> {
  return (await db.selectFrom('employers').select('id').where('id', '=', employerId).executeTakeFirst()) !== undefined;
}

/** The task analyses used with this person, with the date of their latest session. */
export async function analysesUsedWith(
  db: DbOrTrx,
  participantId: string,
  placementId?: string,
): Promise<{ task_analysis_id: string; last: string | null; n: number | string | bigint }[]> {
  let q = db
    .selectFrom('instruction_sessions')
    .select((eb) => ['task_analysis_id', eb.fn.max('session_date').as('last'), eb.fn.countAll().as('n')])
    .where('participant_id', '=', participantId);
  if (placementId) q = q.where('placement_id', '=', placementId);
  return q.groupBy('task_analysis_id').execute();
}

export async function analysesByIds(db: DbOrTrx, ids: readonly string[]): Promise<TaskAnalysisRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('task_analyses').selectAll().where('id', 'in', ids).orderBy('title').execute();
}
