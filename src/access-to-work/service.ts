import { randomUUID } from 'node:crypto';
import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { newRecordColumns } from '../db/records.ts';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import * as audit from '../audit/service.ts';
import { londonTime } from '../calendar/bank-holidays.ts';
import type { Viewer } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import { dayText, londonDate } from '../referrals/rules.ts';
import * as settings from '../settings/service.ts';
import * as repo from './repo.ts';
import {
  type AppliedBy,
  type ApplicationStatus,
  type AwardTerms,
  type ClaimLine,
  type ClaimStatus,
  type DeliveryFigures,
  type SupportKind,
  type UnclaimedMonth,
  CHARGEABLE_PURPOSES,
  HOURLY_KINDS,
  awardProblems,
  claimSums,
  defaultAward,
  deliveryFigures,
  isActiveOn,
  minutesByDay,
  renewalAlertFrom,
  renewalDue,
  unclaimedMonths,
  weeklyDelivered,
} from './rules.ts';

// ---- Shapes --------------------------------------------------------------------------------------

export interface Application {
  id: string;
  participantId: string;
  appliedBy: AppliedBy;
  applicantName: string | null;
  sentDate: string | null;
  reference: string | null;
  status: ApplicationStatus;
  decisionDate: string | null;
  supportKind: SupportKind;
  hoursPerWeek: number | null;
  expectedStartDate: string | null;
  renewsAwardId: string | null;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ApplicationInput {
  appliedBy: AppliedBy;
  applicantName: string | null;
  sentDate: string | null;
  reference: string | null;
  status: ApplicationStatus;
  decisionDate: string | null;
  supportKind: SupportKind;
  hoursPerWeek: number | null;
  expectedStartDate: string | null;
  renewsAwardId: string | null;
  notes: string | null;
}

export interface Award extends AwardTerms {
  id: string;
  participantId: string;
  applicationId: string | null;
  placementId: string | null;
  coachUserId: string | null;
  coachName: string | null;
  reference: string | null;
  notes: string | null;
  renewsAwardId: string | null;
  /** The award that renews this one, once there is one. */
  renewedById: string | null;
  notRenewingReason: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface AwardInput extends AwardTerms {
  applicationId: string | null;
  placementId: string | null;
  /** Null means the person's practitioner. */
  coachUserId: string | null;
  reference: string | null;
  notes: string | null;
  renewsAwardId: string | null;
}

/** An award with what has been delivered and claimed against it so far. */
export interface AwardSummary extends Award {
  awardedMinutes: number;
  deliveredMinutes: number;
  /** In submitted or paid claims. */
  claimedMinutes: number;
  claimedPence: number;
  leftMinutes: number;
  renewalDue: boolean;
  renewalAlertFrom: string;
  active: boolean;
}

export interface Claim {
  id: string;
  awardId: string;
  participantId: string;
  awardReference: string | null;
  periodStart: string;
  periodEnd: string;
  status: ClaimStatus;
  hourlyRatePence: number;
  lines: ClaimLine[];
  totalMinutes: number;
  totalPence: number;
  submittedAt: string | null;
  submittedByName: string | null;
  paidDate: string | null;
  paidPence: number | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

// ---- Mapping -------------------------------------------------------------------------------------

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

function toApplication(r: repo.ApplicationRow): Application {
  return {
    id: r.id,
    participantId: r.participant_id,
    appliedBy: r.applied_by as AppliedBy,
    applicantName: r.applicant_name,
    sentDate: r.sent_date,
    reference: r.reference,
    status: r.status as ApplicationStatus,
    decisionDate: r.decision_date,
    supportKind: r.support_kind as SupportKind,
    hoursPerWeek: num(r.hours_per_week),
    expectedStartDate: r.expected_start_date,
    renewsAwardId: r.renews_award_id,
    notes: r.notes,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

export function toAward(r: repo.AwardListRow): Award {
  return {
    id: r.id,
    participantId: r.participant_id,
    applicationId: r.application_id,
    placementId: r.placement_id,
    coachUserId: r.coach_user_id,
    coachName: r.coach_name,
    reference: r.reference,
    supportKind: r.support_kind as SupportKind,
    startDate: r.start_date,
    endDate: r.end_date,
    hoursPerWeek: num(r.hours_per_week),
    hoursTotal: num(r.hours_total),
    hourlyRatePence: num(r.hourly_rate_pence),
    totalAmountPence: num(r.total_amount_pence),
    employerContributionPence: num(r.employer_contribution_pence),
    notes: r.notes,
    renewsAwardId: r.renews_award_id,
    renewedById: r.renewed_by_id,
    notRenewingReason: r.not_renewing_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

const clean = (v: string | null | undefined): string | null => v?.replace(/\r\n/g, '\n').trim() || null;

// ---- Access --------------------------------------------------------------------------------------

/**
 * Access to Work records are the service's finance and the person's: the practitioners and
 * managers who see the person. Clinicians and everyone else get 404, as for a record they
 * cannot see.
 */
async function loadPerson(db: DbOrTrx, viewer: Viewer, participantId: string, change: boolean) {
  const p = await participants.loadVisible(db, viewer, participantId);
  if (viewer.role !== 'practitioner' && viewer.role !== 'manager') throw new NotFoundError('Participant not found');
  if (change && !p.canEdit) throw new RuleError('You can read this record but not change it');
  return p;
}

async function loadAward(db: DbOrTrx, participantId: string, awardId: string): Promise<Award> {
  const row = await repo.findAward(db, awardId);
  if (!row || row.participant_id !== participantId) throw new NotFoundError('Award not found');
  return toAward(row);
}

const today = (deps: Deps) => londonDate(deps.clock.now());

// ---- Applications --------------------------------------------------------------------------------

async function checkApplication(db: DbOrTrx, participantId: string, input: ApplicationInput): Promise<void> {
  const fields: Record<string, string> = {};
  if (input.status !== 'preparing' && !input.sentDate) fields.sent_date = 'Enter the date the application was sent';
  if (input.decisionDate && input.sentDate && input.decisionDate < input.sentDate)
    fields.decision_date = 'Decision date must be on or after the date it was sent';
  if ((input.status === 'awarded' || input.status === 'refused') && !input.decisionDate)
    fields.decision_date = 'Enter the date of the decision';
  if (input.hoursPerWeek !== null && !(input.hoursPerWeek > 0 && input.hoursPerWeek <= 168))
    fields.hours_per_week = 'Hours a week must be more than 0 and at most 168';
  if (input.renewsAwardId) {
    const renewed = await repo.findAward(db, input.renewsAwardId);
    if (!renewed || renewed.participant_id !== participantId)
      fields.renews_award_id = 'Select one of this person’s awards, or none';
  }
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
}

export async function createApplication(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  input: ApplicationInput,
): Promise<Application> {
  await loadPerson(db, viewer, participantId, true);
  await checkApplication(db, participantId, input);
  const row: repo.ApplicationRow = {
    ...newRecordColumns(deps.clock),
    participant_id: participantId,
    applied_by: input.appliedBy,
    applicant_name: clean(input.applicantName),
    sent_date: input.sentDate,
    reference: clean(input.reference),
    status: input.status,
    decision_date: input.decisionDate,
    support_kind: input.supportKind,
    hours_per_week: input.hoursPerWeek,
    expected_start_date: input.expectedStartDate,
    renews_award_id: input.renewsAwardId,
    notes: clean(input.notes),
    created_by_user_id: viewer.userId,
  };
  await repo.insertApplication(db, row);
  await audit.record(db, deps, ctx, {
    action: 'atw_application.created',
    entityType: 'participant',
    entityId: participantId,
    details: { application_id: row.id, status: row.status },
  });
  return toApplication(row);
}

export async function getApplication(db: DbOrTrx, viewer: Viewer, participantId: string, id: string): Promise<Application> {
  await loadPerson(db, viewer, participantId, false);
  const row = await repo.findApplication(db, id);
  if (!row || row.participant_id !== participantId) throw new NotFoundError('Application not found');
  return toApplication(row);
}

export async function updateApplication(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  id: string,
  version: number,
  input: ApplicationInput,
): Promise<Application> {
  await loadPerson(db, viewer, participantId, true);
  const current = await getApplication(db, viewer, participantId, id);
  if (current.version !== version) throw new ConflictError('Someone else changed this application after you opened it');
  await checkApplication(db, participantId, input);
  const set: Partial<repo.ApplicationRow> = {
    applied_by: input.appliedBy,
    applicant_name: clean(input.applicantName),
    sent_date: input.sentDate,
    reference: clean(input.reference),
    status: input.status,
    decision_date: input.decisionDate,
    support_kind: input.supportKind,
    hours_per_week: input.hoursPerWeek,
    expected_start_date: input.expectedStartDate,
    renews_award_id: input.renewsAwardId,
    notes: clean(input.notes),
    updated_at: deps.clock.now().toISOString(),
  };
  if ((await repo.updateApplication(db, id, version, set)) === 0) throw new ConflictError();
  await audit.record(db, deps, ctx, {
    action: 'atw_application.updated',
    entityType: 'participant',
    entityId: participantId,
    details: { application_id: id, status: input.status },
  });
  return toApplication((await repo.findApplication(db, id))!);
}

// ---- Awards --------------------------------------------------------------------------------------

async function checkAward(db: DbOrTrx, participantId: string, input: AwardInput, selfId: string | null): Promise<void> {
  const fields = awardProblems(input);
  if (input.placementId) {
    const job = await db.selectFrom('placements').select('participant_id').where('id', '=', input.placementId).executeTakeFirst();
    if (!job || job.participant_id !== participantId) fields.placement_id = 'Select one of this person’s jobs, or none';
  }
  if (input.applicationId) {
    const app = await repo.findApplication(db, input.applicationId);
    if (!app || app.participant_id !== participantId) fields.application_id = 'Select one of this person’s applications, or none';
  }
  if (input.renewsAwardId) {
    const old = await repo.findAward(db, input.renewsAwardId);
    if (!old || old.participant_id !== participantId || old.id === selfId)
      fields.renews_award_id = 'Select one of this person’s other awards, or none';
    else if (old.renewed_by_id && old.renewed_by_id !== selfId) fields.renews_award_id = 'That award has already been renewed';
    else if (input.startDate <= old.start_date) fields.start_date = 'A renewal must start after the award it renews started';
  }
  if (input.coachUserId) {
    const coach = await db.selectFrom('users').select(['role', 'active']).where('id', '=', input.coachUserId).executeTakeFirst();
    if (!coach || Number(coach.active) !== 1 || (coach.role !== 'practitioner' && coach.role !== 'manager'))
      fields.coach_user_id = 'Select a coach from the list';
  }
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
}

function awardValues(input: AwardInput, coachUserId: string | null) {
  return {
    application_id: input.applicationId,
    placement_id: input.placementId,
    coach_user_id: coachUserId,
    reference: clean(input.reference),
    support_kind: input.supportKind,
    start_date: input.startDate,
    end_date: input.endDate,
    hours_per_week: input.hoursPerWeek,
    hours_total: input.hoursTotal,
    hourly_rate_pence: input.hourlyRatePence,
    total_amount_pence: input.totalAmountPence,
    employer_contribution_pence: input.employerContributionPence,
    notes: clean(input.notes),
    renews_award_id: input.renewsAwardId,
  };
}

/** Records an award from its letter. A linked application is marked awarded. */
export async function createAward(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  input: AwardInput,
): Promise<Award> {
  const person = await loadPerson(db, viewer, participantId, true);
  await checkAward(db, participantId, input, null);
  const row: repo.AwardRow = {
    ...newRecordColumns(deps.clock),
    participant_id: participantId,
    ...awardValues(input, input.coachUserId ?? person.practitionerId),
    not_renewing_reason: null,
    created_by_user_id: viewer.userId,
  };
  await repo.insertAward(db, row);
  if (input.applicationId) {
    const app = (await repo.findApplication(db, input.applicationId))!;
    if (app.status === 'preparing' || app.status === 'sent')
      await repo.updateApplication(db, app.id, Number(app.version), {
        status: 'awarded',
        decision_date: app.decision_date ?? today(deps),
        updated_at: row.created_at,
      });
  }
  await audit.record(db, deps, ctx, {
    action: 'atw_award.created',
    entityType: 'participant',
    entityId: participantId,
    details: {
      award_id: row.id,
      support_kind: row.support_kind,
      ...(row.renews_award_id ? { renews_award_id: row.renews_award_id } : {}),
    },
  });
  return toAward((await repo.findAward(db, row.id))!);
}

export async function updateAward(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  awardId: string,
  version: number,
  input: AwardInput,
): Promise<Award> {
  const person = await loadPerson(db, viewer, participantId, true);
  const current = await loadAward(db, participantId, awardId);
  if (current.version !== version) throw new ConflictError('Someone else changed this award after you opened it');
  await checkAward(db, participantId, input, awardId);
  const set = {
    ...awardValues(input, input.coachUserId ?? current.coachUserId ?? person.practitionerId),
    updated_at: deps.clock.now().toISOString(),
  };
  if ((await repo.updateAward(db, awardId, version, set)) === 0) throw new ConflictError();
  await audit.record(db, deps, ctx, {
    action: 'atw_award.updated',
    entityType: 'participant',
    entityId: participantId,
    details: { award_id: awardId },
  });
  return toAward((await repo.findAward(db, awardId))!);
}

/** Records that an award will not be renewed (which stops the renewal alert), or undoes it with null. */
export async function setNotRenewing(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  awardId: string,
  version: number,
  reason: string | null,
): Promise<Award> {
  await loadPerson(db, viewer, participantId, true);
  const current = await loadAward(db, participantId, awardId);
  if (current.version !== version) throw new ConflictError('Someone else changed this award after you opened it');
  const set = { not_renewing_reason: clean(reason), updated_at: deps.clock.now().toISOString() };
  if ((await repo.updateAward(db, awardId, version, set)) === 0) throw new ConflictError();
  await audit.record(db, deps, ctx, {
    action: set.not_renewing_reason ? 'atw_award.not_renewing' : 'atw_award.renewal_expected',
    entityType: 'participant',
    entityId: participantId,
    details: { award_id: awardId },
  });
  return toAward((await repo.findAward(db, awardId))!);
}

/** Awards with their delivered and claimed figures, from one query of their charged contacts and one of their claims. */
export async function summarise(
  db: DbOrTrx,
  awards: readonly Award[],
  day: string,
  renewalWeeks: number,
): Promise<AwardSummary[]> {
  const ids = awards.map((a) => a.id);
  const [contacts, claims] = await Promise.all([repo.chargedContacts(db, ids), repo.claimsFor(db, ids)]);
  return awards.map((a) => {
    const delivered = minutesByDay(contacts.filter((c) => c.atw_award_id === a.id).map(asCharged));
    const figures = deliveryFigures(a, delivered, day);
    const done = claims.filter((c) => c.award_id === a.id && c.status !== 'draft');
    return {
      ...a,
      awardedMinutes: figures.awardedMinutes,
      deliveredMinutes: figures.deliveredMinutes,
      claimedMinutes: done.reduce((s, c) => s + Number(c.total_minutes ?? 0), 0),
      claimedPence: done.reduce((s, c) => s + Number(c.total_pence ?? 0), 0),
      leftMinutes: figures.leftMinutes,
      renewalDue: renewalDue(
        { endDate: a.endDate, renewed: a.renewedById !== null, notRenewing: a.notRenewingReason !== null },
        day,
        renewalWeeks,
      ),
      renewalAlertFrom: renewalAlertFrom(a.endDate, renewalWeeks),
      active: isActiveOn(a, day),
    };
  });
}

function asCharged(c: repo.ChargedContactRow) {
  return { id: c.id, startedAt: c.started_at, durationMinutes: c.duration_minutes };
}

export interface AccessToWorkOverview {
  applications: Application[];
  awards: AwardSummary[];
  claims: ClaimHeader[];
}

export type ClaimHeader = Omit<Claim, 'lines'>;

/** Everything held on a person's Access to Work; the read is audited. */
export async function overview(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
): Promise<AccessToWorkOverview> {
  await loadPerson(db, viewer, participantId, false);
  const { atwRenewalWeeks } = await settings.getSettings(db);
  const awardRows = (await repo.awardsFor(db, participantId)).map(toAward);
  const [applications, awards, claimRows] = await Promise.all([
    repo.applicationsFor(db, participantId),
    summarise(db, awardRows, today(deps), atwRenewalWeeks),
    repo.claimsFor(
      db,
      awardRows.map((a) => a.id),
    ),
  ]);
  const claims = await Promise.all(claimRows.map((c) => claimOf(db, c)));
  await audit.record(db, deps, ctx, { action: 'atw.viewed', entityType: 'participant', entityId: participantId });
  return { applications: applications.map(toApplication), awards, claims: claims.map(({ lines: _lines, ...header }) => header) };
}

export interface AwardDetail {
  award: AwardSummary;
  figures: DeliveryFigures;
  weekly: { weekStart: string; minutes: number }[];
  claims: ClaimHeader[];
  unclaimed: UnclaimedMonth[];
  renews: Award | null;
  renewedBy: Award | null;
}

/** One award with its figures per month, weekly delivery (for the chart), claims and unclaimed months; the read is audited. */
export async function awardDetail(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  awardId: string,
): Promise<AwardDetail> {
  await loadPerson(db, viewer, participantId, false);
  const award = await loadAward(db, participantId, awardId);
  const { atwRenewalWeeks, atwClaimLimitMonths } = await settings.getSettings(db);
  const day = today(deps);
  const contacts = await repo.chargedContacts(db, [awardId]);
  const delivered = minutesByDay(contacts.map(asCharged));
  const unclaimed = minutesByDay(contacts.filter((c) => c.atw_claim_id === null).map(asCharged));
  const [summary] = await summarise(db, [award], day, atwRenewalWeeks);
  const claims = await Promise.all((await repo.claimsFor(db, [awardId])).map((c) => claimOf(db, c)));
  const renews = award.renewsAwardId ? toAward((await repo.findAward(db, award.renewsAwardId))!) : null;
  const renewedBy = award.renewedById ? toAward((await repo.findAward(db, award.renewedById))!) : null;
  await audit.record(db, deps, ctx, {
    action: 'atw.viewed',
    entityType: 'participant',
    entityId: participantId,
    details: { award_id: awardId },
  });
  return {
    award: summary!,
    figures: deliveryFigures(award, delivered, day),
    weekly: weeklyDelivered(award, delivered, day),
    claims: claims.map(({ lines: _lines, ...header }) => header),
    unclaimed: unclaimedMonths(unclaimed, day, atwClaimLimitMonths),
    renews,
    renewedBy,
  };
}

/** An award of the person's, unaudited, for forms. */
export async function getAward(db: DbOrTrx, viewer: Viewer, participantId: string, awardId: string): Promise<Award> {
  await loadPerson(db, viewer, participantId, false);
  return loadAward(db, participantId, awardId);
}

/** A person's awards and applications, unaudited, for forms (the renewal and application pickers). */
export async function listFor(db: DbOrTrx, viewer: Viewer, participantId: string) {
  await loadPerson(db, viewer, participantId, false);
  const [awards, applications] = await Promise.all([repo.awardsFor(db, participantId), repo.applicationsFor(db, participantId)]);
  return { awards: awards.map(toAward), applications: applications.map(toApplication) };
}

// ---- Charging contacts ---------------------------------------------------------------------------

/** The person's hourly awards a contact can be charged to (for the contact form). */
export async function chargeableAwards(db: DbOrTrx, participantId: string): Promise<Award[]> {
  return (await repo.awardsFor(db, participantId)).map(toAward).filter((a) => HOURLY_KINDS.includes(a.supportKind));
}

/**
 * Which award a contact is charged to. `requested` null means none; an id must be one of the
 * person's hourly awards covering the contact's day (400 on `atw_award_id` otherwise); left
 * out, in-work support is charged to the person's one active job-coach award, if they have
 * exactly one on that day.
 */
export async function resolveCharge(
  db: DbOrTrx,
  participantId: string,
  purpose: string,
  startedAt: string,
  requested: string | null | undefined,
): Promise<string | null> {
  if (requested === null) return null;
  const day = londonTime(new Date(startedAt)).day;
  const awards = await chargeableAwards(db, participantId);
  if (requested === undefined) {
    if (!(CHARGEABLE_PURPOSES as readonly string[]).includes(purpose)) return null;
    return defaultAward(awards, day)?.id ?? null;
  }
  const award = awards.find((a) => a.id === requested);
  if (!award)
    throw new ValidationError({ atw_award_id: 'Select one of this person’s Access to Work awards for hourly support, or none' });
  if (!isActiveOn(award, day))
    throw new ValidationError({
      atw_award_id: `That award runs from ${dayText(award.startDate)} to ${dayText(award.endDate)}: the contact’s date is outside it`,
    });
  return award.id;
}

/**
 * Refuses (422, with the reason) a change to a contact locked in a submitted claim, so a
 * submitted claim can never silently change.
 */
export async function assertContactUnlocked(db: DbOrTrx, contact: { atw_claim_id: string | null }): Promise<void> {
  const reason = await contactLockReason(db, contact);
  if (reason) throw new RuleError(reason);
}

/** Why a contact cannot change (it is in a submitted claim), in words; null when it can. */
export async function contactLockReason(db: DbOrTrx, contact: { atw_claim_id: string | null }): Promise<string | null> {
  if (!contact.atw_claim_id) return null;
  const claim = await repo.findClaim(db, contact.atw_claim_id);
  const when = claim?.submitted_at ? ` on ${dayText(londonDate(new Date(claim.submitted_at)))}` : '';
  const period = claim ? ` for ${dayText(claim.period_start)} to ${dayText(claim.period_end)}` : '';
  return (
    `This contact is part of an Access to Work claim${period} that was submitted${when}, so it cannot be changed or deleted. ` +
    'If it is wrong, tell Access to Work and log a correcting note.'
  );
}

// ---- Claims --------------------------------------------------------------------------------------

async function claimOf(db: DbOrTrx, row: repo.ClaimListRow): Promise<Claim> {
  let lines: ClaimLine[];
  let totalMinutes: number;
  let totalPence: number;
  const rate = Number(row.hourly_rate_pence ?? 0);
  if (row.status === 'draft') {
    // A draft is worked out from the contacts each time, so it follows edits until it is submitted.
    const sums = claimSums(
      (await repo.unclaimedContacts(db, row.award_id, row.period_start, row.period_end)).map(asCharged),
      rate,
    );
    ({ lines, totalMinutes, totalPence } = sums);
  } else {
    lines = (await repo.linesOf(db, row.id)).map((l) => ({
      day: l.day,
      minutes: Number(l.minutes),
      amountPence: Number(l.amount_pence),
      contacts: Number(l.contacts),
    }));
    totalMinutes = Number(row.total_minutes ?? 0);
    totalPence = Number(row.total_pence ?? 0);
  }
  return {
    id: row.id,
    awardId: row.award_id,
    participantId: row.participant_id,
    awardReference: row.award_reference,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    status: row.status as ClaimStatus,
    hourlyRatePence: rate,
    lines,
    totalMinutes,
    totalPence,
    submittedAt: row.submitted_at,
    submittedByName: row.submitted_by_name,
    paidDate: row.paid_date,
    paidPence: num(row.paid_pence),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: Number(row.version),
  };
}

/**
 * Starts a claim on an hourly award for a period (clipped to the award's dates): a draft that
 * holds every charged contact in the period not yet in a submitted claim. One draft per award
 * at a time; a period with nothing to claim is refused.
 */
export async function buildClaim(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  awardId: string,
  period: { start: string; end: string },
): Promise<Claim> {
  await loadPerson(db, viewer, participantId, true);
  const award = await loadAward(db, participantId, awardId);
  if (!HOURLY_KINDS.includes(award.supportKind) || award.hourlyRatePence === null)
    throw new RuleError('Claims are built from support hours: this award is not for hourly support');
  if (period.end < period.start) throw new ValidationError({ period_end: 'The end of the period must be on or after its start' });
  const start = period.start < award.startDate ? award.startDate : period.start;
  const end = period.end > award.endDate ? award.endDate : period.end;
  if (end < start)
    throw new ValidationError({
      period_start: `The award runs from ${dayText(award.startDate)} to ${dayText(award.endDate)}: choose a period inside it`,
    });
  const draft = await repo.draftFor(db, awardId);
  if (draft)
    throw new RuleError(
      `There is already a draft claim on this award, for ${dayText(draft.period_start)} to ${dayText(draft.period_end)}: submit or delete it first`,
    );
  const contacts = await repo.unclaimedContacts(db, awardId, start, end);
  if (contacts.length === 0)
    throw new RuleError(`There is no unclaimed support charged to this award between ${dayText(start)} and ${dayText(end)}`);
  const row: repo.ClaimRow = {
    ...newRecordColumns(deps.clock),
    award_id: awardId,
    participant_id: participantId,
    period_start: start,
    period_end: end,
    status: 'draft',
    hourly_rate_pence: award.hourlyRatePence,
    total_minutes: null,
    total_pence: null,
    submitted_at: null,
    submitted_by_user_id: null,
    paid_date: null,
    paid_pence: null,
    created_by_user_id: viewer.userId,
  };
  await repo.insertClaim(db, row);
  await audit.record(db, deps, ctx, {
    action: 'atw_claim.created',
    entityType: 'participant',
    entityId: participantId,
    details: { claim_id: row.id, award_id: awardId, period_start: start, period_end: end },
  });
  return claimOf(db, (await repo.findClaim(db, row.id))!);
}

async function loadClaim(db: DbOrTrx, participantId: string, claimId: string): Promise<repo.ClaimListRow> {
  const row = await repo.findClaim(db, claimId);
  if (!row || row.participant_id !== participantId) throw new NotFoundError('Claim not found');
  return row;
}

/** A claim with its lines (a draft's worked out now); the read is audited. */
export async function viewClaim(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  claimId: string,
): Promise<Claim> {
  await loadPerson(db, viewer, participantId, false);
  const claim = await claimOf(db, await loadClaim(db, participantId, claimId));
  await audit.record(db, deps, ctx, {
    action: 'atw_claim.viewed',
    entityType: 'participant',
    entityId: participantId,
    details: { claim_id: claimId },
  });
  return claim;
}

/**
 * Submits a draft: its lines and totals are copied and its contacts locked, in the caller's
 * transaction, so the claim never changes afterwards. Pass a transaction.
 */
export async function submitClaim(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  claimId: string,
  version: number,
): Promise<Claim> {
  await loadPerson(db, viewer, participantId, true);
  const row = await loadClaim(db, participantId, claimId);
  if (Number(row.version) !== version) throw new ConflictError('Someone else changed this claim after you opened it');
  if (row.status !== 'draft') throw new RuleError('This claim has already been submitted');
  const contacts = await repo.unclaimedContacts(db, row.award_id, row.period_start, row.period_end);
  if (contacts.length === 0) throw new RuleError('There is no unclaimed support left in this period: delete the draft instead');
  const rate = Number(row.hourly_rate_pence);
  const sums = claimSums(contacts.map(asCharged), rate);
  const now = deps.clock.now().toISOString();
  if (
    (await repo.updateClaim(db, claimId, version, {
      status: 'submitted',
      total_minutes: sums.totalMinutes,
      total_pence: sums.totalPence,
      submitted_at: now,
      submitted_by_user_id: viewer.userId,
      updated_at: now,
    })) === 0
  )
    throw new ConflictError();
  await repo.insertLines(
    db,
    sums.lines.map((l) => ({
      id: randomUUID(),
      claim_id: claimId,
      day: l.day,
      minutes: l.minutes,
      amount_pence: l.amountPence,
      contacts: l.contacts,
    })),
  );
  const locked = await repo.lockContacts(
    db,
    claimId,
    contacts.map((c) => c.id),
  );
  if (locked !== contacts.length)
    throw new ConflictError('A contact in this claim changed while it was being submitted: try again');
  await audit.record(db, deps, ctx, {
    action: 'atw_claim.submitted',
    entityType: 'participant',
    entityId: participantId,
    details: { claim_id: claimId, total_pence: sums.totalPence, total_minutes: sums.totalMinutes, contacts: contacts.length },
  });
  return claimOf(db, (await repo.findClaim(db, claimId))!);
}

/** Records that Access to Work paid a submitted claim (the amount defaults to the claim's total). */
export async function markPaid(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  claimId: string,
  version: number,
  paid: { date: string; pence: number | null },
): Promise<Claim> {
  await loadPerson(db, viewer, participantId, true);
  const row = await loadClaim(db, participantId, claimId);
  if (Number(row.version) !== version) throw new ConflictError('Someone else changed this claim after you opened it');
  if (row.status !== 'submitted')
    throw new RuleError(row.status === 'paid' ? 'This claim is already marked paid' : 'Submit the claim before marking it paid');
  const submittedDay = londonDate(new Date(row.submitted_at!));
  if (paid.date < submittedDay)
    throw new ValidationError({
      paid_date: `Payment date must be on or after the day it was submitted (${dayText(submittedDay)})`,
    });
  if (paid.date > today(deps)) throw new ValidationError({ paid_date: 'Payment date cannot be in the future' });
  const set = {
    status: 'paid',
    paid_date: paid.date,
    paid_pence: paid.pence ?? Number(row.total_pence),
    updated_at: deps.clock.now().toISOString(),
  };
  if ((await repo.updateClaim(db, claimId, version, set)) === 0) throw new ConflictError();
  await audit.record(db, deps, ctx, {
    action: 'atw_claim.paid',
    entityType: 'participant',
    entityId: participantId,
    details: { claim_id: claimId, paid_pence: set.paid_pence },
  });
  return claimOf(db, (await repo.findClaim(db, claimId))!);
}

/** Deletes a draft claim (nothing was locked by it). */
export async function deleteDraftClaim(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  claimId: string,
  version: number,
): Promise<void> {
  await loadPerson(db, viewer, participantId, true);
  const row = await loadClaim(db, participantId, claimId);
  if (row.status !== 'draft') throw new RuleError('A submitted claim cannot be deleted');
  if ((await repo.deleteDraft(db, claimId, version)) === 0)
    throw new ConflictError('Someone else changed this claim after you opened it');
  await audit.record(db, deps, ctx, {
    action: 'atw_claim.deleted',
    entityType: 'participant',
    entityId: participantId,
    details: { claim_id: claimId },
  });
}

// ---- Alerts --------------------------------------------------------------------------------------

export interface AwardAlert {
  participantId: string;
  participantName: string;
  practitionerId: string | null;
  teamId: string | null;
  awardId: string;
  awardReference: string | null;
  supportKind: SupportKind;
  endDate: string;
}

export interface AtwAlerts {
  /** Awards from `atwRenewalWeeks` before their end, not renewed nor marked as not renewing. */
  renewals: (AwardAlert & { alertFrom: string })[];
  /** Ended calendar months with support charged but not in a submitted claim. */
  unclaimed: (AwardAlert & { month: UnclaimedMonth })[];
}

/**
 * Renewal and claim alerts for the awards of the people on these teams (null: every team), or
 * only those whose practitioner is `practitionerId`. Two queries whatever the number of awards.
 */
export async function alerts(
  db: DbOrTrx,
  scope: { teamIds: readonly string[] | null; practitionerId?: string },
  day: string,
): Promise<AtwAlerts> {
  const { atwRenewalWeeks, atwClaimLimitMonths } = await settings.getSettings(db);
  // Awards that ended before the claim limit cannot raise either alert.
  const since = londonDate(new Date(Date.parse(`${day}T12:00:00Z`) - (atwClaimLimitMonths + 3) * 31 * 86_400_000));
  // Every team's awards filtered to one practitioner's would read the whole service: ask for theirs.
  let rows =
    scope.teamIds === null && scope.practitionerId
      ? await repo.awardsForPractitioner(db, scope.practitionerId, since)
      : await repo.awardsForTeams(db, scope.teamIds, since);
  if (scope.practitionerId) rows = rows.filter((r) => r.practitioner_id === scope.practitionerId);
  const contacts = await repo.chargedContacts(
    db,
    rows.map((r) => r.id),
  );
  const out: AtwAlerts = { renewals: [], unclaimed: [] };
  for (const r of rows) {
    const a = toAward(r);
    const base: AwardAlert = {
      participantId: r.participant_id,
      participantName: `${r.given_name} ${r.family_name}`,
      practitionerId: r.practitioner_id,
      teamId: r.team_id,
      awardId: a.id,
      awardReference: a.reference,
      supportKind: a.supportKind,
      endDate: a.endDate,
    };
    if (
      renewalDue(
        { endDate: a.endDate, renewed: a.renewedById !== null, notRenewing: a.notRenewingReason !== null },
        day,
        atwRenewalWeeks,
      )
    )
      out.renewals.push({ ...base, alertFrom: renewalAlertFrom(a.endDate, atwRenewalWeeks) });
    const open = contacts.filter((c) => c.atw_award_id === a.id && c.atw_claim_id === null).map(asCharged);
    for (const month of unclaimedMonths(minutesByDay(open), day, atwClaimLimitMonths)) out.unclaimed.push({ ...base, month });
  }
  return out;
}

// ---- For the API ---------------------------------------------------------------------------------

/** The person an award belongs to (404 when there is none); the caller's service call then checks who may see them. */
export async function participantOfAward(db: DbOrTrx, awardId: string): Promise<string> {
  const row = await repo.findAward(db, awardId);
  if (!row) throw new NotFoundError('Award not found');
  return row.participant_id;
}

/** The person an application belongs to (404 when there is none). */
export async function participantOfApplication(db: DbOrTrx, applicationId: string): Promise<string> {
  const row = await repo.findApplication(db, applicationId);
  if (!row) throw new NotFoundError('Application not found');
  return row.participant_id;
}

/** The person a claim belongs to (404 when there is none). */
export async function participantOfClaim(db: DbOrTrx, claimId: string): Promise<string> {
  const row = await repo.findClaim(db, claimId);
  if (!row) throw new NotFoundError('Claim not found');
  return row.participant_id;
}

/**
 * A page of awards with their figures, newest start first: one person's, or those of everyone
 * the viewer may see (their caseload and their team's). Each person's read is audited.
 */
export async function pageAwards(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  filter: { participantId?: string | undefined; limit: number; offset: number },
): Promise<{ items: AwardSummary[]; hasMore: boolean }> {
  if (filter.participantId) await loadPerson(db, viewer, filter.participantId, false);
  if (viewer.role !== 'practitioner' && viewer.role !== 'manager') return { items: [], hasMore: false };
  // A manager without a team sees nobody.
  if (viewer.role === 'manager' && !viewer.teamId) return { items: [], hasMore: false };
  // One row more than the page says whether another page follows.
  const rows = await repo.pageAwards(
    db,
    {
      ...(filter.participantId ? { participantId: filter.participantId } : {}),
      teamIds: viewer.teamId ? [viewer.teamId] : [],
      ...(viewer.role === 'practitioner' ? { practitionerId: viewer.userId } : {}),
    },
    { limit: filter.limit + 1, offset: filter.offset },
  );
  const { atwRenewalWeeks } = await settings.getSettings(db);
  const items = await summarise(db, rows.slice(0, filter.limit).map(toAward), today(deps), atwRenewalWeeks);
  for (const participantId of new Set(items.map((a) => a.participantId))) {
    await audit.record(db, deps, ctx, {
      action: 'atw.viewed',
      entityType: 'participant',
      entityId: participantId,
      details: { awards: items.filter((a) => a.participantId === participantId).length },
    });
  }
  return { items, hasMore: rows.length > filter.limit };
}

/** One award with its delivered and claimed figures; the read is audited. */
export async function viewAward(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  awardId: string,
): Promise<AwardSummary> {
  await loadPerson(db, viewer, participantId, false);
  const award = await loadAward(db, participantId, awardId);
  const { atwRenewalWeeks } = await settings.getSettings(db);
  const [summary] = await summarise(db, [award], today(deps), atwRenewalWeeks);
  await audit.record(db, deps, ctx, {
    action: 'atw.viewed',
    entityType: 'participant',
    entityId: participantId,
    details: { award_id: awardId },
  });
  return summary!;
}

/** A person's applications, newest first; the read is audited. */
export async function viewApplications(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
): Promise<Application[]> {
  await loadPerson(db, viewer, participantId, false);
  const rows = await repo.applicationsFor(db, participantId);
  await audit.record(db, deps, ctx, {
    action: 'atw.viewed',
    entityType: 'participant',
    entityId: participantId,
    details: { applications: rows.length },
  });
  return rows.map(toApplication);
}

/** A person's claims (or one award's), latest period first, with their lines; the read is audited. */
export async function viewClaims(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  awardId?: string,
): Promise<Claim[]> {
  await loadPerson(db, viewer, participantId, false);
  const awardIds = awardId
    ? [(await loadAward(db, participantId, awardId)).id]
    : (await repo.awardsFor(db, participantId)).map((a) => a.id);
  // A draft's lines are worked out from its contacts: at most one draft per award.
  const claims = await Promise.all((await repo.claimsFor(db, awardIds)).map((c) => claimOf(db, c)));
  await audit.record(db, deps, ctx, {
    action: 'atw.viewed',
    entityType: 'participant',
    entityId: participantId,
    details: { claims: claims.length, ...(awardId ? { award_id: awardId } : {}) },
  });
  return claims;
}
