import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { makeParticipant, makeTeam, makeUser } from '../../test/factories.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import type { User } from '../users/service.ts';
import * as participants from './service.ts';

let t: TestApp;
let north: string;
let south: string;
let pat: User;
let sam: User;
let sue: User;
let max: User;
beforeEach(async () => {
  t = await createTestApp();
  north = (await makeTeam(t.db, t.deps, 'North IPS')).id;
  south = (await makeTeam(t.db, t.deps, 'South IPS')).id;
  pat = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north });
  sam = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north });
  sue = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: south });
  max = await makeUser(t.db, t.deps, { role: 'manager', teamId: north });
});
afterEach(async () => {
  await t.close();
});

const v = (u: User) => participants.viewerOf({ userId: u.id, role: u.role, teamId: u.teamId });

describe('participants', () => {
  it('defaults the practitioner to its creator and the team to theirs, starting as referred', async () => {
    const p = await makeParticipant(t.db, t.deps, pat, { givenName: 'Zoë', familyName: 'Núñez', nhsNumber: '943 476 5919' });
    expect(p).toMatchObject({ practitionerId: pat.id, teamId: north, status: 'referred', nhsNumber: '9434765919' });
  });

  it('lets the team see a person and hides them from other teams, admins and commissioners', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await expect(participants.loadVisible(t.db, v(sam), p.id)).resolves.toMatchObject({ id: p.id, canSeeSensitive: false });
    await expect(participants.loadVisible(t.db, v(max), p.id)).resolves.toMatchObject({ canEdit: true, canSeeSensitive: true });
    await expect(participants.loadVisible(t.db, v(sue), p.id)).rejects.toThrow('Participant not found');
    const admin = await makeUser(t.db, t.deps, { role: 'admin' });
    await expect(participants.loadVisible(t.db, v(admin), p.id)).rejects.toThrow('Participant not found');
  });

  it('finds people by partial name without case or accents, and by NHS number with spaces, only within scope', async () => {
    await makeParticipant(t.db, t.deps, pat, { givenName: 'Zoë', familyName: 'Núñez', nhsNumber: '9434765919' });
    await makeParticipant(t.db, t.deps, sue, { givenName: 'Zoe', familyName: 'Southern' });
    const page = { sort: 'name' as const, direction: 'asc' as const, limit: 10, offset: 0 };
    const byName = await participants.searchParticipants(t.db, v(sam), { name: 'ZOE nun' }, page);
    expect(byName.items.map((p) => p.familyName)).toEqual(['Núñez']);
    expect(byName.items[0]?.practitionerName).toBe(pat.name);
    const byNhs = await participants.searchParticipants(t.db, v(max), { nhsNumber: '943 476 5919' }, page);
    expect(byNhs.total).toBe(1);
    expect((await participants.searchParticipants(t.db, v(sue), { name: 'zoe' }, page)).items.map((p) => p.familyName)).toEqual([
      'Southern',
    ]);
  });

  it('shows possible duplicates before saving, and can link instead of merging', async () => {
    const first = await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Lee', dateOfBirth: '1990-01-02' });
    const input = { givenName: 'ann', familyName: 'LEE', dateOfBirth: '1990-01-02', programme: 'ips' as const };
    const err = await participants.createParticipant(t.db, t.deps, SYSTEM_CONTEXT, v(sam), input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(participants.DuplicatesFound);
    expect((err as participants.DuplicatesFound).duplicates).toEqual([
      expect.objectContaining({ id: first.id, visible: true, reason: 'name_and_date_of_birth' }),
    ]);
    const hidden = await participants.possibleDuplicates(t.db, v(sue), input);
    expect(hidden).toEqual([expect.objectContaining({ id: first.id, visible: false, name: null, teamName: 'North IPS' })]);
    const { participant } = await participants.createParticipant(t.db, t.deps, SYSTEM_CONTEXT, v(sam), input, {
      allowDuplicates: true,
      linkTo: first.id,
    });
    expect(participant.linkedParticipantId).toBe(first.id);
  });

  it('refuses an illegal status move with the reason, and keeps the history', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await expect(participants.changeStatus(t.db, t.deps, SYSTEM_CONTEXT, v(pat), p.id, p.version, 'employed')).rejects.toThrow(
      'cannot move straight to employed',
    );
    t.clock.advance(60_000);
    const engaged = await participants.changeStatus(t.db, t.deps, SYSTEM_CONTEXT, v(pat), p.id, p.version, 'engaged');
    expect(engaged.status).toBe('engaged');
    await expect(participants.changeStatus(t.db, t.deps, SYSTEM_CONTEXT, v(pat), p.id, p.version, 'job_search')).rejects.toThrow(
      'Someone else changed this record',
    );
    expect((await participants.statusHistory(t.db, p.id)).map((c) => c.toStatus)).toEqual(['engaged', 'referred']);
  });

  it('asks before assigning a practitioner over the caseload limit', async () => {
    await t.db.insertInto('settings').values({ key: 'caseload_limit', value: '2', updated_at: '2026-11-25T10:00:00Z' }).execute();
    await makeParticipant(t.db, t.deps, sam);
    await makeParticipant(t.db, t.deps, sam);
    const p = await makeParticipant(t.db, t.deps, pat);
    await expect(participants.assignPractitioner(t.db, t.deps, SYSTEM_CONTEXT, v(max), p.id, p.version, sam.id)).rejects.toThrow(
      'already has 2 people on their caseload (the limit is 2)',
    );
    const moved = await participants.assignPractitioner(t.db, t.deps, SYSTEM_CONTEXT, v(max), p.id, p.version, sam.id, {
      confirmOverLimit: true,
    });
    expect(moved.practitionerId).toBe(sam.id);
  });
});

describe('search wildcards', () => {
  it('treats _ and % typed in a search as themselves on both databases', async () => {
    const pat2 = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north });
    await makeParticipant(t.db, t.deps, pat2, { givenName: 'Ann', familyName: 'Lee' });
    await makeParticipant(t.db, t.deps, pat2, { givenName: 'Ann_Marie', familyName: 'Lee' });
    const page = { sort: 'name' as const, direction: 'asc' as const, limit: 10, offset: 0 };
    const found = await participants.searchParticipants(t.db, v(pat2), { name: 'ann_' }, page);
    expect(found.items.map((p) => p.givenName)).toEqual(['Ann_Marie']);
    expect((await participants.searchParticipants(t.db, v(pat2), { name: '%' }, page)).total).toBe(0);
  });
});

describe('moving someone to another team', () => {
  it('is for managers: a practitioner can only assign within their own team', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await expect(participants.assignPractitioner(t.db, t.deps, SYSTEM_CONTEXT, v(pat), p.id, p.version, sue.id)).rejects.toThrow(
      'There is a problem',
    );
    const withinTeam = await participants.assignPractitioner(t.db, t.deps, SYSTEM_CONTEXT, v(pat), p.id, p.version, sam.id);
    expect(withinTeam.practitionerId).toBe(sam.id);
    const moved = await participants.assignPractitioner(t.db, t.deps, SYSTEM_CONTEXT, v(max), p.id, withinTeam.version, sue.id);
    expect(moved).toMatchObject({ practitionerId: sue.id, teamId: south });
  });
});
