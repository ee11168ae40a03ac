import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pagePathId as pathId, typedValues } from '../http/route-helpers.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { decodeCursor, listBody, recordIdParam } from '../http/api.ts';
import { auditContext } from '../http/audit-context.ts';
import { parseInput } from '../http/validate.ts';
import { displayName } from '../profiles/service.ts';
import * as participants from '../participants/service.ts';
import { londonDate } from '../referrals/rules.ts';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  OWNERS,
  OWNER_LABELS,
  RAISED_BY,
  RAISED_BY_LABELS,
  STATUS_LABELS,
  handledByEmployer,
  shareInWords,
  suggestedOwner,
} from './rules.ts';
import {
  IssueCloseFormSchema,
  IssueCreateFormSchema,
  IssueCreateSchema,
  IssueEditFormSchema,
  IssueJsonSchema,
  IssueListJsonSchema,
  IssueListQuerySchema,
  IssueUpdateSchema,
  ReportQuerySchema,
} from './schema.ts';
import * as issues from './service.ts';

const LIST = 'workplace-issues/views/list.njk';
const NEW = 'workplace-issues/views/new.njk';
const SHOW = 'workplace-issues/views/issue.njk';
const EDIT = 'workplace-issues/views/edit.njk';
const CLOSE = 'workplace-issues/views/close.njk';
const REPORT = 'workplace-issues/views/report.njk';

const DONE_MESSAGES: Record<string, string> = {
  raised: 'Workplace issue recorded',
  updated: 'Changes saved',
  closed: 'Issue closed',
};

const raisedByItems = RAISED_BY.map((r) => ({ value: r, text: RAISED_BY_LABELS[r] }));
const categoryItems = CATEGORIES.map((c) => {
  const s = suggestedOwner(c);
  return { value: c, text: CATEGORY_LABELS[c], hint: { text: `Usually ${OWNER_LABELS[s.owner].toLowerCase()}. ${s.reason}` } };
});
const ownerItems = OWNERS.map((o) => ({ value: o, text: OWNER_LABELS[o] }));

function viewer(request: FastifyRequest) {
  if (!request.actor) throw new NotFoundError('Job not found');
  return participants.viewerOf(request.actor);
}

/** What a form posted, to show again: never the CSRF token. */
/** An issue as the pages show it: every code in words. */
function issueView(i: issues.WorkplaceIssue) {
  const usual = suggestedOwner(i.category);
  return {
    ...i,
    categoryLabel: CATEGORY_LABELS[i.category],
    ownerLabel: OWNER_LABELS[i.owner],
    raisedByLabel: RAISED_BY_LABELS[i.raisedBy],
    statusLabel: STATUS_LABELS[i.status],
    ownerReason:
      usual.owner === i.owner ? usual.reason : `Chosen instead of the usual owner, ${OWNER_LABELS[usual.owner].toLowerCase()}`,
    handledByEmployer: handledByEmployer(i),
  };
}

/** The caption and back link every issue page shares. */
function heading(context: issues.PlacementContext) {
  return {
    participant: context.participant,
    name: displayName(context.participant),
    job: context.placement,
    canEdit: context.participant.canEdit,
  };
}

function flashOf(request: FastifyRequest): string | undefined {
  const done = (request.query as Record<string, unknown>).done;
  return typeof done === 'string' ? DONE_MESSAGES[done] : undefined;
}

