import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import { auditContext } from '../http/audit-context.ts';
import { linkWith, pagePathId } from '../http/route-helpers.ts';
import { parseInput } from '../http/validate.ts';
import * as participants from '../participants/service.ts';
import { dayText, londonDate } from '../referrals/rules.ts';
import * as progress from './progress.ts';
import {
  AttendanceQuerySchema,
  ChecklistItemFormSchema,
  ChecklistMoveSchema,
  ChecklistRetireSchema,
  ITEM_TEXT_MAX,
  parseAttendance,
  parseRotationProgress,
} from './progress-schema.ts';
import { ABSENCE_REASONS, ABSENCE_REASON_LABELS, EMPLOYED_OUTCOMES, INTERN_STATUS_LABELS, OUTCOME_LABELS } from './rules.ts';

const INTERN = 'internships/views/intern.njk';
const PROGRESS = 'internships/views/rotation-progress.njk';
const CHECKLIST = 'internships/views/checklist-items.njk';
const CHECKLIST_EDIT = 'internships/views/checklist-item-edit.njk';
const CHECKLIST_RETIRE = 'internships/views/checklist-item-retire.njk';
const ATTENDANCE = 'internships/views/attendance.njk';

const DONE_MESSAGES: Record<string, string> = {
  saved: 'Progress saved',
  added: 'Item added to the checklist',
  changed: 'Item changed',
  moved: 'Item moved',
  retired: 'Item retired: it is no longer offered, and stays on progress already recorded',
  recorded: 'Register saved',
};

function viewer(request: FastifyRequest) {
  if (!request.actor) throw new NotFoundError('Not found');
  return participants.viewerOf(request.actor);
}

/** What a form posted, to show again: never the CSRF token. */
function typedValues(body: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).filter(([k]) => k !== '_csrf'));
}

/** The same form without the CSRF token, for strict schemas. */
const formOf = typedValues;

function flash(request: FastifyRequest): string | undefined {
  const done = (request.query as Record<string, unknown>).done;
  return typeof done === 'string' ? DONE_MESSAGES[done] : undefined;
}

/** "Tuesday 24 November 2026". */
function weekdayText(day: string): string {
  const weekday = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long' }).format(new Date(`${day}T12:00:00Z`));
  return `${weekday} ${dayText(day)}`;
}

const rotationDates = (r: { startDate: string; endDate: string }) => `${dayText(r.startDate)} to ${dayText(r.endDate)}`;

const reasonItems = [
  { value: '', text: 'Select a reason' },
  ...ABSENCE_REASONS.map((r) => ({ value: r, text: ABSENCE_REASON_LABELS[r] })),
];

