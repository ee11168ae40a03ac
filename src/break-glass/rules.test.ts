import { describe, expect, it } from 'vitest';
import {
  type EmergencyAccess,
  type ParticipantScope,
  type Viewer,
  canEditParticipant,
  canSeeParticipant,
  canSeeSensitive,
  emergencyGrantOf,
} from '../participants/rules.ts';
import { canReview, canRevoke, expiryOf, grantState } from './rules.ts';

// The break-glass rules without a database: when a grant is in force (to the second), that it
// reads but never changes, and who may revoke and review.

const emergencyAt = (at: string): EmergencyAccess => ({ at, used: [], recordUse: async () => {} });
const grantee = (at: string, role: Viewer['role'] = 'practitioner'): Viewer => ({
  userId: 'u1',
  role,
  teamId: 'team-b',
  emergency: emergencyAt(at),
});
const scope: ParticipantScope = {
  practitionerId: 'p1',
  teamId: 'team-a',
  clinicalTeamIds: [],
  emergencyGrants: [{ grantId: 'g1', userId: 'u1', startsAt: '2026-11-25T10:00:00.000Z', expiresAt: '2026-11-25T14:00:00.000Z' }],
};

describe('break-glass rules', () => {
  it('ends a grant at its expiry instant: one second before is in, the instant itself is out', () => {
    expect(canSeeParticipant(grantee('2026-11-25T13:59:59.000Z'), scope)).toBe(true);
    expect(canSeeParticipant(grantee('2026-11-25T14:00:00.000Z'), scope)).toBe(false);
    expect(canSeeParticipant(grantee('2026-11-25T09:59:59.000Z'), scope)).toBe(false);
    expect(grantState({ revokedAt: null, expiresAt: '2026-11-25T14:00:00.000Z' }, '2026-11-25T13:59:59.000Z')).toBe('in_force');
    expect(grantState({ revokedAt: null, expiresAt: '2026-11-25T14:00:00.000Z' }, '2026-11-25T14:00:00.000Z')).toBe('expired');
    expect(
      grantState({ revokedAt: '2026-11-25T11:00:00.000Z', expiresAt: '2026-11-25T14:00:00.000Z' }, '2026-11-25T12:00:00.000Z'),
    ).toBe('revoked');
    expect(expiryOf('2026-11-25T10:00:00.000Z', 24)).toBe('2026-11-26T10:00:00.000Z');
  });

  it('reads, sensitive details included, but never changes under a grant', () => {
    const v = grantee('2026-11-25T12:00:00.000Z', 'manager');
    expect(canSeeParticipant(v, scope)).toBe(true);
    expect(canSeeSensitive(v, scope)).toBe(true);
    expect(canEditParticipant(v, scope)).toBe(false);
  });

  it('applies only to the named member of staff, in a request that has a time, and never to admins or commissioners', () => {
    expect(emergencyGrantOf({ ...grantee('2026-11-25T12:00:00.000Z'), userId: 'someone-else' }, scope)).toBeNull();
    expect(canSeeParticipant({ userId: 'u1', role: 'practitioner', teamId: 'team-b' }, scope)).toBe(false);
    expect(canSeeParticipant(grantee('2026-11-25T12:00:00.000Z', 'admin'), scope)).toBe(false);
    expect(canSeeParticipant(grantee('2026-11-25T12:00:00.000Z', 'commissioner'), scope)).toBe(false);
  });

  it('lets the granter or the person’s team managers revoke, and only the team managers review', () => {
    const g = { grantedByUserId: 'm-b', participantTeamId: 'team-a' };
    expect(canRevoke({ userId: 'm-b', role: 'manager', teamId: 'team-b' }, g)).toBe(true);
    expect(canRevoke({ userId: 'm-a', role: 'manager', teamId: 'team-a' }, g)).toBe(true);
    expect(canRevoke({ userId: 'm-c', role: 'manager', teamId: 'team-c' }, g)).toBe(false);
    expect(canRevoke({ userId: 'm-b', role: 'practitioner', teamId: 'team-b' }, g)).toBe(false);
    expect(canReview({ role: 'manager', teamId: 'team-a' }, g)).toBe(true);
    expect(canReview({ role: 'manager', teamId: 'team-b' }, g)).toBe(false);
  });
});
