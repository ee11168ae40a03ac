import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as contacts from '../contacts/service.ts';
import { PURPOSE_LABELS, MODE_LABELS } from '../contacts/rules.ts';
import { isRecordId } from '../db/records.ts';
import type { DbOrTrx } from '../db/types.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { recordIdParam } from '../http/api.ts';
import { auditContext } from '../http/audit-context.ts';
import { parseInput } from '../http/validate.ts';
import type { Viewer } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import { displayName } from '../profiles/service.ts';
import { dayText, londonDate } from '../referrals/rules.ts';
import {
  CONTACT_FREQUENCIES,
  CONTACT_FREQUENCY_DAYS,
  CONTACT_FREQUENCY_LABELS,
  REVIEW_DECISIONS,
  REVIEW_DECISION_HINTS,
  REVIEW_DECISION_LABELS,
  SUPPORT_STATUS_LABELS,
  addMonths,
  contactFrequencyOf,
  contactFrequencyText,
  defaultNextReviewDate,
} from './rules.ts';
import {
  SupportPlanFormSchema,
  SupportPlanJsonSchema,
  SupportPlanListJsonSchema,
  SupportPlanPutSchema,
  SupportReviewCreateSchema,
  SupportReviewFormSchema,
} from './schema.ts';
import * as support from './service.ts';

const SHOW = 'support/views/plan.njk';
const EDIT = 'support/views/edit.njk';
const REVIEW = 'support/views/review.njk';

/** How many in-work support contacts the plan page lists. */
const CONTACTS_SHOWN = 20;

const DONE_MESSAGES: Record<string, string> = {
  saved: 'Support plan saved',
  reviewed: 'Review recorded',
};

const frequencyItems = CONTACT_FREQUENCIES.map((f) => ({ value: f, text: CONTACT_FREQUENCY_LABELS[f] }));
const decisionItems = REVIEW_DECISIONS.map((d) => ({
  value: d,
  text: REVIEW_DECISION_LABELS[d],
  hint: { text: REVIEW_DECISION_HINTS[d] },
}));

/** A job id in a page's path; anything else is simply a page that does not exist. */
function jobId(request: FastifyRequest): string {
  const id = (request.params as Record<string, unknown>).id;
  if (!isRecordId(id)) throw new NotFoundError('Job not found');
  return id;
}

function viewer(request: FastifyRequest) {
  if (!request.actor) throw new NotFoundError('Job not found');
  return participants.viewerOf(request.actor);
}

/** What a form posted, to show again: never the CSRF token. */
function typedValues(body: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).filter(([k]) => k !== '_csrf'));
}

/** The job's name as people say it: "Porter at City Hospital, Estates". */
function jobName(job: support.Job): string {
  const where = [job.employerName, job.departmentName].filter(Boolean).join(', ');
  return where ? `${job.title} at ${where}` : job.title;
}

/** What every support page shows at its top. */
function heading(p: support.SupportPicture) {
  return {
    job: p.job,
    jobName: jobName(p.job),
    participant: p.participant,
    name: displayName(p.participant),
    hubHref: `/placements/${p.job.id}`,
    planHref: `/placements/${p.job.id}/support-plan`,
  };
}

/** The plan form's values for a saved plan (or a new one). */
function planValues(p: support.SupportPicture): Record<string, unknown> {
  const plan = p.plan;
  if (!plan) return { contact_frequency: 'fortnightly', next_review_date: '' };
  return {
    coach_support: plan.coachSupport ?? '',
    employer_owns: plan.employerOwns ?? '',
    contact_frequency: contactFrequencyOf(plan.contactEveryDays),
    adjustments: plan.adjustments ?? '',
    next_review_date: plan.nextReviewDate ?? '',
    fading_plan: plan.fadingPlan ?? '',
    hours_per_week: plan.hoursPerWeek === null ? '' : String(plan.hoursPerWeek),
    version: String(plan.version),
  };
}

/** The review's wording for the plan page: "due on", "overdue since", or when it will be. */
function reviewText(p: support.SupportPicture): string | null {
  if (!p.reviewDueDate) return null;
  const when = dayText(p.reviewDueDate);
  switch (p.reviewState) {
    case 'overdue':
      return `The support review is overdue: it was due on ${when}.`;
    case 'due':
      return `The support review is due on ${when}.`;
    default:
      return `The next support review is on ${when}.`;
  }
}

