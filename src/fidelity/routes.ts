import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ConflictError, NotFoundError } from '../errors.ts';
import { auditContext } from '../http/audit-context.ts';
import { linkWith, pagePathId, requestViewer } from '../http/route-helpers.ts';
import { parseInput } from '../http/validate.ts';
import { formatDate } from '../http/views.ts';
import { londonDate } from '../referrals/rules.ts';
import { lastCompleteQuarter } from '../reports/outcomes.ts';
import {
  BAND_LABELS,
  BAND_RANGES,
  BANDS,
  ITEMS,
  SCORES,
  SECTION_LABELS,
  SECTIONS,
  type Section,
  changeBetween,
  isSection,
  itemsOf,
} from './rules.ts';
import { ActionFormSchema, CompareQuerySchema, ReviewDetailsFormSchema, ReviewFormSchema, sectionFormSchema } from './schema.ts';
import * as fidelity from './service.ts';

const LIST = 'fidelity/views/list.njk';
const FORM = 'fidelity/views/form.njk';
const SHOW = 'fidelity/views/show.njk';
const SECTION = 'fidelity/views/section.njk';
const ACTION_FORM = 'fidelity/views/action-form.njk';
const ACTION_DELETE = 'fidelity/views/action-delete.njk';
const COMPARE = 'fidelity/views/compare.njk';

/** The list shows this many reviews, newest first: a team has one or two a year. */
const LIST_MAX = 500;

const DONE: Record<string, string> = {
  created: 'Review started. The scores proposed from your records are shown beside each item they inform',
  saved: 'Scores saved',
  details: 'Review details saved',
  refreshed: 'Proposed scores worked out again from the records. Your own scores are unchanged',
  action: 'Action added to the plan',
  action_done: 'Action marked as done',
  action_deleted: 'Action deleted',
};

const flashOf = (request: FastifyRequest): string | undefined => {
  const done = (request.query as Record<string, unknown>).done;
  return typeof done === 'string' ? DONE[done] : undefined;
};

const periodText = (r: { periodFrom: string; periodTo: string }) => `${formatDate(r.periodFrom)} to ${formatDate(r.periodTo)}`;
const bandText = (r: { band: keyof typeof BAND_LABELS | null; scoreText: string }) =>
  r.band ? `${r.scoreText}: ${BAND_LABELS[r.band]}` : `${r.scoreText}: no band until all 25 are scored`;

const itemChoices = [
  { value: '', text: 'The service as a whole (no single item)' },
  ...ITEMS.map((i) => ({ value: String(i.item), text: `${i.item}. ${i.name}` })),
];

function sectionParam(request: FastifyRequest): Section {
  const s = (request.params as Record<string, unknown>).section;
  if (!isSection(s)) throw new NotFoundError('Section not found');
  return s;
}

/** Form values from a saved review's details. */
const detailValues = (r: fidelity.Review) => ({
  review_date: r.reviewDate,
  period_from: r.periodFrom,
  period_to: r.periodTo,
  reviewers: r.reviewers ?? '',
  notes: r.notes ?? '',
  version: String(r.version),
});

