import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { makeParticipant, makeTeam, makeUser } from '../../test/factories.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import * as participants from '../participants/service.ts';
import type { User } from '../users/service.ts';
import * as contacts from './service.ts';

let t: TestApp;
let pat: User;
let sam: User;
let max: User;
beforeEach(async () => {
  t = await createTestApp();
  const north = (await makeTeam(t.db, t.deps, 'North IPS')).id;
  pat = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north });
  sam = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north });
  max = await makeUser(t.db, t.deps, { role: 'manager', teamId: north });
});
afterEach(async () => {
  await t.close();
});

const v = (u: User) => participants.viewerOf({ userId: u.id, role: u.role, teamId: u.teamId });
const base = { durationMinutes: 32, mode: 'face_to_face', place: 'workplace', purpose: 'in_work_support' } as const;

describe('contacts', () => {
  it('derives out of hours from the time in London and rounds the duration', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const evening = await contacts.logContact(t.db, t.deps, SYSTEM_CONTEXT, v(pat), p.id, {
      ...base,
      startedAt: '2026-11-24T19:30:00Z',
    });
    const weekday = await contacts.logContact(t.db, t.deps, SYSTEM_CONTEXT, v(pat), p.id, {
      ...base,
      startedAt: '2026-11-25T10:00:00Z',
    });
    expect(evening).toMatchObject({ outOfHours: true, durationMinutes: 30 });
    expect(weekday.outOfHours).toBe(false);
  });

  it('remembers the practitioner’s last mode and place for the next form', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    expect(await contacts.defaultsFor(t.db, pat.id, t.clock.now())).toMatchObject({
      mode: 'face_to_face',
      place: 'community',
      durationMinutes: 30,
    });
    await contacts.logContact(t.db, t.deps, SYSTEM_CONTEXT, v(pat), p.id, {
      ...base,
      mode: 'phone',
      place: 'remote',
      startedAt: '2026-11-25T10:00:00Z',
    });
    expect(await contacts.defaultsFor(t.db, pat.id, t.clock.now())).toMatchObject({ mode: 'phone', place: 'remote' });
  });

  it('keeps the earlier text when edited, and lets only the author or a manager change it', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const c = await contacts.logContact(t.db, t.deps, SYSTEM_CONTEXT, v(pat), p.id, {
      ...base,
      startedAt: '2026-11-25T10:00:00Z',
      notes: 'First words',
    });
    await expect(
      contacts.editContact(t.db, t.deps, SYSTEM_CONTEXT, v(sam), p.id, c.id, c.version, { notes: 'x' }),
    ).rejects.toThrow('Only the person who logged');
    const edited = await contacts.editContact(t.db, t.deps, SYSTEM_CONTEXT, v(pat), p.id, c.id, c.version, {
      notes: 'Better words',
    });
    expect(edited.notes).toBe('Better words');
    const history = await contacts.contactRevisions(t.db, v(max), p.id, c.id);
    expect(history).toHaveLength(1);
    expect(history[0]?.previous.notes).toBe('First words');
    await expect(
      contacts.editContact(t.db, t.deps, SYSTEM_CONTEXT, v(max), p.id, c.id, c.version, { notes: 'stale' }),
    ).rejects.toThrow('Someone else changed');
  });

  it('soft-deletes with a reason: gone from the list, kept in the database', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const c = await contacts.logContact(t.db, t.deps, SYSTEM_CONTEXT, v(pat), p.id, {
      ...base,
      startedAt: '2026-11-25T10:00:00Z',
    });
    await contacts.deleteContact(t.db, t.deps, SYSTEM_CONTEXT, v(max), p.id, c.id, c.version, 'Logged against the wrong person');
    expect(await contacts.listContacts(t.db, v(pat), p.id, { limit: 10, offset: 0 })).toEqual([]);
    const row = await t.db
      .selectFrom('contacts')
      .select(['deleted_at', 'delete_reason'])
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(row.delete_reason).toBe('Logged against the wrong person');
  });
});
