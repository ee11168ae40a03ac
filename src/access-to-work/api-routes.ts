import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DbOrTrx } from '../db/types.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { decodeCursor, listBody, recordIdParam } from '../http/api.ts';
import { auditContext } from '../http/audit-context.ts';
import { parseInput } from '../http/validate.ts';
import * as participants from '../participants/service.ts';
import { londonDate } from '../referrals/rules.ts';
import * as settings from '../settings/service.ts';
import {
  type ApplicationUpdateInput,
  type AwardCreateInput,
  type AwardUpdateInput,
  ApplicationCreateSchema,
  ApplicationJsonSchema,
  ApplicationListJsonSchema,
  ApplicationListQuerySchema,
  ApplicationUpdateSchema,
  AwardCreateSchema,
  AwardJsonSchema,
  AwardListJsonSchema,
  AwardListQuerySchema,
  AwardUpdateSchema,
  ClaimCreateSchema,
  ClaimDeleteSchema,
  ClaimJsonSchema,
  ClaimListJsonSchema,
  ClaimListQuerySchema,
  ClaimUpdateSchema,
} from './api-schema.ts';
import { defaultClaimPeriod, minutesToHours } from './rules.ts';
import * as atw from './service.ts';

const TAG = 'access-to-work';

// ---- JSON shapes ---------------------------------------------------------------------------------

/** An award with its figures as the API shows it: hours as decimals, money in pence. */
export function awardJson(a: atw.AwardSummary): Record<string, unknown> {
  return {
    id: a.id,
    participant_id: a.participantId,
    application_id: a.applicationId,
    placement_id: a.placementId,
    coach_user_id: a.coachUserId,
    coach_name: a.coachName,
    reference: a.reference,
    support_kind: a.supportKind,
    start_date: a.startDate,
    end_date: a.endDate,
    hours_per_week: a.hoursPerWeek,
    hours_total: a.hoursTotal,
    hourly_rate_pence: a.hourlyRatePence,
    total_amount_pence: a.totalAmountPence,
    employer_contribution_pence: a.employerContributionPence,
    notes: a.notes,
    not_renewing_reason: a.notRenewingReason,
    renews_award_id: a.renewsAwardId,
    renewed_by_award_id: a.renewedById,
    active: a.active,
    awarded_hours: minutesToHours(a.awardedMinutes),
    delivered_hours: minutesToHours(a.deliveredMinutes),
    claimed_hours: minutesToHours(a.claimedMinutes),
    claimed_pence: a.claimedPence,
    left_hours: minutesToHours(a.leftMinutes),
    renewal_due: a.renewalDue,
    renewal_alert_from: a.renewalAlertFrom,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    version: a.version,
  };
}

export function applicationJson(a: atw.Application): Record<string, unknown> {
  return {
    id: a.id,
    participant_id: a.participantId,
    applied_by: a.appliedBy,
    applicant_name: a.applicantName,
    sent_date: a.sentDate,
    reference: a.reference,
    status: a.status,
    decision_date: a.decisionDate,
    support_kind: a.supportKind,
    hours_per_week: a.hoursPerWeek,
    expected_start_date: a.expectedStartDate,
    renews_award_id: a.renewsAwardId,
    notes: a.notes,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    version: a.version,
  };
}

/** A claim with its lines; `total_pence` is the sum of the lines' `amount_pence`. */
export function claimJson(c: atw.Claim): Record<string, unknown> {
  return {
    id: c.id,
    participant_id: c.participantId,
    award_id: c.awardId,
    award_reference: c.awardReference,
    period_start: c.periodStart,
    period_end: c.periodEnd,
    status: c.status,
    hourly_rate_pence: c.hourlyRatePence,
    lines: c.lines.map((l) => ({
      date: l.day,
      hours: minutesToHours(l.minutes),
      minutes: l.minutes,
      amount_pence: l.amountPence,
      contacts: l.contacts,
    })),
    total_minutes: c.totalMinutes,
    total_hours: minutesToHours(c.totalMinutes),
    total_pence: c.totalPence,
    submitted_at: c.submittedAt,
    paid_date: c.paidDate,
    paid_pence: c.paidPence,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    version: c.version,
  };
}

