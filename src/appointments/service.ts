import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database, DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { newRecordColumns } from '../db/records.ts';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import * as audit from '../audit/service.ts';
import { hashSecret, newSecret } from '../auth/rules.ts';
import { isOutOfHours } from '../calendar/bank-holidays.ts';
import * as contacts from '../contacts/service.ts';
import type { ContactMode, ContactPurpose } from '../contacts/rules.ts';
import { type Viewer, canEditParticipant, canSeeParticipant } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import * as sites from '../sites/service.ts';
import * as users from '../users/service.ts';
import { buildCalendar } from './ical.ts';
import * as repo from './repo.ts';
import {
  type AppointmentStatus,
  type PlaceKind,
  addDays,
  contactOf,
  coarsePlace,
  initials,
  placeLine,
  rescheduleProblem,
  statusMoveProblem,
  weekRange,
} from './rules.ts';

export interface Appointment {
  id: string;
  participantId: string;
  practitionerId: string;
  startsAt: string;
  durationMinutes: number;
  placeKind: PlaceKind;
  siteId: string | null;
  siteName: string | null;
  department: string | null;
  placeDetail: string | null;
  /** Where, in one line. */
  place: string;
  withWhom: string | null;
  purpose: ContactPurpose | null;
  status: AppointmentStatus;
  contactId: string | null;
  outOfHours: boolean;
  person: { givenName: string; familyName: string; preferredName: string | null };
  createdAt: string;
  updatedAt: string;
  version: number;
}

