import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isRecordId } from '../db/records.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { listBody, recordIdParam } from '../http/api.ts';
import { auditContext } from '../http/audit-context.ts';
import { cursorOffset, linkWith, pagePathId, paginationOf } from '../http/route-helpers.ts';
import { parseInput } from '../http/validate.ts';
import { formatDate } from '../http/views.ts';
import * as participants from '../participants/service.ts';
import { londonDate } from '../referrals/rules.ts';
import { independenceChart } from './chart.ts';
import {
  PROMPT_LEVELS,
  PROMPT_LEVEL_INFO,
  type MasteryVerdict,
  type StepDraft,
  type StepOperation,
  applyStepOperation,
  isPromptLevel,
} from './rules.ts';
import {
  SessionCreateSchema,
  SessionFormSchema,
  SessionJsonSchema,
  SessionListJsonSchema,
  SessionListQuerySchema,
  TaskAnalysisCopyFormSchema,
  TaskAnalysisCreateSchema,
  TaskAnalysisEditFormSchema,
  TaskAnalysisFormSchema,
  TaskAnalysisJsonSchema,
  TaskAnalysisListJsonSchema,
  TaskAnalysisListQuerySchema,
  TaskAnalysisSearchSchema,
  TaskAnalysisUpdateSchema,
  placeValue,
} from './schema.ts';
import * as tasks from './service.ts';

const LIST = 'task-analyses/views/list.njk';
const FORM = 'task-analyses/views/form.njk';
const SHOW = 'task-analyses/views/show.njk';
const EDIT = 'task-analyses/views/edit.njk';
const COPY = 'task-analyses/views/copy.njk';
const INSTRUCTION = 'task-analyses/views/instruction.njk';
const PROGRESS = 'task-analyses/views/progress.njk';
const SESSION = 'task-analyses/views/session.njk';

const PAGE_SIZE = 20;
/** Sessions shown in the step grid: the latest few, so it stays readable on a phone. */
const GRID_SESSIONS = 8;

const DONE: Record<string, string> = {
  created: 'Task analysis created',
  saved: 'Changes saved',
  copied: 'Copy created. Start a new baseline with the person on this copy',
  recorded: 'Session recorded',
};

function viewer(request: FastifyRequest) {
  if (!request.actor) throw new NotFoundError('Task analysis not found');
  return participants.viewerOf(request.actor);
}

const flashOf = (request: FastifyRequest): string | undefined => {
  const done = (request.query as Record<string, unknown>).done;
  return typeof done === 'string' ? DONE[done] : undefined;
};

const promptItems = PROMPT_LEVELS.map((l) => ({ value: l, text: PROMPT_LEVEL_INFO[l].label }));
const promptKey = PROMPT_LEVELS.map((l) => ({ level: l, ...PROMPT_LEVEL_INFO[l] }));

/** The mastery verdict in words. */
function verdictText(v: MasteryVerdict): string {
  if (v.mastered && v.masteredOn) return `Mastered on ${formatDate(v.masteredOn)}: consider fading support`;
  const noun = v.needed === 1 ? 'session' : 'sessions';
  return `Not mastered yet: ${v.run} of ${v.needed} ${noun} in a row with every step done independently`;
}

/** The place select's items: anywhere, then each employer and its departments. */
function placeItems(options: tasks.DepartmentOption[], anyText = 'Not tied to an employer') {
  return [
    { value: '', text: anyText },
    ...options.map((o) => ({
      value: placeValue(o.employerId, o.departmentId),
      text: o.departmentName ? `${o.employerName}: ${o.departmentName}` : `${o.employerName} (any department)`,
    })),
  ];
}

const placeText = (a: { employerName: string | null; departmentName: string | null }): string =>
  a.employerName ? (a.departmentName ? `${a.employerName}: ${a.departmentName}` : a.employerName) : 'Not tied to an employer';

/** Each step with its label on the edit form: current steps numbered in order, retired ones marked. */
function stepLabels(steps: readonly tasks.TaskStep[]) {
  let n = 0;
  return steps.map((s) => ({ ...s, label: s.retired ? 'Retired step' : `Step ${(n += 1)}` }));
}

