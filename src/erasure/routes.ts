import type { FastifyInstance, FastifyRequest } from 'fastify';
import { auditContext } from '../http/audit-context.ts';
import { pagePathId, requestViewer } from '../http/route-helpers.ts';
import { parseInput } from '../http/validate.ts';
import { formatDate, formatDateTime } from '../http/views.ts';
import { formatNhsNumber } from '../participants/rules.ts';
import { londonDate } from '../referrals/rules.ts';
import { REQUESTED_BY, STATUS_COLOURS, STATUS_LABELS } from './rules.ts';
import { ErasureCarryOutFormSchema, ErasureRefuseFormSchema, ErasureRequestFormSchema } from './schema.ts';
import * as erasure from './service.ts';

const LIST = 'erasure/views/list.njk';
const PERSON = 'erasure/views/person.njk';
const NEW = 'erasure/views/new.njk';
const SHOW = 'erasure/views/show.njk';
const REFUSE = 'erasure/views/refuse.njk';
const CARRY_OUT = 'erasure/views/carry-out.njk';

const personId = (request: FastifyRequest) => pagePathId(request, 'id', 'Participant');
const requestId = (request: FastifyRequest) => pagePathId(request, 'id', 'Erasure request');
const personBase = (id: string) => `/participants/${id}/erasure-requests`;
const requestHref = (id: string) => `/erasure-requests/${id}`;

const FLASH: Record<string, string> = {
  recorded: 'Erasure request recorded',
  refused: 'Request refused. The record has not been changed.',
  erased: 'The person’s record has been erased',
};

/** A request as the pages show it: dates in words, status as a tag. */
function requestView(r: erasure.ErasureRequest) {
  return {
    ...r,
    href: requestHref(r.id),
    receivedText: formatDate(r.receivedOn),
    dueText: formatDate(r.dueOn),
    decidedText: r.decidedAt ? formatDateTime(r.decidedAt) : null,
    statusText: STATUS_LABELS[r.status],
    statusColour: r.overdue ? 'red' : STATUS_COLOURS[r.status],
    requestedByText: r.requestedBy === 'the person' ? 'The person' : 'Their representative',
  };
}

const flashOf = (request: FastifyRequest) => FLASH[String((request.query as Record<string, unknown>).done)] ?? null;

/** Erasure requests: recording one from the person's record, the team's list, refusing and carrying out. */
export async function erasureRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  app.get('/erasure-requests', async (request, reply) => {
    const requests = await erasure.teamRequests(db, deps, auditContext(request), requestViewer(request));
    const views = requests.map(requestView);
    return reply.render(LIST, {
      title: 'Erasure requests',
      open: views.filter((r) => r.status === 'open'),
      decided: views.filter((r) => r.status !== 'open'),
      overdue: views.filter((r) => r.overdue).length,
    });
  });

  app.get('/participants/:id/erasure-requests', async (request, reply) => {
    const id = personId(request);
    const { person, requests } = await erasure.personRequests(db, deps, auditContext(request), requestViewer(request), id);
    const name = `${person.givenName} ${person.familyName}`;
    return reply.render(PERSON, {
      title: `Erasure requests: ${name}`,
      name,
      backHref: `/participants/${id}`,
      newHref: `${personBase(id)}/new`,
      requests: requests.map(requestView),
      flash: flashOf(request),
    });
  });

  const newContext = async (request: FastifyRequest) => {
    const id = personId(request);
    const person = await erasure.loadPerson(db, requestViewer(request), id);
    return {
      title: 'Record an erasure request',
      name: `${person.givenName} ${person.familyName}`,
      participantId: id,
      backHref: personBase(id),
      action: `${personBase(id)}/new`,
      requestedByItems: REQUESTED_BY.map((v) => ({ value: v, text: v === 'the person' ? 'The person' : 'Their representative' })),
    };
  };

  app.get('/participants/:id/erasure-requests/new', async (request, reply) => {
    const context = await newContext(request);
    const [year, month, day] = londonDate(deps.clock.now()).split('-');
    return reply.render(NEW, {
      ...context,
      values: { 'received_on[day]': String(Number(day)), 'received_on[month]': String(Number(month)), 'received_on[year]': year },
    });
  });

  app.post(
    '/participants/:id/erasure-requests/new',
    { config: { form: { template: NEW, context: newContext } } },
    async (request, reply) => {
      const id = personId(request);
      const input = parseInput(ErasureRequestFormSchema, request.body);
      const created = await erasure.recordRequest(db, deps, auditContext(request), requestViewer(request), id, {
        receivedOn: input.received_on,
        requestedBy: input.requested_by,
      });
      return reply.redirect(`${requestHref(created.id)}?done=recorded`);
    },
  );

  app.get('/erasure-requests/:id', async (request, reply) => {
    const r = await erasure.viewRequest(db, deps, auditContext(request), requestViewer(request), requestId(request));
    return reply.render(SHOW, {
      title: `Erasure request: ${r.personLabel}`,
      backHref: r.personName === null ? '/erasure-requests' : personBase(r.participantId),
      request: requestView(r),
      flash: flashOf(request),
    });
  });

  const refuseContext = async (request: FastifyRequest) => {
    const r = await erasure.viewRequest(db, deps, auditContext(request), requestViewer(request), requestId(request));
    return {
      title: 'Refuse the erasure request',
      request: requestView(r),
      backHref: requestHref(r.id),
      action: `${requestHref(r.id)}/refuse`,
    };
  };

  app.get('/erasure-requests/:id/refuse', async (request, reply) => {
    const context = await refuseContext(request);
    if (context.request.status !== 'open') return reply.redirect(context.request.href);
    return reply.render(REFUSE, { ...context, values: {} });
  });

  app.post(
    '/erasure-requests/:id/refuse',
    { config: { form: { template: REFUSE, context: refuseContext } } },
    async (request, reply) => {
      const id = requestId(request);
      const input = parseInput(ErasureRefuseFormSchema, request.body);
      await erasure.refuseRequest(db, deps, auditContext(request), requestViewer(request), id, input.refusal_reason);
      return reply.redirect(`${requestHref(id)}?done=refused`);
    },
  );

  const carryOutContext = async (request: FastifyRequest) => {
    const plan = await erasure.erasurePlan(db, deps, auditContext(request), requestViewer(request), requestId(request));
    const r = requestView(plan.request);
    return {
      title: `Erase ${r.personLabel}’s record`,
      request: r,
      counts: plan.counts,
      total: plan.counts.reduce((n, c) => n + c.rows, 0),
      linkedRecords: plan.linkedRecords,
      nhsNumberText: plan.nhsNumber ? formatNhsNumber(plan.nhsNumber) : 'Not known',
      dateOfBirthText: plan.dateOfBirth ? formatDate(plan.dateOfBirth) : 'Not known',
      backHref: r.href,
      action: `${r.href}/carry-out`,
    };
  };

  app.get('/erasure-requests/:id/carry-out', async (request, reply) => {
    return reply.render(CARRY_OUT, { ...(await carryOutContext(request)), values: {} });
  });

  app.post(
    '/erasure-requests/:id/carry-out',
    { config: { form: { template: CARRY_OUT, context: carryOutContext } } },
    async (request, reply) => {
      const id = requestId(request);
      parseInput(ErasureCarryOutFormSchema, request.body);
      await erasure.carryOut(db, deps, auditContext(request), requestViewer(request), id);
      return reply.redirect(`${requestHref(id)}?done=erased`);
    },
  );
}
