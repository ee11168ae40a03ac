import { randomUUID } from 'node:crypto';
import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { newRecordColumns } from '../db/records.ts';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import * as audit from '../audit/service.ts';
import * as contacts from '../contacts/service.ts';
import * as participants from '../participants/service.ts';
import type { Viewer } from '../participants/rules.ts';
import * as settings from '../settings/service.ts';
import * as teams from '../teams/service.ts';
import * as repo from './repo.ts';
import {
  type AttemptMethod,
  type CloseReason,
  type ReferralSource,
  type ReferralStatus,
  addReferralProblem,
  closeProblem,
  dayText,
  dischargeReason,
  firstContactTiming,
  londonDate,
  startReferral,
  summariseAttempts,
} from './rules.ts';

export interface ContactAttempt {
  id: string;
  attemptedAt: string;
  method: AttemptMethod;
  note: string | null;
  createdByUserId: string | null;
  createdAt: string;
}

export interface Referral {
  id: string;
  participantId: string;
  source: ReferralSource;
  referrerName: string | null;
  referrerOrganisation: string | null;
  referrerContact: string | null;
  clinicalTeamId: string | null;
  careCoordinator: string | null;
  receivedDate: string;
  acceptedDate: string | null;
  firstContactDate: string | null;
  whatTheyWant: string | null;
  notes: string | null;
  inWorkAtReferral: boolean;
  status: ReferralStatus;
  closedDate: string | null;
  closeReason: CloseReason | null;
  closeNote: string | null;
  createdByUserId: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  contactAttempts: ContactAttempt[];
  /** Days from the received date to first contact (or to today, or the close date, while there is none). */
  daysToFirstContact: number;
  firstContactOverdue: boolean;
}

/** What a new referral says; nothing about diagnosis, convictions, health, benefits or readiness (zero exclusion). */
export interface ReferralInput {
  source: ReferralSource;
  referrerName?: string | null;
  referrerOrganisation?: string | null;
  referrerContact?: string | null;
  clinicalTeamId?: string | null;
  careCoordinator?: string | null;
  receivedDate: string;
  acceptedDate?: string | null;
  firstContactDate?: string | null;
  whatTheyWant?: string | null;
  inWorkAtReferral?: boolean;
  notes?: string | null;
}

/** What may change on an open referral; `close` closes it. */
export interface ReferralChanges {
  acceptedDate?: string;
  firstContactDate?: string | null;
  close?: { reason: CloseReason; note?: string | null };
}

const text = (v: string | null | undefined): string | null =>
  v === undefined || v === null || v.trim() === '' ? null : v.trim();

