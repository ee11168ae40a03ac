// Break-glass (issue 12, point 5): a manager grants one member of staff read access to one
// person outside their normal reach, for a short, fixed period, with a reason. Who may read under
// a grant is decided with the rest of record access in src/participants/rules.ts
// (`emergencyGrantOf`); the rules here are about the grants themselves.

/** How long a grant may last, in hours; the form offers these and nothing else. */
export const GRANT_HOURS = [1, 4, 8, 24] as const;
export type GrantHours = (typeof GRANT_HOURS)[number];
export const DEFAULT_GRANT_HOURS: GrantHours = 4;

export const REASON_MIN = 10;
export const REASON_MAX = 1000;

/** When a grant made at `startsAt` for `hours` ends (that instant is already outside it). */
export function expiryOf(startsAt: string, hours: GrantHours): string {
  return new Date(Date.parse(startsAt) + hours * 3_600_000).toISOString();
}

export type GrantState = 'in_force' | 'expired' | 'revoked';

export const GRANT_STATE_LABELS: Record<GrantState, string> = {
  in_force: 'In force',
  expired: 'Expired',
  revoked: 'Revoked',
};

/** Where a grant stands at `now`: revoked wins, then expired (at the expiry instant itself). */
export function grantState(g: { revokedAt: string | null; expiresAt: string }, now: string): GrantState {
  if (g.revokedAt !== null) return 'revoked';
  return Date.parse(now) < Date.parse(g.expiresAt) ? 'in_force' : 'expired';
}

/**
 * Who may revoke a grant: the manager who made it, or a manager of the person's team. Only
 * while it is in force; an expired or revoked grant has nothing left to stop.
 */
export function canRevoke(
  viewer: { userId: string; role: string; teamId: string | null },
  g: { grantedByUserId: string; participantTeamId: string | null },
): boolean {
  if (viewer.role !== 'manager') return false;
  return g.grantedByUserId === viewer.userId || (viewer.teamId !== null && g.participantTeamId === viewer.teamId);
}

/** Who reviews a grant: a manager of the person's team, the one the grant is flagged to. */
export function canReview(viewer: { role: string; teamId: string | null }, g: { participantTeamId: string | null }): boolean {
  return viewer.role === 'manager' && viewer.teamId !== null && g.participantTeamId === viewer.teamId;
}
