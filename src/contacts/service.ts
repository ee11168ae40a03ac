import { randomUUID } from 'node:crypto';
import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { newRecordColumns } from '../db/records.ts';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import * as audit from '../audit/service.ts';
import { isOutOfHours, londonTime } from '../calendar/bank-holidays.ts';
import type { ParticipantStatus, Viewer } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import * as support from '../support/service.ts';
import * as accessToWork from '../access-to-work/service.ts';
import * as repo from './repo.ts';
import {
  type ContactMode,
  type ContactPlace,
  type ContactPurpose,
  canChangeContact,
  canSeeContact,
  contactDefaults,
  roundDuration,
} from './rules.ts';

export interface Contact {
  id: string;
  participantId: string;
  practitionerId: string;
  practitionerName?: string | null;
  startedAt: string;
  durationMinutes: number;
  mode: ContactMode;
  place: ContactPlace;
  purpose: ContactPurpose;
  withWhom: string | null;
  notes: string | null;
  sharedWithClinicalTeam: boolean;
  outOfHours: boolean;
  /** The job this contact was support for: it then counts as in-work support for that job. */
  placementId: string | null;
  /** The Access to Work award this support is charged to. */
  atwAwardId: string | null;
  /** The submitted Access to Work claim holding it: the contact can no longer change. */
  atwClaimId: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export function toContact(r: repo.ContactRow & { practitioner_name?: string | null }): Contact {
  return {
    id: r.id,
    participantId: r.participant_id,
    practitionerId: r.practitioner_id,
    ...(r.practitioner_name !== undefined ? { practitionerName: r.practitioner_name } : {}),
    startedAt: r.started_at,
    durationMinutes: Number(r.duration_minutes),
    mode: r.mode as ContactMode,
    place: r.place as ContactPlace,
    purpose: r.purpose as ContactPurpose,
    withWhom: r.with_whom,
    notes: r.notes,
    sharedWithClinicalTeam: Number(r.shared_with_clinical_team) === 1,
    outOfHours: Number(r.out_of_hours) === 1,
    placementId: r.placement_id,
    atwAwardId: r.atw_award_id,
    atwClaimId: r.atw_claim_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

/** The API shape (DESIGN.md section 3): `out_of_hours` is derived, Europe/London time. */
export function contactJson(c: Contact): Record<string, unknown> {
  return {
    id: c.id,
    participant_id: c.participantId,
    practitioner_id: c.practitionerId,
    started_at: c.startedAt,
    duration_minutes: c.durationMinutes,
    mode: c.mode,
    place: c.place,
    purpose: c.purpose,
    with_whom: c.withWhom,
    notes: c.notes,
    shared_with_clinical_team: c.sharedWithClinicalTeam,
    out_of_hours: c.outOfHours,
    placement_id: c.placementId,
    atw_award_id: c.atwAwardId,
    locked_in_claim: c.atwClaimId !== null,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    version: c.version,
  };
}

export interface ContactInput {
  startedAt: string;
  durationMinutes: number;
  mode: ContactMode;
  place: ContactPlace;
  purpose: ContactPurpose;
  withWhom?: string | null;
  notes?: string | null;
  sharedWithClinicalTeam?: boolean;
  /** One of the person's jobs, when the contact was support for it. */
  placementId?: string | null;
  /** The Access to Work award it is charged to; null for none; left out, the default (see access-to-work). */
  atwAwardId?: string | null;
}

/** Refuses (400 on `placement_id`) a job that is not this person's. */
async function checkJob(db: DbOrTrx, participantId: string, placementId: string | null | undefined): Promise<void> {
  if (!placementId) return;
  if (!(await support.jobOf(db, participantId, placementId)))
    throw new ValidationError({ placement_id: 'Select one of this person’s jobs, or none' });
}

// The purpose a new contact most likely has at each stage of the journey.
const PURPOSE_BY_STATUS: Record<ParticipantStatus, ContactPurpose> = {
  referred: 'engagement',
  engaged: 'engagement',
  job_search: 'job_search',
  employed: 'in_work_support',
  discharged: 'engagement',
};

/** The purpose preselected on a new contact for someone at this status. */
export function purposeForStatus(status: ParticipantStatus): ContactPurpose {
  return PURPOSE_BY_STATUS[status];
}

/** What a new contact form starts with for this practitioner (and this person's status, when given). */
export async function defaultsFor(db: DbOrTrx, practitionerId: string, now: Date, status?: ParticipantStatus) {
  const last = await repo.lastByPractitioner(db, practitionerId);
  const d = contactDefaults(
    last
      ? { mode: last.mode as ContactMode, place: last.place as ContactPlace, durationMinutes: Number(last.duration_minutes) }
      : undefined,
  );
  return { ...d, startedAt: now.toISOString(), purpose: purposeForStatus(status ?? 'engaged') };
}

/** Logs a piece of work with a person; the author is the one logging it. */
export async function logContact(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  input: ContactInput,
): Promise<Contact> {
  await participants.loadEditable(db, viewer, participantId);
  await checkJob(db, participantId, input.placementId);
  const row: repo.ContactRow = {
    ...newRecordColumns(deps.clock),
    participant_id: participantId,
    practitioner_id: viewer.userId,
    started_at: new Date(input.startedAt).toISOString(),
    duration_minutes: roundDuration(input.durationMinutes),
    mode: input.mode,
    place: input.place,
    purpose: input.purpose,
    with_whom: input.withWhom?.trim() || null,
    notes: input.notes?.replace(/\r\n/g, '\n').trim() || null,
    shared_with_clinical_team: input.sharedWithClinicalTeam ? 1 : 0,
    out_of_hours: isOutOfHours(new Date(input.startedAt)) ? 1 : 0,
    deleted_at: null,
    deleted_by_user_id: null,
    delete_reason: null,
    placement_id: input.placementId ?? null,
    atw_award_id: await accessToWork.resolveCharge(db, participantId, input.purpose, input.startedAt, input.atwAwardId),
    atw_claim_id: null,
  };
  await repo.insert(db, row);
  await audit.record(db, deps, ctx, {
    action: 'contact.logged',
    entityType: 'participant',
    entityId: participantId,
    details: {
      contact_id: row.id,
      mode: row.mode,
      purpose: row.purpose,
      ...(row.placement_id ? { placement_id: row.placement_id } : {}),
      ...(row.atw_award_id ? { atw_award_id: row.atw_award_id } : {}),
    },
  });
  return toContact(row);
}

/** A contact the viewer may see (404 otherwise, including deleted ones). */
export async function getContact(db: DbOrTrx, viewer: Viewer, participantId: string, id: string): Promise<Contact> {
  const p = await participants.loadVisible(db, viewer, participantId);
  const row = await repo.findById(db, id);
  if (!row || row.participant_id !== p.id || row.deleted_at) throw new NotFoundError('Contact not found');
  const contact = toContact(row);
  if (!canSeeContact(viewer, contact)) throw new NotFoundError('Contact not found');
  return contact;
}

const CHANGE_REFUSED = 'Only the person who logged this contact, or a manager of the team, can change it';

/** Refuses (422, with the reason) a viewer who may not change or delete this contact. */
export async function assertCanChange(db: DbOrTrx, viewer: Viewer, participantId: string, contact: Contact): Promise<void> {
  const p = await participants.loadVisible(db, viewer, participantId);
  if (!canChangeContact(viewer, contact, p.teamId)) throw new RuleError(CHANGE_REFUSED);
}

async function loadChangeable(db: DbOrTrx, viewer: Viewer, participantId: string, id: string, version: number) {
  const p = await participants.loadVisible(db, viewer, participantId);
  const contact = await getContact(db, viewer, participantId, id);
  if (!canChangeContact(viewer, contact, p.teamId)) throw new RuleError(CHANGE_REFUSED);
  if (contact.version !== version) throw new ConflictError('Someone else changed this contact after you opened it');
  await accessToWork.assertContactUnlocked(db, { atw_claim_id: contact.atwClaimId });
  return contact;
}

/** Edits a contact, keeping the earlier text with who changed it and when. */
export async function editContact(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  id: string,
  version: number,
  changes: Partial<ContactInput>,
): Promise<Contact> {
  const current = await loadChangeable(db, viewer, participantId, id, version);
  const now = deps.clock.now().toISOString();
  const set: Partial<repo.ContactRow> = { updated_at: now };
  if (changes.startedAt !== undefined) {
    set.started_at = new Date(changes.startedAt).toISOString();
    set.out_of_hours = isOutOfHours(new Date(changes.startedAt)) ? 1 : 0;
  }
  if (changes.durationMinutes !== undefined) set.duration_minutes = roundDuration(changes.durationMinutes);
  if (changes.mode !== undefined) set.mode = changes.mode;
  if (changes.place !== undefined) set.place = changes.place;
  if (changes.purpose !== undefined) set.purpose = changes.purpose;
  if (changes.withWhom !== undefined) set.with_whom = changes.withWhom?.trim() || null;
  if (changes.notes !== undefined) set.notes = changes.notes?.replace(/\r\n/g, '\n').trim() || null;
  if (changes.sharedWithClinicalTeam !== undefined) set.shared_with_clinical_team = changes.sharedWithClinicalTeam ? 1 : 0;
  if (changes.placementId !== undefined) {
    await checkJob(db, participantId, changes.placementId);
    set.placement_id = changes.placementId;
  }
  // A charged contact stays inside its award's dates; edits never charge a contact on their own.
  if (changes.atwAwardId !== undefined || (changes.startedAt !== undefined && current.atwAwardId !== null)) {
    const requested = changes.atwAwardId !== undefined ? changes.atwAwardId : current.atwAwardId;
    set.atw_award_id = await accessToWork.resolveCharge(
      db,
      participantId,
      changes.purpose ?? current.purpose,
      changes.startedAt ?? current.startedAt,
      requested,
    );
  }
  await repo.insertRevision(db, {
    id: randomUUID(),
    contact_id: id,
    previous: JSON.stringify(contactJson(current)),
    revised_at: now,
    revised_by_user_id: viewer.userId,
  });
  if ((await repo.update(db, id, version, set)) === 0) throw new ConflictError();
  await audit.record(db, deps, ctx, {
    action: 'contact.edited',
    entityType: 'participant',
    entityId: participantId,
    details: { contact_id: id, changed: Object.keys(set).filter((k) => k !== 'updated_at') },
  });
  return toContact((await repo.findById(db, id))!);
}

/** Soft-deletes a contact with a reason; it stays in the database and the audit trail. */
export async function deleteContact(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  id: string,
  version: number,
  reason: string,
): Promise<void> {
  await loadChangeable(db, viewer, participantId, id, version);
  if (!reason.trim()) throw new RuleError('Give a reason for deleting the contact');
  const now = deps.clock.now().toISOString();
  const changed = await repo.update(db, id, version, {
    deleted_at: now,
    deleted_by_user_id: viewer.userId,
    delete_reason: reason.trim(),
    updated_at: now,
  });
  if (changed === 0) throw new ConflictError();
  await audit.record(db, deps, ctx, {
    action: 'contact.deleted',
    entityType: 'participant',
    entityId: participantId,
    details: { contact_id: id },
  });
}

/** A person's contacts the viewer may see, newest first. */
export async function listContacts(
  db: DbOrTrx,
  viewer: Viewer,
  participantId: string,
  page: { limit: number; offset: number },
): Promise<Contact[]> {
  await participants.loadVisible(db, viewer, participantId);
  const rows = await repo.listForParticipant(db, participantId, { sharedOnly: viewer.role === 'clinician', ...page });
  return rows.map(toContact);
}

/** A page of a person's contacts for the API, newest first; the read is audited (`contact.viewed`). */
export async function pageContacts(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  page: { limit: number; offset: number },
): Promise<{ items: Contact[]; hasMore: boolean }> {
  // One row more than the page says whether another page follows.
  const rows = await listContacts(db, viewer, participantId, { limit: page.limit + 1, offset: page.offset });
  const items = rows.slice(0, page.limit);
  await audit.record(db, deps, ctx, {
    action: 'contact.viewed',
    entityType: 'participant',
    entityId: participantId,
    details: { contacts: items.length, offset: page.offset },
  });
  return { items, hasMore: rows.length > page.limit };
}

export interface ContactRevision {
  id: string;
  previous: Record<string, unknown>;
  revisedAt: string;
  revisedByName: string | null;
}

/**
 * The earlier versions of a contact's text, newest first. A clinician sees only the versions
 * that were themselves shared with the clinical team: text written before sharing stays private.
 */
export async function contactRevisions(
  db: DbOrTrx,
  viewer: Viewer,
  participantId: string,
  id: string,
): Promise<ContactRevision[]> {
  await getContact(db, viewer, participantId, id);
  return (await repo.revisions(db, id))
    .map((r) => ({
      id: r.id,
      previous: JSON.parse(r.previous) as Record<string, unknown>,
      revisedAt: r.revised_at,
      revisedByName: r.revised_by_name,
    }))
    .filter((r) => canSeeContact(viewer, { sharedWithClinicalTeam: r.previous.shared_with_clinical_team === true }));
}

/** A contact the viewer may see, with the read written to the audit trail (`contact.viewed`). */
export async function viewContact(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  id: string,
): Promise<Contact> {
  const contact = await getContact(db, viewer, participantId, id);
  await audit.record(db, deps, ctx, {
    action: 'contact.viewed',
    entityType: 'participant',
    entityId: participantId,
    details: { contact_id: id },
  });
  return contact;
}

/**
 * The newest `limit` contacts the viewer may see and how many there are in all, for the
 * timeline: one bounded list query and one count, whatever the person's history.
 */
export async function recentContacts(
  db: DbOrTrx,
  viewer: Viewer,
  participantId: string,
  limit: number,
): Promise<{ items: Contact[]; total: number }> {
  await participants.loadVisible(db, viewer, participantId);
  const sharedOnly = viewer.role === 'clinician';
  const [rows, total] = await Promise.all([
    repo.listForParticipant(db, participantId, { sharedOnly, limit, offset: 0 }),
    repo.countForParticipant(db, participantId, { sharedOnly }),
  ]);
  return { items: rows.map(toContact), total };
}

/**
 * The newest `limit` contacts logged against one of a person's jobs that the viewer may see
 * (clinicians: shared ones only). One query; the caller has checked the job is the person's.
 */
export async function contactsForJob(
  db: DbOrTrx,
  viewer: Viewer,
  participantId: string,
  placementId: string,
  limit: number,
): Promise<Contact[]> {
  await participants.loadVisible(db, viewer, participantId);
  const rows = await repo.listForParticipant(db, participantId, {
    sharedOnly: viewer.role === 'clinician',
    limit,
    offset: 0,
    placementId,
  });
  return rows.map(toContact);
}

export const lastContactAt = repo.lastContactAt;

/**
 * The London day of the first contact logged on or after each referral's received date: the
 * contact log is where first contact is recorded. One query for all the referrals given.
 */
export async function firstContactDays(
  db: DbOrTrx,
  referrals: readonly { id: string; participantId: string; receivedDate: string }[],
): Promise<Map<string, string>> {
  if (referrals.length === 0) return new Map();
  const since = referrals.map((r) => r.receivedDate).sort()[0]!;
  const rows = await repo.startedSince(db, [...new Set(referrals.map((r) => r.participantId))], since);
  const out = new Map<string, string>();
  for (const r of referrals) {
    const first = rows.find(
      (c) => c.participant_id === r.participantId && londonTime(new Date(c.started_at)).day >= r.receivedDate,
    );
    if (first) out.set(r.id, londonTime(new Date(first.started_at)).day);
  }
  return out;
}