/** The workplace issue pages, the team report, and the `placements/{id}/issues` API. */
export async function workplaceIssueRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;
  const base = (placementId: string) => `/placements/${placementId}/issues`;

  // ---- A job's issues --------------------------------------------------------------------------

  app.get('/placements/:id/issues', async (request, reply) => {
    const id = pathId(request, 'id', 'Job');
    const found = await issues.listIssues(db, deps, auditContext(request), viewer(request), id);
    const views = found.issues.map(issueView);
    return reply.render(LIST, {
      title: 'Workplace issues',
      backHref: `/placements/${id}`,
      ...heading(found),
      open: views.filter((i) => i.status === 'open'),
      closed: views.filter((i) => i.status === 'closed'),
      flash: flashOf(request),
    });
  });

  // ---- Raise an issue --------------------------------------------------------------------------

  const newContext = async (request: FastifyRequest, id: string) => {
    const context = await issues.loadPlacement(db, deps, viewer(request), id);
    await participants.loadEditable(db, viewer(request), context.participant.id);
    return { title: 'Record a workplace issue', backHref: base(id), ...heading(context), raisedByItems, categoryItems };
  };
  /** The owner choices, the usual owner first in words when a category is known. */
  const ownerChoices = (category: unknown) => {
    const known = CATEGORIES.find((c) => c === category);
    const usual = known ? suggestedOwner(known) : null;
    return [
      {
        value: 'suggested',
        text: usual ? `The usual owner: ${OWNER_LABELS[usual.owner].toLowerCase()}` : 'The usual owner for the category',
        hint: { text: usual ? usual.reason : 'The employer for attendance, performance and conduct; otherwise the job coach' },
      },
      ...ownerItems,
    ];
  };

  app.get('/placements/:id/issues/new', async (request, reply) => {
    const id = pathId(request, 'id', 'Job');
    return reply.render(NEW, {
      ...(await newContext(request, id)),
      ownerItems: ownerChoices(undefined),
      values: { raised_on: londonDate(deps.clock.now()), owner: 'suggested' },
    });
  });

  app.post('/placements/:id/issues/new', async (request, reply) => {
    const id = pathId(request, 'id', 'Job');
    const v = viewer(request);
    try {
      const input = parseInput(IssueCreateFormSchema, request.body);
      await db.transaction().execute((trx) =>
        issues.raiseIssue(trx, deps, auditContext(request), v, id, {
          raisedBy: input.raised_by,
          raisedOn: input.raised_on,
          category: input.category,
          owner: input.owner === 'suggested' ? undefined : input.owner,
          description: input.description,
          actions: input.actions,
        }),
      );
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const values = typedValues(request.body);
      return reply.status(400).render(NEW, {
        ...(await newContext(request, id)),
        ownerItems: ownerChoices(values.category),
        values,
        errors: err.fields,
      });
    }
    return reply.redirect(`${base(id)}?done=raised`);
  });

  // ---- One issue -------------------------------------------------------------------------------

  app.get('/placements/:id/issues/:issueId', async (request, reply) => {
    const id = pathId(request, 'id', 'Job');
    const issueId = pathId(request, 'issueId', 'Workplace issue');
    const found = await issues.viewIssue(db, deps, auditContext(request), viewer(request), id, issueId);
    const i = issueView(found.issue);
    return reply.render(SHOW, {
      title: `Workplace issue: ${i.categoryLabel}`,
      backHref: base(id),
      ...heading(found),
      i,
      flash: flashOf(request),
    });
  });

  // ---- Update or close an issue ----------------------------------------------------------------

  /** The issue, for someone who may change it; the form that shows it writes the read to the audit trail. */
  const changeable = async (request: FastifyRequest, id: string, issueId: string, audited: boolean) => {
    const v = viewer(request);
    const found = audited
      ? await issues.viewIssue(db, deps, auditContext(request), v, id, issueId)
      : await issues.getIssue(db, deps, v, id, issueId);
    await participants.loadEditable(db, v, found.participant.id);
    return found;
  };

  /** What the update and close forms show besides their values. */
  const formContext = (found: issues.PlacementContext & { issue: issues.WorkplaceIssue }, title: string) => ({
    title,
    backHref: `${base(found.placement.id)}/${found.issue.id}`,
    ...heading(found),
    i: issueView(found.issue),
    ownerItems,
  });

  /** Opens the update or close form for an issue the viewer may change; the read is audited. */
  const showForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    template: string,
    title: string,
    valuesOf: (i: issues.WorkplaceIssue) => Record<string, string>,
  ) => {
    const id = pathId(request, 'id', 'Job');
    const issueId = pathId(request, 'issueId', 'Workplace issue');
    const found = await changeable(request, id, issueId, true);
    return reply.render(template, { ...formContext(found, title), values: valuesOf(found.issue) });
  };

  /** Renders a change form again: 400 with messages, or 409 with what is saved now and the typed values. */
  const showAgain = async (
    request: FastifyRequest,
    reply: FastifyReply,
    template: string,
    title: string,
    err: unknown,
    conflictField: string,
  ) => {
    const id = pathId(request, 'id', 'Job');
    const issueId = pathId(request, 'issueId', 'Workplace issue');
    const found = await changeable(request, id, issueId, false);
    const values = typedValues(request.body);
    const context = formContext(found, title);
    if (err instanceof ValidationError) return reply.status(400).render(template, { ...context, values, errors: err.fields });
    if (err instanceof ConflictError)
      return reply.status(409).render(template, {
        ...context,
        conflict: true,
        values: { ...values, version: String(found.issue.version) },
        errors: { [conflictField]: `${err.message}. Check your changes against the saved issue, then save again` },
      });
    throw err;
  };

  app.get('/placements/:id/issues/:issueId/edit', async (request, reply) =>
    showForm(request, reply, EDIT, 'Update this issue', (i) => ({
      owner: i.owner,
      description: i.description,
      actions: i.actions ?? '',
      outcome: i.outcome ?? '',
      version: String(i.version),
    })),
  );

  app.post('/placements/:id/issues/:issueId/edit', async (request, reply) => {
    const id = pathId(request, 'id', 'Job');
    const issueId = pathId(request, 'issueId', 'Workplace issue');
    try {
      const input = parseInput(IssueEditFormSchema, request.body);
      await db.transaction().execute((trx) =>
        issues.updateIssue(trx, deps, auditContext(request), viewer(request), id, issueId, input.version, {
          owner: input.owner,
          description: input.description,
          actions: input.actions,
          outcome: input.outcome,
        }),
      );
    } catch (err) {
      return showAgain(request, reply, EDIT, 'Update this issue', err, 'actions');
    }
    return reply.redirect(`${base(id)}/${issueId}?done=updated`);
  });

  app.get('/placements/:id/issues/:issueId/close', async (request, reply) =>
    showForm(request, reply, CLOSE, 'Close this issue', (i) => ({
      outcome: i.outcome ?? '',
      closed_on: londonDate(deps.clock.now()),
      version: String(i.version),
    })),
  );

  app.post('/placements/:id/issues/:issueId/close', async (request, reply) => {
    const id = pathId(request, 'id', 'Job');
    const issueId = pathId(request, 'issueId', 'Workplace issue');
    try {
      const input = parseInput(IssueCloseFormSchema, request.body);
      await db.transaction().execute((trx) =>
        issues.updateIssue(trx, deps, auditContext(request), viewer(request), id, issueId, input.version, {
          outcome: input.outcome,
          status: 'closed',
          closedOn: input.closed_on,
        }),
      );
    } catch (err) {
      return showAgain(request, reply, CLOSE, 'Close this issue', err, 'outcome');
    }
    return reply.redirect(`${base(id)}/${issueId}?done=closed`);
  });

  // ---- Team report -----------------------------------------------------------------------------

  app.get('/reports/workplace-issues', async (request, reply) => {
    const v = viewer(request);
    const query = request.query as Record<string, unknown>;
    const values = { from: typeof query.from === 'string' ? query.from : '', to: typeof query.to === 'string' ? query.to : '' };
    let report;
    try {
      const period = parseInput(ReportQuerySchema, query);
      report = await issues.teamReport(db, deps, v, period);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return reply.status(400).render(REPORT, { title: 'Workplace issues report', values, errors: err.fields });
    }
    return reply.render(REPORT, {
      title: 'Workplace issues report',
      values: { from: values.from || report.from, to: values.to || report.to },
      report,
      shareText: report.summary ? shareInWords(report.summary.share) : null,
    });
  });

  // ---- JSON API --------------------------------------------------------------------------------

  const listDoc = {
    summary:
      'A job’s workplace issues, open first then closed, newest raised first. Clinicians may read those of people they can see',
    tag: 'workplace-issues',
    query: IssueListQuerySchema,
    response: IssueListJsonSchema,
  };
  app.get('/api/v1/placements/:id/issues', { config: { api: listDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const query = parseInput(IssueListQuerySchema, request.query);
    // The cursor is the offset of the next page, opaque to callers.
    const key = decodeCursor(query.cursor);
    const offset = key === undefined ? 0 : Number(key);
    if (!Number.isInteger(offset) || offset < 0) throw new ValidationError({ cursor: 'Cursor is not valid' });
    const page = await issues.listIssues(db, deps, auditContext(request), viewer(request), id, { limit: query.limit, offset });
    return listBody(page.issues.map(issues.issueJson), page.hasMore ? String(offset + query.limit) : null);
  });

  const createDoc = {
    summary:
      'Record a workplace issue on a job, open. Without `owner` the usual owner for the category is used (employer for attendance, performance and conduct; otherwise the coach)',
    tag: 'workplace-issues',
    body: IssueCreateSchema,
    response: IssueJsonSchema,
    status: 201,
  };
  app.post('/api/v1/placements/:id/issues', { config: { api: createDoc } }, async (request, reply) => {
    const id = recordIdParam(request.params);
    const input = parseInput(IssueCreateSchema, request.body);
    const issue = await db.transaction().execute((trx) =>
      issues.raiseIssue(trx, deps, auditContext(request), viewer(request), id, {
        raisedBy: input.raised_by,
        raisedOn: input.raised_on,
        category: input.category,
        owner: input.owner,
        description: input.description,
        actions: input.actions,
      }),
    );
    return reply.status(201).send(issues.issueJson(issue));
  });

  const updateDoc = {
    summary:
      'Change a workplace issue: send the `version` you read (stale: 409). `status: closed` needs an outcome and sets `closed_on` (today unless sent); `status: open` reopens it',
    tag: 'workplace-issues',
    body: IssueUpdateSchema,
    response: IssueJsonSchema,
  };
  app.patch('/api/v1/placements/:id/issues/:issueId', { config: { api: updateDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const issueId = recordIdParam(request.params, 'issueId');
    const input = parseInput(IssueUpdateSchema, request.body);
    const updated = await db.transaction().execute((trx) =>
      issues.updateIssue(trx, deps, auditContext(request), viewer(request), id, issueId, input.version, {
        raisedBy: input.raised_by,
        raisedOn: input.raised_on,
        category: input.category,
        owner: input.owner,
        description: input.description,
        actions: input.actions,
        outcome: input.outcome,
        status: input.status,
        closedOn: input.closed_on,
      }),
    );
    return issues.issueJson(updated);
  });
}