/** IPS-25 fidelity reviews: the list, a review with its scores and action plan, and the comparison over time. */
export async function fidelityRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  // ---- The list --------------------------------------------------------------------------------

  app.get('/fidelity-reviews', async (request, reply) => {
    const v = requestViewer(request);
    const reviews = await fidelity.listReviews(db, v, LIST_MAX);
    // One group per team, teams in the order of their latest review.
    const teams = new Map<string, { teamId: string; teamName: string; rows: unknown[]; count: number }>();
    for (const r of reviews) {
      const group = teams.get(r.teamId) ?? { teamId: r.teamId, teamName: r.teamName ?? 'Team', rows: [], count: 0 };
      group.rows.push({
        id: r.id,
        dateText: formatDate(r.reviewDate),
        periodText: periodText(r),
        totalText: r.total === null ? r.scoreText : String(r.total),
        bandText: r.band ? BAND_LABELS[r.band] : 'Not yet: every item needs a score',
      });
      group.count += 1;
      teams.set(r.teamId, group);
    }
    return reply.render(LIST, {
      title: 'Fidelity reviews',
      columnWidth: 'full',
      groups: [...teams.values()].map((g) => ({
        ...g,
        compareHref: g.count > 1 ? linkWith('/fidelity-reviews/compare', { team: g.teamId }) : null,
      })),
      canCreate: fidelity.canCreate(v),
      inTeam: v.teamId !== null,
      role: v.role,
      bands: BANDS.map((b) => ({ label: BAND_LABELS[b], range: BAND_RANGES[b] })),
    });
  });

  // ---- Start a review --------------------------------------------------------------------------

  const newContext = () => ({ title: 'Start a fidelity review', backHref: '/fidelity-reviews', action: '/fidelity-reviews/new' });

  app.get('/fidelity-reviews/new', async (request, reply) => {
    const v = requestViewer(request);
    const today = londonDate(deps.clock.now());
    const quarter = lastCompleteQuarter(today);
    return reply.render(FORM, {
      ...newContext(),
      canCreate: fidelity.canCreate(v),
      values: { review_date: today, period_from: quarter.from, period_to: quarter.to },
    });
  });

  app.post(
    '/fidelity-reviews/new',
    { config: { form: { template: FORM, context: () => ({ ...newContext(), canCreate: true }) } } },
    async (request, reply) => {
      const input = parseInput(ReviewFormSchema, request.body);
      const review = await db.transaction().execute((trx) =>
        fidelity.createReview(trx, deps, auditContext(request), requestViewer(request), {
          reviewDate: input.review_date,
          periodFrom: input.period_from,
          periodTo: input.period_to,
          reviewers: input.reviewers,
          notes: input.notes,
        }),
      );
      return reply.redirect(`/fidelity-reviews/${review.id}?done=created`);
    },
  );

  // ---- Compare over time -----------------------------------------------------------------------

  app.get('/fidelity-reviews/compare', async (request, reply) => {
    const v = requestViewer(request);
    const query = CompareQuerySchema.parse(request.query);
    const { reviews, rows } = await fidelity.compare(db, v, query.ids, query.team);
    const changeText = (c: (typeof rows)[number]['change']) =>
      c === null
        ? 'Not scored in both'
        : c.direction === 'same'
          ? 'Same'
          : `${c.direction === 'up' ? 'Up' : 'Down'} ${Math.abs(c.delta)}`;
    const last = reviews[reviews.length - 1];
    const previous = reviews[reviews.length - 2];
    return reply.render(COMPARE, {
      title: 'Compare fidelity reviews',
      backHref: '/fidelity-reviews',
      columnWidth: 'full',
      reviews: reviews.map((r) => ({ ...r, dateText: formatDate(r.reviewDate) })),
      teamName: new Set(reviews.map((r) => r.teamId)).size === 1 ? (reviews[0]?.teamName ?? null) : null,
      sections: SECTIONS.map((s) => ({
        label: SECTION_LABELS[s],
        rows: rows
          .filter((r) => r.section === s)
          .map((r) => ({
            ...r,
            scoreTexts: r.scores.map((x) => (x === null ? '–' : String(x))),
            changeText: changeText(r.change),
            direction: r.change?.direction ?? null,
          })),
      })),
      totals: reviews.map((r) => (r.total === null ? r.scoreText : `${r.total} (${r.band ? BAND_LABELS[r.band] : ''})`)),
      totalChange: changeText(changeBetween(previous?.total ?? null, last?.total ?? null)),
      wholeService: v.role === 'commissioner' || v.role === 'admin',
    });
  });

  // ---- One review ------------------------------------------------------------------------------

  app.get('/fidelity-reviews/:id', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Fidelity review');
    const v = requestViewer(request);
    const r = await fidelity.getReview(db, v, id);
    const editable = fidelity.canEdit(v, r.teamId);
    return reply.render(SHOW, {
      title: `Fidelity review, ${formatDate(r.reviewDate)}`,
      backHref: '/fidelity-reviews',
      r,
      editable,
      periodText: periodText(r),
      bandText: bandText(r),
      bandLabel: r.band ? BAND_LABELS[r.band] : null,
      sections: SECTIONS.map((s) => ({
        key: s,
        label: SECTION_LABELS[s],
        items: r.items
          .filter((i) => i.section === s)
          .map((i) => ({
            ...i,
            info: ITEMS[i.item - 1]!,
            anchors: SCORES.map((n) => ({ score: n, text: ITEMS[i.item - 1]!.anchors[n] })),
          })),
      })),
      actions: r.actions.map((a) => ({
        ...a,
        itemText: a.item === null ? 'Whole service' : `${a.item}. ${ITEMS[a.item - 1]?.name ?? ''}`,
        dueText: a.dueDate ? formatDate(a.dueDate) : 'No date set',
        doneText: a.doneOn ? `Done on ${formatDate(a.doneOn)}` : 'Not done yet',
      })),
      flash: flashOf(request),
    });
  });

  // ---- Change the details ----------------------------------------------------------------------

  const detailsContext = async (request: FastifyRequest) => {
    const id = pagePathId(request, 'id', 'Fidelity review');
    const v = requestViewer(request);
    const r = await fidelity.getReview(db, v, id);
    if (!fidelity.canEdit(v, r.teamId)) throw new NotFoundError('Fidelity review not found');
    return {
      title: 'Change the review details',
      backHref: `/fidelity-reviews/${r.id}`,
      action: `/fidelity-reviews/${r.id}/edit`,
      canCreate: true,
      editing: true,
      r,
    };
  };

  app.get('/fidelity-reviews/:id/edit', async (request, reply) => {
    const context = await detailsContext(request);
    return reply.render(FORM, { ...context, values: detailValues(context.r) });
  });

  app.post(
    '/fidelity-reviews/:id/edit',
    { config: { form: { template: FORM, context: detailsContext } } },
    async (request, reply) => {
      const context = await detailsContext(request);
      const input = parseInput(ReviewDetailsFormSchema, request.body);
      try {
        await db.transaction().execute((trx) =>
          fidelity.updateReview(trx, deps, auditContext(request), requestViewer(request), context.r.id, input.version, {
            reviewDate: input.review_date,
            periodFrom: input.period_from,
            periodTo: input.period_to,
            reviewers: input.reviewers,
            notes: input.notes,
          }),
        );
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        const fresh = await detailsContext(request);
        return reply.status(409).render(FORM, {
          ...fresh,
          values: detailValues(fresh.r),
          errors: { review_date: `${err.message}. The saved details are shown below: make your change again` },
        });
      }
      return reply.redirect(`/fidelity-reviews/${context.r.id}?done=details`);
    },
  );

  // ---- Score a section -------------------------------------------------------------------------

  const sectionContext = async (request: FastifyRequest) => {
    const id = pagePathId(request, 'id', 'Fidelity review');
    const section = sectionParam(request);
    const v = requestViewer(request);
    const r = await fidelity.getReview(db, v, id);
    if (!fidelity.canEdit(v, r.teamId)) throw new NotFoundError('Fidelity review not found');
    return {
      title: `Score ${SECTION_LABELS[section].toLowerCase()}`,
      caption: `Fidelity review, ${formatDate(r.reviewDate)}`,
      backHref: `/fidelity-reviews/${r.id}#${section}`,
      action: `/fidelity-reviews/${r.id}/sections/${section}`,
      r,
      sectionLabel: SECTION_LABELS[section],
      items: itemsOf(section).map((info) => {
        const saved = r.items[info.item - 1]!;
        return {
          info,
          proposed: saved.proposed,
          radioItems: [
            ...SCORES.map((n) => ({ value: String(n), text: String(n), hint: { text: info.anchors[n] } })),
            { value: '', text: 'Not scored yet' },
          ],
        };
      }),
    };
  };

  const sectionValues = (r: fidelity.Review, section: Section) => ({
    version: String(r.version),
    ...Object.fromEntries(
      r.items
        .filter((i) => i.section === section)
        .flatMap((i) => [
          [`score_${i.item}`, i.score === null ? '' : String(i.score)],
          [`evidence_${i.item}`, i.evidence ?? ''],
        ]),
    ),
  });

  app.get('/fidelity-reviews/:id/sections/:section', async (request, reply) => {
    const context = await sectionContext(request);
    return reply.render(SECTION, { ...context, values: sectionValues(context.r, sectionParam(request)) });
  });

  app.post(
    '/fidelity-reviews/:id/sections/:section',
    { config: { form: { template: SECTION, context: sectionContext } } },
    async (request, reply) => {
      const context = await sectionContext(request);
      const section = sectionParam(request);
      const input = parseInput(sectionFormSchema(section), request.body) as Record<string, unknown>;
      try {
        await db.transaction().execute((trx) =>
          fidelity.updateReview(trx, deps, auditContext(request), requestViewer(request), context.r.id, Number(input.version), {
            items: itemsOf(section).map((i) => ({
              item: i.item,
              score: input[`score_${i.item}`] as number | null,
              evidence: input[`evidence_${i.item}`] as string | null,
            })),
          }),
        );
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        const fresh = await sectionContext(request);
        const first = itemsOf(section)[0]!.item;
        return reply.status(409).render(SECTION, {
          ...fresh,
          values: sectionValues(fresh.r, section),
          errors: { [`score_${first}`]: `${err.message}. The saved scores are shown below: make your change again` },
        });
      }
      return reply.redirect(`/fidelity-reviews/${context.r.id}?done=saved#${section}`);
    },
  );

  // ---- Work the proposals out again ------------------------------------------------------------

  app.post('/fidelity-reviews/:id/proposals', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Fidelity review');
    const version = Number((request.body as Record<string, unknown> | undefined)?.version);
    const v = requestViewer(request);
    try {
      await db
        .transaction()
        .execute((trx) => fidelity.updateReview(trx, deps, auditContext(request), v, id, version, { refreshProposals: true }));
    } catch (err) {
      if (err instanceof ConflictError) return reply.redirect(`/fidelity-reviews/${id}`);
      throw err;
    }
    return reply.redirect(`/fidelity-reviews/${id}?done=refreshed`);
  });

  // ---- The action plan -------------------------------------------------------------------------

  const actionContext = async (request: FastifyRequest) => {
    const id = pagePathId(request, 'id', 'Fidelity review');
    const v = requestViewer(request);
    const r = await fidelity.getReview(db, v, id);
    if (!fidelity.canEdit(v, r.teamId)) throw new NotFoundError('Fidelity review not found');
    return {
      title: 'Add an action to the plan',
      caption: `Fidelity review, ${formatDate(r.reviewDate)}`,
      backHref: `/fidelity-reviews/${r.id}#actions`,
      action: `/fidelity-reviews/${r.id}/actions/new`,
      itemChoices,
      r,
    };
  };

  app.get('/fidelity-reviews/:id/actions/new', async (request, reply) => {
    const context = await actionContext(request);
    const item = (request.query as Record<string, unknown>).item;
    return reply.render(ACTION_FORM, { ...context, values: { item: typeof item === 'string' ? item : '' } });
  });

  app.post(
    '/fidelity-reviews/:id/actions/new',
    { config: { form: { template: ACTION_FORM, context: actionContext } } },
    async (request, reply) => {
      const context = await actionContext(request);
      const input = parseInput(ActionFormSchema, request.body);
      await db.transaction().execute((trx) =>
        fidelity.addAction(trx, deps, auditContext(request), requestViewer(request), context.r.id, {
          item: input.item,
          action: input.action,
          owner: input.owner,
          dueDate: input.due_date,
        }),
      );
      return reply.redirect(`/fidelity-reviews/${context.r.id}?done=action#actions`);
    },
  );

  app.post('/fidelity-reviews/:id/actions/:actionId/done', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Fidelity review');
    const actionId = pagePathId(request, 'actionId', 'Action');
    await db
      .transaction()
      .execute((trx) => fidelity.markActionDone(trx, deps, auditContext(request), requestViewer(request), id, actionId));
    return reply.redirect(`/fidelity-reviews/${id}?done=action_done#actions`);
  });

  app.get('/fidelity-reviews/:id/actions/:actionId/delete', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Fidelity review');
    const actionId = pagePathId(request, 'actionId', 'Action');
    const { review, action } = await fidelity.getAction(db, requestViewer(request), id, actionId);
    return reply.render(ACTION_DELETE, {
      title: 'Delete this action?',
      caption: `Fidelity review, ${formatDate(review.reviewDate)}`,
      backHref: `/fidelity-reviews/${id}#actions`,
      action,
      itemText: action.item === null ? 'Whole service' : `${action.item}. ${ITEMS[action.item - 1]?.name ?? ''}`,
      formAction: `/fidelity-reviews/${id}/actions/${actionId}/delete`,
    });
  });

  app.post('/fidelity-reviews/:id/actions/:actionId/delete', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Fidelity review');
    const actionId = pagePathId(request, 'actionId', 'Action');
    await db
      .transaction()
      .execute((trx) => fidelity.deleteAction(trx, deps, auditContext(request), requestViewer(request), id, actionId));
    return reply.redirect(`/fidelity-reviews/${id}?done=action_deleted#actions`);
  });
}
