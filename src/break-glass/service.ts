import { randomUUID } from 'node:crypto';
import * as audit from '../audit/service.ts';
import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { ForbiddenError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import { EMERGENCY_GRANTEE_ROLES, type Viewer } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import * as users from '../users/service.ts';
import * as repo from './repo.ts';
import { type GrantHours, type GrantState, canReview, canRevoke, expiryOf, grantState } from './rules.ts';

/** A break-glass grant as the pages show it. */
export interface Grant {
  id: string;
  participantId: string;
  participantName: string;
  participantNhsNumber: string | null;
  participantTeamId: string | null;
  grantedToUserId: string;
  grantedToName: string | null;
  grantedByUserId: string;
  grantedByName: string | null;
  reason: string;
  startsAt: string;
  expiresAt: string;
  revokedAt: string | null;
  reviewedAt: string | null;
  createdAt: string;
  state: GrantState;
}

function toGrant(r: repo.GrantListRow, now: string): Grant {
  return {
    id: r.id,
    participantId: r.participant_id,
    participantName: `${r.given_name} ${r.family_name}`,
    participantNhsNumber: r.nhs_number,
    participantTeamId: r.participant_team_id,
    grantedToUserId: r.granted_to_user_id,
    grantedToName: r.granted_to_name,
    grantedByUserId: r.granted_by_user_id,
    grantedByName: r.granted_by_name,
    reason: r.reason,
    startsAt: r.starts_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    reviewedAt: r.reviewed_at,
    createdAt: r.created_at,
    state: grantState({ revokedAt: r.revoked_at, expiresAt: r.expires_at }, now),
  };
}

function requireManager(viewer: Viewer): void {
  if (viewer.role !== 'manager') throw new ForbiddenError('Only managers can grant or review emergency access');
}

export interface GrantInput {
  nhsNumber: string;
  grantedToUserId: string;
  hours: GrantHours;
  reason: string;
}

/**
 * Grants one member of staff read access to the person with this NHS number, from now for
 * `hours`. Refused, by the field, when no one has that NHS number, when the member of staff
 * cannot hold a grant, or when they can already see the record.
 */
export async function grantAccess(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  input: GrantInput,
): Promise<Grant> {
  requireManager(viewer);
  const person = await participants.findByNhsNumber(db, input.nhsNumber);
  if (!person) throw new ValidationError({ nhs_number: 'No one with this NHS number has a record in Stepwise' });
  const grantee = await users.getUser(db, input.grantedToUserId).catch(() => undefined);
  if (!grantee || !grantee.active || !EMERGENCY_GRANTEE_ROLES.includes(grantee.role)) {
    throw new ValidationError({ granted_to_user_id: 'Select who needs access from the list' });
  }
  // A grant is for someone outside their normal reach; their own access needs none.
  const normal = { userId: grantee.id, role: grantee.role, teamId: grantee.teamId };
  const alreadySees = await participants.loadVisible(db, normal, person.id).then(
    () => true,
    (err: unknown) => {
      if (err instanceof NotFoundError) return false;
      throw err;
    },
  );
  if (alreadySees) {
    throw new ValidationError({ granted_to_user_id: `${grantee.name} can already see this person’s record` });
  }
  const now = deps.clock.now().toISOString();
  const row: repo.GrantRow = {
    id: randomUUID(),
    participant_id: person.id,
    granted_to_user_id: grantee.id,
    granted_by_user_id: viewer.userId,
    reason: input.reason.trim(),
    starts_at: now,
    expires_at: expiryOf(now, input.hours),
    revoked_at: null,
    revoked_by_user_id: null,
    reviewed_at: null,
    reviewed_by_user_id: null,
    created_at: now,
  };
  await repo.insert(db, row);
  await audit.record(db, deps, ctx, {
    action: 'break_glass.granted',
    entityType: 'participant',
    entityId: person.id,
    details: { breakGlassGrantId: row.id, granted_to_user_id: grantee.id, hours: input.hours },
  });
  return toGrant((await repo.findById(db, row.id))!, now);
}

/** A grant the viewer may act on: one they made, or one on their team's people; 404 otherwise. */
async function loadOwnGrant(db: DbOrTrx, viewer: Viewer, id: string, now: string): Promise<Grant> {
  requireManager(viewer);
  const row = await repo.findById(db, id);
  if (!row) throw new NotFoundError('Emergency access grant not found');
  const g = toGrant(row, now);
  if (!canRevoke(viewer, g)) throw new NotFoundError('Emergency access grant not found');
  return g;
}

/** Ends a grant before its time. */
export async function revokeAccess(db: DbOrTrx, deps: Deps, ctx: audit.AuditContext, viewer: Viewer, id: string): Promise<Grant> {
  const now = deps.clock.now().toISOString();
  const g = await loadOwnGrant(db, viewer, id, now);
  if (g.state !== 'in_force') throw new RuleError('This emergency access has already ended');
  if (!(await repo.revoke(db, id, viewer.userId, now))) throw new RuleError('This emergency access has already ended');
  await audit.record(db, deps, ctx, {
    action: 'break_glass.revoked',
    entityType: 'participant',
    entityId: g.participantId,
    details: { breakGlassGrantId: id },
  });
  return toGrant((await repo.findById(db, id))!, now);
}

/** A manager of the person's team has looked at the grant: it leaves their list. */
export async function markReviewed(db: DbOrTrx, deps: Deps, ctx: audit.AuditContext, viewer: Viewer, id: string): Promise<Grant> {
  const now = deps.clock.now().toISOString();
  const g = await loadOwnGrant(db, viewer, id, now);
  if (!canReview(viewer, g)) throw new RuleError('A manager of the person’s team reviews emergency access to their record');
  if (g.reviewedAt === null && (await repo.markReviewed(db, id, viewer.userId, now))) {
    await audit.record(db, deps, ctx, {
      action: 'break_glass.reviewed',
      entityType: 'participant',
      entityId: g.participantId,
      details: { breakGlassGrantId: id },
    });
  }
  return toGrant((await repo.findById(db, id))!, now);
}

const LIST_LIMIT = 100;

/** Grants on the manager's team's people still to review: the flag on their home page. */
export async function toReview(db: DbOrTrx, deps: Deps, viewer: Viewer): Promise<Grant[]> {
  if (viewer.role !== 'manager' || !viewer.teamId) return [];
  const now = deps.clock.now().toISOString();
  return (await repo.unreviewedForTeam(db, viewer.teamId, LIST_LIMIT)).map((r) => toGrant(r, now));
}

/** The grants a manager has made, newest first. */
export async function grantedBy(db: DbOrTrx, deps: Deps, viewer: Viewer): Promise<Grant[]> {
  if (viewer.role !== 'manager') return [];
  const now = deps.clock.now().toISOString();
  return (await repo.grantedBy(db, viewer.userId, LIST_LIMIT)).map((r) => toGrant(r, now));
}

/** Emergency access the viewer holds now, so their home page links to the records. */
export async function heldBy(db: DbOrTrx, deps: Deps, viewer: Viewer): Promise<Grant[]> {
  if (!EMERGENCY_GRANTEE_ROLES.includes(viewer.role)) return [];
  const now = deps.clock.now().toISOString();
  return (await repo.inForceFor(db, viewer.userId, now)).map((r) => toGrant(r, now));
}

/** The staff a grant can be made to, for the form's list: active practitioners, clinicians and managers. */
export async function granteeChoices(db: DbOrTrx): Promise<{ value: string; text: string }[]> {
  const { items } = await users.listUsers(db, { active: true }, 2000);
  return items
    .filter((u) => EMERGENCY_GRANTEE_ROLES.includes(u.role))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((u) => ({ value: u.id, text: u.teamName ? `${u.name} (${u.teamName})` : u.name }));
}
