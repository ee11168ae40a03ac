import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeAppointment, makeParticipant, makeTeam, makeUser } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import { ValidationError } from '../errors.ts';
import * as participants from '../participants/service.ts';
import type { User } from '../users/service.ts';
import * as appointments from './service.ts';

let t: TestApp;
let north: string;
let pat: User;
let max: User;
beforeEach(async () => {
  t = await createTestApp({ now: '2026-11-25T10:00:00Z' });
  north = (await makeTeam(t.db, t.deps, 'North IPS')).id;
  pat = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north });
  max = await makeUser(t.db, t.deps, { role: 'manager', teamId: north });
});
afterEach(async () => {
  await t.close();
});

const v = (u: User) => participants.viewerOf({ userId: u.id, role: u.role, teamId: u.teamId });
const base = { startsAt: '2026-12-01T10:00:00Z', durationMinutes: 30, placeKind: 'community', purpose: 'engagement' } as const;

describe('appointments service', () => {
  it('lets a manager plan for a practitioner of their team, but not of another team', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const planned = await appointments.planAppointment(t.db, t.deps, SYSTEM_CONTEXT, v(max), p.id, {
      ...base,
      practitionerId: pat.id,
    });
    expect(planned.practitionerId).toBe(pat.id);
    const south = (await makeTeam(t.db, t.deps, 'South IPS')).id;
    const stranger = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: south });
    await expect(
      appointments.planAppointment(t.db, t.deps, SYSTEM_CONTEXT, v(max), p.id, { ...base, practitionerId: stranger.id }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      appointments.planAppointment(t.db, t.deps, SYSTEM_CONTEXT, v(pat), p.id, { ...base, practitionerId: max.id }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('finds each person’s next planned appointment in one query, skipping past and cancelled ones', async () => {
    const a = await makeParticipant(t.db, t.deps, pat);
    const b = await makeParticipant(t.db, t.deps, pat);
    await makeAppointment(t.db, t.deps, pat, a.id, { startsAt: '2026-11-20T10:00:00Z' });
    await makeAppointment(t.db, t.deps, pat, a.id, { startsAt: '2026-12-09T10:00:00Z' });
    await makeAppointment(t.db, t.deps, pat, a.id, { startsAt: '2026-12-02T10:00:00Z' });
    const cancelled = await makeAppointment(t.db, t.deps, pat, b.id, { startsAt: '2026-12-03T10:00:00Z' });
    await appointments.updateAppointment(t.db, t.deps, SYSTEM_CONTEXT, v(pat), cancelled.id, 1, { status: 'cancelled' });
    const next = await appointments.nextPlannedAt(t.db, [a.id, b.id], t.clock.now());
    expect(next.get(a.id)).toBe('2026-12-02T10:00:00.000Z');
    expect(next.has(b.id)).toBe(false);
  });
});
