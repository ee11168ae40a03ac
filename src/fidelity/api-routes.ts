import type { FastifyInstance } from 'fastify';
import { listBody, recordIdParam } from '../http/api.ts';
import { auditContext } from '../http/audit-context.ts';
import { cursorOffset, requestViewer } from '../http/route-helpers.ts';
import { parseInput } from '../http/validate.ts';
import {
  ReviewCreateSchema,
  ReviewJsonSchema,
  ReviewListJsonSchema,
  ReviewListQuerySchema,
  ReviewUpdateSchema,
} from './schema.ts';
import * as fidelity from './service.ts';

const TAG = 'fidelity-reviews';

/** The `fidelity-reviews` API: IPS-25 reviews with their scores, proposals and action plan. */
export async function fidelityApiRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  const listDoc = {
    summary:
      'Fidelity reviews, newest first: your own team’s (practitioners and managers) or every team’s (commissioners and administrators). `total` and `band` are null until all 25 items are scored',
    tag: TAG,
    query: ReviewListQuerySchema,
    response: ReviewListJsonSchema,
  };
  app.get('/api/v1/fidelity-reviews', { config: { api: listDoc } }, async (request) => {
    const query = parseInput(ReviewListQuerySchema, request.query);
    const offset = cursorOffset(query.cursor);
    const items = await fidelity.listReviews(db, requestViewer(request), query.limit + 1, offset);
    const more = items.length > query.limit;
    return listBody(items.slice(0, query.limit).map(fidelity.reviewSummaryJson), more ? String(offset + query.limit) : null);
  });

  const createDoc = {
    summary:
      'Start a fidelity review of your own team. Scores for the items the records can inform (1, 15, 17, 19, 20, 21, 23, 24) are proposed from the period’s records and returned under `proposed`; the reviewer’s `score` is separate and never set from data',
    tag: TAG,
    body: ReviewCreateSchema,
    response: ReviewJsonSchema,
    status: 201,
  };
  app.post('/api/v1/fidelity-reviews', { config: { api: createDoc } }, async (request, reply) => {
    const input = parseInput(ReviewCreateSchema, request.body);
    const review = await db.transaction().execute((trx) =>
      fidelity.createReview(trx, deps, auditContext(request), requestViewer(request), {
        reviewDate: input.review_date,
        periodFrom: input.period_from,
        periodTo: input.period_to,
        reviewers: input.reviewers,
        notes: input.notes,
        items: input.items,
      }),
    );
    return reply.status(201).header('location', `/api/v1/fidelity-reviews/${review.id}`).send(fidelity.reviewJson(review));
  });

  const readDoc = {
    summary:
      'One fidelity review: the 25 items with the reviewer’s scores and evidence, the proposed scores, the total, the band and the action plan',
    tag: TAG,
    response: ReviewJsonSchema,
  };
  app.get('/api/v1/fidelity-reviews/:id', { config: { api: readDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    return fidelity.reviewJson(await fidelity.getReview(db, requestViewer(request), id));
  });

  const updateDoc = {
    summary:
      'Change a review: send the `version` you read (a stale one is a 409 and nothing changes). `items` changes only the items sent; `refresh_proposals` works the proposed scores out again',
    tag: TAG,
    body: ReviewUpdateSchema,
    response: ReviewJsonSchema,
  };
  app.patch('/api/v1/fidelity-reviews/:id', { config: { api: updateDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const input = parseInput(ReviewUpdateSchema, request.body);
    const review = await db.transaction().execute((trx) =>
      fidelity.updateReview(trx, deps, auditContext(request), requestViewer(request), id, input.version, {
        reviewDate: input.review_date,
        periodFrom: input.period_from,
        periodTo: input.period_to,
        reviewers: input.reviewers,
        notes: input.notes,
        items: input.items,
        refreshProposals: input.refresh_proposals,
      }),
    );
    return fidelity.reviewJson(review);
  });
}