function toAppointment(r: repo.AppointmentListRow): Appointment {
  const parts = {
    placeKind: r.place_kind as PlaceKind,
    siteName: r.site_name,
    department: r.department,
    placeDetail: r.place_detail,
  };
  return {
    id: r.id,
    participantId: r.participant_id,
    practitionerId: r.practitioner_id,
    startsAt: r.starts_at,
    durationMinutes: Number(r.duration_minutes),
    placeKind: parts.placeKind,
    siteId: r.site_id,
    siteName: r.site_name,
    department: r.department,
    placeDetail: r.place_detail,
    place: placeLine(parts),
    withWhom: r.with_whom,
    purpose: r.purpose as ContactPurpose | null,
    status: r.status as AppointmentStatus,
    contactId: r.contact_id,
    outOfHours: isOutOfHours(new Date(r.starts_at)),
    person: { givenName: r.given_name, familyName: r.family_name, preferredName: r.preferred_name },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

/** The API shape (snake_case, DESIGN.md section 3). */
export function appointmentJson(a: Appointment): Record<string, unknown> {
  return {
    id: a.id,
    participant_id: a.participantId,
    practitioner_id: a.practitionerId,
    starts_at: a.startsAt,
    ends_at: new Date(new Date(a.startsAt).getTime() + a.durationMinutes * 60_000).toISOString(),
    duration_minutes: a.durationMinutes,
    place_kind: a.placeKind,
    site_id: a.siteId,
    site_name: a.siteName,
    department: a.department,
    place_detail: a.placeDetail,
    place: a.place,
    with_whom: a.withWhom,
    purpose: a.purpose,
    status: a.status,
    contact_id: a.contactId,
    out_of_hours: a.outOfHours,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    version: a.version,
  };
}

/** Runs `fn` in the caller's transaction, or opens one. */
async function inTransaction<T>(db: DbOrTrx, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<Database>);
  return db.transaction().execute(fn);
}

const scopeOf = (r: repo.AppointmentListRow) => ({
  practitionerId: r.participant_practitioner_id,
  teamId: r.participant_team_id,
  clinicalTeamIds: [] as string[],
});

// ---- Whose diary --------------------------------------------------------------------------------

/**
 * The practitioner whose appointments the viewer may list: themselves, or (for a manager) an
 * active practitioner or manager of their own team. Anyone else is "not found".
 */
export async function diaryOwner(db: DbOrTrx, viewer: Viewer, requestedId?: string): Promise<users.User> {
  const id = requestedId || viewer.userId;
  const notFound = new NotFoundError('Practitioner not found');
  if (id !== viewer.userId && (viewer.role !== 'manager' || !viewer.teamId)) throw notFound;
  const user = await users.getUser(db, id).catch(() => undefined);
  if (!user) throw notFound;
  if (id !== viewer.userId && (user.teamId !== viewer.teamId || !user.active || !['practitioner', 'manager'].includes(user.role)))
    throw notFound;
  return user;
}

/** Practitioners (and managers) of a manager's team whose diaries they may look at, by name. */
export async function teamDiaryOwners(db: DbOrTrx, viewer: Viewer): Promise<users.User[]> {
  if (viewer.role !== 'manager' || !viewer.teamId) return [];
  const page = await users.listUsers(db, { teamId: viewer.teamId, active: true }, 500);
  return page.items.filter((u) => u.role === 'practitioner' || u.role === 'manager').sort((a, b) => a.name.localeCompare(b.name));
}

// ---- Reading ------------------------------------------------------------------------------------

/** An appointment the viewer may see (its person is visible to them), or 404. */
export async function getAppointment(db: DbOrTrx, viewer: Viewer, id: string): Promise<Appointment & { canChange: boolean }> {
  const row = await repo.findById(db, id);
  if (!row) throw new NotFoundError('Appointment not found');
  const scope = scopeOf(row);
  const p = await participants.loadVisible(db, viewer, row.participant_id).catch(() => undefined);
  if (!p) throw new NotFoundError('Appointment not found');
  return { ...toAppointment(row), canChange: canEditParticipant(viewer, { ...scope, clinicalTeamIds: p.scope.clinicalTeamIds }) };
}

/** An appointment the viewer may see, with the read written to the audit trail (`appointment.viewed`). */
export async function viewAppointment(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
): Promise<Appointment & { canChange: boolean }> {
  const a = await getAppointment(db, viewer, id);
  await audit.record(db, deps, ctx, {
    action: 'appointment.viewed',
    entityType: 'participant',
    entityId: a.participantId,
    details: { appointment_id: a.id },
  });
  return a;
}

/** A person's appointments for their page, with the read written to the audit trail. */
export async function viewForParticipant(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
): Promise<Appointment[]> {
  const list = await listForParticipant(db, viewer, participantId);
  await audit.record(db, deps, ctx, {
    action: 'appointment.viewed',
    entityType: 'participant',
    entityId: participantId,
    details: { appointments: list.length },
  });
  return list;
}

/** A person's appointments, latest first. */
export async function listForParticipant(
  db: DbOrTrx,
  viewer: Viewer,
  participantId: string,
  limit = 100,
): Promise<Appointment[]> {
  await participants.loadVisible(db, viewer, participantId);
  return (await repo.listForParticipant(db, participantId, limit)).map(toAppointment);
}

/** The next planned appointment of each person in the list from `now`, in one query (for caseload lists). */
export async function nextPlannedAt(db: DbOrTrx, participantIds: readonly string[], now: Date): Promise<Map<string, string>> {
  return repo.nextPlannedAt(db, participantIds, now.toISOString());
}

/** One practitioner's week (Monday to Sunday, UK time), leaving out anyone the viewer may not see. */
export async function listWeek(db: DbOrTrx, viewer: Viewer, practitionerId: string, monday: string): Promise<Appointment[]> {
  const owner = await diaryOwner(db, viewer, practitionerId);
  const rows = await repo.listForPractitioner(db, owner.id, weekRange(monday));
  return rows.filter((r) => canSeeParticipant(viewer, scopeOf(r))).map(toAppointment);
}

/** A page of a practitioner's appointments by start time, for the API; the cursor is the last (start, id). */
export async function listPage(
  db: DbOrTrx,
  viewer: Viewer,
  filter: { practitionerId?: string | undefined; from?: string | undefined; to?: string | undefined },
  page: { limit: number; after?: { startsAt: string; id: string } | undefined },
): Promise<{ items: Appointment[]; next: { startsAt: string; id: string } | null }> {
  const owner = await diaryOwner(db, viewer, filter.practitionerId);
  const rows = await repo.listForPractitioner(
    db,
    owner.id,
    { from: filter.from, to: filter.to },
    { ...page, limit: page.limit + 1 },
  );
  const more = rows.length > page.limit;
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  return {
    items: shown.filter((r) => canSeeParticipant(viewer, scopeOf(r))).map(toAppointment),
    next: more && last ? { startsAt: last.starts_at, id: last.id } : null,
  };
}

// ---- Planning and changing ----------------------------------------------------------------------

export interface AppointmentInput {
  startsAt: string;
  durationMinutes: number;
  placeKind: PlaceKind;
  siteId?: string | null | undefined;
  department?: string | null | undefined;
  placeDetail?: string | null | undefined;
  withWhom?: string | null | undefined;
  purpose: ContactPurpose;
  /** Whose appointment: defaults to the viewer; a manager may plan for their team. */
  practitionerId?: string | undefined;
}

async function checkPractitioner(db: DbOrTrx, viewer: Viewer, practitionerId: string): Promise<void> {
  if (practitionerId === viewer.userId) return;
  const problem = new ValidationError({ practitioner_id: 'Select a practitioner in your team' });
  if (viewer.role !== 'manager') throw problem;
  const user = await users.getUser(db, practitionerId).catch(() => undefined);
  if (!user || !user.active || user.role !== 'practitioner' || user.teamId !== viewer.teamId) throw problem;
}

async function checkSite(db: DbOrTrx, siteId: string | null | undefined): Promise<string> {
  if (!siteId) throw new ValidationError({ site_id: 'Select the site' });
  const site = await sites.getSite(db, siteId).catch(() => undefined);
  if (!site) throw new ValidationError({ site_id: 'Select a site from the list' });
  return site.id;
}

const tidy = (v: string | null | undefined) => v?.trim() || null;

/** Plans a contact ahead for a person the viewer may change. */
export async function planAppointment(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  input: AppointmentInput,
): Promise<Appointment> {
  return inTransaction(db, async (trx) => {
    await participants.loadEditable(trx, viewer, participantId);
    const practitionerId = input.practitionerId ?? viewer.userId;
    await checkPractitioner(trx, viewer, practitionerId);
    const atSite = input.placeKind === 'site';
    const row: repo.AppointmentRow = {
      ...newRecordColumns(deps.clock),
      participant_id: participantId,
      practitioner_id: practitionerId,
      starts_at: new Date(input.startsAt).toISOString(),
      duration_minutes: input.durationMinutes,
      place_kind: input.placeKind,
      site_id: atSite ? await checkSite(trx, input.siteId) : null,
      department: atSite ? tidy(input.department) : null,
      place_detail: tidy(input.placeDetail),
      with_whom: tidy(input.withWhom),
      purpose: input.purpose,
      status: 'planned',
      contact_id: null,
    };
    await repo.insert(trx, row);
    await audit.record(trx, deps, ctx, {
      action: 'appointment.planned',
      entityType: 'participant',
      entityId: participantId,
      details: { appointment_id: row.id, practitioner_id: practitionerId, place_kind: row.place_kind },
    });
    return toAppointment((await repo.findById(trx, row.id))!);
  });
}

/** An appointment the viewer may change, at the version they read (409 when stale). */
async function loadChangeable(db: DbOrTrx, viewer: Viewer, id: string, version: number): Promise<Appointment> {
  const a = await getAppointment(db, viewer, id);
  await participants.loadEditable(db, viewer, a.participantId);
  if (a.version !== version) throw new ConflictError('Someone else changed this appointment after you opened it');
  return a;
}

export type AppointmentChanges = Partial<Omit<AppointmentInput, 'practitionerId'>> & {
  status?: AppointmentStatus | undefined;
};

/** Reschedules a planned appointment, or records that it was not attended or was cancelled. */
export async function updateAppointment(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
  version: number,
  changes: AppointmentChanges,
): Promise<Appointment> {
  return inTransaction(db, async (trx) => {
    const current = await loadChangeable(trx, viewer, id, version);
    const set: Partial<repo.AppointmentRow> = {};
    if (changes.startsAt !== undefined) set.starts_at = new Date(changes.startsAt).toISOString();
    if (changes.durationMinutes !== undefined) set.duration_minutes = changes.durationMinutes;
    if (changes.placeDetail !== undefined) set.place_detail = tidy(changes.placeDetail);
    if (changes.withWhom !== undefined) set.with_whom = tidy(changes.withWhom);
    if (changes.purpose !== undefined) set.purpose = changes.purpose;
    if (changes.placeKind !== undefined || changes.siteId !== undefined || changes.department !== undefined) {
      const kind = changes.placeKind ?? current.placeKind;
      set.place_kind = kind;
      set.site_id = kind === 'site' ? await checkSite(trx, changes.siteId !== undefined ? changes.siteId : current.siteId) : null;
      set.department =
        kind === 'site' ? (changes.department !== undefined ? tidy(changes.department) : current.department) : null;
    }
    const rescheduled = Object.keys(set);
    if (rescheduled.length > 0) {
      const problem = rescheduleProblem(current.status);
      if (problem) throw new RuleError(problem);
    }
    const to = changes.status;
    if (to !== undefined && to !== current.status) {
      if (to === 'attended') throw new RuleError('Log the contact to mark an appointment attended (POST …/attended)');
      const problem = statusMoveProblem(current.status, to);
      if (problem) throw new RuleError(problem);
      set.status = to;
    }
    if (Object.keys(set).length === 0) return current;
    set.updated_at = deps.clock.now().toISOString();
    if ((await repo.update(trx, id, version, set)) === 0) throw new ConflictError();
    if (rescheduled.length > 0) {
      await audit.record(trx, deps, ctx, {
        action: 'appointment.changed',
        entityType: 'participant',
        entityId: current.participantId,
        details: { appointment_id: id, changed: rescheduled },
      });
    }
    if (set.status) {
      await audit.record(trx, deps, ctx, {
        action: `appointment.${set.status}`,
        entityType: 'participant',
        entityId: current.participantId,
        details: { appointment_id: id, from: current.status, to: set.status },
      });
    }
    return toAppointment((await repo.findById(trx, id))!);
  });
}

export interface AttendedDetails {
  mode?: ContactMode | undefined;
  notes?: string | null | undefined;
  sharedWithClinicalTeam?: boolean | undefined;
}

/**
 * "Attended": logs the contact from the appointment's time, duration, place and purpose, and
 * marks the appointment attended with that contact, in one transaction.
 */
export async function attendAppointment(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
  version: number,
  details: AttendedDetails = {},
): Promise<{ appointment: Appointment; contact: contacts.Contact }> {
  return inTransaction(db, async (trx) => {
    const current = await loadChangeable(trx, viewer, id, version);
    const problem = statusMoveProblem(current.status, 'attended');
    if (problem) throw new RuleError(problem);
    const mapped = contactOf(current, details.mode);
    const contact = await contacts.logContact(trx, deps, ctx, viewer, current.participantId, {
      startedAt: current.startsAt,
      durationMinutes: current.durationMinutes,
      mode: details.mode && current.placeKind !== 'remote' ? details.mode : mapped.mode,
      place: mapped.place,
      purpose: mapped.purpose,
      withWhom: current.withWhom,
      notes: details.notes ?? null,
      sharedWithClinicalTeam: details.sharedWithClinicalTeam ?? false,
    });
    const changed = await repo.update(trx, id, version, {
      status: 'attended',
      contact_id: contact.id,
      updated_at: deps.clock.now().toISOString(),
    });
    if (changed === 0) throw new ConflictError();
    await audit.record(trx, deps, ctx, {
      action: 'appointment.attended',
      entityType: 'participant',
      entityId: current.participantId,
      details: { appointment_id: id, contact_id: contact.id, from: current.status },
    });
    return { appointment: toAppointment((await repo.findById(trx, id))!), contact };
  });
}

// ---- Private calendar feed ----------------------------------------------------------------------

/** Whether the user has a live feed, and since when (the address itself is never kept). */
export async function feedStatus(db: DbOrTrx, userId: string): Promise<{ live: boolean; createdAt: string | null }> {
  const feed = await repo.liveFeedOf(db, userId);
  return { live: Boolean(feed), createdAt: feed?.created_at ?? null };
}

/** A new secret feed address for the user, revoking any earlier one. Returns the secret token (shown once). */
export async function createFeed(db: DbOrTrx, deps: Deps, ctx: audit.AuditContext, userId: string): Promise<string> {
  return inTransaction(db, async (trx) => {
    const now = deps.clock.now().toISOString();
    const revoked = await repo.revokeFeeds(trx, userId, now);
    const token = newSecret('swc_');
    const id = randomUUID();
    await repo.insertFeed(trx, { id, user_id: userId, token_hash: hashSecret(token), created_at: now, revoked_at: null });
    await audit.record(trx, deps, ctx, {
      action: 'calendar_feed.created',
      entityType: 'user',
      entityId: userId,
      details: { feed_id: id, revoked_previous: revoked },
    });
    return token;
  });
}

/** Revokes the user's feed: the old address answers 404 from now on. */
export async function revokeFeed(db: DbOrTrx, deps: Deps, ctx: audit.AuditContext, userId: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const revoked = await repo.revokeFeeds(trx, userId, deps.clock.now().toISOString());
    if (revoked > 0)
      await audit.record(trx, deps, ctx, { action: 'calendar_feed.revoked', entityType: 'user', entityId: userId });
    return revoked > 0;
  });
}