/** The support plan pages of a job, and the `participants/{id}/support-plan` API. */
export async function supportRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  // ---- The plan ----------------------------------------------------------------------------------

  app.get('/placements/:id/support-plan', async (request, reply) => {
    const id = jobId(request);
    const v = viewer(request);
    const p = await support.viewSupport(db, deps, auditContext(request), v, id);
    const logged = await contacts.contactsForJob(db, v, p.participant.id, id, CONTACTS_SHOWN);
    const done = (request.query as Record<string, unknown>).done;
    const plan = p.plan;
    return reply.render(SHOW, {
      ...heading(p),
      title: `Support plan: ${jobName(p.job)}`,
      backHref: `/placements/${id}`,
      flash: typeof done === 'string' ? DONE_MESSAGES[done] : undefined,
      canEdit: p.participant.canEdit,
      plan: plan && {
        ...plan,
        statusLabel: SUPPORT_STATUS_LABELS[plan.status],
        frequencyText: contactFrequencyText(plan.contactEveryDays),
      },
      reviewText: reviewText(p),
      reviewState: p.reviewState,
      firstReviewMonths: p.firstReviewMonths,
      firstReviewDate: dayText(addMonths(p.job.startDate, p.firstReviewMonths)),
      reviews: p.reviews.map((r) => ({ ...r, decisionLabel: REVIEW_DECISION_LABELS[r.decision] })),
      contacts: logged.map((c) => ({
        ...c,
        purposeLabel: PURPOSE_LABELS[c.purpose],
        modeLabel: MODE_LABELS[c.mode],
        durationText: c.durationMinutes === 1 ? '1 minute' : `${c.durationMinutes} minutes`,
      })),
      contactsTruncated: logged.length === CONTACTS_SHOWN,
      newContactHref: `/participants/${p.participant.id}/contacts/new?placement_id=${id}&purpose=in_work_support`,
    });
  });

  // ---- Write or change the plan ------------------------------------------------------------------

  const editContext = (p: support.SupportPicture) => ({
    ...heading(p),
    title: p.plan ? 'Change the support plan' : 'Write the support plan',
    backHref: `/placements/${p.job.id}/support-plan`,
    action: `/placements/${p.job.id}/support-plan/edit`,
    plan: p.plan,
    frequencyItems,
    firstReviewDate: dayText(addMonths(p.job.startDate, p.firstReviewMonths)),
    firstReviewMonths: p.firstReviewMonths,
  });

  app.get('/placements/:id/support-plan/edit', async (request, reply) => {
    const id = jobId(request);
    const p = await support.viewSupport(db, deps, auditContext(request), viewer(request), id, true);
    return reply.render(EDIT, { ...editContext(p), values: planValues(p) });
  });

  app.post('/placements/:id/support-plan/edit', async (request, reply) => {
    const id = jobId(request);
    const v = viewer(request);
    const values = typedValues(request.body);
    try {
      const input = parseInput(SupportPlanFormSchema, request.body);
      await db.transaction().execute((trx) =>
        support.savePlan(
          trx,
          deps,
          auditContext(request),
          v,
          id,
          {
            coachSupport: input.coach_support,
            employerOwns: input.employer_owns,
            contactEveryDays: CONTACT_FREQUENCY_DAYS[input.contact_frequency],
            adjustments: input.adjustments,
            nextReviewDate: input.next_review_date,
            fadingPlan: input.fading_plan,
            hoursPerWeek: input.hours_per_week,
          },
          input.version,
        ),
      );
    } catch (err) {
      if (err instanceof ValidationError) {
        const p = await support.viewSupport(db, deps, auditContext(request), v, id, true);
        return reply.status(400).render(EDIT, { ...editContext(p), values, errors: err.fields });
      }
      if (err instanceof ConflictError) {
        // Keep what they typed, show what is saved now, and let a second save go through.
        const p = await support.viewSupport(db, deps, auditContext(request), v, id, true);
        return reply.status(409).render(EDIT, {
          ...editContext(p),
          conflict: p.plan && { ...p.plan, frequencyText: contactFrequencyText(p.plan.contactEveryDays) },
          values: { ...values, version: String(p.plan?.version ?? '') },
          errors: { coach_support: `${err.message}. Check your changes against the saved plan, then save again` },
        });
      }
      throw err;
    }
    return reply.redirect(`/placements/${id}/support-plan?done=saved`);
  });

  // ---- Record a review ---------------------------------------------------------------------------

  const reviewContext = (p: support.SupportPicture) => ({
    ...heading(p),
    title: 'Record a support review',
    backHref: `/placements/${p.job.id}/support-plan`,
    action: `/placements/${p.job.id}/support-plan/reviews/new`,
    plan: p.plan && { ...p.plan, frequencyText: contactFrequencyText(p.plan.contactEveryDays) },
    decisionItems,
  });

  app.get('/placements/:id/support-plan/reviews/new', async (request, reply) => {
    const id = jobId(request);
    const p = await support.viewSupport(db, deps, auditContext(request), viewer(request), id, true);
    const today = londonDate(deps.clock.now());
    return reply.render(REVIEW, {
      ...reviewContext(p),
      values: { review_date: today, next_review_date: defaultNextReviewDate(today) },
    });
  });

  app.post('/placements/:id/support-plan/reviews/new', async (request, reply) => {
    const id = jobId(request);
    const v = viewer(request);
    try {
      const input = parseInput(SupportReviewFormSchema, request.body);
      await db.transaction().execute((trx) =>
        support.recordReview(trx, deps, auditContext(request), v, id, {
          reviewDate: input.review_date,
          decision: input.decision,
          notes: input.notes,
          nextReviewDate: input.next_review_date,
        }),
      );
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const p = await support.viewSupport(db, deps, auditContext(request), v, id, true);
      return reply.status(400).render(REVIEW, { ...reviewContext(p), values: typedValues(request.body), errors: err.fields });
    }
    return reply.redirect(`/placements/${id}/support-plan?done=reviewed`);
  });

  // ---- JSON API ----------------------------------------------------------------------------------

  const listDoc = {
    summary:
      'The support plans of the person’s current jobs, each with its reviews (newest first) and when the next review is due. The read is audited',
    tag: 'support-plan',
    response: SupportPlanListJsonSchema,
  };
  app.get('/api/v1/participants/:id/support-plan', { config: { api: listDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const plans = await support.plansOfParticipant(db, deps, auditContext(request), viewer(request), id);
    return { items: plans.map(support.planJson) };
  });

  const putDoc = {
    summary:
      'Write the support plan of one of the person’s jobs (`placement_id`), or replace what it says. Replacing needs the `version` you read (a stale one is a 409 and nothing changes). `status` changes only through a review',
    tag: 'support-plan',
    body: SupportPlanPutSchema,
    response: SupportPlanJsonSchema,
  };
  app.put('/api/v1/participants/:id/support-plan', { config: { api: putDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const input = parseInput(SupportPlanPutSchema, request.body);
    const v = viewer(request);
    return db.transaction().execute(async (trx) => {
      await requireJobOf(trx, v, id, input.placement_id);
      const plan = await support.savePlan(
        trx,
        deps,
        auditContext(request),
        v,
        input.placement_id,
        {
          coachSupport: input.coach_support,
          employerOwns: input.employer_owns,
          contactEveryDays: input.contact_every_days,
          adjustments: input.adjustments,
          nextReviewDate: input.next_review_date,
          fadingPlan: input.fading_plan,
          hoursPerWeek: input.hours_per_week,
        },
        input.version,
      );
      return support.planJson(await support.planWithReviews(trx, plan));
    });
  });

  const reviewDoc = {
    summary:
      'Record a support review of one of the person’s jobs and what the person decided: `continue` (same support, next review booked), `reduce` (status `reduced`, fewer contacts, next review booked) or `end` (status `ended`). Support never ends any other way. Answers with the plan as the review leaves it',
    tag: 'support-plan',
    body: SupportReviewCreateSchema,
    response: SupportPlanJsonSchema,
    status: 201,
  };
  app.post('/api/v1/participants/:id/support-plan/reviews', { config: { api: reviewDoc } }, async (request, reply) => {
    const id = recordIdParam(request.params);
    const input = parseInput(SupportReviewCreateSchema, request.body);
    const v = viewer(request);
    const body = await db.transaction().execute(async (trx) => {
      await requireJobOf(trx, v, id, input.placement_id);
      const { plan } = await support.recordReview(trx, deps, auditContext(request), v, input.placement_id, {
        reviewDate: input.review_date,
        decision: input.decision,
        notes: input.notes,
        nextReviewDate: input.next_review_date,
      });
      return support.planJson(await support.planWithReviews(trx, plan));
    });
    return reply.status(201).send(body);
  });
}

/** The person must be visible, and the job theirs (400 on `placement_id` otherwise). */
async function requireJobOf(db: DbOrTrx, v: Viewer, participantId: string, placementId: string): Promise<void> {
  await participants.loadVisible(db, v, participantId);
  if (!(await support.jobOf(db, participantId, placementId)))
    throw new ValidationError({ placement_id: 'placement_id must be the id of one of the person’s jobs' });
}
