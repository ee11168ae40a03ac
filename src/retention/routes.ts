import type { FastifyInstance, FastifyRequest } from 'fastify';
import { auditContext } from '../http/audit-context.ts';
import { pagePathId, paginationOf, requestViewer } from '../http/route-helpers.ts';
import { parseInput } from '../http/validate.ts';
import { formatDate } from '../http/views.ts';
import { londonDate } from '../referrals/rules.ts';
import { addYears, RECORD_CLASSES, RECORD_CLASS_INFO, type RecordClass, recordHref } from './rules.ts';
import { RetentionPeriodsUpdateSchema, RetentionReviewCreateSchema } from './schema.ts';
import * as retention from './service.ts';

const LIST = 'retention/views/list.njk';
const REVIEW = 'retention/views/review.njk';
const ADMIN = 'retention/views/admin.njk';
const PAGE_SIZE = 25;

/** A page number from the query: a small whole number, anything else is the first page. */
function pageNumberOf(query: unknown): number {
  const raw = (query as Record<string, unknown> | undefined)?.page;
  return typeof raw === 'string' && /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : 1;
}

const recordClassParam = (request: FastifyRequest): string => {
  const v = (request.params as Record<string, unknown>).recordClass;
  return typeof v === 'string' ? v : '';
};
const recordIdParam = (request: FastifyRequest) => pagePathId(request, 'recordId', 'Record');
const reviewHref = (r: retention.DueRecord) => `/retention/${r.recordClass}/${r.recordId}`;

/** A record past its period in words, for the list and the review page. */
function describe(r: retention.DueRecord) {
  const info = RECORD_CLASS_INFO[r.recordClass];
  return {
    ...r,
    classText: info.singular,
    fromText: `${formatDate(r.countedFrom)} (${info.countedFrom})`,
    periodText: `${r.years} ${r.years === 1 ? 'year' : 'years'}`,
    endedText: formatDate(r.periodEnded),
    href: recordHref(r.recordClass, r.participantId, r.recordId),
    reviewHref: reviewHref(r),
    erasureHref: `/participants/${r.participantId}/erasure-requests`,
  };
}

/** Retention review: the team's list for its managers, the review form, and the administrator's periods. */
export async function retentionRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;
  const today = () => londonDate(deps.clock.now());

  app.get('/retention', async (request, reply) => {
    const page = pageNumberOf(request.query);
    const { items, total } = await retention.reviewList(db, deps, auditContext(request), requestViewer(request), {
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    const done = (request.query as Record<string, unknown>).done;
    return reply.render(LIST, {
      title: 'Records past their retention period',
      flash:
        done === 'kept' ? 'Review saved. The record stays as it is and leaves this list until its next review date' : undefined,
      items: items.map(describe),
      total,
      pages: paginationOf(page, total, PAGE_SIZE, (n) => `/retention?page=${n}`),
    });
  });

  const reviewContext = async (request: FastifyRequest) => {
    const record = await retention.dueRecord(db, deps, requestViewer(request), recordClassParam(request), recordIdParam(request));
    return { title: 'Review a record past its retention period', backHref: '/retention', record: describe(record) };
  };

  app.get('/retention/:recordClass/:recordId', async (request, reply) => {
    const context = await reviewContext(request);
    return reply.render(REVIEW, {
      ...context,
      // A year from today, as the reviewer would type it.
      values: { next_review_on: addYears(today(), 1).split('-').reverse().join('/') },
    });
  });

  app.post(
    '/retention/:recordClass/:recordId',
    { config: { form: { template: REVIEW, context: reviewContext } } },
    async (request, reply) => {
      const recordClass = recordClassParam(request);
      const recordId = recordIdParam(request);
      const viewer = requestViewer(request);
      // A record that is not the reviewer's to review is a 404 before any form problem is shown.
      await retention.dueRecord(db, deps, viewer, recordClass, recordId);
      const input = parseInput(RetentionReviewCreateSchema, request.body);
      await db.transaction().execute((trx) =>
        retention.markReviewed(trx, deps, auditContext(request), viewer, recordClass, recordId, {
          reason: input.reason,
          nextReviewOn: input.next_review_on,
        }),
      );
      return reply.redirect('/retention?done=kept');
    },
  );

  const adminContext = async () => ({
    title: 'Record retention',
    classes: await retention.summary(db, deps),
  });

  app.get('/admin/retention', async (request, reply) => {
    const context = await adminContext();
    const saved = (request.query as Record<string, unknown>).done === 'saved';
    return reply.render(ADMIN, {
      ...context,
      flash: saved ? 'Retention periods saved' : undefined,
      values: Object.fromEntries(context.classes.map((c) => [c.recordClass, String(c.years)])),
    });
  });

  app.post('/admin/retention', { config: { form: { template: ADMIN, context: adminContext } } }, async (request, reply) => {
    const input = parseInput(RetentionPeriodsUpdateSchema, request.body);
    await db
      .transaction()
      .execute((trx) =>
        retention.updatePeriods(
          trx,
          deps,
          auditContext(request),
          Object.fromEntries(RECORD_CLASSES.map((c) => [c, input[c]])) as Record<RecordClass, number>,
        ),
      );
    return reply.redirect('/admin/retention?done=saved');
  });
}