/** How far the feed reaches back and ahead. */
const FEED_DAYS_BACK = 60;
const FEED_DAYS_AHEAD = 400;

/**
 * The iCalendar text for a feed token: 404 for an unknown or revoked token, or an inactive user
 * or one whose role has no appointments. Cancelled appointments, and people the user may no
 * longer see, are left out; each event has initials, a coarse place and the time only.
 */
export async function feedCalendar(db: DbOrTrx, deps: Deps, token: string, host: string): Promise<string> {
  const feed = token.startsWith('swc_') ? await repo.liveFeedByHash(db, hashSecret(token)) : undefined;
  const user = feed ? await users.getUser(db, feed.user_id).catch(() => undefined) : undefined;
  // Only roles that may see appointments keep a live feed (a role can change after it was made).
  if (!feed || !user?.active || (user.role !== 'practitioner' && user.role !== 'manager'))
    throw new NotFoundError('Calendar not found');
  const owner: Viewer = { userId: user.id, role: user.role, teamId: user.teamId };
  const today = deps.clock.now().toISOString().slice(0, 10);
  const rows = await repo.listForPractitioner(db, user.id, {
    from: `${addDays(today, -FEED_DAYS_BACK)}T00:00:00.000Z`,
    to: `${addDays(today, FEED_DAYS_AHEAD)}T00:00:00.000Z`,
  });
  const events = rows
    .filter((r) => r.status !== 'cancelled' && canSeeParticipant(owner, scopeOf(r)))
    .map((r) => ({
      id: r.id,
      startsAt: r.starts_at,
      durationMinutes: Number(r.duration_minutes),
      initials: initials(r.given_name, r.family_name),
      place: coarsePlace({
        placeKind: r.place_kind as PlaceKind,
        siteName: r.site_name,
        department: r.department,
        placeDetail: null,
      }),
      updatedAt: r.updated_at,
      version: Number(r.version),
      didNotAttend: r.status === 'did_not_attend',
    }));
  return buildCalendar(events, { calendarName: 'Stepwise appointments', host });
}
