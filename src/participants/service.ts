import { randomUUID } from 'node:crypto';
import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { newRecordColumns } from '../db/records.ts';
import { ConflictError, ForbiddenError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import * as audit from '../audit/service.ts';
import * as settings from '../settings/service.ts';
import * as revisions from '../revisions/service.ts';
import * as users from '../users/service.ts';
import * as repo from './repo.ts';
import {
  type CommunicationNeed,
  type ParticipantScope,
  type ParticipantStatus,
  type Programme,
  type Viewer,
  canEditParticipant,
  canSeeParticipant,
  canSeeSensitive,
  emergencyGrantOf,
  withinNormalReach,
  nhsNumberDigits,
  searchNameOf,
  searchText,
  statusChangeProblem,
} from './rules.ts';

export interface Participant {
  id: string;
  givenName: string;
  familyName: string;
  preferredName: string | null;
  pronouns: string | null;
  dateOfBirth: string | null;
  nhsNumber: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  preferredContactMethod: string | null;
  communicationNeeds: CommunicationNeed[];
  communicationNotes: string | null;
  programme: Programme;
  status: ParticipantStatus;
  practitionerId: string | null;
  teamId: string | null;
  linkedParticipantId: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A participant as a viewer sees it, with what they may do. */
export interface ParticipantView extends Participant {
  scope: ParticipantScope;
  canEdit: boolean;
  canSeeSensitive: boolean;
  /** Set when the viewer reads this record only under a break-glass grant (read only, audited). */
  emergencyAccess: { grantId: string; expiresAt: string } | null;
}

export function toParticipant(r: repo.ParticipantRow): Participant {
  return {
    id: r.id,
    givenName: r.given_name,
    familyName: r.family_name,
    preferredName: r.preferred_name,
    pronouns: r.pronouns,
    dateOfBirth: r.date_of_birth,
    nhsNumber: r.nhs_number,
    phone: r.phone,
    email: r.email,
    address: r.address,
    preferredContactMethod: r.preferred_contact_method,
    communicationNeeds: parseNeeds(r.communication_needs),
    communicationNotes: r.communication_notes,
    programme: r.programme as Programme,
    status: r.status as ParticipantStatus,
    practitionerId: r.practitioner_id,
    teamId: r.team_id,
    linkedParticipantId: r.linked_participant_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

function parseNeeds(json: string): CommunicationNeed[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? (v.filter((x) => typeof x === 'string') as CommunicationNeed[]) : [];
  } catch {
    return [];
  }
}

/** The API shape (DESIGN.md section 3 field names). */
export function participantJson(p: Participant): Record<string, unknown> {
  return {
    id: p.id,
    given_name: p.givenName,
    family_name: p.familyName,
    preferred_name: p.preferredName,
    pronouns: p.pronouns,
    date_of_birth: p.dateOfBirth,
    nhs_number: p.nhsNumber,
    phone: p.phone,
    email: p.email,
    address: p.address,
    preferred_contact_method: p.preferredContactMethod,
    communication_needs: p.communicationNeeds,
    communication_notes: p.communicationNotes,
    programme: p.programme,
    status: p.status,
    practitioner_id: p.practitionerId,
    team_id: p.teamId,
    linked_participant_id: p.linkedParticipantId,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    version: p.version,
  };
}

export function viewerOf(ctx: {
  userId: string;
  role: Viewer['role'];
  teamId: string | null;
  emergency?: Viewer['emergency'];
}): Viewer {
  const v: Viewer = { userId: ctx.userId, role: ctx.role, teamId: ctx.teamId };
  if (ctx.emergency) v.emergency = ctx.emergency;
  return v;
}

/**
 * What decides who sees a record. Break-glass grants are looked up only when the viewer's normal
 * reach does not already cover the record and the request can use them (it has a time).
 */
async function scopeOf(db: DbOrTrx, row: repo.ParticipantRow, viewer?: Viewer): Promise<ParticipantScope> {
  const scope: ParticipantScope = {
    practitionerId: row.practitioner_id,
    teamId: row.team_id,
    clinicalTeamIds: await repo.clinicalTeamIds(db, row.id),
  };
  if (viewer?.emergency && !withinNormalReach(viewer, scope)) {
    scope.emergencyGrants = await repo.emergencyGrantsInForce(db, row.id, viewer.emergency.at);
  }
  return scope;
}

/**
 * Loads a participant the viewer may see, or 404 (never 403, so the record's existence is not
 * revealed). Does not audit: callers that show the record audit the view.
 */
export async function loadVisible(db: DbOrTrx, viewer: Viewer, id: string): Promise<ParticipantView> {
  const row = await repo.findById(db, id);
  if (!row) throw new NotFoundError('Participant not found');
  const scope = await scopeOf(db, row, viewer);
  if (!canSeeParticipant(viewer, scope)) throw new NotFoundError('Participant not found');
  const grant = withinNormalReach(viewer, scope) ? null : emergencyGrantOf(viewer, scope);
  if (grant && viewer.emergency && !viewer.emergency.used.some((u) => u.grantId === grant.grantId)) {
    // Every request that reads a record under break-glass is on the audit trail, once.
    viewer.emergency.used.push({ participantId: id, grantId: grant.grantId, expiresAt: grant.expiresAt });
    await viewer.emergency.recordUse(db, { participantId: id, grantId: grant.grantId });
  }
  return {
    ...toParticipant(row),
    scope,
    canEdit: canEditParticipant(viewer, scope),
    canSeeSensitive: canSeeSensitive(viewer, scope),
    emergencyAccess: grant ? { grantId: grant.grantId, expiresAt: grant.expiresAt } : null,
  };
}

/**
 * The participant with this NHS number, whoever's team they are in, without a visibility check:
 * only for a manager granting break-glass access, whose grant is itself audited.
 */
export async function findByNhsNumber(db: DbOrTrx, nhsNumber: string): Promise<Participant | undefined> {
  const row = await repo.findByNhsNumber(db, nhsNumberDigits(nhsNumber));
  return row ? toParticipant(row) : undefined;
}

/** Loads a participant the viewer may change, or 404 when they may not see it, 403 under break-glass, 422 when they may only read it. */
export async function loadEditable(db: DbOrTrx, viewer: Viewer, id: string): Promise<ParticipantView> {
  const p = await loadVisible(db, viewer, id);
  if (p.emergencyAccess) throw new ForbiddenError('Emergency access is read only: you cannot change this record');
  if (!p.canEdit) throw new RuleError('You can read this record but not change it');
  return p;
}

/** Reads a participant's record and writes the read to the audit trail. */
export async function viewParticipant(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
): Promise<ParticipantView> {
  const p = await loadVisible(db, viewer, id);
  await audit.record(db, deps, ctx, { action: 'participant.viewed', entityType: 'participant', entityId: id });
  return p;
}

export interface ParticipantInput {
  givenName: string;
  familyName: string;
  preferredName?: string | null;
  pronouns?: string | null;
  dateOfBirth?: string | null;
  nhsNumber?: string | null;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
  preferredContactMethod?: string | null;
  communicationNeeds?: CommunicationNeed[];
  communicationNotes?: string | null;
  programme: Programme;
  practitionerId?: string | null;
  teamId?: string | null;
}

export interface PossibleDuplicate {
  id: string;
  /** Shown only when the viewer may see that record; otherwise just that one exists elsewhere. */
  visible: boolean;
  name: string | null;
  dateOfBirth: string | null;
  nhsNumber: string | null;
  teamName: string | null;
  reason: 'nhs_number' | 'name_and_date_of_birth';
}

/** Records that may be the same person: same NHS number, or same name and date of birth. */
export async function possibleDuplicates(
  db: DbOrTrx,
  viewer: Viewer,
  input: Pick<ParticipantInput, 'givenName' | 'familyName' | 'dateOfBirth' | 'nhsNumber'>,
  excludeId?: string,
): Promise<PossibleDuplicate[]> {
  const nhs = input.nhsNumber ? nhsNumberDigits(input.nhsNumber) : null;
  const rows = await repo.findPossibleDuplicates(
    db,
    {
      nhsNumber: nhs,
      givenKey: searchText(input.givenName),
      familyKey: searchText(input.familyName),
      dateOfBirth: input.dateOfBirth ?? null,
    },
    excludeId,
  );
  return Promise.all(
    rows.map(async (r) => {
      const visible = canSeeParticipant(viewer, await scopeOf(db, r));
      return {
        id: r.id,
        visible,
        name: visible ? `${r.given_name} ${r.family_name}` : null,
        dateOfBirth: visible ? r.date_of_birth : null,
        nhsNumber: visible ? r.nhs_number : null,
        teamName: r.team_name,
        reason: nhs && r.nhs_number === nhs ? 'nhs_number' : 'name_and_date_of_birth',
      } satisfies PossibleDuplicate;
    }),
  );
}

function rowFields(input: Partial<ParticipantInput>): Partial<repo.ParticipantRow> {
  const out: Partial<repo.ParticipantRow> = {};
  const text = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim());
  if (input.givenName !== undefined) out.given_name = input.givenName.trim();
  if (input.familyName !== undefined) out.family_name = input.familyName.trim();
  const optional: [keyof ParticipantInput, keyof repo.ParticipantRow][] = [
    ['preferredName', 'preferred_name'],
    ['pronouns', 'pronouns'],
    ['dateOfBirth', 'date_of_birth'],
    ['phone', 'phone'],
    ['email', 'email'],
    ['address', 'address'],
    ['preferredContactMethod', 'preferred_contact_method'],
    ['communicationNotes', 'communication_notes'],
  ];
  for (const [from, to] of optional) {
    const v = text(input[from] as string | null | undefined);
    if (v !== undefined) (out as Record<string, unknown>)[to] = v;
  }
  if (input.nhsNumber !== undefined) out.nhs_number = input.nhsNumber ? nhsNumberDigits(input.nhsNumber) : null;
  if (input.communicationNeeds !== undefined) out.communication_needs = JSON.stringify(input.communicationNeeds);
  if (input.programme !== undefined) out.programme = input.programme;
  return out;
}

/**
 * Creates a participant with status `referred`. The practitioner defaults to the creator (when
 * they are a practitioner) and the team to the practitioner's team. Possible duplicates are
 * refused with the list unless the caller says to go ahead, optionally linking to one of them.
 */
export async function createParticipant(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  input: ParticipantInput,
  options: { allowDuplicates?: boolean; linkTo?: string | null } = {},
): Promise<{ participant: Participant; duplicates: PossibleDuplicate[] }> {
  if (viewer.role !== 'practitioner' && viewer.role !== 'manager')
    throw new RuleError('Only practitioners and managers add participants');
  const duplicates = await possibleDuplicates(db, viewer, input);
  if (duplicates.length > 0 && !options.allowDuplicates) {
    throw new DuplicatesFound(duplicates);
  }
  if (options.linkTo && !duplicates.some((d) => d.id === options.linkTo)) {
    throw new ValidationError({ link_to: 'Choose one of the possible duplicates to link to' });
  }
  const practitionerId = input.practitionerId ?? (viewer.role === 'practitioner' ? viewer.userId : null);
  const practitioner = practitionerId ? await users.getUser(db, practitionerId).catch(() => undefined) : undefined;
  if (practitionerId && (!practitioner || !practitioner.active || practitioner.role !== 'practitioner')) {
    throw new ValidationError({ practitioner_id: 'Select a practitioner from the list' });
  }
  const teamId = input.teamId ?? practitioner?.teamId ?? viewer.teamId ?? null;
  // Nobody creates a record they could not then see.
  if (!canSeeParticipant(viewer, { practitionerId, teamId, clinicalTeamIds: [] })) {
    throw new ValidationError({ team_id: 'Choose your own team or a practitioner in it' });
  }
  const row: repo.ParticipantRow = {
    ...newRecordColumns(deps.clock),
    given_name: input.givenName.trim(),
    family_name: input.familyName.trim(),
    preferred_name: null,
    pronouns: null,
    date_of_birth: null,
    nhs_number: null,
    phone: null,
    email: null,
    address: null,
    preferred_contact_method: null,
    communication_needs: '[]',
    communication_notes: null,
    ...rowFields(input),
    programme: input.programme,
    status: 'referred',
    practitioner_id: practitionerId,
    team_id: teamId,
    linked_participant_id: options.linkTo ?? null,
    search_name: searchNameOf(input),
  };
  await repo.insert(db, row);
  await repo.insertStatusChange(db, {
    id: randomUUID(),
    participant_id: row.id,
    from_status: null,
    to_status: 'referred',
    reason: null,
    changed_at: row.created_at,
    changed_by_user_id: viewer.userId,
  });
  await audit.record(db, deps, ctx, {
    action: 'participant.created',
    entityType: 'participant',
    entityId: row.id,
    details: { programme: row.programme, linked_to: row.linked_participant_id, possible_duplicates: duplicates.length },
  });
  return { participant: toParticipant(row), duplicates };
}

/** Thrown when a new record may be someone already known; carries the candidates to show. */
export class DuplicatesFound extends RuleError {
  readonly duplicates: PossibleDuplicate[];
  constructor(duplicates: PossibleDuplicate[]) {
    super('This person may already have a record. Check the possible duplicates, then link to one or continue');
    this.duplicates = duplicates;
  }
}

/** Edits personal details when `version` is current; a stale version is a conflict. */
export async function updateParticipant(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
  version: number,
  changes: Partial<Omit<ParticipantInput, 'practitionerId' | 'teamId'>>,
): Promise<Participant> {
  const current = await loadEditable(db, viewer, id);
  if (current.version !== version) throw new ConflictError('Someone else changed this record after you opened it');
  const set = rowFields(changes);
  // The stored form of the current record: the API shape with needs as the JSON text the column holds.
  const before: Record<string, unknown> = {
    ...participantJson(current),
    communication_needs: JSON.stringify(current.communicationNeeds),
  };
  const changed = (Object.keys(set) as (keyof repo.ParticipantRow)[]).filter((k) => set[k] !== before[k]);
  if (changed.length === 0) return current;
  set.search_name = searchNameOf({
    givenName: set.given_name ?? current.givenName,
    familyName: set.family_name ?? current.familyName,
    preferredName: set.preferred_name !== undefined ? set.preferred_name : current.preferredName,
  });
  set.updated_at = deps.clock.now().toISOString();
  if ((await repo.update(db, id, version, set)) === 0) throw new ConflictError();
  // Rectification keeps the earlier value, in the same transaction as the change.
  await revisions.keepEarlierValues(db, deps, viewer.userId, {
    participantId: id,
    entityType: 'participant',
    entityId: id,
    earlier: Object.fromEntries(changed.map((k) => [k, k === 'communication_needs' ? current.communicationNeeds : before[k]])),
  });
  // Field names only: the values are personal data and stay in the record, not the trail.
  await audit.record(db, deps, ctx, {
    action: 'participant.updated',
    entityType: 'participant',
    entityId: id,
    details: { changed },
  });
  return toParticipant((await repo.findById(db, id))!);
}

/** Moves a person to another status by the transition rule (422 with the reason when refused). */
export async function changeStatus(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
  version: number,
  to: ParticipantStatus,
  reason?: string | null,
): Promise<Participant> {
  const current = await loadEditable(db, viewer, id);
  if (current.version !== version) throw new ConflictError('Someone else changed this record after you opened it');
  const problem = statusChangeProblem(current.status, to);
  if (problem) throw new RuleError(problem);
  return setStatus(db, deps, ctx, viewer, current, to, reason ?? null);
}

/** Records a status change without the transition check (re-referral and referral closure use it). */
export async function setStatus(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  current: Participant,
  to: ParticipantStatus,
  reason: string | null,
): Promise<Participant> {
  const now = deps.clock.now().toISOString();
  if ((await repo.update(db, current.id, current.version, { status: to, updated_at: now })) === 0) throw new ConflictError();
  await repo.insertStatusChange(db, {
    id: randomUUID(),
    participant_id: current.id,
    from_status: current.status,
    to_status: to,
    reason,
    changed_at: now,
    changed_by_user_id: viewer.userId,
  });
  await audit.record(db, deps, ctx, {
    action: 'participant.status_changed',
    entityType: 'participant',
    entityId: current.id,
    details: { from: current.status, to },
  });
  return toParticipant((await repo.findById(db, current.id))!);
}

export interface StatusChange {
  id: string;
  fromStatus: ParticipantStatus | null;
  toStatus: ParticipantStatus;
  reason: string | null;
  changedAt: string;
  changedByUserId: string | null;
  changedByName: string | null;
}

export async function statusHistory(db: DbOrTrx, participantId: string): Promise<StatusChange[]> {
  return (await repo.statusChanges(db, participantId)).map((r) => ({
    id: r.id,
    fromStatus: r.from_status as ParticipantStatus | null,
    toStatus: r.to_status as ParticipantStatus,
    reason: r.reason,
    changedAt: r.changed_at,
    changedByUserId: r.changed_by_user_id,
    changedByName: r.changed_by_name,
  }));
}

export interface CaseloadCheck {
  count: number;
  limit: number;
  /** True when this assignment would take the practitioner over the limit. */
  overLimit: boolean;
}

/** How full a practitioner's caseload is, counting one more if `adding`. */
export async function caseloadOf(db: DbOrTrx, practitionerId: string, adding = false): Promise<CaseloadCheck> {
  const [count, s] = await Promise.all([repo.activeCaseloadCount(db, practitionerId), settings.getSettings(db)]);
  return { count, limit: s.caseloadLimit, overLimit: count + (adding ? 1 : 0) > s.caseloadLimit };
}

/** Active caseload counts for several practitioners at once, with the service's limit. */
export async function caseloadCounts(
  db: DbOrTrx,
  practitionerIds: readonly string[],
): Promise<{ counts: Map<string, number>; limit: number }> {
  const [counts, s] = await Promise.all([repo.activeCaseloadCounts(db, practitionerIds), settings.getSettings(db)]);
  return { counts, limit: s.caseloadLimit };
}

/** Thrown when an assignment would exceed the caseload limit and was not confirmed. */
export class CaseloadOverLimit extends RuleError {
  readonly check: CaseloadCheck;
  constructor(name: string, check: CaseloadCheck) {
    super(`${name} already has ${check.count} people on their caseload (the limit is ${check.limit}). Confirm to assign anyway`);
    this.check = check;
  }
}

/**
 * Assigns or reassigns the practitioner (and their team). Over the caseload limit it asks for
 * confirmation first; never silently.
 */
export async function assignPractitioner(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
  version: number,
  practitionerId: string,
  options: { confirmOverLimit?: boolean } = {},
): Promise<Participant> {
  const current = await loadEditable(db, viewer, id);
  if (current.version !== version) throw new ConflictError('Someone else changed this record after you opened it');
  const practitioner = await users.getUser(db, practitionerId).catch(() => undefined);
  if (!practitioner || !practitioner.active || practitioner.role !== 'practitioner') {
    throw new ValidationError({ practitioner_id: 'Select a practitioner from the list' });
  }
  // Moving a person to another team is a manager's decision, not a practitioner's.
  if (viewer.role === 'practitioner' && practitioner.teamId !== viewer.teamId) {
    throw new ValidationError({
      practitioner_id: 'Choose a practitioner in your team. Ask your manager to move someone to another team',
    });
  }
  if (current.practitionerId === practitionerId) return current;
  const check = await caseloadOf(db, practitionerId, current.status !== 'discharged');
  if (check.overLimit && !options.confirmOverLimit) throw new CaseloadOverLimit(practitioner.name, check);
  const teamId = practitioner.teamId ?? current.teamId;
  if (
    (await repo.update(db, id, version, {
      practitioner_id: practitionerId,
      team_id: teamId,
      updated_at: deps.clock.now().toISOString(),
    })) === 0
  ) {
    throw new ConflictError();
  }
  await audit.record(db, deps, ctx, {
    action: 'participant.assigned',
    entityType: 'participant',
    entityId: id,
    details: { from: current.practitionerId, to: practitionerId, over_limit: check.overLimit },
  });
  return toParticipant((await repo.findById(db, id))!);
}

export interface ParticipantListItem extends Participant {
  practitionerName: string | null;
  teamName: string | null;
  latestReferralDate: string | null;
}

/** Searches what the viewer may see; sorted and paginated. */
export async function searchParticipants(
  db: DbOrTrx,
  viewer: Viewer,
  filter: {
    name?: string;
    nhsNumber?: string;
    status?: string;
    programme?: string;
    practitionerId?: string;
    teamId?: string;
    activeOnly?: boolean;
  },
  page: { sort: repo.ParticipantSort; direction: 'asc' | 'desc'; limit: number; offset: number },
): Promise<{ items: ParticipantListItem[]; total: number }> {
  const f: repo.ParticipantFilter = { ...filter };
  if (filter.name) f.name = searchText(filter.name);
  if (filter.nhsNumber) f.nhsNumber = nhsNumberDigits(filter.nhsNumber);
  const { rows, total } = await repo.search(db, viewer, f, page.sort, page.direction, page.limit, page.offset);
  return {
    items: rows.map((r) => ({
      ...toParticipant(r),
      practitionerName: r.practitioner_name,
      teamName: r.team_name,
      latestReferralDate: r.latest_received_date,
    })),
    total,
  };
}

export type { ParticipantSort } from './repo.ts';
export { SORTS } from './repo.ts';
