import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pagePathId as pathId, typedValues } from '../http/route-helpers.ts';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import * as employers from '../employers/service.ts';
import { EMPLOYER_TYPE_SHORT_LABELS, type EmployerType } from '../employers/rules.ts';
import { decodeCursor, listBody, recordIdParam } from '../http/api.ts';
import { auditContext } from '../http/audit-context.ts';
import { parseInput } from '../http/validate.ts';
import { formatDay } from '../pay/minimum-wage.ts';
import { type ParticipantStatus, STATUS_LABELS, statusChangeProblem } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import { formatPence } from '../profiles/rules.ts';
import { displayName } from '../profiles/service.ts';
import { londonDate } from '../referrals/rules.ts';
import { masteredTasks } from '../task-analyses/service.ts';
import {
  ABSENCE_KINDS,
  ABSENCE_KIND_LABELS,
  CONTRACT_TYPES,
  CONTRACT_TYPE_LABELS,
  END_REASONS,
  END_REASON_LABELS,
  type ContractType,
  REDEPLOYMENT_OUTCOME_LABELS,
  absenceText,
} from './rules.ts';
import {
  AbsenceEndFormSchema,
  AbsenceFormSchema,
  PlacementCreateSchema,
  PlacementEditFormSchema,
  PlacementEndFormSchema,
  PlacementFormSchema,
  PlacementJsonSchema,
  PlacementListJsonSchema,
  PlacementListQuerySchema,
  PlacementUpdateSchema,
  RedeploymentCloseFormSchema,
} from './schema.ts';
import * as placements from './service.ts';

const LIST = 'placements/views/list.njk';
const FORM = 'placements/views/form.njk';
const SHOW = 'placements/views/placement.njk';
const END = 'placements/views/end.njk';
const ABSENCE = 'placements/views/absence.njk';
const ABSENCE_END = 'placements/views/absence-end.njk';
const REDEPLOYMENT = 'placements/views/redeployment.njk';
const REDEPLOYMENT_CLOSE = 'placements/views/redeployment-close.njk';
const REPORT = 'placements/views/report.njk';

const contractItems = [
  { value: '', text: 'Not recorded' },
  ...CONTRACT_TYPES.map((c) => ({ value: c, text: CONTRACT_TYPE_LABELS[c] })),
];
const endReasonItems = END_REASONS.map((r) => ({ value: r, text: END_REASON_LABELS[r] }));
const absenceKindItems = ABSENCE_KINDS.map((k) => ({ value: k, text: ABSENCE_KIND_LABELS[k] }));

function viewer(request: FastifyRequest) {
  if (!request.actor) throw new NotFoundError('Participant not found');
  return participants.viewerOf(request.actor);
}

/** What a form posted, to show again: never the CSRF token. */
/** A placement as the pages show it. */
function placementView(p: placements.PlacementDetail) {
  return {
    ...p,
    hoursText: p.hoursPerWeek === null ? null : `${p.hoursPerWeek} hours a week`,
    payText: p.hourlyPayPence === null ? null : `${formatPence(p.hourlyPayPence)} an hour`,
    contractLabel: p.contractType ? (CONTRACT_TYPE_LABELS[p.contractType as ContractType] ?? p.contractType) : null,
    employerTypeLabel: EMPLOYER_TYPE_SHORT_LABELS[p.employerType as EmployerType] ?? p.employerType,
    startText: formatDay(p.startDate),
    endText: p.endDate ? formatDay(p.endDate) : null,
    endReasonLabel: p.endReason ? END_REASON_LABELS[p.endReason] : null,
    milestoneRows: p.milestones.map((m) => ({
      weeks: m.weeks,
      dateText: formatDay(m.date),
      state: m.reached ? 'Reached' : p.endDate !== null && p.endDate < m.date ? 'Not reached: the job ended first' : 'Not yet',
    })),
    nextMilestoneText: p.nextMilestone ? p.nextMilestone.text : null,
  };
}

function absenceView(a: placements.Absence) {
  return {
    ...a,
    kindLabel: ABSENCE_KIND_LABELS[a.kind],
    fromText: formatDay(a.fromDate),
    toText: a.toDate ? formatDay(a.toDate) : null,
    sinceText: absenceText(a),
  };
}

