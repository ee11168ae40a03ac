import { randomUUID } from 'node:crypto';
import * as audit from '../audit/service.ts';
import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../errors.ts';
import type { Viewer } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import * as repo from './repo.ts';
import {
  EMPTY_PROFILE,
  type EmployerProfile,
  type ProfileChange,
  type ProfileData,
  type ProfileField,
  type SectionAccess,
  changedFields,
  commonAccess,
  diffProfiles,
  employerProfile,
  fieldVisible,
  mergeProfile,
  openSections,
  profileProblems,
  redactProfile,
  sensitiveAccess,
  sensitiveSectionOf,
} from './rules.ts';
import { parseStoredProfile } from './schema.ts';

/** One saved version of a profile; version 0 is the empty profile before the first save. */
export interface ProfileVersion {
  /** The version's record id; null for version 0. */
  id: string | null;
  participantId: string;
  version: number;
  data: ProfileData;
  createdAt: string | null;
  savedByUserId: string | null;
  savedByName: string | null;
}

/** The current profile as one viewer may see it. */
export interface ProfileView {
  participant: participants.ParticipantView;
  current: ProfileVersion;
  /** Which sensitive sections this viewer may see. */
  access: SectionAccess;
  /** The profile without the sections this viewer may not see. */
  visible: Partial<ProfileData>;
  canEdit: boolean;
}

function toVersion(participantId: string, row: repo.ProfileVersionWithName | undefined): ProfileVersion {
  if (!row) {
    return {
      id: null,
      participantId,
      version: 0,
      data: { ...EMPTY_PROFILE },
      createdAt: null,
      savedByUserId: null,
      savedByName: null,
    };
  }
  return {
    id: row.id,
    participantId,
    version: row.version,
    data: parseStoredProfile(row.data),
    createdAt: row.created_at,
    savedByUserId: row.created_by_user_id,
    savedByName: row.saved_by_name,
  };
}

/** The name a person goes by: their preferred name, or their given name, with their family name. */
export function displayName(p: { givenName: string; familyName: string; preferredName: string | null }): string {
  return `${p.preferredName?.trim() || p.givenName} ${p.familyName}`;
}

/** The current version (version 0 when nothing has been saved yet), without any access check. */
export async function currentVersion(db: DbOrTrx, participantId: string): Promise<ProfileVersion> {
  return toVersion(participantId, await repo.latest(db, participantId));
}

async function recordSensitiveView(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  participantId: string,
  sections: string[],
  version: number,
  page: string,
): Promise<void> {
  if (sections.length === 0) return;
  // Which sections were shown, never what they say.
  await audit.record(db, deps, ctx, {
    action: 'profile.sensitive_viewed',
    entityType: 'participant',
    entityId: participantId,
    details: { sections, version, page },
  });
}

/**
 * Reads the current profile for a viewer (404 when they may not see the person). Writes
 * `profile.viewed`, and `profile.sensitive_viewed` naming the sensitive sections shown.
 */
export async function viewProfile(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  page = 'profile',
): Promise<ProfileView> {
  const participant = await participants.loadVisible(db, viewer, participantId);
  const current = await currentVersion(db, participantId);
  const access = sensitiveAccess(viewer, participant.scope, current.data);
  await audit.record(db, deps, ctx, {
    action: 'profile.viewed',
    entityType: 'participant',
    entityId: participantId,
    details: { version: current.version, page },
  });
  if (current.version > 0) await recordSensitiveView(db, deps, ctx, participantId, openSections(access), current.version, page);
  return { participant, current, access, visible: redactProfile(current.data, access), canEdit: participant.canEdit };
}

/** Which sensitive sections a viewer may see in the current profile (no audit: nothing is shown). */
export async function accessFor(db: DbOrTrx, viewer: Viewer, participantId: string): Promise<SectionAccess> {
  const participant = await participants.loadVisible(db, viewer, participantId);
  return sensitiveAccess(viewer, participant.scope, (await currentVersion(db, participantId)).data);
}

/**
 * Saves a new version from `changes` when `version` is the current one (0 before the first save);
 * a stale version is a ConflictError and nothing is written. Fields not in `changes` are carried
 * over, so someone who may not see a sensitive section never blanks it; sending one is refused.
 * A save that changes nothing returns the current version without adding one.
 */
export async function saveProfile(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  version: number,
  changes: Partial<ProfileData>,
): Promise<ProfileVersion> {
  const participant = await participants.loadEditable(db, viewer, participantId);
  const current = await currentVersion(db, participantId);
  if (current.version !== version) throw new ConflictError('Someone else saved this profile after you opened it');
  const access = sensitiveAccess(viewer, participant.scope, current.data);
  const refused = (Object.keys(changes) as ProfileField[]).filter((f) => changes[f] !== undefined && !fieldVisible(f, access));
  if (refused.length > 0) {
    throw new ForbiddenError('Only the assigned practitioner and the team’s managers can change health, convictions or benefits');
  }
  const next = mergeProfile(current.data, changes);
  const problems = profileProblems(next);
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  const changed = changedFields(current.data, next);
  if (changed.length === 0 && current.version > 0) return current;

  const row: repo.ProfileVersionRow = {
    id: randomUUID(),
    participant_id: participantId,
    version: current.version + 1,
    data: JSON.stringify(next),
    created_at: deps.clock.now().toISOString(),
    created_by_user_id: viewer.userId,
  };
  try {
    await repo.insert(db, row);
  } catch (err) {
    // Two saves of the same version at once: the second loses, as with a stale version.
    if (repo.isUniqueViolation(err)) throw new ConflictError('Someone else saved this profile after you opened it');
    throw err;
  }
  await audit.record(db, deps, ctx, {
    action: 'profile.saved',
    entityType: 'participant',
    entityId: participantId,
    details: { version: row.version, changed },
  });
  return toVersion(participantId, await repo.findVersion(db, participantId, row.version));
}