/** Runs `fn` in the caller's transaction, or in a new one. */
async function inTransaction<T>(db: DbOrTrx, fn: (trx: DbOrTrx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute(fn);
}

function today(deps: Deps): string {
  return londonDate(deps.clock.now());
}

function toAttempt(r: repo.ContactAttemptRow): ContactAttempt {
  return {
    id: r.id,
    attemptedAt: r.attempted_at,
    method: r.method as AttemptMethod,
    note: r.note,
    createdByUserId: r.created_by_user_id,
    createdAt: r.created_at,
  };
}

function toReferral(
  r: repo.ReferralRow,
  attempts: repo.ContactAttemptRow[],
  day: string,
  targetDays: number,
  firstLogged: string | undefined,
): Referral {
  // First contact is the earlier of a recorded first-contact date and the first logged contact.
  const firstContact = [r.first_contact_date, firstLogged].filter((d): d is string => Boolean(d)).sort()[0] ?? null;
  const timing = firstContactTiming(
    { receivedDate: r.received_date, firstContactDate: firstContact, closedDate: r.closed_date },
    day,
    targetDays,
  );
  return {
    id: r.id,
    participantId: r.participant_id,
    source: r.source as ReferralSource,
    referrerName: r.referrer_name,
    referrerOrganisation: r.referrer_organisation,
    referrerContact: r.referrer_contact,
    clinicalTeamId: r.clinical_team_id,
    careCoordinator: r.care_coordinator,
    receivedDate: r.received_date,
    acceptedDate: r.accepted_date,
    firstContactDate: firstContact,
    whatTheyWant: r.what_they_want,
    notes: r.notes,
    inWorkAtReferral: Number(r.in_work_at_referral) === 1,
    status: r.status as ReferralStatus,
    closedDate: r.closed_date,
    closeReason: r.close_reason as CloseReason | null,
    closeNote: r.close_note,
    createdByUserId: r.created_by_user_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
    contactAttempts: attempts.filter((a) => a.referral_id === r.id).map(toAttempt),
    daysToFirstContact: timing.days,
    firstContactOverdue: timing.overdue,
  };
}

/** Referrals with their contact attempts and timing: three queries whatever the number of rows. */
async function hydrate(db: DbOrTrx, deps: Deps, rows: repo.ReferralRow[]): Promise<Referral[]> {
  const [attempts, s, logged] = await Promise.all([
    repo.attemptsFor(
      db,
      rows.map((r) => r.id),
    ),
    settings.getSettings(db),
    contacts.firstContactDays(
      db,
      rows.map((r) => ({ id: r.id, participantId: r.participant_id, receivedDate: r.received_date })),
    ),
  ]);
  const day = today(deps);
  return rows.map((r) => toReferral(r, attempts, day, s.firstContactTargetDays, logged.get(r.id)));
}

/** The API shape (DESIGN.md section 1 field names). */
export function referralJson(r: Referral): Record<string, unknown> {
  return {
    id: r.id,
    participant_id: r.participantId,
    source: r.source,
    referrer_name: r.referrerName,
    referrer_organisation: r.referrerOrganisation,
    referrer_contact: r.referrerContact,
    clinical_team_id: r.clinicalTeamId,
    care_coordinator: r.careCoordinator,
    received_date: r.receivedDate,
    accepted_date: r.acceptedDate,
    first_contact_date: r.firstContactDate,
    what_they_want: r.whatTheyWant,
    in_work_at_referral: r.inWorkAtReferral,
    notes: r.notes,
    status: r.status,
    closed_date: r.closedDate,
    close_reason: r.closeReason,
    close_note: r.closeNote,
    days_to_first_contact: r.daysToFirstContact,
    first_contact_overdue: r.firstContactOverdue,
    contact_attempts: r.contactAttempts.map((a) => ({
      id: a.id,
      attempted_at: a.attemptedAt,
      method: a.method,
      note: a.note,
      created_at: a.createdAt,
    })),
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    version: r.version,
  };
}

/** Problems with a referral's dates and clinical team, by field; empty when it is fine. */
async function referralProblems(db: DbOrTrx, day: string, input: ReferralInput): Promise<Record<string, string>> {
  const errors: Record<string, string> = {};
  if (input.receivedDate > day) errors.received_date = 'Date received must be today or in the past';
  if (input.acceptedDate) {
    if (input.acceptedDate < input.receivedDate) errors.accepted_date = 'Date accepted must be on or after the date received';
    else if (input.acceptedDate > day) errors.accepted_date = 'Date accepted must be today or in the past';
  }
  if (input.firstContactDate) {
    if (input.firstContactDate < input.receivedDate)
      errors.first_contact_date = 'Date of first contact must be on or after the date received';
    else if (input.firstContactDate > day) errors.first_contact_date = 'Date of first contact must be today or in the past';
  }
  if (input.clinicalTeamId) {
    const found = await teams.getTeam(db, input.clinicalTeamId).catch(() => undefined);
    if (!found) errors.clinical_team_id = 'Select a clinical team from the list';
  }
  return errors;
}

async function insertReferral(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  input: ReferralInput,
  reReferral: boolean,
): Promise<Referral> {
  const start = startReferral(input);
  const row: repo.ReferralRow = {
    ...newRecordColumns(deps.clock),
    participant_id: participantId,
    source: input.source,
    referrer_name: text(input.referrerName),
    referrer_organisation: text(input.referrerOrganisation),
    referrer_contact: text(input.referrerContact),
    clinical_team_id: input.clinicalTeamId ?? null,
    care_coordinator: text(input.careCoordinator),
    received_date: input.receivedDate,
    accepted_date: start.acceptedDate,
    first_contact_date: input.firstContactDate ?? null,
    what_they_want: text(input.whatTheyWant),
    notes: text(input.notes),
    in_work_at_referral: input.inWorkAtReferral ? 1 : 0,
    status: start.status,
    closed_date: null,
    close_reason: null,
    close_note: null,
    created_by_user_id: viewer.userId,
  };
  await repo.insert(db, row);
  // Ids and categories only: what the referrer wrote stays in the record, not the trail.
  await audit.record(db, deps, ctx, {
    action: 'referral.created',
    entityType: 'referral',
    entityId: row.id,
    details: {
      participant_id: participantId,
      source: row.source,
      clinical_team_id: row.clinical_team_id,
      in_work_at_referral: input.inWorkAtReferral ?? false,
      re_referral: reReferral,
    },
  });
  return (await hydrate(db, deps, [row]))[0]!;
}

/**
 * The intake: creates the person (through the participants service, so possible duplicates are
 * refused with `DuplicatesFound` unless `allowDuplicates`) and their first referral, in one
 * transaction. Everyone referred is accepted: there is no screening.
 */
export async function createIntake(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  person: participants.ParticipantInput,
  referral: ReferralInput,
  options: { allowDuplicates?: boolean } = {},
): Promise<{ participant: participants.Participant; referral: Referral }> {
  const day = today(deps);
  const errors = await referralProblems(db, day, referral);
  if (person.dateOfBirth && person.dateOfBirth >= day) errors.date_of_birth = 'Date of birth must be in the past';
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return inTransaction(db, async (trx) => {
    const { participant } = await participants.createParticipant(trx, deps, ctx, viewer, person, {
      allowDuplicates: options.allowDuplicates ?? false,
    });
    const created = await insertReferral(trx, deps, ctx, viewer, participant.id, referral, false);
    return { participant, referral: created };
  });
}

/**
 * A referral for someone already known. A discharged person starts a new episode: their status
 * goes back to `referred` and every earlier episode is kept (one still open when they were
 * discharged is marked ended on the day of discharge). Anyone else may have one open referral at
 * a time (422 with the reason). `participantVersion`, when sent, must be current (409 if not).
 */
export async function addReferral(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  input: ReferralInput,
  options: { participantVersion?: number } = {},
): Promise<{ participant: participants.Participant; referral: Referral; reReferral: boolean }> {
  return inTransaction(db, async (trx) => {
    const current = await participants.loadEditable(trx, viewer, participantId);
    if (options.participantVersion !== undefined && options.participantVersion !== current.version) {
      throw new ConflictError('Someone else changed this person’s record after you opened it');
    }
    const errors = await referralProblems(trx, today(deps), input);
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const existing = await repo.listForParticipant(trx, participantId);
    const open = existing.filter((r) => r.status === 'open');
    const problem = addReferralProblem(current.status, open[0] ? { receivedDate: open[0].received_date } : undefined);
    if (problem) throw new RuleError(problem);
    const reReferral = current.status === 'discharged';
    if (reReferral && open.length > 0) {
      const history = await participants.statusHistory(trx, participantId);
      const discharged = [...history].reverse().find((h) => h.toStatus === 'discharged');
      const endedOn = discharged ? londonDate(new Date(discharged.changedAt)) : today(deps);
      for (const r of open) {
        const set = { status: 'ended', closed_date: endedOn, updated_at: deps.clock.now().toISOString() };
        if ((await repo.update(trx, r.id, Number(r.version), set)) === 0) throw new ConflictError();
      }
    }
    const referral = await insertReferral(trx, deps, ctx, viewer, participantId, input, reReferral);
    const participant = reReferral
      ? await participants.setStatus(trx, deps, ctx, viewer, current, 'referred', 'Re-referred: a new episode started')
      : current;
    return { participant, referral, reReferral };
  });
}

/** Every referral of a person the viewer may see, newest first (404 outside their scope). Not audited. */
export async function listReferrals(db: DbOrTrx, deps: Deps, viewer: Viewer, participantId: string): Promise<Referral[]> {
  await participants.loadVisible(db, viewer, participantId);
  return forViewer(viewer, await hydrate(db, deps, await repo.listForParticipant(db, participantId)));
}

/**
 * Clinicians see the free text of referrals their own clinical team made, and none of the
 * practitioners' working notes (contact attempts, closing notes); other episodes show only their
 * dates and outcome.
 */
export function forViewer(viewer: Viewer, referrals: Referral[]): Referral[] {
  if (viewer.role !== 'clinician') return referrals;
  return referrals.map((r) => {
    const ownTeam = viewer.teamId !== null && r.clinicalTeamId === viewer.teamId;
    return {
      ...r,
      notes: ownTeam ? r.notes : null,
      whatTheyWant: ownTeam ? r.whatTheyWant : null,
      closeNote: null,
      contactAttempts: r.contactAttempts.map((a) => ({ ...a, note: null })),
    };
  });
}

/** A person and all their referrals, for their referrals page; the read is audited. */
export async function viewReferrals(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
): Promise<{ participant: participants.ParticipantView; referrals: Referral[] }> {
  const participant = await participants.loadVisible(db, viewer, participantId);
  const referrals = forViewer(viewer, await hydrate(db, deps, await repo.listForParticipant(db, participantId)));
  await audit.record(db, deps, ctx, {
    action: 'referral.viewed',
    entityType: 'participant',
    entityId: participantId,
    details: { referrals: referrals.length },
  });
  return { participant, referrals };
}

function cursorKey(r: Referral): string {
  return JSON.stringify([r.receivedDate, r.createdAt, r.id]);
}

function parseKey(key: string | undefined): repo.ReferralKey | undefined {
  if (key === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(key);
    if (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'string')) {
      const [receivedDate, createdAt, id] = v as [string, string, string];
      return { receivedDate, createdAt, id };
    }
  } catch {
    // fall through to the refusal below
  }
  throw new ValidationError({ cursor: 'Cursor is not valid' });
}

