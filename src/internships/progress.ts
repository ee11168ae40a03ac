import { randomUUID } from 'node:crypto';
import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { isUniqueViolation, newRecordColumns } from '../db/records.ts';
import { ConflictError, ForbiddenError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import * as audit from '../audit/service.ts';
import type { Viewer } from '../participants/rules.ts';
import { dayText, londonDate } from '../referrals/rules.ts';
import { addDays } from '../support/rules.ts';
import * as tasks from '../task-analyses/service.ts';
import * as repo from './progress-repo.ts';
import type { AttendanceEntry, RotationProgressInput } from './progress-schema.ts';
import { ABSENCE_REASONS, ABSENCE_REASON_LABELS, type AbsenceReason, attendancePercent } from './rules.ts';
import { type CohortView, type Intern, getIntern, internsOf, loadCohort } from './service.ts';

// An intern's page, their skills progress in each rotation (tasks learnt, the service's
// employability checklist, the end-of-rotation review in plain words) and the cohort's daily
// attendance register. Everything here is about one person and is audited on them; the cohort's
// register, which lists every intern, is audited on the cohort.

/** How many of the host's task analyses a progress page offers. */
const TASKS_OFFERED = 200;

// ---- Shapes --------------------------------------------------------------------------------------

/** An intern the viewer may see: the name is known. */
export type VisibleIntern = Intern & { name: string };

/** A rotation, and the department the intern is in for it (null when not placed yet). */
export interface RotationPlace {
  id: string;
  number: number;
  startDate: string;
  endDate: string;
  departmentId: string | null;
  departmentName: string | null;
  siteName: string | null;
}

export interface ChecklistItem {
  id: string;
  text: string;
  position: number;
  retired: boolean;
  version: number;
}

export interface CheckAnswer {
  item: ChecklistItem;
  achieved: boolean;
  note: string | null;
  /** Whether the answer was ever saved (false: offered, not yet answered). */
  saved: boolean;
}

export interface RotationReview {
  id: string;
  reviewDate: string;
  wentWell: string | null;
  toWorkOn: string | null;
  internWords: string | null;
  writtenByName: string | null;
  updatedAt: string;
  version: number;
}

export interface AttendanceSummary {
  daysRecorded: number;
  daysPresent: number;
  /** Whole percent of recorded days present; null with nothing recorded. */
  percent: number | null;
  /** Days absent for each reason given, in the order of the reasons list; reasons with none left out. */
  absences: { reason: AbsenceReason; label: string; days: number }[];
  daysAbsent: number;
}

// ---- Pure helpers --------------------------------------------------------------------------------

/** Attendance over the days recorded: present share and days absent by reason. */
export function summariseAttendance(days: readonly { present: boolean; reason: string | null }[]): AttendanceSummary {
  const absent = days.filter((d) => !d.present);
  return {
    daysRecorded: days.length,
    daysPresent: days.length - absent.length,
    percent: attendancePercent(days),
    absences: ABSENCE_REASONS.map((reason) => ({
      reason,
      label: ABSENCE_REASON_LABELS[reason],
      days: absent.filter((d) => (d.reason ?? 'other') === reason).length,
    })).filter((a) => a.days > 0),
    daysAbsent: absent.length,
  };
}

/** The weekday before or after a day (interns attend Monday to Friday). */
export function adjacentWeekday(day: string, direction: 1 | -1): string {
  let d = addDays(day, direction);
  for (;;) {
    const weekday = new Date(`${d}T12:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) return d;
    d = addDays(d, direction);
  }
}

const toItem = (r: repo.ItemRow): ChecklistItem => ({
  id: r.id,
  text: r.text,
  position: Number(r.position),
  retired: Number(r.retired) === 1,
  version: Number(r.version),
});

const toReview = (r: repo.ReviewListRow): RotationReview => ({
  id: r.id,
  reviewDate: r.review_date,
  wentWell: r.went_well,
  toWorkOn: r.to_work_on,
  internWords: r.intern_words,
  writtenByName: r.written_by_name,
  updatedAt: r.updated_at,
  version: Number(r.version),
});

function places(rotations: readonly repo.RotationRow[], placements: readonly repo.PlacementRow[]): RotationPlace[] {
  return rotations.map((r) => {
    const p = placements.find((x) => x.rotation_id === r.id);
    return {
      id: r.id,
      number: Number(r.number),
      startDate: r.start_date,
      endDate: r.end_date,
      departmentId: p?.employer_department_id ?? null,
      departmentName: p?.department_name ?? null,
      siteName: p?.site_name ?? null,
    };
  });
}

// ---- Access --------------------------------------------------------------------------------------

/** The cohort and one of its interns whom the viewer may see; 404 for a graduate handed over to another team. */
export async function loadVisibleIntern(
  db: DbOrTrx,
  viewer: Viewer,
  cohortId: string,
  internId: string,
): Promise<{ cohort: CohortView; intern: VisibleIntern }> {
  const cohort = await loadCohort(db, viewer, cohortId);
  const intern = await getIntern(db, viewer, cohortId, internId);
  if (intern.name === null) throw new NotFoundError('Intern not found');
  return { cohort, intern: { ...intern, name: intern.name } };
}

async function loadRotation(db: DbOrTrx, cohortId: string, rotationId: string): Promise<repo.RotationRow> {
  const rotation = await repo.findRotation(db, rotationId);
  if (!rotation || rotation.cohort_id !== cohortId) throw new NotFoundError('Rotation not found');
  return rotation;
}

// ---- The intern page -----------------------------------------------------------------------------

export interface InternPage {
  cohort: CohortView;
  intern: VisibleIntern;
  rotations: (RotationPlace & { tasksLearnt: number; checksAchieved: number; reviewed: boolean })[];
  attendance: AttendanceSummary;
}

/** Everything the intern page shows. Audited on the person (`intern.viewed`). */
export async function internPage(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  cohortId: string,
  internId: string,
): Promise<InternPage> {
  const { cohort, intern } = await loadVisibleIntern(db, viewer, cohortId, internId);
  const [rotations, placements, learnt, checks, reviews, days] = await Promise.all([
    repo.rotationsOf(db, cohortId),
    repo.placementsOfIntern(db, internId),
    repo.tasksOf(db, internId),
    repo.checksOf(db, internId),
    repo.reviewsOf(db, internId),
    repo.attendanceOf(db, [internId]),
  ]);
  await audit.record(db, deps, ctx, {
    action: 'intern.viewed',
    entityType: 'participant',
    entityId: intern.participantId,
    details: { cohort_id: cohortId, intern_id: internId },
  });
  return {
    cohort,
    intern,
    rotations: places(rotations, placements).map((r) => ({
      ...r,
      tasksLearnt: learnt.filter((t) => t.rotation_id === r.id).length,
      checksAchieved: checks.filter((c) => c.rotation_id === r.id && Number(c.achieved) === 1).length,
      reviewed: reviews.some((x) => x.rotation_id === r.id),
    })),
    attendance: summariseAttendance(days.map((d) => ({ present: Number(d.present) === 1, reason: d.absence_reason }))),
  };
}

// ---- Skills progress in one rotation -------------------------------------------------------------

export interface TaskChoice {
  id: string;
  title: string;
  departmentName: string | null;
  /** True for a task of the department the intern is in this rotation. */
  inDepartment: boolean;
  learnt: boolean;
  /** When the intern mastered it (from instruction sessions), if they have. */
  masteredOn: string | null;
}

export interface RotationProgress {
  cohort: CohortView;
  intern: VisibleIntern;
  rotation: RotationPlace;
  tasks: TaskChoice[];
  /** Active checklist items (answered or not), then retired items answered in this rotation. */
  checks: CheckAnswer[];
  /** True when the service has no active checklist items yet. */
  checklistEmpty: boolean;
  review: RotationReview | null;
}

async function progressPicture(
  db: DbOrTrx,
  viewer: Viewer,
  cohortId: string,
  rotationId: string,
  internId: string,
): Promise<RotationProgress> {
  const { cohort, intern } = await loadVisibleIntern(db, viewer, cohortId, internId);
  const row = await loadRotation(db, cohortId, rotationId);
  const [placements, learnt, itemRows, checks, reviews, offered, mastered] = await Promise.all([
    repo.placementsOfIntern(db, internId),
    repo.tasksOf(db, internId, rotationId),
    repo.items(db),
    repo.checksOf(db, internId, rotationId),
    repo.reviewsOf(db, internId, rotationId),
    tasks.searchTaskAnalyses(db, viewer, { employerId: cohort.hostEmployerId }, TASKS_OFFERED),
    tasks.masteredTasks(db, intern.participantId),
  ]);
  const rotation = places([row], placements)[0]!;
  const learntIds = new Set(learnt.map((t) => t.task_analysis_id));
  // Mastery comes by title: a task analysis's title is what the coach and intern know it by.
  const masteredOn = new Map(mastered.map((m) => [m.title, m.masteredOn]));
  const choices: TaskChoice[] = offered.map((a) => ({
    id: a.id,
    title: a.title,
    departmentName: a.departmentName,
    inDepartment: rotation.departmentId !== null && a.departmentId === rotation.departmentId,
    learnt: learntIds.has(a.id),
    masteredOn: masteredOn.get(a.title) ?? null,
  }));
  // Tasks ticked earlier stay on the page even when no longer among the host's.
  for (const t of learnt)
    if (!choices.some((c) => c.id === t.task_analysis_id))
      choices.push({
        id: t.task_analysis_id,
        title: t.title,
        departmentName: null,
        inDepartment: false,
        learnt: true,
        masteredOn: masteredOn.get(t.title) ?? null,
      });
  // The department's own tasks first, then the rest of the host's, each by title.
  choices.sort((a, b) => Number(b.inDepartment) - Number(a.inDepartment) || a.title.localeCompare(b.title));
  const items = itemRows.map(toItem);
  const answer = (item: ChecklistItem): CheckAnswer => {
    const c = checks.find((x) => x.item_id === item.id);
    return { item, achieved: c ? Number(c.achieved) === 1 : false, note: c?.note ?? null, saved: c !== undefined };
  };
  const active = items.filter((i) => !i.retired);
  const retiredAnswered = items.filter((i) => i.retired && checks.some((c) => c.item_id === i.id));
  return {
    cohort,
    intern,
    rotation,
    tasks: choices,
    checks: [...active.map(answer), ...retiredAnswered.map(answer)],
    checklistEmpty: active.length === 0,
    review: reviews[0] ? toReview(reviews[0]) : null,
  };
}

/** One intern's progress in one rotation, with what can be ticked. Audited on the person. */
export async function rotationProgress(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  cohortId: string,
  rotationId: string,
  internId: string,
): Promise<RotationProgress> {
  const picture = await progressPicture(db, viewer, cohortId, rotationId, internId);
  await audit.record(db, deps, ctx, {
    action: 'intern.progress_viewed',
    entityType: 'participant',
    entityId: picture.intern.participantId,
    details: { cohort_id: cohortId, rotation_id: rotationId, intern_id: internId },
  });
  return picture;
}

/** The ids of the active checklist items, in order: what a progress form offers. */
export async function activeItemIds(db: DbOrTrx): Promise<string[]> {
  return (await repo.items(db)).filter((i) => Number(i.retired) === 0).map((i) => i.id);
}

/**
 * Saves an intern's progress in a rotation: the tasks learnt (the host's task analyses), an
 * answer for each active checklist item, and the end-of-rotation review when one is written
 * (a review, once saved, is changed with the version read). Audited on the person.
 */
export async function saveRotationProgress(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  cohortId: string,
  rotationId: string,
  internId: string,
  input: RotationProgressInput,
): Promise<void> {
  const p = await progressPicture(db, viewer, cohortId, rotationId, internId);
  const now = deps.clock.now().toISOString();
  const today = londonDate(deps.clock.now());
  const fields: Record<string, string> = {};

  const offered = new Set(p.tasks.map((t) => t.id));
  if (input.taskIds.some((id) => !offered.has(id))) fields.task_ids = 'Select tasks from the list';
  const active = new Map(p.checks.filter((c) => !c.item.retired).map((c) => [c.item.id, c]));
  if (input.checks.some((c) => !active.has(c.itemId)))
    fields.achieved = 'The checklist has changed: check the items and save again';

  const r = input.review;
  const written = r.wentWell !== null || r.toWorkOn !== null || r.internWords !== null;
  const reviewing = p.review !== null || written || r.reviewDate !== null;
  if (reviewing) {
    if (r.reviewDate === null) fields.review_date = 'Enter the date of the review';
    else if (r.reviewDate > today) fields.review_date = 'Review date must be today or in the past';
    if (!written)
      fields.went_well = p.review
        ? 'Write what went well, what to work on next or what the intern said'
        : 'Write what went well, what to work on next or what the intern said, or leave the review date empty';
  }
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  if (p.review && r.version !== p.review.version) throw new ConflictError('Someone else changed this review after you opened it');

  // Tasks learnt: add the newly ticked, remove the unticked.
  const before = new Set(p.tasks.filter((t) => t.learnt).map((t) => t.id));
  const after = new Set(input.taskIds);
  await repo.deleteTasks(
    db,
    rotationId,
    internId,
    [...before].filter((id) => !after.has(id)),
  );
  await repo.insertTasks(
    db,
    [...after]
      .filter((id) => !before.has(id))
      .map((task_analysis_id) => ({
        id: randomUUID(),
        rotation_id: rotationId,
        cohort_intern_id: internId,
        task_analysis_id,
        created_at: now,
      })),
  );

  // The checklist: only answers that changed are written, so "last changed" stays true.
  const checkIds = await repo.checksOf(db, internId, rotationId);
  for (const c of input.checks) {
    const current = active.get(c.itemId)!;
    if (current.saved && current.achieved === c.achieved && current.note === c.note) continue;
    const values = { achieved: c.achieved ? 1 : 0, note: c.note, updated_at: now, updated_by_user_id: viewer.userId };
    const existing = checkIds.find((x) => x.item_id === c.itemId);
    if (existing) await repo.updateCheck(db, existing.id, values);
    else
      await repo.insertCheck(db, {
        id: randomUUID(),
        rotation_id: rotationId,
        cohort_intern_id: internId,
        item_id: c.itemId,
        ...values,
      });
  }

  // The review, in plain words.
  let reviewChange: 'created' | 'updated' | null = null;
  if (reviewing && r.reviewDate !== null) {
    const values = {
      review_date: r.reviewDate,
      went_well: r.wentWell,
      to_work_on: r.toWorkOn,
      intern_words: r.internWords,
      written_by_user_id: viewer.userId,
    };
    if (p.review) {
      const unchanged =
        p.review.reviewDate === r.reviewDate &&
        p.review.wentWell === r.wentWell &&
        p.review.toWorkOn === r.toWorkOn &&
        p.review.internWords === r.internWords;
      if (!unchanged) {
        if ((await repo.updateReview(db, p.review.id, p.review.version, { ...values, updated_at: now })) === 0)
          throw new ConflictError('Someone else changed this review after you opened it');
        reviewChange = 'updated';
      }
    } else {
      try {
        await repo.insertReview(db, {
          ...newRecordColumns(deps.clock),
          rotation_id: rotationId,
          cohort_intern_id: internId,
          ...values,
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new ConflictError('Someone else wrote a review of this rotation after you opened it');
        throw err;
      }
      reviewChange = 'created';
    }
  }

  await audit.record(db, deps, ctx, {
    action: 'intern.progress_recorded',
    entityType: 'participant',
    entityId: p.intern.participantId,
    details: {
      cohort_id: cohortId,
      rotation_id: rotationId,
      intern_id: internId,
      tasks_learnt: after.size,
      checklist_achieved: input.checks.filter((c) => c.achieved).length,
      ...(reviewChange ? { review: reviewChange } : {}),
    },
  });
}

// ---- The employability checklist (the service's own items) ---------------------------------------

function assertManager(viewer: Viewer): void {
  if (viewer.role !== 'manager') throw new ForbiddenError('Only managers change the employability checklist');
}

/** Every checklist item in order, retired ones last. Readable by practitioners and managers. */
export async function checklist(db: DbOrTrx, viewer: Viewer): Promise<ChecklistItem[]> {
  if (viewer.role !== 'manager' && viewer.role !== 'practitioner') throw new ForbiddenError();
  const items = (await repo.items(db)).map(toItem);
  return [...items.filter((i) => !i.retired), ...items.filter((i) => i.retired)];
}

export async function getChecklistItem(db: DbOrTrx, viewer: Viewer, id: string): Promise<ChecklistItem> {
  assertManager(viewer);
  const row = await repo.findItem(db, id);
  if (!row) throw new NotFoundError('Checklist item not found');
  return toItem(row);
}

/** Adds an item at the end of the checklist. */
export async function addChecklistItem(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  text: string,
): Promise<ChecklistItem> {
  assertManager(viewer);
  const words = text.trim();
  const items = await repo.items(db);
  if (items.some((i) => Number(i.retired) === 0 && i.text.trim().toLowerCase() === words.toLowerCase()))
    throw new ValidationError({ text: 'The checklist already has this item' });
  const row: repo.ItemRow = {
    ...newRecordColumns(deps.clock),
    text: words,
    position: (await repo.maxItemPosition(db)) + 1,
    retired: 0,
  };
  await repo.insertItem(db, row);
  await audit.record(db, deps, ctx, { action: 'employability_item.created', entityType: 'employability_item', entityId: row.id });
  return toItem(row);
}

/** Changes an item's words (the version read must still be current). Retired items are not changed. */
export async function changeChecklistItem(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
  version: number | undefined,
  text: string,
): Promise<ChecklistItem> {
  const item = await getChecklistItem(db, viewer, id);
  if (item.retired) throw new RuleError('A retired item cannot be changed: it stays as it was on past records');
  if (version !== item.version) throw new ConflictError('Someone else changed this item after you opened it');
  if ((await repo.updateItem(db, id, version, { text: text.trim(), updated_at: deps.clock.now().toISOString() })) === 0)
    throw new ConflictError('Someone else changed this item after you opened it');
  await audit.record(db, deps, ctx, { action: 'employability_item.updated', entityType: 'employability_item', entityId: id });
  return getChecklistItem(db, viewer, id);
}

/** Moves an active item one place up or down among the active items. */
export async function moveChecklistItem(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
  direction: 'up' | 'down',
): Promise<void> {
  const item = await getChecklistItem(db, viewer, id);
  if (item.retired) throw new RuleError('A retired item has no place in the checklist');
  const active = (await repo.items(db)).map(toItem).filter((i) => !i.retired);
  const at = active.findIndex((i) => i.id === id);
  const to = direction === 'up' ? at - 1 : at + 1;
  if (to < 0 || to >= active.length) return;
  const order = [...active];
  [order[at], order[to]] = [order[to]!, order[at]!];
  const now = deps.clock.now().toISOString();
  // Renumber the active items 1, 2, 3 ... so equal or gapped positions sort out too.
  for (const [i, x] of order.entries()) if (x.position !== i + 1) await repo.setItemPosition(db, x.id, i + 1, now);
  await audit.record(db, deps, ctx, {
    action: 'employability_item.moved',
    entityType: 'employability_item',
    entityId: id,
    details: { direction },
  });
}

/** Retires an item: no longer offered, still shown on the progress already recorded with it. */
export async function retireChecklistItem(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
  version: number,
): Promise<void> {
  const item = await getChecklistItem(db, viewer, id);
  if (item.retired) return;
  if ((await repo.updateItem(db, id, version, { retired: 1, updated_at: deps.clock.now().toISOString() })) === 0)
    throw new ConflictError('Someone else changed this item after you opened it');
  await audit.record(db, deps, ctx, { action: 'employability_item.retired', entityType: 'employability_item', entityId: id });
}

// ---- Attendance ----------------------------------------------------------------------------------

export interface RegisterRow {
  intern: VisibleIntern;
  record: { present: boolean; reason: AbsenceReason | null; note: string | null } | null;
}

export interface AttendanceRegister {
  cohort: CohortView;
  day: string;
  today: string;
  /** Why the day cannot be recorded (before the cohort starts, after it ends, in the future), or null. */
  closedBecause: string | null;
  /** Active interns the viewer may see, with what is recorded for the day. */
  rows: RegisterRow[];
  /** Every intern the viewer may see, with their attendance over the cohort so far. */
  summary: { intern: VisibleIntern; attendance: AttendanceSummary }[];
}

/** Why attendance cannot be recorded on this day, or null when it can. */
function closedBecause(cohort: CohortView, day: string, today: string): string | null {
  if (day < cohort.startDate) return 'This day is before the cohort starts.';
  if (day > cohort.endDate) return 'This day is after the cohort ends.';
  if (day > today) return 'This day has not happened yet.';
  return null;
}

const visible = (interns: readonly Intern[]): VisibleIntern[] => interns.filter((i): i is VisibleIntern => i.name !== null);

/** The register for one day and the attendance summary. Lists interns, so audited on the cohort. */
export async function attendanceRegister(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  cohortId: string,
  day: string,
): Promise<AttendanceRegister> {
  const cohort = await loadCohort(db, viewer, cohortId);
  const interns = visible(await internsOf(db, viewer, cohortId));
  const today = londonDate(deps.clock.now());
  const days = await repo.attendanceOf(
    db,
    interns.map((i) => i.id),
  );
  await audit.record(db, deps, ctx, {
    action: 'cohort.viewed',
    entityType: 'cohort',
    entityId: cohortId,
    details: { page: 'attendance', day },
  });
  return {
    cohort,
    day,
    today,
    closedBecause: closedBecause(cohort, day, today),
    rows: interns
      .filter((i) => i.status === 'active')
      .map((intern) => {
        const r = days.find((d) => d.cohort_intern_id === intern.id && d.day === day);
        return {
          intern,
          record: r ? { present: Number(r.present) === 1, reason: r.absence_reason as AbsenceReason | null, note: r.note } : null,
        };
      }),
    summary: interns.map((intern) => ({
      intern,
      attendance: summariseAttendance(
        days
          .filter((d) => d.cohort_intern_id === intern.id && d.day <= today)
          .map((d) => ({ present: Number(d.present) === 1, reason: d.absence_reason })),
      ),
    })),
  };
}

/** The ids of the interns on a day's register (active, visible), in the register's order. */
export async function registerInternIds(db: DbOrTrx, viewer: Viewer, cohortId: string): Promise<string[]> {
  return visible(await internsOf(db, viewer, cohortId))
    .filter((i) => i.status === 'active')
    .map((i) => i.id);
}

/**
 * Records a day's register: present, or absent with a reason, for each intern marked. An absent
 * intern needs a reason (the message sits next to their row). Each intern whose day changed is
 * audited on their record.
 */
export async function recordAttendance(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  cohortId: string,
  day: string,
  entries: readonly AttendanceEntry[],
): Promise<{ changed: number }> {
  const cohort = await loadCohort(db, viewer, cohortId);
  const today = londonDate(deps.clock.now());
  const closed = closedBecause(cohort, day, today);
  if (closed) {
    const last = today < cohort.endDate ? today : cohort.endDate;
    throw new ValidationError({ date: `${closed} Choose a day from ${dayText(cohort.startDate)} to ${dayText(last)}` });
  }
  const interns = visible(await internsOf(db, viewer, cohortId)).filter((i) => i.status === 'active');
  const fields: Record<string, string> = {};
  for (const e of entries) {
    const intern = interns.find((i) => i.id === e.internId);
    if (!intern) throw new ValidationError({ date: 'The register has changed: open it again and check who is on it' });
    if (e.present === false && e.reason === null) fields[`reason_${e.internId}`] = `Select why ${intern.name} was absent`;
  }
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);

  const marked = entries.filter((e) => e.present !== null);
  const existing = await repo.attendanceOf(
    db,
    marked.map((e) => e.internId),
    day,
  );
  const now = deps.clock.now().toISOString();
  let changed = 0;
  for (const e of marked) {
    const present = e.present === true;
    const values = {
      present: present ? 1 : 0,
      absence_reason: present ? null : e.reason,
      note: e.note,
      recorded_by_user_id: viewer.userId,
    };
    const was = existing.find((x) => x.cohort_intern_id === e.internId);
    if (was) {
      if (Number(was.present) === values.present && was.absence_reason === values.absence_reason && was.note === values.note)
        continue;
      if ((await repo.updateAttendance(db, was.id, Number(was.version), { ...values, updated_at: now })) === 0)
        throw new ConflictError('Someone else saved this day’s register at the same time: check it and save again');
    } else {
      try {
        await repo.insertAttendance(db, { ...newRecordColumns(deps.clock), cohort_intern_id: e.internId, day, ...values });
      } catch (err) {
        if (isUniqueViolation(err))
          throw new ConflictError('Someone else saved this day’s register at the same time: check it and save again');
        throw err;
      }
    }
    changed++;
    const intern = interns.find((i) => i.id === e.internId)!;
    await audit.record(db, deps, ctx, {
      action: 'intern.attendance_recorded',
      entityType: 'participant',
      entityId: intern.participantId,
      details: { cohort_id: cohortId, intern_id: intern.id, day, present, ...(present ? {} : { reason: e.reason }) },
    });
  }
  return { changed };
}