/** The form's values for a saved placement. */
function formValuesOf(p: placements.PlacementDetail): Record<string, unknown> {
  return {
    employer: p.employerName,
    title: p.title,
    department_id: p.departmentId ?? '',
    site_id: p.siteId ?? '',
    start_date: p.startDate,
    hours_per_week: p.hoursPerWeek === null ? '' : String(p.hoursPerWeek),
    hourly_pay: p.hourlyPayPence === null ? '' : (p.hourlyPayPence / 100).toFixed(2),
    contract_type: p.contractType ?? '',
    line_manager: p.lineManager ?? '',
    open_to_anyone: p.openToAnyone ? 'yes' : 'no',
    set_aside_for_disabled: p.setAsideForDisabled ? 'yes' : 'no',
    version: String(p.version),
  };
}

/**
 * The success banner for `?done=`: a fixed set of messages, never text from the address. The
 * status part is read from the person's record now, so it says where they are and why.
 */
function flashFor(done: unknown, status: ParticipantStatus): string | undefined {
  const statusText = (wanted: ParticipantStatus) => {
    if (status === wanted) return `Their status is now ${STATUS_LABELS[wanted].toLowerCase()}`;
    const problem = statusChangeProblem(status, wanted);
    return problem ? `Their status did not change: ${problem}` : `Their status is ${STATUS_LABELS[status].toLowerCase()}`;
  };
  switch (done) {
    case 'started':
      return `Job started. ${statusText('employed')}`;
    case 'saved':
      return 'Changes saved';
    case 'ended':
      return 'Job ended';
    case 'redundancy':
      return `Job ended by redundancy. A redeployment is open and job search starts now. ${statusText('job_search')}`;
    case 'absence':
      return 'Absence recorded';
    case 'absence_ended':
      return 'Absence ended';
    case 'closed':
      return 'Redeployment closed: not yet in work';
    default:
      return undefined;
  }
}