/** A page of a person's referrals for the API, newest first; the read is audited. */
export async function pageReferrals(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  limit: number,
  after?: string,
): Promise<{ items: Referral[]; next: string | null }> {
  await participants.loadVisible(db, viewer, participantId);
  const rows = await repo.pageForParticipant(db, participantId, limit + 1, parseKey(after));
  const items = forViewer(viewer, await hydrate(db, deps, rows.slice(0, limit)));
  await audit.record(db, deps, ctx, {
    action: 'referral.viewed',
    entityType: 'participant',
    entityId: participantId,
    details: { referrals: items.length },
  });
  const last = items[items.length - 1];
  return { items, next: rows.length > limit && last ? cursorKey(last) : null };
}

/** The referral, checked to belong to the person, the viewer allowed to change it, and the version current. */
async function loadForChange(db: DbOrTrx, viewer: Viewer, participantId: string, referralId: string, version: number) {
  const participant = await participants.loadEditable(db, viewer, participantId);
  const row = await repo.findById(db, referralId);
  if (!row || row.participant_id !== participantId) throw new NotFoundError('Referral not found');
  if (Number(row.version) !== version) throw new ConflictError('Someone else changed this referral after you opened it');
  return { participant, row };
}

/**
 * Records one failed attempt to reach the person (the attempts decide whether a referral may
 * close for no contact). Only while the referral is open and before first contact.
 */