/** What changed between the version someone started from and the current one, as they may see it. */
export async function changesSince(
  db: DbOrTrx,
  viewer: Viewer,
  participantId: string,
  fromVersion: number,
): Promise<ProfileChange[]> {
  const participant = await participants.loadVisible(db, viewer, participantId);
  const current = await currentVersion(db, participantId);
  const from = fromVersion > 0 ? toVersion(participantId, await repo.findVersion(db, participantId, fromVersion)) : null;
  const before = from?.data ?? { ...EMPTY_PROFILE };
  const access = versionPairAccess(viewer, participant, from?.data ?? null, current.data);
  return diffProfiles(before, current.data, access);
}

function versionPairAccess(
  viewer: Viewer,
  participant: participants.ParticipantView,
  before: ProfileData | null,
  after: ProfileData,
): SectionAccess {
  const afterAccess = sensitiveAccess(viewer, participant.scope, after);
  // A value is shown only if the viewer may see it on both sides (a clinician never sees health
  // from before it was shared); an empty "before" hides nothing.
  return before ? commonAccess(sensitiveAccess(viewer, participant.scope, before), afterAccess) : afterAccess;
}

export interface HistoryEntry {
  id: string;
  version: number;
  createdAt: string;
  savedByUserId: string | null;
  savedByName: string | null;
  changes: ProfileChange[];
}

/**
 * Versions newest first, each with who saved it, when, and what changed from the one before.
 * Sensitive values appear only where the viewer may see them (and that showing is audited).
 */
export async function history(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  page: { limit: number; beforeVersion?: number } = { limit: 1000 },
): Promise<{ participant: participants.ParticipantView; items: HistoryEntry[]; nextBeforeVersion: number | null }> {
  const participant = await participants.loadVisible(db, viewer, participantId);
  // One row more than the page: it is the "before" of the page's last entry and says whether
  // another page follows (versions run 1, 2, 3 ... without gaps).
  const rows = (await repo.versions(db, participantId, page.limit + 1, page.beforeVersion)).map((r) =>
    toVersion(participantId, r),
  );
  const shown = new Set<string>();
  const items: HistoryEntry[] = rows.slice(0, page.limit).map((v, i) => {
    const before = rows[i + 1] ?? null;
    const access = versionPairAccess(viewer, participant, before?.data ?? null, v.data);
    const changes = diffProfiles(before?.data ?? { ...EMPTY_PROFILE }, v.data, access);
    for (const c of changes) {
      const section = c.hidden ? null : sensitiveSectionOf(c.field);
      if (section) shown.add(section);
    }
    return {
      id: v.id ?? '',
      version: v.version,
      createdAt: v.createdAt ?? '',
      savedByUserId: v.savedByUserId,
      savedByName: v.savedByName,
      changes,
    };
  });
  await audit.record(db, deps, ctx, {
    action: 'profile.viewed',
    entityType: 'participant',
    entityId: participantId,
    details: { page: 'history' },
  });
  const top = items[0]?.version ?? 0;
  await recordSensitiveView(db, deps, ctx, participantId, [...shown].sort(), top, 'history');
  const hasMore = rows.length > page.limit;
  return { participant, items, nextBeforeVersion: hasMore ? (items[items.length - 1]?.version ?? null) : null };
}

/**
 * The one-page profile for an employer: never the sensitive sections, and support or health only
 * as the disclosure preference allows. Writes `profile.pdf_downloaded`.
 */
export async function employerProfileFor(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
): Promise<{ profile: EmployerProfile; version: number }> {
  const participant = await participants.loadVisible(db, viewer, participantId);
  const current = await currentVersion(db, participantId);
  await audit.record(db, deps, ctx, {
    action: 'profile.pdf_downloaded',
    entityType: 'participant',
    entityId: participantId,
    details: { version: current.version, disclosure: current.data.disclosure ?? 'none' },
  });
  return { profile: employerProfile(displayName(participant), current.data), version: current.version };
}

/** The API shape of the current profile: `id` is the participant's id; hidden sections are absent. */
export function profileJson(view: Pick<ProfileView, 'participant' | 'current' | 'visible'>): Record<string, unknown> {
  return {
    id: view.participant.id,
    participant_id: view.participant.id,
    version: view.current.version,
    created_at: view.current.createdAt,
    updated_at: view.current.createdAt,
    saved_by_user_id: view.current.savedByUserId,
    ...view.visible,
  };
}

/** The API shape of one history entry. */
export function historyEntryJson(e: HistoryEntry): Record<string, unknown> {
  return {
    id: e.id,
    version: e.version,
    created_at: e.createdAt,
    saved_by_user_id: e.savedByUserId,
    saved_by_name: e.savedByName,
    changes: e.changes.map((c) => ({ field: c.field, before: c.before, after: c.after, hidden: c.hidden })),
  };
}