// ---- Helpers -------------------------------------------------------------------------------------

function viewer(request: FastifyRequest) {
  if (!request.actor) throw new NotFoundError('Participant not found');
  return participants.viewerOf(request.actor);
}

/** The offset a list cursor stands for (cursors are opaque to callers). */
function offsetOf(cursor: string | undefined): number {
  const key = decodeCursor(cursor);
  const offset = key === undefined ? 0 : Number(key);
  if (!Number.isInteger(offset) || offset < 0) throw new ValidationError({ cursor: 'Cursor is not valid' });
  return offset;
}

/** One page of a short list held in memory (a person's applications or claims). */
function pageOf<T>(all: readonly T[], limit: number, offset: number, toJson: (x: T) => Record<string, unknown>) {
  const next = offset + limit < all.length ? String(offset + limit) : null;
  return listBody(all.slice(offset, offset + limit).map(toJson), next);
}

// The award rules name the form's money fields; the API's carry `_pence`.
const API_FIELD: Record<string, string> = {
  hourly_rate: 'hourly_rate_pence',
  total_amount: 'total_amount_pence',
  employer_contribution: 'employer_contribution_pence',
};

/** Runs an award write, naming any field problem as the API does. */
async function withApiFields<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    throw new ValidationError(
      Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [API_FIELD[k] ?? k, v])),
      err.message,
    );
  }
}

function awardInputOf(input: AwardCreateInput): atw.AwardInput {
  return {
    applicationId: input.application_id ?? null,
    placementId: input.placement_id ?? null,
    coachUserId: input.coach_user_id ?? null,
    reference: input.reference ?? null,
    supportKind: input.support_kind,
    startDate: input.start_date,
    endDate: input.end_date,
    hoursPerWeek: input.hours_per_week ?? null,
    hoursTotal: input.hours_total ?? null,
    hourlyRatePence: input.hourly_rate_pence ?? null,
    totalAmountPence: input.total_amount_pence ?? null,
    employerContributionPence: input.employer_contribution_pence ?? null,
    notes: input.notes ?? null,
    renewsAwardId: input.renews_award_id ?? null,
  };
}

/** A PATCH merged with the award as it is: fields left out keep their value. */
function mergedAward(current: atw.Award, input: AwardUpdateInput): atw.AwardInput {
  const pick = <K extends keyof AwardUpdateInput, V>(key: K, now: V): V =>
    input[key] === undefined ? now : (input[key] as unknown as V);
  let hoursPerWeek = pick('hours_per_week', current.hoursPerWeek);
  let hoursTotal = pick('hours_total', current.hoursTotal);
  // Sending one way of counting hours replaces the other.
  if (input.hours_total != null && input.hours_per_week === undefined) hoursPerWeek = null;
  if (input.hours_per_week != null && input.hours_total === undefined) hoursTotal = null;
  return {
    applicationId: pick('application_id', current.applicationId),
    placementId: pick('placement_id', current.placementId),
    coachUserId: pick('coach_user_id', current.coachUserId),
    reference: pick('reference', current.reference),
    supportKind: pick('support_kind', current.supportKind),
    startDate: pick('start_date', current.startDate),
    endDate: pick('end_date', current.endDate),
    hoursPerWeek,
    hoursTotal,
    hourlyRatePence: pick('hourly_rate_pence', current.hourlyRatePence),
    totalAmountPence: pick('total_amount_pence', current.totalAmountPence),
    employerContributionPence: pick('employer_contribution_pence', current.employerContributionPence),
    notes: pick('notes', current.notes),
    renewsAwardId: pick('renews_award_id', current.renewsAwardId),
  };
}