export async function recordContactAttempt(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  referralId: string,
  version: number,
  attempt: { attemptedAt: Date; method: AttemptMethod; note?: string | null },
): Promise<Referral> {
  return inTransaction(db, async (trx) => {
    const { row } = await loadForChange(trx, viewer, participantId, referralId, version);
    if (row.status !== 'open') throw new RuleError('This referral is closed, so no more contact attempts can be recorded');
    if (row.first_contact_date !== null)
      throw new RuleError(
        `First contact was made on ${dayText(row.first_contact_date)}, so there are no more attempts to record`,
      );
    const day = londonDate(attempt.attemptedAt);
    if (attempt.attemptedAt.getTime() > deps.clock.now().getTime())
      throw new ValidationError({ attempt_date: 'The attempt must be in the past' });
    if (day < row.received_date)
      throw new ValidationError({ attempt_date: 'The attempt must be on or after the date the referral was received' });
    const now = deps.clock.now().toISOString();
    // The referral's version moves too, so a close decided on an older list of attempts is refused.
    if ((await repo.update(trx, referralId, version, { updated_at: now })) === 0) throw new ConflictError();
    await repo.insertAttempt(trx, {
      id: randomUUID(),
      referral_id: referralId,
      attempted_at: attempt.attemptedAt.toISOString(),
      method: attempt.method,
      note: text(attempt.note),
      created_by_user_id: viewer.userId,
      created_at: now,
    });
    const [referral] = await hydrate(trx, deps, [(await repo.findById(trx, referralId))!]);
    await audit.record(trx, deps, ctx, {
      action: 'referral.contact_attempt_recorded',
      entityType: 'referral',
      entityId: referralId,
      details: { participant_id: participantId, method: attempt.method, attempts: referral!.contactAttempts.length },
    });
    return referral!;
  });
}

