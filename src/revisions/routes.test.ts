import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import { ConflictError } from '../errors.ts';
import * as participants from '../participants/service.ts';
import type { User } from '../users/service.ts';
import { makeParticipant, makeTeam, makeUser, referFromClinicalTeam } from '../../test/factories.ts';
import { Browser, createTestApp, signedInAs, type TestApp } from '../../test/test-app.ts';
import { TEST_DIALECT } from '../../test/test-db.ts';

// Rectification keeps the earlier value: a correction of a person's details keeps what it
// replaced, with who changed it and when, in the same transaction; the record links to the
// earlier values; special-category fields are shown only to those who may see them.

let t: TestApp;
let practitioner: User;
let person: participants.Participant;
let assigned: Browser;
let clinician: Browser;
let otherTeam: Browser;
const viewerOf = (u: User) => ({ userId: u.id, role: u.role, teamId: u.teamId });
const url = (id: string) => `/participants/${id}/earlier-values`;

beforeAll(async () => {
  t = await createTestApp();
  const team = await makeTeam(t.db, t.deps);
  const clinical = await makeTeam(t.db, t.deps);
  practitioner = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: team.id, name: 'Priya Practitioner' });
  person = await makeParticipant(t.db, t.deps, practitioner, {
    givenName: 'Ann',
    familyName: 'Smyth',
    nhsNumber: '9434765919',
    communicationNotes: 'Prefers short written notes after appointments',
  });
  await referFromClinicalTeam(t.db, person.id, clinical.id);
  t.clock.set('2026-11-25T11:30:00Z');
  await t.db.transaction().execute((trx) =>
    participants.updateParticipant(trx, t.deps, SYSTEM_CONTEXT, viewerOf(practitioner), person.id, person.version, {
      familyName: 'Smith',
      nhsNumber: null,
      communicationNotes: 'Prefers a text message the day before',
    }),
  );
  // Only the assigned practitioner (and the team's managers) may see special-category fields.
  assigned = new Browser(t.app);
  await assigned.signIn(practitioner.email);
  clinician = (await signedInAs(t, 'clinician', clinical.id)).browser;
  otherTeam = (await signedInAs(t, 'practitioner', (await makeTeam(t.db, t.deps)).id)).browser;
}, 60_000);
afterAll(async () => {
  await t.close();
});

describe(`earlier values on ${TEST_DIALECT}`, () => {
  it('keeps the value a correction replaced, with who changed it and when, and links to it from the record', async () => {
    expect((await assigned.get(`/participants/${person.id}`)).body).toContain(`href="${url(person.id)}"`);
    const res = await assigned.get(url(person.id));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Earlier values');
    expect(res.body).toContain('Family name');
    expect(res.body).toContain('Smyth');
    expect(res.body).toContain('NHS number');
    expect(res.body).toContain('943 476 5919');
    expect(res.body).toContain('Prefers short written notes after appointments');
    expect(res.body).toContain('Priya Practitioner');
    expect(res.body).toContain('25 Nov 2026, 11:30');
    // The record itself shows only the corrected values.
    const record = (await assigned.get(`/participants/${person.id}`)).body;
    expect(record).toContain('Smith');
    expect(record).not.toContain('Smyth');
  });

  it('shows a clinician the earlier name but not the earlier communication notes', async () => {
    const res = await clinician.get(url(person.id));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Smyth');
    expect(res.body).not.toContain('Prefers short written notes after appointments');
    expect(res.body).toContain('shown only to');
  });

  it('answers 404 to someone who may not see the person', async () => {
    expect((await otherTeam.get(url(person.id))).statusCode).toBe(404);
  });

  it('writes the view to the audit trail with field names only', async () => {
    await assigned.get(url(person.id));
    const event = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'participant.earlier_values_viewed')
      .where('entity_id', '=', person.id)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(event.details).toContain('family_name');
    expect(event.details).not.toContain('Smyth');
  });

  it('keeps nothing when a stale edit is refused', async () => {
    const count = async () =>
      Number(
        (
          await t.db
            .selectFrom('record_revisions')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('participant_id', '=', person.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    await expect(
      t.db.transaction().execute((trx) =>
        participants.updateParticipant(trx, t.deps, SYSTEM_CONTEXT, viewerOf(practitioner), person.id, person.version, {
          familyName: 'Smithe',
        }),
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await count()).toBe(before);
  });

  it('keeps each correction of the same field, newest first', async () => {
    const current = await participants.loadVisible(t.db, viewerOf(practitioner), person.id);
    t.clock.set('2026-11-25T11:40:00Z');
    await t.db.transaction().execute((trx) =>
      participants.updateParticipant(trx, t.deps, SYSTEM_CONTEXT, viewerOf(practitioner), person.id, current.version, {
        familyName: 'Smith-Jones',
      }),
    );
    const page = (await assigned.get(url(person.id))).body;
    const table = page.slice(page.indexOf('<tbody'));
    expect(table).not.toContain('Smith-Jones');
    expect(table.indexOf('Smith')).toBeGreaterThan(-1);
    expect(table.indexOf('Smith')).toBeLessThan(table.indexOf('Smyth'));
  });
});