function mergedApplication(current: atw.Application, input: ApplicationUpdateInput): atw.ApplicationInput {
  const pick = <K extends keyof ApplicationUpdateInput, V>(key: K, now: V): V =>
    input[key] === undefined ? now : (input[key] as unknown as V);
  return {
    appliedBy: pick('applied_by', current.appliedBy),
    applicantName: pick('applicant_name', current.applicantName),
    sentDate: pick('sent_date', current.sentDate),
    reference: pick('reference', current.reference),
    status: pick('status', current.status),
    decisionDate: pick('decision_date', current.decisionDate),
    supportKind: pick('support_kind', current.supportKind),
    hoursPerWeek: pick('hours_per_week', current.hoursPerWeek),
    expectedStartDate: pick('expected_start_date', current.expectedStartDate),
    renewsAwardId: pick('renews_award_id', current.renewsAwardId),
    notes: pick('notes', current.notes),
  };
}

/** The `access-to-work` API: awards with their figures, applications and claims. */
export async function accessToWorkApiRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  /** An award's figures for a write's answer (the write itself is audited). */
  const summaryOf = async (trx: DbOrTrx, award: atw.Award) => {
    const { atwRenewalWeeks } = await settings.getSettings(trx);
    const [summary] = await atw.summarise(trx, [award], londonDate(deps.clock.now()), atwRenewalWeeks);
    return summary!;
  };

  // ---- Awards ------------------------------------------------------------------------------------

  const awardListDoc = {
    summary:
      'Access to Work awards, newest start first, each with the hours awarded so far, delivered (charged contacts), claimed and left, and whether the renewal alert is showing. With `participant_id`, that person’s; without, those of everyone on your caseload and your team’s. The read is audited',
    tag: TAG,
    query: AwardListQuerySchema,
    response: AwardListJsonSchema,
  };
  app.get('/api/v1/access-to-work/awards', { config: { api: awardListDoc } }, async (request) => {
    const query = parseInput(AwardListQuerySchema, request.query);
    const offset = offsetOf(query.cursor);
    const page = await atw.pageAwards(db, deps, auditContext(request), viewer(request), {
      participantId: query.participant_id,
      limit: query.limit,
      offset,
    });
    return listBody(page.items.map(awardJson), page.hasMore ? String(offset + query.limit) : null);
  });

  const awardCreateDoc = {
    summary:
      'Record an award from its letter for a person you may change. At most 3 years long; hourly support (`job_coach`, `support_worker`) needs `hours_per_week` or `hours_total` and `hourly_rate_pence`, other support `total_amount_pence`. A linked application is marked awarded; `renews_award_id` links a renewal to the award it renews',
    tag: TAG,
    body: AwardCreateSchema,
    response: AwardJsonSchema,
    status: 201,
  };
  app.post('/api/v1/access-to-work/awards', { config: { api: awardCreateDoc } }, async (request, reply) => {
    const input = parseInput(AwardCreateSchema, request.body);
    const v = viewer(request);
    const body = await withApiFields(() =>
      db.transaction().execute(async (trx) => {
        const award = await atw.createAward(trx, deps, auditContext(request), v, input.participant_id, awardInputOf(input));
        return awardJson(await summaryOf(trx, award));
      }),
    );
    return reply
      .status(201)
      .header('location', `/api/v1/access-to-work/awards/${body.id as string}`)
      .send(body);
  });

  const awardReadDoc = {
    summary: 'One award with its figures (the read is audited; 404 for one you may not see)',
    tag: TAG,
    response: AwardJsonSchema,
  };
  app.get('/api/v1/access-to-work/awards/:id', { config: { api: awardReadDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const participantId = await atw.participantOfAward(db, id);
    return awardJson(await atw.viewAward(db, deps, auditContext(request), viewer(request), participantId, id));
  });

  const awardUpdateDoc = {
    summary:
      'Change an award: send the `version` you read and the fields to change; the rest keep their values (sending `hours_total` alone replaces `hours_per_week`, and the other way round). `not_renewing_reason` records that it will not be renewed, which stops the renewal alert',
    tag: TAG,
    body: AwardUpdateSchema,
    response: AwardJsonSchema,
  };
  app.patch('/api/v1/access-to-work/awards/:id', { config: { api: awardUpdateDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const input = parseInput(AwardUpdateSchema, request.body);
    const v = viewer(request);
    const ctx = auditContext(request);
    const termsSent = Object.keys(input).some((k) => k !== 'version' && k !== 'not_renewing_reason');
    return withApiFields(() =>
      db.transaction().execute(async (trx) => {
        const participantId = await atw.participantOfAward(trx, id);
        let award = await atw.getAward(trx, v, participantId, id);
        let version = input.version;
        if (termsSent || input.not_renewing_reason === undefined) {
          award = await atw.updateAward(trx, deps, ctx, v, participantId, id, version, mergedAward(award, input));
          version = award.version;
        }
        if (input.not_renewing_reason !== undefined)
          award = await atw.setNotRenewing(trx, deps, ctx, v, participantId, id, version, input.not_renewing_reason);
        return awardJson(await summaryOf(trx, award));
      }),
    );
  });

  // ---- Applications ------------------------------------------------------------------------------

  const applicationListDoc = {
    summary: 'A person’s Access to Work applications, newest first (the read is audited)',
    tag: TAG,
    query: ApplicationListQuerySchema,
    response: ApplicationListJsonSchema,
  };
  app.get('/api/v1/access-to-work/applications', { config: { api: applicationListDoc } }, async (request) => {
    const query = parseInput(ApplicationListQuerySchema, request.query);
    const offset = offsetOf(query.cursor);
    const all = await atw.viewApplications(db, deps, auditContext(request), viewer(request), query.participant_id);
    return pageOf(all, query.limit, offset, applicationJson);
  });

  const applicationCreateDoc = {
    summary:
      'Record an application to Access to Work for a person you may change: who applied (on whose behalf), when it was sent, its reference and status. `sent_date` is needed once it is sent, `decision_date` once it is decided',
    tag: TAG,
    body: ApplicationCreateSchema,
    response: ApplicationJsonSchema,
    status: 201,
  };
  app.post('/api/v1/access-to-work/applications', { config: { api: applicationCreateDoc } }, async (request, reply) => {
    const input = parseInput(ApplicationCreateSchema, request.body);
    const v = viewer(request);
    const created = await db.transaction().execute((trx) =>
      atw.createApplication(trx, deps, auditContext(request), v, input.participant_id, {
        appliedBy: input.applied_by,
        applicantName: input.applicant_name ?? null,
        sentDate: input.sent_date ?? null,
        reference: input.reference ?? null,
        status: input.status,
        decisionDate: input.decision_date ?? null,
        supportKind: input.support_kind,
        hoursPerWeek: input.hours_per_week ?? null,
        expectedStartDate: input.expected_start_date ?? null,
        renewsAwardId: input.renews_award_id ?? null,
        notes: input.notes ?? null,
      }),
    );
    return reply
      .status(201)
      .header('location', `/api/v1/access-to-work/applications/${created.id}`)
      .send(applicationJson(created));
  });

  const applicationUpdateDoc = {
    summary: 'Change an application: send the `version` you read and the fields to change; the rest keep their values',
    tag: TAG,
    body: ApplicationUpdateSchema,
    response: ApplicationJsonSchema,
  };
  app.patch('/api/v1/access-to-work/applications/:id', { config: { api: applicationUpdateDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const input = parseInput(ApplicationUpdateSchema, request.body);
    const v = viewer(request);
    const updated = await db.transaction().execute(async (trx) => {
      const participantId = await atw.participantOfApplication(trx, id);
      const current = await atw.getApplication(trx, v, participantId, id);
      return atw.updateApplication(
        trx,
        deps,
        auditContext(request),
        v,
        participantId,
        id,
        input.version,
        mergedApplication(current, input),
      );
    });
    return applicationJson(updated);
  });

  // ---- Claims ------------------------------------------------------------------------------------

  const claimListDoc = {
    summary:
      'Claims on one award (`award_id`) or on all of a person’s awards (`participant_id`), latest period first, each with its lines. A draft’s lines follow its contacts; a submitted claim never changes. The read is audited',
    tag: TAG,
    query: ClaimListQuerySchema,
    response: ClaimListJsonSchema,
  };
  app.get('/api/v1/access-to-work/claims', { config: { api: claimListDoc } }, async (request) => {
    const query = parseInput(ClaimListQuerySchema, request.query);
    const offset = offsetOf(query.cursor);
    let participantId = query.participant_id;
    if (query.award_id) {
      const owner = await atw.participantOfAward(db, query.award_id);
      if (participantId && participantId !== owner)
        throw new ValidationError({ award_id: 'award_id must be one of that person’s awards' });
      participantId = owner;
    }
    const all = await atw.viewClaims(db, deps, auditContext(request), viewer(request), participantId!, query.award_id);
    return pageOf(all, query.limit, offset, claimJson);
  });

  const claimCreateDoc = {
    summary:
      'Build a draft claim on an hourly award for a period (clipped to the award’s dates; left out, the last whole calendar month): one line a day of support charged to the award and not yet claimed, with its hours and amount at the award’s rate. One draft per award at a time; a period with nothing to claim is refused (422)',
    tag: TAG,
    body: ClaimCreateSchema,
    response: ClaimJsonSchema,
    status: 201,
  };
  app.post('/api/v1/access-to-work/claims', { config: { api: claimCreateDoc } }, async (request, reply) => {
    const input = parseInput(ClaimCreateSchema, request.body);
    const v = viewer(request);
    const period =
      input.period_start && input.period_end
        ? { start: input.period_start, end: input.period_end }
        : defaultClaimPeriod(londonDate(deps.clock.now()));
    const claim = await db.transaction().execute(async (trx) => {
      const participantId = await atw.participantOfAward(trx, input.award_id);
      return atw.buildClaim(trx, deps, auditContext(request), v, participantId, input.award_id, period);
    });
    return reply.status(201).header('location', `/api/v1/access-to-work/claims/${claim.id}`).send(claimJson(claim));
  });

  const claimReadDoc = {
    summary: 'One claim with its lines and totals (the read is audited)',
    tag: TAG,
    response: ClaimJsonSchema,
  };
  app.get('/api/v1/access-to-work/claims/:id', { config: { api: claimReadDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const participantId = await atw.participantOfClaim(db, id);
    return claimJson(await atw.viewClaim(db, deps, auditContext(request), viewer(request), participantId, id));
  });

  const claimUpdateDoc = {
    summary:
      'Submit a draft (`{ "version", "status": "submitted" }`): its lines and totals are fixed and its contacts locked, so editing or deleting them is refused from then on. Or record the payment of a submitted claim (`{ "version", "status": "paid", "paid_date", "paid_pence" }`; `paid_pence` defaults to the total)',
    tag: TAG,
    body: ClaimUpdateSchema,
    response: ClaimJsonSchema,
  };
  app.patch('/api/v1/access-to-work/claims/:id', { config: { api: claimUpdateDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const input = parseInput(ClaimUpdateSchema, request.body);
    const v = viewer(request);
    const ctx = auditContext(request);
    const claim = await db.transaction().execute(async (trx) => {
      const participantId = await atw.participantOfClaim(trx, id);
      if (input.status === 'submitted') return atw.submitClaim(trx, deps, ctx, v, participantId, id, input.version);
      return atw.markPaid(trx, deps, ctx, v, participantId, id, input.version, {
        date: input.paid_date,
        pence: input.paid_pence ?? null,
      });
    });
    return claimJson(claim);
  });

  const claimDeleteDoc = {
    summary:
      'Delete a draft claim: send `{ "version" }`. Nothing was locked by a draft; a submitted claim cannot be deleted (422)',
    tag: TAG,
    body: ClaimDeleteSchema,
    status: 204,
  };
  app.delete('/api/v1/access-to-work/claims/:id', { config: { api: claimDeleteDoc } }, async (request, reply) => {
    const id = recordIdParam(request.params);
    const input = parseInput(ClaimDeleteSchema, request.body);
    const v = viewer(request);
    await db.transaction().execute(async (trx) => {
      const participantId = await atw.participantOfClaim(trx, id);
      await atw.deleteDraftClaim(trx, deps, auditContext(request), v, participantId, id, input.version);
    });
    return reply.status(204).send();
  });
}