/**
 * Changes an open referral: the acceptance date, the first-contact date, and closing it. Closing
 * for no contact is refused (422, with the reason) until enough attempts are recorded; closing
 * discharges the person, with the reason kept in their status history.
 */
export async function changeReferral(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  referralId: string,
  version: number,
  changes: ReferralChanges,
): Promise<Referral> {
  return inTransaction(db, async (trx) => {
    const { participant, row } = await loadForChange(trx, viewer, participantId, referralId, version);
    if (row.status !== 'open') throw new RuleError('This referral is closed, so it cannot be changed');
    const day = today(deps);
    const errors = await referralProblems(trx, day, {
      source: row.source as ReferralSource,
      receivedDate: row.received_date,
      ...(changes.acceptedDate !== undefined ? { acceptedDate: changes.acceptedDate } : {}),
      ...(changes.firstContactDate ? { firstContactDate: changes.firstContactDate } : {}),
    });
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);

    const set: Partial<repo.ReferralRow> = {};
    if (changes.acceptedDate !== undefined && changes.acceptedDate !== row.accepted_date)
      set.accepted_date = changes.acceptedDate;
    if (changes.firstContactDate !== undefined && changes.firstContactDate !== row.first_contact_date)
      set.first_contact_date = changes.firstContactDate;
    let attemptSummary = { attempts: 0, days: 0 };
    if (changes.close) {
      const attempts = await repo.attemptsFor(trx, [referralId]);
      attemptSummary = summariseAttempts(attempts.map((a) => a.attempted_at));
      const firstContactDate = set.first_contact_date !== undefined ? set.first_contact_date : row.first_contact_date;
      const problem = closeProblem({ status: 'open', firstContactDate }, changes.close.reason, attemptSummary);
      if (problem) throw new RuleError(problem);
      set.status = 'closed';
      set.closed_date = day;
      set.close_reason = changes.close.reason;
      set.close_note = text(changes.close.note);
    }
    if (Object.keys(set).length === 0) return (await hydrate(trx, deps, [row]))[0]!;
    set.updated_at = deps.clock.now().toISOString();
    if ((await repo.update(trx, referralId, version, set)) === 0) throw new ConflictError();
    const [referral] = await hydrate(trx, deps, [(await repo.findById(trx, referralId))!]);

    if (set.accepted_date !== undefined) {
      await audit.record(trx, deps, ctx, {
        action: 'referral.updated',
        entityType: 'referral',
        entityId: referralId,
        details: { participant_id: participantId, changed: ['accepted_date'] },
      });
    }
    if (set.first_contact_date !== undefined) {
      await audit.record(trx, deps, ctx, {
        action: 'referral.first_contact_recorded',
        entityType: 'referral',
        entityId: referralId,
        details: {
          participant_id: participantId,
          cleared: set.first_contact_date === null,
          days_to_first_contact: referral!.daysToFirstContact,
          first_contact_overdue: referral!.firstContactOverdue,
        },
      });
    }
    if (changes.close) {
      // The reason only: the closing note is free text and stays in the record.
      await audit.record(trx, deps, ctx, {
        action: 'referral.closed',
        entityType: 'referral',
        entityId: referralId,
        details: {
          participant_id: participantId,
          close_reason: changes.close.reason,
          contact_attempts: attemptSummary.attempts,
          attempt_days: attemptSummary.days,
        },
      });
      if (participant.status !== 'discharged') {
        await participants.setStatus(trx, deps, ctx, viewer, participant, 'discharged', dischargeReason(changes.close.reason));
      }
    }
    return referral!;
  });
}

/** Records the day of first contact with the person. */
export async function recordFirstContact(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  referralId: string,
  version: number,
  date: string,
): Promise<Referral> {
  return changeReferral(db, deps, ctx, viewer, participantId, referralId, version, { firstContactDate: date });
}

/** Closes a referral for the person's choice or for no contact, and discharges them. */
export async function closeReferral(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  referralId: string,
  version: number,
  reason: CloseReason,
  note?: string | null,
): Promise<Referral> {
  return changeReferral(db, deps, ctx, viewer, participantId, referralId, version, { close: { reason, note: note ?? null } });
}

/** How many failed attempts a referral has, and on how many days: for the close page. */
export function attemptSummaryOf(referral: Referral): { attempts: number; days: number } {
  return summariseAttempts(referral.contactAttempts.map((a) => a.attemptedAt));
}
