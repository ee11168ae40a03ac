import { randomUUID } from 'node:crypto';
import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { newRecordColumns } from '../db/records.ts';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import * as audit from '../audit/service.ts';
import type { Viewer } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import { londonDate } from '../referrals/rules.ts';
import * as settings from '../settings/service.ts';
import * as repo from './repo.ts';
import {
  type ReviewDecision,
  type ReviewState,
  type SupportStatus,
  applyDecision,
  reviewDueDate,
  reviewProblems,
  reviewState,
} from './rules.ts';

/** A job, as the support pages name it. */
export interface Job {
  id: string;
  participantId: string;
  title: string;
  startDate: string;
  endDate: string | null;
  employerName: string | null;
  departmentName: string | null;
  lineManager: string | null;
}

export interface SupportPlan {
  id: string;
  placementId: string;
  participantId: string;
  coachSupport: string | null;
  employerOwns: string | null;
  contactEveryDays: number | null;
  adjustments: string | null;
  nextReviewDate: string | null;
  fadingPlan: string | null;
  /** Coach hours a week the plan commits to (for the capacity forecast); null when not said. */
  hoursPerWeek: number | null;
  status: SupportStatus;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface SupportReview {
  id: string;
  placementId: string;
  reviewDate: string;
  decision: ReviewDecision;
  notes: string | null;
  reviewedByName: string | null;
  createdAt: string;
}

/** What a plan says; every text is optional, so a plan can be written a piece at a time. */
export interface SupportPlanInput {
  coachSupport: string | null;
  employerOwns: string | null;
  contactEveryDays: number | null;
  adjustments: string | null;
  nextReviewDate: string | null;
  fadingPlan: string | null;
  hoursPerWeek: number | null;
}

export interface SupportReviewInput {
  reviewDate: string;
  decision: ReviewDecision;
  notes: string | null;
  nextReviewDate: string | null;
}

function toJob(r: repo.PlacementRow): Job {
  return {
    id: r.id,
    participantId: r.participant_id,
    title: r.title,
    startDate: r.start_date,
    endDate: r.end_date,
    employerName: r.employer_name,
    departmentName: r.department_name,
    lineManager: r.line_manager,
  };
}

function toPlan(r: repo.SupportPlanRow): SupportPlan {
  return {
    id: r.id,
    placementId: r.placement_id,
    participantId: r.participant_id,
    coachSupport: r.coach_support,
    employerOwns: r.employer_owns,
    contactEveryDays: r.contact_every_days === null ? null : Number(r.contact_every_days),
    adjustments: r.adjustments,
    nextReviewDate: r.next_review_date,
    fadingPlan: r.fading_plan,
    hoursPerWeek: r.hours_per_week === null ? null : Number(r.hours_per_week),
    status: r.status as SupportStatus,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

function toReview(r: repo.SupportReviewRow & { reviewed_by_name: string | null }): SupportReview {
  return {
    id: r.id,
    placementId: r.placement_id,
    reviewDate: r.review_date,
    decision: r.decision as ReviewDecision,
    notes: r.notes,
    reviewedByName: r.reviewed_by_name,
    createdAt: r.created_at,
  };
}

/** Free text as stored: Windows line ends made plain, blank becomes null. */
const clean = (v: string | null): string | null => v?.replace(/\r\n/g, '\n').trim() || null;

/** The months after a job starts when its first support review is due (a service setting). */
export async function firstReviewMonths(db: DbOrTrx): Promise<number> {
  return (await settings.getSettings(db)).supportReviewMonths;
}

/** A job and its person, when the viewer may see them (404 otherwise, never revealing the job exists). */
async function loadJob(db: DbOrTrx, viewer: Viewer, placementId: string, editing: boolean) {
  const row = await repo.findPlacement(db, placementId);
  if (!row) throw new NotFoundError('Job not found');
  let participant;
  try {
    participant = await participants.loadVisible(db, viewer, row.participant_id);
  } catch (err) {
    if (err instanceof NotFoundError) throw new NotFoundError('Job not found');
    throw err;
  }
  if (editing && !participant.canEdit) throw new RuleError('You can read this support plan but not change it');
  return { job: toJob(row), participant };
}

/** The whole picture of one job's in-work support: the plan, when its review is due, past reviews. */
export interface SupportPicture {
  job: Job;
  participant: participants.ParticipantView;
  plan: SupportPlan | null;
  reviews: SupportReview[];
  reviewDueDate: string | null;
  reviewState: ReviewState;
  firstReviewMonths: number;
}

async function picture(db: DbOrTrx, deps: Deps, viewer: Viewer, placementId: string, editing: boolean): Promise<SupportPicture> {
  const { job, participant } = await loadJob(db, viewer, placementId, editing);
  const [planRow, reviewRows, months] = await Promise.all([
    repo.findPlan(db, placementId),
    repo.reviewsFor(db, [placementId]),
    firstReviewMonths(db),
  ]);
  const plan = planRow ? toPlan(planRow) : null;
  const due = plan
    ? reviewDueDate({ status: plan.status, startDate: job.startDate, nextReviewDate: plan.nextReviewDate }, months)
    : null;
  return {
    job,
    participant,
    plan,
    reviews: reviewRows.map(toReview),
    reviewDueDate: due,
    reviewState: reviewState(due, londonDate(deps.clock.now())),
    firstReviewMonths: months,
  };
}

/**
 * One job's support plan and reviews for someone who may see the person; the read is audited.
 * For a form that changes it (`editing`), a viewer who may only read is refused (422).
 */
export async function viewSupport(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  placementId: string,
  editing = false,
): Promise<SupportPicture> {
  const p = await picture(db, deps, viewer, placementId, editing);
  await audit.record(db, deps, ctx, {
    action: 'support_plan.viewed',
    entityType: 'participant',
    entityId: p.participant.id,
    details: { placement_id: placementId },
  });
  return p;
}

const PLAN_FIELDS: Record<keyof SupportPlanInput, keyof repo.SupportPlanRow> = {
  coachSupport: 'coach_support',
  employerOwns: 'employer_owns',
  contactEveryDays: 'contact_every_days',
  adjustments: 'adjustments',
  nextReviewDate: 'next_review_date',
  fadingPlan: 'fading_plan',
  hoursPerWeek: 'hours_per_week',
};

/**
 * Writes a job's support plan, or replaces what it says. Replacing needs the `version` read (a
 * stale one is a 409 and nothing changes). The plan's status is left to the person's decisions at
 * reviews. Audited on the person with the fields that changed, never their text.
 */
export async function savePlan(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  placementId: string,
  input: SupportPlanInput,
  version: number | undefined,
): Promise<SupportPlan> {
  const { job, participant } = await loadJob(db, viewer, placementId, true);
  const current = await repo.findPlan(db, placementId);
  const values: Partial<repo.SupportPlanRow> = {
    coach_support: clean(input.coachSupport),
    employer_owns: clean(input.employerOwns),
    contact_every_days: input.contactEveryDays,
    adjustments: clean(input.adjustments),
    next_review_date: input.nextReviewDate,
    fading_plan: clean(input.fadingPlan),
    hours_per_week: input.hoursPerWeek,
  };
  if (!current) {
    const row: repo.SupportPlanRow = {
      ...newRecordColumns(deps.clock),
      placement_id: job.id,
      participant_id: participant.id,
      hours_per_week: values.hours_per_week ?? null,
      coach_support: values.coach_support ?? null,
      employer_owns: values.employer_owns ?? null,
      contact_every_days: values.contact_every_days ?? null,
      adjustments: values.adjustments ?? null,
      next_review_date: values.next_review_date ?? null,
      fading_plan: values.fading_plan ?? null,
      status: 'active',
    };
    await repo.insertPlan(db, row);
    await audit.record(db, deps, ctx, {
      action: 'support_plan.created',
      entityType: 'participant',
      entityId: participant.id,
      details: { placement_id: job.id },
    });
    return toPlan(row);
  }
  if (version === undefined) throw new ValidationError({ version: 'Send the version of the support plan you read' });
  if (Number(current.version) !== version) throw new ConflictError('Someone else changed this support plan after you opened it');
  const changed = (Object.keys(PLAN_FIELDS) as (keyof SupportPlanInput)[]).filter(
    (k) => values[PLAN_FIELDS[k]] !== current[PLAN_FIELDS[k]],
  );
  if ((await repo.updatePlan(db, current.id, version, { ...values, updated_at: deps.clock.now().toISOString() })) === 0)
    throw new ConflictError('Someone else changed this support plan after you opened it');
  await audit.record(db, deps, ctx, {
    action: 'support_plan.updated',
    entityType: 'participant',
    entityId: participant.id,
    details: { placement_id: job.id, changed: changed.map((k) => PLAN_FIELDS[k]) },
  });
  return toPlan((await repo.findPlan(db, placementId))!);
}

/**
 * Records a support review and what the person decided: continue, reduce or end (see
 * `applyDecision`). The plan must exist; only the person's choice ends support.
 */
export async function recordReview(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  placementId: string,
  input: SupportReviewInput,
): Promise<{ plan: SupportPlan; review: SupportReview }> {
  const { participant } = await loadJob(db, viewer, placementId, true);
  const current = await repo.findPlan(db, placementId);
  if (!current) throw new RuleError('Write the support plan before recording a review');
  const nextReviewDate = input.decision === 'end' ? null : input.nextReviewDate;
  const problems = reviewProblems({ ...input, nextReviewDate }, londonDate(deps.clock.now()));
  if (problems) throw new ValidationError(problems);
  const plan = toPlan(current);
  const after = applyDecision(plan, input.decision, nextReviewDate);
  const now = deps.clock.now().toISOString();
  const review: repo.SupportReviewRow = {
    id: randomUUID(),
    placement_id: placementId,
    review_date: input.reviewDate,
    decision: input.decision,
    notes: clean(input.notes),
    reviewed_by_user_id: viewer.userId,
    created_at: now,
  };
  await repo.insertReview(db, review);
  const changes = {
    status: after.status,
    contact_every_days: after.contactEveryDays,
    next_review_date: after.nextReviewDate,
    updated_at: now,
  };
  if ((await repo.updatePlan(db, plan.id, plan.version, changes)) === 0)
    throw new ConflictError('Someone else changed this support plan after you opened it');
  await audit.record(db, deps, ctx, {
    action: 'support_review.recorded',
    entityType: 'participant',
    entityId: participant.id,
    details: { placement_id: placementId, review_id: review.id, decision: input.decision, status: after.status },
  });
  return {
    plan: toPlan((await repo.findPlan(db, placementId))!),
    review: toReview({ ...review, reviewed_by_name: null }),
  };
}

/** A plan with its job's review due date and its reviews, as the API gives it. */
export interface PlanWithReviews {
  plan: SupportPlan;
  reviewDueDate: string | null;
  reviews: SupportReview[];
}

/**
 * The support plans of a person's current jobs (those not ended), oldest job first, for someone
 * who may see the person; the read is audited. A fixed number of queries however many jobs.
 */
export async function plansOfParticipant(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
): Promise<PlanWithReviews[]> {
  await participants.loadVisible(db, viewer, participantId);
  const jobs = await repo.currentPlacements(db, participantId, londonDate(deps.clock.now()));
  const ids = jobs.map((j) => j.id);
  const [plans, reviews, months] = await Promise.all([repo.plansFor(db, ids), repo.reviewsFor(db, ids), firstReviewMonths(db)]);
  const out = jobs.flatMap((j): PlanWithReviews[] => {
    const row = plans.find((p) => p.placement_id === j.id);
    if (!row) return [];
    const plan = toPlan(row);
    return [
      {
        plan,
        reviewDueDate: reviewDueDate(
          { status: plan.status, startDate: j.start_date, nextReviewDate: plan.nextReviewDate },
          months,
        ),
        reviews: reviews.filter((r) => r.placement_id === j.id).map(toReview),
      },
    ];
  });
  await audit.record(db, deps, ctx, {
    action: 'support_plan.viewed',
    entityType: 'participant',
    entityId: participantId,
    details: { placements: ids.length },
  });
  return out;
}

/** The API shape of a plan (DESIGN.md section 3 conventions). */
export function planJson(p: PlanWithReviews): Record<string, unknown> {
  return {
    id: p.plan.id,
    placement_id: p.plan.placementId,
    participant_id: p.plan.participantId,
    coach_support: p.plan.coachSupport,
    employer_owns: p.plan.employerOwns,
    contact_every_days: p.plan.contactEveryDays,
    adjustments: p.plan.adjustments,
    next_review_date: p.plan.nextReviewDate,
    review_due_date: p.reviewDueDate,
    fading_plan: p.plan.fadingPlan,
    hours_per_week: p.plan.hoursPerWeek,
    status: p.plan.status,
    reviews: p.reviews.map((r) => ({
      id: r.id,
      review_date: r.reviewDate,
      decision: r.decision,
      notes: r.notes,
      created_at: r.createdAt,
    })),
    created_at: p.plan.createdAt,
    updated_at: p.plan.updatedAt,
    version: p.plan.version,
  };
}

/** One plan as the API gives it, after a change: its job's due date and reviews looked up again. */
export async function planWithReviews(db: DbOrTrx, plan: SupportPlan): Promise<PlanWithReviews> {
  const [job, reviews, months] = await Promise.all([
    repo.findPlacement(db, plan.placementId),
    repo.reviewsFor(db, [plan.placementId]),
    firstReviewMonths(db),
  ]);
  const startDate = job?.start_date ?? plan.createdAt.slice(0, 10);
  return {
    plan,
    reviewDueDate: reviewDueDate({ status: plan.status, startDate, nextReviewDate: plan.nextReviewDate }, months),
    reviews: reviews.map(toReview),
  };
}

/**
 * A person's job, if it is theirs: for the contacts service, which checks a contact's job belongs
 * to the person it is logged for. Undefined otherwise.
 */
export async function jobOf(db: DbOrTrx, participantId: string, placementId: string): Promise<Job | undefined> {
  const row = await repo.findPlacement(db, placementId);
  return row && row.participant_id === participantId ? toJob(row) : undefined;
}

/** A person's current jobs (not ended before today), oldest first: what a contact can be logged against. */
export async function currentJobs(db: DbOrTrx, participantId: string, today: string): Promise<Job[]> {
  return (await repo.currentPlacements(db, participantId, today)).map(toJob);
}

/** For the caseload alert: the support review due soonest for each person, of their current jobs' plans. */
export interface DueReview {
  placementId: string;
  /** Null when every plan has ended at the person's choice: no review is due. */
  dueDate: string | null;
}

/**
 * The earliest support review due for each of these people with a support plan for a current
 * job, in one query whatever the caseload's size. People without a support plan are left out.
 */
export async function dueReviews(db: DbOrTrx, participantIds: readonly string[], today: string): Promise<Map<string, DueReview>> {
  const [rows, months] = await Promise.all([repo.plansOfCurrentJobs(db, participantIds, today), firstReviewMonths(db)]);
  const out = new Map<string, DueReview>();
  for (const r of rows) {
    const due = reviewDueDate(
      { status: r.status as SupportStatus, startDate: r.start_date, nextReviewDate: r.next_review_date },
      months,
    );
    const known = out.get(r.participant_id);
    if (!known || (due !== null && (known.dueDate === null || due < known.dueDate)))
      out.set(r.participant_id, { placementId: r.placement_id, dueDate: due });
  }
  return out;
}