/** The steps of the edit form, in order, with what was typed in place of the saved text. */
function draftsFrom(steps: readonly tasks.TaskStep[], body: Record<string, unknown>): StepDraft[] {
  return steps.map((s) => {
    const typed = body[`step_${s.id}`];
    return { id: s.id, text: typeof typed === 'string' ? typed : s.text, retired: s.retired };
  });
}

/** The levels picked on the session grid, by step id. */
function levelsFrom(body: Record<string, unknown>, steps: readonly tasks.TaskStep[]) {
  return steps.flatMap((s) => {
    const level = body[`step_${s.id}`];
    return isPromptLevel(level) ? [{ stepId: s.id, promptLevel: level }] : [];
  });
}

/** Task analyses, instruction sessions and the fading chart; pages and the `task-analyses` API. */
export async function taskAnalysisRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  // ---- The list --------------------------------------------------------------------------------

  app.get('/task-analyses', async (request, reply) => {
    const v = viewer(request);
    const query = TaskAnalysisSearchSchema.parse(request.query);
    const page = query.page ?? 1;
    const sort = query.sort ?? 'title';
    const filter = {
      q: query.q || undefined,
      employerId: query.place.employerId ?? undefined,
      departmentId: query.place.departmentId ?? undefined,
    };
    const [items, total, options] = await Promise.all([
      tasks.searchTaskAnalyses(db, v, { ...filter, sort }, PAGE_SIZE, (page - 1) * PAGE_SIZE),
      tasks.countTaskAnalyses(db, v, filter),
      tasks.departmentOptions(db, v),
    ]);
    const place = placeValue(filter.employerId ?? null, filter.departmentId ?? null);
    const href = (p: number) =>
      linkWith('/task-analyses', {
        q: filter.q,
        place: place || undefined,
        sort: sort === 'title' ? undefined : sort,
        page: p === 1 ? undefined : p,
      });
    const first = (page - 1) * PAGE_SIZE + 1;
    const noun = total === 1 ? 'task analysis' : 'task analyses';
    return reply.render(LIST, {
      title: 'Task analyses',
      rows: items.map((a) => ({ ...a, placeText: placeText(a) })),
      showing:
        items.length === total ? `${total} ${noun}` : `Showing ${first} to ${first + items.length - 1} of ${total} ${noun}`,
      pages: paginationOf(page, total, PAGE_SIZE, href),
      filtered: Boolean(filter.q || filter.employerId),
      firstPageHref: page > 1 && items.length === 0 && total > 0 ? href(1) : null,
      values: { q: filter.q, place, sort },
      placeItems: placeItems(options, 'Any employer'),
      sortItems: [
        { value: 'title', text: 'Title' },
        { value: 'updated', text: 'Most recently changed' },
      ],
    });
  });

  // ---- Create ----------------------------------------------------------------------------------

  const formContext = async (request: FastifyRequest) => {
    const v = viewer(request);
    return {
      title: 'Create a task analysis',
      backHref: '/task-analyses',
      placeItems: placeItems(await tasks.departmentOptions(db, v)),
    };
  };

  /** From a job's instruction page (`?placement=`): start in its department and come back to record a session. */
  const placementFromQuery = async (request: FastifyRequest) => {
    const placementId = (request.query as Record<string, unknown>).placement;
    return isRecordId(placementId) ? tasks.loadPlacement(db, deps, viewer(request), placementId) : null;
  };

  app.get('/task-analyses/new', async (request, reply) => {
    const placement = await placementFromQuery(request);
    return reply.render(FORM, {
      ...(await formContext(request)),
      ...(placement ? { backHref: `/placements/${placement.id}/instruction` } : {}),
      action: placement ? `/task-analyses/new?placement=${placement.id}` : '/task-analyses/new',
      values: { place: placement ? placeValue(placement.employerId, placement.departmentId) : '' },
    });
  });

  app.post(
    '/task-analyses/new',
    {
      config: {
        form: { template: FORM, context: async (request) => ({ ...(await formContext(request)), action: request.url }) },
      },
    },
    async (request, reply) => {
      const v = viewer(request);
      const input = parseInput(TaskAnalysisFormSchema, request.body);
      const placement = await placementFromQuery(request);
      const created = await db.transaction().execute((trx) =>
        tasks.createTaskAnalysis(trx, deps, auditContext(request), v, {
          title: input.title,
          employerId: input.place.employerId,
          departmentId: input.place.departmentId,
          description: input.description,
          steps: input.steps,
        }),
      );
      if (placement?.canEdit) return reply.redirect(`/placements/${placement.id}/instruction/${created.id}/sessions/new`);
      return reply.redirect(`/task-analyses/${created.id}?done=created`);
    },
  );

  // ---- One task analysis -----------------------------------------------------------------------

  app.get('/task-analyses/:id', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Task analysis');
    const a = await tasks.getTaskAnalysis(db, viewer(request), id);
    const copiedFrom = a.copiedFromId ? await tasks.getTaskAnalysis(db, viewer(request), a.copiedFromId).catch(() => null) : null;
    return reply.render(SHOW, {
      title: a.title,
      backHref: '/task-analyses',
      a,
      placeText: placeText(a),
      current: a.steps.filter((s) => !s.retired),
      retired: a.steps.filter((s) => s.retired),
      copiedFrom,
      flash: flashOf(request),
    });
  });

  // ---- Edit the steps --------------------------------------------------------------------------

  const editContext = async (request: FastifyRequest, a: tasks.TaskAnalysis) => ({
    title: `Change ${a.title}`,
    backHref: `/task-analyses/${a.id}`,
    a,
    steps: stepLabels(a.steps),
    placeItems: placeItems(await tasks.departmentOptions(db, viewer(request))),
  });

  const editValues = (a: tasks.TaskAnalysis): Record<string, unknown> => ({
    title: a.title,
    place: placeValue(a.employerId, a.departmentId),
    description: a.description ?? '',
    version: String(a.version),
    ...Object.fromEntries(a.steps.map((s) => [`step_${s.id}`, s.text])),
  });

  app.get('/task-analyses/:id/edit', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Task analysis');
    const a = await tasks.getTaskAnalysis(db, viewer(request), id);
    return reply.render(EDIT, { ...(await editContext(request, a)), values: editValues(a), flash: flashOf(request) });
  });

  app.post('/task-analyses/:id/edit', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Task analysis');
    const v = viewer(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const typed = Object.fromEntries(Object.entries(body).filter(([k]) => k !== '_csrf'));
    try {
      const input = parseInput(TaskAnalysisEditFormSchema, body);
      const current = await tasks.getTaskAnalysis(db, v, id);
      const [kind, stepId] = input.action.split(':') as [string, string | undefined];
      if (kind === 'add' && !input.new_step) throw new ValidationError({ new_step: 'Enter the new step' });
      const op: StepOperation | null =
        kind === 'add'
          ? { kind: 'add', text: input.new_step ?? '' }
          : kind === 'up' || kind === 'down' || kind === 'retire' || kind === 'restore'
            ? { kind, stepId: stepId ?? '' }
            : null;
      const drafts = draftsFrom(current.steps, body);
      await db.transaction().execute((trx) =>
        tasks.updateTaskAnalysis(trx, deps, auditContext(request), v, id, input.version, {
          title: input.title,
          description: input.description,
          employerId: input.place.employerId,
          departmentId: input.place.departmentId,
          steps: op ? applyStepOperation(drafts, op) : drafts,
        }),
      );
      if (kind === 'save') return reply.redirect(`/task-analyses/${id}?done=saved`);
      return reply.redirect(`/task-analyses/${id}/edit?done=saved${stepId ? `#step_${stepId}` : '#new_step'}`);
    } catch (err) {
      const a = await tasks.getTaskAnalysis(db, v, id);
      if (err instanceof ValidationError) {
        // Step errors name steps by position (`steps.2.text`); show them on the step's own field.
        const errors = Object.fromEntries(
          Object.entries(err.fields).map(([k, msg]) => {
            const m = /^steps\.(\d+)\.text$/.exec(k);
            const step = m ? a.steps[Number(m[1])] : undefined;
            return [step ? `step_${step.id}` : k === 'steps' ? 'new_step' : k, msg];
          }),
        );
        return reply.status(400).render(EDIT, { ...(await editContext(request, a)), values: typed, errors });
      }
      if (err instanceof ConflictError) {
        return reply.status(409).render(EDIT, {
          ...(await editContext(request, a)),
          values: editValues(a),
          errors: { title: `${err.message}. The saved steps are shown below: make your change again` },
        });
      }
      throw err;
    }
  });

  // ---- Copy for a new department or manager ----------------------------------------------------

  const copyContext = async (request: FastifyRequest) => {
    const id = pagePathId(request, 'id', 'Task analysis');
    const v = viewer(request);
    const a = await tasks.getTaskAnalysis(db, v, id);
    return {
      title: `Copy ${a.title}`,
      backHref: `/task-analyses/${a.id}`,
      a,
      placeText: placeText(a),
      stepCount: a.steps.filter((s) => !s.retired).length,
      placeItems: placeItems(await tasks.departmentOptions(db, v)),
    };
  };

  app.get('/task-analyses/:id/copy', async (request, reply) => {
    const context = await copyContext(request);
    return reply.render(COPY, {
      ...context,
      values: { title: context.a.title, place: placeValue(context.a.employerId, context.a.departmentId) },
    });
  });

  app.post('/task-analyses/:id/copy', { config: { form: { template: COPY, context: copyContext } } }, async (request, reply) => {
    const id = pagePathId(request, 'id', 'Task analysis');
    const input = parseInput(TaskAnalysisCopyFormSchema, request.body);
    const copy = await db.transaction().execute((trx) =>
      tasks.copyTaskAnalysis(trx, deps, auditContext(request), viewer(request), id, {
        title: input.title,
        employerId: input.place.employerId,
        departmentId: input.place.departmentId,
      }),
    );
    return reply.redirect(`/task-analyses/${copy.id}?done=copied`);
  });

  // ---- Instruction for a person in a job -------------------------------------------------------

  app.get('/placements/:id/instruction', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Job');
    const v = viewer(request);
    const { placement, items } = await tasks.instructionOverview(db, deps, auditContext(request), v, id);
    const q = (request.query as Record<string, unknown>).q;
    const search = typeof q === 'string' && q.trim() ? q.trim().slice(0, 200) : undefined;
    const used = new Set(items.map((i) => i.analysis.id));
    const suggestions = (await tasks.suggestionsFor(db, v, placement, search, 20 + used.size)).filter((a) => !used.has(a.id));
    return reply.render(INSTRUCTION, {
      title: 'Task instruction',
      backHref: `/placements/${id}`,
      placement,
      items: items.map((i) => ({
        ...i,
        verdictText: verdictText(i.verdict),
        latestText: i.latest
          ? `${formatDate(i.latest.sessionDate)}: ${i.latest.summary.counts.independent} of ${i.latest.summary.total} steps independent (${i.latest.summary.percentIndependent}%)`
          : 'No sessions yet',
      })),
      suggestions: suggestions.slice(0, 20).map((a) => ({ ...a, placeText: placeText(a) })),
      values: { q: search },
    });
  });

  const progressPage = async (request: FastifyRequest) => {
    const id = pagePathId(request, 'id', 'Job');
    const taskId = pagePathId(request, 'taskId', 'Task analysis');
    const v = viewer(request);
    const placement = await tasks.loadPlacement(db, deps, v, id);
    const progress = await tasks.taskProgress(db, deps, auditContext(request), v, taskId, placement.participantId, id);
    return { placement, ...progress };
  };

  app.get('/placements/:id/instruction/:taskId', async (request, reply) => {
    const { placement, analysis, sessions, verdict } = await progressPage(request);
    const numbered = sessions.map((s, i) => ({ ...s, number: i + 1 }));
    const grid = numbered.slice(-GRID_SESSIONS);
    // Every step any shown session used, current ones in order, then retired ones.
    const gridSteps = analysis.steps.filter((s) => !s.retired || grid.some((g) => g.levels.has(s.id)));
    return reply.render(PROGRESS, {
      title: analysis.title,
      backHref: `/placements/${placement.id}/instruction`,
      placement,
      analysis,
      sessions: numbered,
      verdict,
      verdictText: verdictText(verdict),
      chart: sessions.length
        ? independenceChart(
            sessions.map((s) => ({ sessionDate: s.sessionDate, percentIndependent: s.summary.percentIndependent })),
            { id: 'independence-chart', taskTitle: analysis.title },
          )
        : null,
      grid,
      gridRows: gridSteps.map((s) => ({
        step: s,
        cells: grid.map((g) => {
          const level = g.levels.get(s.id);
          return level ? { short: PROMPT_LEVEL_INFO[level].short, label: PROMPT_LEVEL_INFO[level].label } : null;
        }),
      })),
      gridNote: sessions.length > GRID_SESSIONS ? `The latest ${GRID_SESSIONS} of ${sessions.length} sessions are shown.` : null,
      promptKey,
      flash: flashOf(request),
    });
  });

  // ---- Record a session ------------------------------------------------------------------------

  const sessionContext = async (request: FastifyRequest) => {
    const id = pagePathId(request, 'id', 'Job');
    const taskId = pagePathId(request, 'taskId', 'Task analysis');
    const v = viewer(request);
    const placement = await tasks.loadPlacement(db, deps, v, id);
    await participants.loadEditable(db, v, placement.participantId);
    const analysis = await tasks.getTaskAnalysis(db, v, taskId);
    return {
      title: `Record a session: ${analysis.title}`,
      backHref: `/placements/${id}/instruction`,
      action: `/placements/${id}/instruction/${taskId}/sessions/new`,
      placement,
      analysis,
      steps: analysis.steps.filter((s) => !s.retired),
      promptItems,
      promptKey,
    };
  };

  app.get('/placements/:id/instruction/:taskId/sessions/new', async (request, reply) => {
    const context = await sessionContext(request);
    // Start each step at last session's level: most steps change little from one session to the next.
    const { sessions } = await tasks.taskProgress(
      db,
      deps,
      auditContext(request),
      viewer(request),
      context.analysis.id,
      context.placement.participantId,
      context.placement.id,
    );
    const last = sessions[sessions.length - 1];
    return reply.render(SESSION, {
      ...context,
      lastDate: last?.sessionDate ?? null,
      values: {
        session_date: londonDate(deps.clock.now()),
        ...Object.fromEntries(context.steps.map((s) => [`step_${s.id}`, last?.levels.get(s.id) ?? ''])),
      },
    });
  });

  app.post(
    '/placements/:id/instruction/:taskId/sessions/new',
    { config: { form: { template: SESSION, context: sessionContext } } },
    async (request, reply) => {
      const context = await sessionContext(request);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const input = parseInput(SessionFormSchema, body);
      await db.transaction().execute((trx) =>
        tasks.recordSession(trx, deps, auditContext(request), viewer(request), context.analysis.id, {
          participantId: context.placement.participantId,
          placementId: context.placement.id,
          sessionDate: input.session_date,
          notes: input.notes,
          results: levelsFrom(body, context.steps),
        }),
      );
      return reply.redirect(`/placements/${context.placement.id}/instruction/${context.analysis.id}?done=recorded`);
    },
  );

  // ---- JSON API --------------------------------------------------------------------------------

  const listDoc = {
    summary: 'Task analyses, by title. Search the title with `q`; filter by `employer_id` or `department_id`',
    tag: 'task-analyses',
    query: TaskAnalysisListQuerySchema,
    response: TaskAnalysisListJsonSchema,
  };
  app.get('/api/v1/task-analyses', { config: { api: listDoc } }, async (request) => {
    const query = parseInput(TaskAnalysisListQuerySchema, request.query);
    const offset = cursorOffset(query.cursor);
    const items = await tasks.searchTaskAnalyses(
      db,
      viewer(request),
      { q: query.q, employerId: query.employer_id, departmentId: query.department_id },
      query.limit + 1,
      offset,
    );
    const more = items.length > query.limit;
    return listBody(items.slice(0, query.limit).map(tasks.taskAnalysisJson), more ? String(offset + query.limit) : null);
  });

  const createDoc = {
    summary: 'Create a task analysis: a work task broken into ordered steps',
    tag: 'task-analyses',
    body: TaskAnalysisCreateSchema,
    response: TaskAnalysisJsonSchema,
    status: 201,
  };
  app.post('/api/v1/task-analyses', { config: { api: createDoc } }, async (request, reply) => {
    const input = parseInput(TaskAnalysisCreateSchema, request.body);
    const created = await db.transaction().execute((trx) =>
      tasks.createTaskAnalysis(trx, deps, auditContext(request), viewer(request), {
        title: input.title,
        employerId: input.employer_id ?? null,
        departmentId: input.department_id ?? null,
        description: input.description,
        steps: input.steps,
      }),
    );
    return reply.status(201).header('location', `/api/v1/task-analyses/${created.id}`).send(tasks.taskAnalysisJson(created));
  });

  const readDoc = {
    summary: 'One task analysis with its steps in order',
    tag: 'task-analyses',
    response: TaskAnalysisJsonSchema,
  };
  app.get('/api/v1/task-analyses/:id', { config: { api: readDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    return tasks.taskAnalysisJson(await tasks.getTaskAnalysis(db, viewer(request), id));
  });

  const updateDoc = {
    summary:
      'Change a task analysis: send the `version` you read. `steps` replaces the list in its new order; a step sessions used is never deleted, only retired',
    tag: 'task-analyses',
    body: TaskAnalysisUpdateSchema,
    response: TaskAnalysisJsonSchema,
  };
  app.patch('/api/v1/task-analyses/:id', { config: { api: updateDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const input = parseInput(TaskAnalysisUpdateSchema, request.body);
    const updated = await db.transaction().execute((trx) =>
      tasks.updateTaskAnalysis(trx, deps, auditContext(request), viewer(request), id, input.version, {
        title: input.title,
        description: input.description,
        employerId: input.employer_id,
        departmentId: input.department_id,
        steps: input.steps,
      }),
    );
    return tasks.taskAnalysisJson(updated);
  });

  const sessionDoc = {
    summary:
      'Record an instruction session with a person: the prompt level at every current step. Answers with the session and its summary',
    tag: 'task-analyses',
    body: SessionCreateSchema,
    response: SessionJsonSchema,
    status: 201,
  };
  app.post('/api/v1/task-analyses/:id/sessions', { config: { api: sessionDoc } }, async (request, reply) => {
    const id = recordIdParam(request.params);
    const input = parseInput(SessionCreateSchema, request.body);
    const session = await db.transaction().execute((trx) =>
      tasks.recordSession(trx, deps, auditContext(request), viewer(request), id, {
        participantId: input.participant_id,
        placementId: input.placement_id ?? null,
        sessionDate: input.session_date,
        notes: input.notes,
        results: input.results.map((r) => ({ stepId: r.step_id, promptLevel: r.prompt_level })),
      }),
    );
    return reply.status(201).send(tasks.sessionJson(session));
  });

  const sessionsDoc = {
    summary: 'A person’s instruction sessions on this task, oldest first (the read is audited on the person)',
    tag: 'task-analyses',
    query: SessionListQuerySchema,
    response: SessionListJsonSchema,
  };
  app.get('/api/v1/task-analyses/:id/sessions', { config: { api: sessionsDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const query = parseInput(SessionListQuerySchema, request.query);
    const offset = cursorOffset(query.cursor);
    const all = await tasks.listSessions(db, deps, auditContext(request), viewer(request), id, query.participant_id);
    const page = all.slice(offset, offset + query.limit);
    return listBody(page.map(tasks.sessionJson), offset + query.limit < all.length ? String(offset + query.limit) : null);
  });
}