/** The intern page, skills progress per rotation, the employability checklist and the attendance register. */
export async function internshipProgressRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  // ---- The intern page ---------------------------------------------------------------------------

  app.get('/cohorts/:id/interns/:internId', async (request, reply) => {
    const cohortId = pagePathId(request, 'id', 'Cohort');
    const internId = pagePathId(request, 'internId', 'Intern');
    const page = await progress.internPage(db, deps, auditContext(request), viewer(request), cohortId, internId);
    const { cohort, intern } = page;
    const base = `/cohorts/${cohortId}/interns/${internId}`;
    const employed = intern.outcome !== null && EMPLOYED_OUTCOMES.includes(intern.outcome);
    return reply.render(INTERN, {
      title: `${intern.name}: ${cohort.name}`,
      backHref: `/cohorts/${cohortId}`,
      flash: flash(request),
      cohort,
      intern,
      statusLabel: INTERN_STATUS_LABELS[intern.status],
      employed,
      rotations: page.rotations.map((r) => ({
        ...r,
        datesText: rotationDates(r),
        progressHref: `/cohorts/${cohortId}/rotations/${r.id}/interns/${internId}`,
      })),
      attendance: page.attendance,
      graduationRows: [
        { key: { text: 'Outcome' }, value: { text: intern.outcome ? OUTCOME_LABELS[intern.outcome] : '' } },
        { key: { text: 'Date' }, value: { text: intern.outcomeDate ? dayText(intern.outcomeDate) : 'Not recorded' } },
        ...(employed
          ? [
              { key: { text: 'Job' }, value: { text: intern.job.title ?? 'Not recorded' } },
              {
                key: { text: 'Hours a week' },
                value: { text: intern.job.hoursPerWeek === null ? 'Not recorded' : String(intern.job.hoursPerWeek) },
              },
            ]
          : []),
      ],
      graduationHref: `${base}/graduation`,
      handOverHref: employed && !intern.handedOverAt ? `${base}/hand-over` : null,
      recordHref: `/participants/${intern.participantId}`,
      registerHref: `/cohorts/${cohortId}/attendance`,
    });
  });

  // ---- Skills progress in one rotation -----------------------------------------------------------

  const progressContext = (p: progress.RotationProgress) => ({
    title: `Rotation ${p.rotation.number} progress: ${p.intern.name}`,
    backHref: `/cohorts/${p.cohort.id}/interns/${p.intern.id}`,
    action: `/cohorts/${p.cohort.id}/rotations/${p.rotation.id}/interns/${p.intern.id}`,
    cohort: p.cohort,
    intern: p.intern,
    rotation: { ...p.rotation, datesText: rotationDates(p.rotation) },
    tasks: p.tasks,
    checks: p.checks,
    checklistEmpty: p.checklistEmpty,
    review: p.review,
  });

  /** The form's values for what is saved. */
  const progressValues = (p: progress.RotationProgress): Record<string, unknown> => ({
    task_ids: p.tasks.filter((t) => t.learnt).map((t) => t.id),
    achieved: p.checks.filter((c) => c.achieved).map((c) => c.item.id),
    ...Object.fromEntries(p.checks.map((c) => [`note_${c.item.id}`, c.note ?? ''])),
    review_date: p.review?.reviewDate ?? '',
    went_well: p.review?.wentWell ?? '',
    to_work_on: p.review?.toWorkOn ?? '',
    intern_words: p.review?.internWords ?? '',
    review_version: p.review ? String(p.review.version) : '',
  });

  /** Typed values as the template reads them: ticked boxes always as lists. */
  const typedProgress = (body: unknown): Record<string, unknown> => {
    const v = typedValues(body);
    const list = (x: unknown): unknown[] => (x === undefined ? [] : Array.isArray(x) ? (x as unknown[]) : [x]);
    return { ...v, task_ids: list(v.task_ids), achieved: list(v.achieved) };
  };

  /** The task checkboxes, ticked as the values say. */
  const taskItems = (p: progress.RotationProgress, values: Record<string, unknown>) => {
    const ticked = Array.isArray(values.task_ids) ? (values.task_ids as unknown[]) : [];
    return p.tasks.map((t) => {
      const where = t.inDepartment ? 'In this department. ' : t.departmentName ? `${t.departmentName}. ` : '';
      const mastery = t.masteredOn ? `Mastered on ${dayText(t.masteredOn)}.` : 'Not mastered yet in instruction sessions.';
      return { value: t.id, text: t.title, hint: { text: where + mastery }, checked: ticked.includes(t.id) };
    });
  };

  const renderProgress = (
    reply: FastifyReply,
    p: progress.RotationProgress,
    more: { isManager: boolean; values: Record<string, unknown>; errors?: Record<string, string>; flash?: string | undefined },
  ) => reply.render(PROGRESS, { ...progressContext(p), ...more, taskItems: taskItems(p, more.values) });

  app.get('/cohorts/:id/rotations/:rotationId/interns/:internId', async (request, reply) => {
    const cohortId = pagePathId(request, 'id', 'Cohort');
    const rotationId = pagePathId(request, 'rotationId', 'Rotation');
    const internId = pagePathId(request, 'internId', 'Intern');
    const v = viewer(request);
    const p = await progress.rotationProgress(db, deps, auditContext(request), v, cohortId, rotationId, internId);
    return renderProgress(reply, p, { isManager: v.role === 'manager', flash: flash(request), values: progressValues(p) });
  });

  app.post('/cohorts/:id/rotations/:rotationId/interns/:internId', async (request, reply) => {
    const cohortId = pagePathId(request, 'id', 'Cohort');
    const rotationId = pagePathId(request, 'rotationId', 'Rotation');
    const internId = pagePathId(request, 'internId', 'Intern');
    const v = viewer(request);
    try {
      await db.transaction().execute(async (trx) => {
        const input = parseRotationProgress(request.body, await progress.activeItemIds(trx));
        await progress.saveRotationProgress(trx, deps, auditContext(request), v, cohortId, rotationId, internId, input);
      });
    } catch (err) {
      if (!(err instanceof ValidationError) && !(err instanceof ConflictError)) throw err;
      const p = await progress.rotationProgress(db, deps, auditContext(request), v, cohortId, rotationId, internId);
      const values = typedProgress(request.body);
      if (err instanceof ConflictError)
        // Keep what they typed; a second save (with the version now current) goes through.
        return renderProgress(reply.status(409), p, {
          isManager: v.role === 'manager',
          values: { ...values, review_version: p.review ? String(p.review.version) : '' },
          errors: { went_well: `${err.message}. Your words are kept below: save again to replace the saved review with them` },
        });
      return renderProgress(reply.status(400), p, { isManager: v.role === 'manager', values, errors: err.fields });
    }
    return reply.redirect(`/cohorts/${cohortId}/rotations/${rotationId}/interns/${internId}?done=saved`);
  });

  // ---- The employability checklist ---------------------------------------------------------------

  const checklistPage = async (request: FastifyRequest) => {
    const items = await progress.checklist(db, viewer(request));
    return {
      title: 'Employability checklist',
      active: items.filter((i) => !i.retired),
      retired: items.filter((i) => i.retired),
      maxLength: ITEM_TEXT_MAX,
    };
  };

  app.get('/internships/checklist', async (request, reply) => {
    return reply.render(CHECKLIST, { ...(await checklistPage(request)), flash: flash(request), values: {} });
  });

  app.post('/internships/checklist', async (request, reply) => {
    try {
      const input = parseInput(ChecklistItemFormSchema, formOf(request.body));
      await db
        .transaction()
        .execute((trx) => progress.addChecklistItem(trx, deps, auditContext(request), viewer(request), input.text));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return reply
        .status(400)
        .render(CHECKLIST, { ...(await checklistPage(request)), values: typedValues(request.body), errors: err.fields });
    }
    return reply.redirect('/internships/checklist?done=added');
  });

  const editContext = (item: progress.ChecklistItem) => ({
    title: 'Change a checklist item',
    backHref: '/internships/checklist',
    action: `/internships/checklist/${item.id}/edit`,
    item,
    maxLength: ITEM_TEXT_MAX,
  });

  app.get('/internships/checklist/:itemId/edit', async (request, reply) => {
    const item = await progress.getChecklistItem(db, viewer(request), pagePathId(request, 'itemId', 'Checklist item'));
    if (item.retired) throw new NotFoundError('Checklist item not found');
    return reply.render(CHECKLIST_EDIT, { ...editContext(item), values: { text: item.text, version: String(item.version) } });
  });

  app.post('/internships/checklist/:itemId/edit', async (request, reply) => {
    const id = pagePathId(request, 'itemId', 'Checklist item');
    const v = viewer(request);
    try {
      const input = parseInput(ChecklistItemFormSchema, formOf(request.body));
      await db
        .transaction()
        .execute((trx) => progress.changeChecklistItem(trx, deps, auditContext(request), v, id, input.version, input.text));
    } catch (err) {
      if (!(err instanceof ValidationError) && !(err instanceof ConflictError)) throw err;
      const item = await progress.getChecklistItem(db, v, id);
      const values = typedValues(request.body);
      if (err instanceof ConflictError)
        return reply.status(409).render(CHECKLIST_EDIT, {
          ...editContext(item),
          values: { ...values, version: String(item.version) },
          errors: { text: `${err.message}. It now reads “${item.text}”. Save again to replace it with your words` },
        });
      return reply.status(400).render(CHECKLIST_EDIT, { ...editContext(item), values, errors: err.fields });
    }
    return reply.redirect('/internships/checklist?done=changed');
  });

  app.post('/internships/checklist/:itemId/move', async (request, reply) => {
    const id = pagePathId(request, 'itemId', 'Checklist item');
    const v = viewer(request);
    try {
      const input = parseInput(ChecklistMoveSchema, formOf(request.body));
      await db
        .transaction()
        .execute((trx) => progress.moveChecklistItem(trx, deps, auditContext(request), v, id, input.direction));
    } catch (err) {
      if (!(err instanceof ValidationError) && !(err instanceof RuleError)) throw err;
      const fields = err instanceof ValidationError ? err.fields : { text: err.message };
      return reply.status(400).render(CHECKLIST, { ...(await checklistPage(request)), values: {}, errors: fields });
    }
    return reply.redirect('/internships/checklist?done=moved');
  });

  const retireContext = (item: progress.ChecklistItem) => ({
    title: 'Retire this checklist item?',
    backHref: '/internships/checklist',
    action: `/internships/checklist/${item.id}/retire`,
    item,
  });

  app.get('/internships/checklist/:itemId/retire', async (request, reply) => {
    const item = await progress.getChecklistItem(db, viewer(request), pagePathId(request, 'itemId', 'Checklist item'));
    if (item.retired) return reply.redirect('/internships/checklist');
    return reply.render(CHECKLIST_RETIRE, { ...retireContext(item), values: { version: String(item.version) } });
  });

  app.post('/internships/checklist/:itemId/retire', async (request, reply) => {
    const id = pagePathId(request, 'itemId', 'Checklist item');
    const v = viewer(request);
    try {
      const input = parseInput(ChecklistRetireSchema, formOf(request.body));
      await db
        .transaction()
        .execute((trx) => progress.retireChecklistItem(trx, deps, auditContext(request), v, id, input.version));
    } catch (err) {
      if (!(err instanceof ValidationError) && !(err instanceof ConflictError)) throw err;
      const item = await progress.getChecklistItem(db, v, id);
      return reply.status(err instanceof ConflictError ? 409 : 400).render(CHECKLIST_RETIRE, {
        ...retireContext(item),
        values: { version: String(item.version) },
        errors: {
          confirm: err instanceof ConflictError ? `${err.message}. Check its words, then retire it again` : 'Try again',
        },
      });
    }
    return reply.redirect('/internships/checklist?done=retired');
  });

  // ---- Attendance --------------------------------------------------------------------------------

  const dayOf = (request: FastifyRequest): string => {
    const q = AttendanceQuerySchema.safeParse(request.query ?? {});
    // A bad date in the address shows today's register rather than an error page.
    return (q.success ? q.data.date : undefined) ?? londonDate(deps.clock.now());
  };

  const registerContext = (r: progress.AttendanceRegister) => {
    const previous = progress.adjacentWeekday(r.day, -1);
    const next = progress.adjacentWeekday(r.day, 1);
    const lastDay = r.today < r.cohort.endDate ? r.today : r.cohort.endDate;
    const path = `/cohorts/${r.cohort.id}/attendance`;
    return {
      title: `Attendance register: ${r.cohort.name}`,
      backHref: `/cohorts/${r.cohort.id}`,
      cohort: r.cohort,
      day: r.day,
      dayText: weekdayText(r.day),
      isToday: r.day === r.today,
      closedBecause: r.closedBecause,
      action: linkWith(path, { date: r.day }),
      path,
      previous: previous >= r.cohort.startDate ? { href: linkWith(path, { date: previous }), text: weekdayText(previous) } : null,
      next: next <= lastDay ? { href: linkWith(path, { date: next }), text: weekdayText(next) } : null,
      rows: r.rows,
      reasonItems,
      summary: r.summary.map((s) => ({
        intern: s.intern,
        href: `/cohorts/${r.cohort.id}/interns/${s.intern.id}`,
        statusLabel: INTERN_STATUS_LABELS[s.intern.status],
        ...s.attendance,
        absencesText: s.attendance.absences.map((a) => `${a.label}: ${a.days}`).join(', '),
      })),
    };
  };

  /** The register's values: what was saved for the day. */
  const registerValues = (r: progress.AttendanceRegister): Record<string, unknown> =>
    Object.fromEntries(
      r.rows.flatMap((row) => [
        [`attendance_${row.intern.id}`, row.record ? (row.record.present ? 'present' : 'absent') : ''],
        [`reason_${row.intern.id}`, row.record?.reason ?? ''],
        [`note_${row.intern.id}`, row.record?.note ?? ''],
      ]),
    );

  app.get('/cohorts/:id/attendance', async (request, reply) => {
    const cohortId = pagePathId(request, 'id', 'Cohort');
    const r = await progress.attendanceRegister(db, deps, auditContext(request), viewer(request), cohortId, dayOf(request));
    return reply.render(ATTENDANCE, { ...registerContext(r), flash: flash(request), values: registerValues(r) });
  });

  app.post('/cohorts/:id/attendance', async (request, reply) => {
    const cohortId = pagePathId(request, 'id', 'Cohort');
    const v = viewer(request);
    const day = dayOf(request);
    try {
      await db.transaction().execute(async (trx) => {
        const entries = parseAttendance(request.body, await progress.registerInternIds(trx, v, cohortId));
        await progress.recordAttendance(trx, deps, auditContext(request), v, cohortId, day, entries);
      });
    } catch (err) {
      if (!(err instanceof ValidationError) && !(err instanceof ConflictError)) throw err;
      const r = await progress.attendanceRegister(db, deps, auditContext(request), v, cohortId, day);
      const errors = err instanceof ValidationError ? err.fields : { date: err.message };
      return reply
        .status(err instanceof ConflictError ? 409 : 400)
        .render(ATTENDANCE, { ...registerContext(r), values: typedValues(request.body), errors });
    }
    return reply.redirect(linkWith(`/cohorts/${cohortId}/attendance`, { date: day, done: 'recorded' }));
  });
}