/** Job pages (a person's jobs, start, change, end, absences, redeployment), the redeployment report and the `placements` API. */
export async function placementRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  // ---- A person's jobs -------------------------------------------------------------------------

  app.get('/participants/:id/placements', async (request, reply) => {
    const id = pathId(request, 'id', 'Participant');
    const v = viewer(request);
    const p = await participants.loadVisible(db, v, id);
    const jobs = await placements.listPlacements(db, deps, auditContext(request), v, id);
    const redeployments = await placements.redeploymentsOf(db, v, id);
    const q = request.query as Record<string, unknown>;
    return reply.render(LIST, {
      title: 'Jobs',
      backHref: `/participants/${id}`,
      participant: p,
      name: displayName(p),
      jobs: jobs.map((j) => ({
        placement: placementView(j.placement),
        currentAbsence: j.currentAbsence ? absenceView(j.currentAbsence) : null,
      })),
      openRedeployments: redeployments
        .filter((r) => r.outcome === null)
        .map((r) => ({ ...r, openedText: formatDay(r.openedOn) })),
      flash: flashFor(q.done, p.status),
    });
  });

  // ---- Start a job -----------------------------------------------------------------------------

  /** What the job form needs besides its values; the employer's departments and sites when it is known. */
  const formContext = async (
    request: FastifyRequest,
    participantId: string,
    employerName: unknown,
    placement?: placements.PlacementDetail,
  ) => {
    const v = viewer(request);
    const p = await participants.loadEditable(db, v, participantId);
    const employer =
      typeof employerName === 'string' && employerName.trim() ? await employers.findByName(db, employerName) : undefined;
    const parts = employer ? await employers.employerParts(db, v, employer.id) : null;
    const none = (text: string) => [{ value: '', text }];
    return {
      title: placement ? 'Change job details' : 'Start a job',
      backHref: placement ? `/placements/${placement.id}` : `/participants/${p.id}/placements`,
      action: placement ? `/placements/${placement.id}/edit` : `/participants/${p.id}/placements/new`,
      participant: p,
      name: displayName(p),
      placement,
      employerNames: await employers.employerNames(db, v),
      departmentItems:
        parts && parts.departments.length > 0
          ? [...none('Not in a department'), ...parts.departments.map((d) => ({ value: d.id, text: d.name }))]
          : null,
      siteItems:
        parts && parts.sites.length > 0
          ? [...none('Not at one site'), ...parts.sites.map((s) => ({ value: s.id, text: s.name }))]
          : null,
      contractItems,
    };
  };

  /** The employer a form names by its typed name, or the problem to show beside the field. */
  const employerOfForm = async (request: FastifyRequest): Promise<{ employerId: string | null; problem?: string }> => {
    const named = await employers.employerTypedInForm(db, (request.body as Record<string, unknown> | undefined)?.employer);
    return named.employer ? { employerId: named.employer.id } : { employerId: null, problem: named.problem };
  };

  /** Parses the form and its employer together, so every problem is shown at once. */
  const readForm = async <S extends typeof PlacementFormSchema | typeof PlacementEditFormSchema>(
    request: FastifyRequest,
    schema: S,
  ) => {
    const named = await employerOfForm(request);
    let input: ReturnType<S['parse']> | undefined;
    let fields: Record<string, string> = {};
    try {
      input = parseInput(schema, request.body) as ReturnType<S['parse']>;
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      fields = err.fields;
    }
    if (named.problem) fields = { employer: named.problem, ...fields };
    if (Object.keys(fields).length > 0 || !input || !named.employerId) throw new ValidationError(fields);
    return { input, employerId: named.employerId };
  };

  const startInput = (input: ReturnType<typeof PlacementFormSchema.parse>, employerId: string) => ({
    employerId,
    title: input.title,
    departmentId: input.department_id,
    siteId: input.site_id,
    startDate: input.start_date!,
    hoursPerWeek: input.hours_per_week,
    hourlyPayPence: input.hourly_pay,
    contractType: input.contract_type,
    lineManager: input.line_manager,
    openToAnyone: input.open_to_anyone,
    setAsideForDisabled: input.set_aside_for_disabled,
  });

  /** A ValidationError from the service names API fields; the form shows employer problems beside "Employer". */
  const formFields = (fields: Record<string, string>) => {
    const { employer_id: employerProblem, ...rest } = fields;
    return employerProblem ? { employer: employerProblem, ...rest } : rest;
  };

  app.get('/participants/:id/placements/new', async (request, reply) => {
    const id = pathId(request, 'id', 'Participant');
    return reply.render(FORM, {
      ...(await formContext(request, id, undefined)),
      values: { start_date: londonDate(deps.clock.now()), open_to_anyone: 'yes', set_aside_for_disabled: 'no' },
    });
  });

  app.post('/participants/:id/placements/new', async (request, reply) => {
    const id = pathId(request, 'id', 'Participant');
    const v = viewer(request);
    const values = typedValues(request.body);
    let result;
    try {
      const { input, employerId } = await readForm(request, PlacementFormSchema);
      result = await db
        .transaction()
        .execute((trx) => placements.startPlacement(trx, deps, auditContext(request), v, id, startInput(input, employerId)));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return reply
        .status(400)
        .render(FORM, { ...(await formContext(request, id, values.employer)), values, errors: formFields(err.fields) });
    }
    return reply.redirect(`/placements/${result.placement.id}?done=started`);
  });

  // ---- A job -----------------------------------------------------------------------------------

  app.get('/placements/:id', async (request, reply) => {
    const id = pathId(request, 'id', 'Job');
    const v = viewer(request);
    const { placement, participant } = await placements.viewPlacement(db, deps, auditContext(request), v, id);
    const { absences, current } = await placements.placementAbsences(db, deps, placement);
    const q = request.query as Record<string, unknown>;
    return reply.render(SHOW, {
      title: `${placement.title} at ${placement.employerName}`,
      backHref: `/participants/${participant.id}/placements`,
      participant,
      name: displayName(participant),
      job: placementView(placement),
      absences: absences.map(absenceView),
      currentAbsence: current ? absenceView(current) : null,
      canChange: participant.canEdit,
      flash: flashFor(q.done, participant.status),
    });
  });

  // ---- Change a job ----------------------------------------------------------------------------

  const changeable = async (request: FastifyRequest, id: string) => {
    const found = await placements.getPlacement(db, deps, viewer(request), id);
    if (!found.participant.canEdit) throw new RuleError('You can read this job but not change it');
    return found;
  };

  app.get('/placements/:id/edit', async (request, reply) => {
    const id = pathId(request, 'id', 'Job');
    const { placement, participant } = await placements.viewPlacement(db, deps, auditContext(request), viewer(request), id);
    if (!participant.canEdit) throw new RuleError('You can read this job but not change it');
    return reply.render(FORM, {
      ...(await formContext(request, participant.id, placement.employerName, placement)),
      values: formValuesOf(placement),
    });
  });

  app.post('/placements/:id/edit', async (request, reply) => {
    const id = pathId(request, 'id', 'Job');
    const v = viewer(request);
    const values = typedValues(request.body);
    const showAgain = async (status: number, errors: Record<string, string>, conflict?: placements.PlacementDetail) => {
      const { placement, participant } = await changeable(request, id);
      return reply.status(status).render(FORM, {
        ...(await formContext(request, participant.id, values.employer, placement)),
        conflict: conflict ? placementView(conflict) : undefined,
        values: conflict ? { ...values, version: String(conflict.version) } : values,
        errors,
      });
    };
    try {
      const { input, employerId } = await readForm(request, PlacementEditFormSchema);
      const start = startInput(input, employerId);
      await db
        .transaction()
        .execute((trx) => placements.updatePlacement(trx, deps, auditContext(request), v, id, input.version, start));
    } catch (err) {
      if (err instanceof ValidationError) return showAgain(400, formFields(err.fields));
      if (err instanceof ConflictError) {
        // Keep what they typed, show what is saved now, and let a second save go through.
        const { placement } = await changeable(request, id);
        return showAgain(409, { title: `${err.message}. Check your changes against the saved job, then save again` }, placement);
      }
      throw err;
    }
    return reply.redirect(`/placements/${id}?done=saved`);
  });

  // ---- End a job -------------------------------------------------------------------------------

  const endContext = async (request: FastifyRequest, id: string) => {
    const { placement, participant } = await changeable(request, id);
    if (placement.endDate !== null) throw new RuleError('This job has already ended');
    return {
      title: 'End this job',
      backHref: `/placements/${id}`,
      participant,
      name: displayName(participant),
      job: placementView(placement),
      endReasonItems,
    };
  };

  app.get('/placements/:id/end', async (request, reply) => {
    const id = pathId(request, 'id', 'Job');
    const context = await endContext(request, id);
    return reply.render(END, {
      ...context,
      values: { end_date: londonDate(deps.clock.now()), version: String(context.job.version) },
    });
  });

  app.post('/placements/:id/end', async (request, reply) => {
    const id = pathId(request, 'id', 'Job');
    const v = viewer(request);
    const values = typedValues(request.body);
    let result;
    try {
      const input = parseInput(PlacementEndFormSchema, request.body);
      result = await db.transaction().execute((trx) =>
        placements.updatePlacement(trx, deps, auditContext(request), v, id, input.version, {
          endDate: input.end_date,
          endReason: input.end_reason,
        }),
      );
    } catch (err) {
      if (err instanceof ValidationError)
        return reply.status(400).render(END, { ...(await endContext(request, id)), values, errors: err.fields });
      if (err instanceof ConflictError) {
        const context = await endContext(request, id);
        return reply.status(409).render(END, {
          ...context,
          values: { ...values, version: String(context.job.version) },
          errors: { end_date: `${err.message}. Check the job, then end it again` },
        });
      }
      throw err;
    }
    const target = result.redeploymentId
      ? `/participants/${result.placement.participantId}/redeployments/${result.redeploymentId}?done=redundancy`
      : `/placements/${id}?done=ended`;
    return reply.redirect(target);
  });

  // ---- Absences --------------------------------------------------------------------------------

  const absenceContext = async (request: FastifyRequest, id: string) => {
    const { placement, participant } = await changeable(request, id);
    return {
      title: 'Record an absence',
      backHref: `/placements/${id}`,
      participant,
      name: displayName(participant),
      job: placementView(placement),
      absenceKindItems,
    };
  };

  app.get('/placements/:id/absences/new', async (request, reply) => {
    const id = pathId(request, 'id', 'Job');
    return reply.render(ABSENCE, { ...(await absenceContext(request, id)), values: { from_date: londonDate(deps.clock.now()) } });
  });

  app.post('/placements/:id/absences/new', async (request, reply) => {
    const id = pathId(request, 'id', 'Job');
    const v = viewer(request);
    try {
      const input = parseInput(AbsenceFormSchema, request.body);
      await db.transaction().execute((trx) =>
        placements.recordAbsence(trx, deps, auditContext(request), v, id, {
          kind: input.kind,
          fromDate: input.from_date!,
          toDate: input.to_date,
          notes: input.notes,
        }),
      );
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return reply
        .status(400)
        .render(ABSENCE, { ...(await absenceContext(request, id)), values: typedValues(request.body), errors: err.fields });
    }
    return reply.redirect(`/placements/${id}?done=absence`);
  });

  const absenceEndContext = async (request: FastifyRequest, id: string, absenceId: string) => {
    const { placement, participant, absence } = await placements.getAbsence(db, deps, viewer(request), id, absenceId);
    if (absence.toDate !== null) throw new RuleError('This absence has already ended');
    return {
      title: 'End this absence',
      backHref: `/placements/${id}`,
      participant,
      name: displayName(participant),
      job: placementView(placement),
      absence: absenceView(absence),
    };
  };

  app.get('/placements/:id/absences/:absenceId/end', async (request, reply) => {
    const id = pathId(request, 'id', 'Job');
    const absenceId = pathId(request, 'absenceId', 'Absence');
    const context = await absenceEndContext(request, id, absenceId);
    return reply.render(ABSENCE_END, {
      ...context,
      values: { to_date: londonDate(deps.clock.now()), version: String(context.absence.version) },
    });
  });

  app.post('/placements/:id/absences/:absenceId/end', async (request, reply) => {
    const id = pathId(request, 'id', 'Job');
    const absenceId = pathId(request, 'absenceId', 'Absence');
    const v = viewer(request);
    try {
      const input = parseInput(AbsenceEndFormSchema, request.body);
      await db
        .transaction()
        .execute((trx) =>
          placements.endAbsence(trx, deps, auditContext(request), v, id, absenceId, input.version, input.to_date!),
        );
    } catch (err) {
      if (!(err instanceof ValidationError) && !(err instanceof ConflictError)) throw err;
      const fields =
        err instanceof ValidationError ? err.fields : { to_date: `${err.message}. Check the absence, then try again` };
      const context = await absenceEndContext(request, id, absenceId);
      const values = typedValues(request.body);
      return reply.status(err instanceof ConflictError ? 409 : 400).render(ABSENCE_END, {
        ...context,
        values: err instanceof ConflictError ? { ...values, version: String(context.absence.version) } : values,
        errors: fields,
      });
    }
    return reply.redirect(`/placements/${id}?done=absence_ended`);
  });

  // ---- Redeployment ----------------------------------------------------------------------------

  const redeploymentContext = async (request: FastifyRequest, participantId: string, rid: string) => {
    const v = viewer(request);
    const { participant, redeployment } = await placements.getRedeployment(db, v, participantId, rid);
    const jobs = await placements.listPlacements(db, deps, auditContext(request), v, participantId);
    const ended = jobs.find((j) => j.placement.id === redeployment.endedPlacementId);
    const newJob = jobs.find((j) => j.placement.id === redeployment.newPlacementId);
    return {
      title: 'Redeployment',
      backHref: `/participants/${participantId}/placements`,
      participant,
      name: displayName(participant),
      redeployment: {
        ...redeployment,
        openedText: formatDay(redeployment.openedOn),
        closedText: redeployment.closedOn ? formatDay(redeployment.closedOn) : null,
        outcomeLabel: redeployment.outcome ? REDEPLOYMENT_OUTCOME_LABELS[redeployment.outcome] : null,
      },
      endedJob: ended ? placementView(ended.placement) : null,
      newJob: newJob ? placementView(newJob.placement) : null,
      earlierJobs: jobs.filter((j) => j.placement.id !== redeployment.newPlacementId).map((j) => placementView(j.placement)),
      // What they learnt carries over: tasks mastered in earlier jobs, from instruction sessions.
      masteredTasks: (await masteredTasks(db, participantId)).map((t) => ({
        title: t.title,
        masteredText: formatDay(t.masteredOn),
      })),
      canChange: participant.canEdit,
    };
  };

  app.get('/participants/:id/redeployments/:rid', async (request, reply) => {
    const id = pathId(request, 'id', 'Participant');
    const rid = pathId(request, 'rid', 'Redeployment');
    const q = request.query as Record<string, unknown>;
    const context = await redeploymentContext(request, id, rid);
    return reply.render(REDEPLOYMENT, { ...context, flash: flashFor(q.done, context.participant.status) });
  });

  const closeContext = async (request: FastifyRequest, id: string, rid: string) => {
    const context = await redeploymentContext(request, id, rid);
    if (!context.canChange) throw new RuleError('You can read this record but not change it');
    if (context.redeployment.outcome !== null) throw new RuleError('This redeployment is already closed');
    return { ...context, title: 'Close this redeployment', backHref: `/participants/${id}/redeployments/${rid}` };
  };

  app.get('/participants/:id/redeployments/:rid/close', async (request, reply) => {
    const id = pathId(request, 'id', 'Participant');
    const rid = pathId(request, 'rid', 'Redeployment');
    const context = await closeContext(request, id, rid);
    return reply.render(REDEPLOYMENT_CLOSE, { ...context, values: { version: String(context.redeployment.version) } });
  });

  app.post('/participants/:id/redeployments/:rid/close', async (request, reply) => {
    const id = pathId(request, 'id', 'Participant');
    const rid = pathId(request, 'rid', 'Redeployment');
    const v = viewer(request);
    try {
      const input = parseInput(RedeploymentCloseFormSchema, request.body);
      await db
        .transaction()
        .execute((trx) => placements.closeRedeploymentNotYet(trx, deps, auditContext(request), v, id, rid, input.version));
    } catch (err) {
      if (!(err instanceof ValidationError) && !(err instanceof ConflictError)) throw err;
      const context = await closeContext(request, id, rid);
      return reply.status(err instanceof ConflictError ? 409 : 400).render(REDEPLOYMENT_CLOSE, {
        ...context,
        values: { version: String(context.redeployment.version) },
        errors: { version: `${err.message}. Check the redeployment, then close it again` },
      });
    }
    return reply.redirect(`/participants/${id}/redeployments/${rid}?done=closed`);
  });

  // ---- Report ----------------------------------------------------------------------------------

  app.get('/reports/redeployment', async (request, reply: FastifyReply) => {
    const v = viewer(request);
    const figures = await placements.redeploymentReport(db, v);
    const groups = [
      { key: 'host', label: 'Host organisation' },
      { key: 'supplier', label: 'Supplier to the host' },
      { key: 'other', label: 'Other employers' },
    ] as const;
    return reply.render(REPORT, {
      title: 'Redundancy and redeployment',
      backHref: '/',
      hasTeam: v.teamId !== null,
      rows: groups.map((g) => ({ ...g, ...figures[g.key] })),
      total: groups.reduce((n, g) => n + figures[g.key].redundancies, 0),
    });
  });

  // ---- JSON API --------------------------------------------------------------------------------

  const listDoc = {
    summary:
      'Jobs held by people you may see, latest start first. `competitive` and `milestones` are derived. Clinicians see the jobs of people their clinical team referred',
    tag: 'placements',
    query: PlacementListQuerySchema,
    response: PlacementListJsonSchema,
  };
  app.get('/api/v1/placements', { config: { api: listDoc } }, async (request) => {
    const query = parseInput(PlacementListQuerySchema, request.query);
    // The cursor is the offset of the next page, opaque to callers.
    const key = decodeCursor(query.cursor);
    const offset = key === undefined ? 0 : Number(key);
    if (!Number.isInteger(offset) || offset < 0) throw new ValidationError({ cursor: 'Cursor is not valid' });
    const page = await placements.pagePlacements(db, deps, auditContext(request), viewer(request), {
      participantId: query.participant_id,
      limit: query.limit,
      offset,
    });
    return listBody(page.items.map(placements.placementJson), page.hasMore ? String(offset + query.limit) : null);
  });

  const createDoc = {
    summary:
      'Start a job for a person you may change. They move to `employed` when their status allows; an open redeployment closes with this job as its outcome',
    tag: 'placements',
    body: PlacementCreateSchema,
    response: PlacementJsonSchema,
    status: 201,
  };
  app.post('/api/v1/placements', { config: { api: createDoc } }, async (request, reply) => {
    const input = parseInput(PlacementCreateSchema, request.body);
    const v = viewer(request);
    const result = await db.transaction().execute((trx) =>
      placements.startPlacement(trx, deps, auditContext(request), v, input.participant_id, {
        employerId: input.employer_id,
        title: input.title,
        departmentId: input.department_id ?? null,
        siteId: input.site_id ?? null,
        startDate: input.start_date,
        hoursPerWeek: input.hours_per_week ?? null,
        hourlyPayPence: input.hourly_pay_pence ?? null,
        contractType: input.contract_type ?? null,
        lineManager: input.line_manager ?? null,
        openToAnyone: input.open_to_anyone,
        setAsideForDisabled: input.set_aside_for_disabled,
      }),
    );
    const { placement } = await placements.getPlacement(db, deps, v, result.placement.id);
    return reply.status(201).header('location', `/api/v1/placements/${placement.id}`).send(placements.placementJson(placement));
  });

  const readDoc = {
    summary: 'One job (the read is audited on the person; 404 for one you may not see)',
    tag: 'placements',
    response: PlacementJsonSchema,
  };
  app.get('/api/v1/placements/:id', { config: { api: readDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const { placement } = await placements.viewPlacement(db, deps, auditContext(request), viewer(request), id);
    return placements.placementJson(placement);
  });

  const updateDoc = {
    summary:
      'Change a job: send the `version` you read. End it with `end_date` and `end_reason` together: the person goes back to `job_search` when it was their last job, and `redundancy` opens a redeployment',
    tag: 'placements',
    body: PlacementUpdateSchema,
    response: PlacementJsonSchema,
  };
  app.patch('/api/v1/placements/:id', { config: { api: updateDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const input = parseInput(PlacementUpdateSchema, request.body);
    const changes: placements.PlacementChanges = {};
    if (input.employer_id !== undefined) changes.employerId = input.employer_id;
    if (input.title !== undefined) changes.title = input.title;
    if (input.start_date !== undefined) changes.startDate = input.start_date;
    if (input.department_id !== undefined) changes.departmentId = input.department_id;
    if (input.site_id !== undefined) changes.siteId = input.site_id;
    if (input.hours_per_week !== undefined) changes.hoursPerWeek = input.hours_per_week;
    if (input.hourly_pay_pence !== undefined) changes.hourlyPayPence = input.hourly_pay_pence;
    if (input.contract_type !== undefined) changes.contractType = input.contract_type;
    if (input.line_manager !== undefined) changes.lineManager = input.line_manager;
    if (input.open_to_anyone !== undefined) changes.openToAnyone = input.open_to_anyone;
    if (input.set_aside_for_disabled !== undefined) changes.setAsideForDisabled = input.set_aside_for_disabled;
    if (input.end_date !== undefined) changes.endDate = input.end_date;
    if (input.end_reason !== undefined) changes.endReason = input.end_reason;
    const result = await db
      .transaction()
      .execute((trx) =>
        placements.updatePlacement(trx, deps, auditContext(request), viewer(request), id, input.version, changes),
      );
    return placements.placementJson(result.placement);
  });
}
