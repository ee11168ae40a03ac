import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeParticipant, makeTeam, makeUser } from '../../test/factories.ts';
import { type Browser, createTestApp, signedInAs, type TestApp } from '../../test/test-app.ts';
import { TEST_DIALECT } from '../../test/test-db.ts';
import type { Participant } from '../participants/service.ts';
import type { User } from '../users/service.ts';
import type { Role } from '../users/roles.ts';

// Break-glass through the pages: a manager grants a member of staff outside the person's team
// read access for a few hours with a reason; the grantee reads the record (warned, audited) and
// cannot change it; the access ends exactly on time or when revoked; the managers of the
// person's team see it on their home page until they mark it reviewed.

let t: TestApp;
let teamA: string;
let teamB: string;
let practitionerA: User;
let teamManager: Browser;
let granter: Browser;
let grantee: { browser: Browser; user: User };
let clinician: { browser: Browser; user: User };

/** A valid NHS number (Modulus 11) from nine digits. */
function nhsNumber(nine: string): string {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return nhsNumber(String(Number(nine) + 1).padStart(9, '0'));
  return nine + String(check === 11 ? 0 : check);
}
let nhsCounter = 400_000_000;
const nextNhs = () => nhsNumber(String(nhsCounter++));

async function personInTeamA(overrides: Partial<Parameters<typeof makeParticipant>[3]> = {}): Promise<Participant> {
  return makeParticipant(t.db, t.deps, practitionerA, { nhsNumber: nextNhs(), ...overrides });
}

async function grant(
  person: Participant,
  to: User,
  extra: Record<string, string> = {},
): Promise<{ id: string; expiresAt: string }> {
  await granter.get('/break-glass/new');
  const res = await granter.post('/break-glass', {
    nhs_number: person.nhsNumber!,
    granted_to_user_id: to.id,
    hours: '4',
    reason: 'Crisis team needs the care plan tonight',
    ...extra,
  });
  expect(res.statusCode).toBe(302);
  const row = await t.db
    .selectFrom('break_glass_grants')
    .select(['id', 'expires_at'])
    .where('participant_id', '=', person.id)
    .where('granted_to_user_id', '=', to.id)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  return { id: row.id, expiresAt: row.expires_at };
}

async function auditOf(action: string, participantId: string) {
  return t.db
    .selectFrom('audit_events')
    .select(['actor_user_id', 'details'])
    .where('action', '=', action)
    .where('entity_id', '=', participantId)
    .execute();
}

/** Moves the clock and signs the browser in again (sessions end after 30 idle minutes). */
async function at(iso: string, ...browsers: { browser: Browser; user: User }[]): Promise<void> {
  t.clock.set(iso);
  for (const b of browsers) await b.browser.signIn(b.user.email);
}

beforeAll(async () => {
  t = await createTestApp({ now: '2026-11-25T10:00:00Z' });
  teamA = (await makeTeam(t.db, t.deps)).id;
  teamB = (await makeTeam(t.db, t.deps)).id;
  practitionerA = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: teamA });
  teamManager = (await signedInAs(t, 'manager', teamA)).browser;
  granter = (await signedInAs(t, 'manager', teamB)).browser;
  grantee = await signedInAs(t, 'practitioner', teamB);
  clinician = await signedInAs(t, 'clinician', teamB);
}, 60_000);
afterAll(async () => {
  await t.close();
});

describe(`break-glass access on ${TEST_DIALECT}`, () => {
  it('lets only managers open or use the grant form', async () => {
    const person = await personInTeamA();
    const others: Role[] = ['admin', 'practitioner', 'clinician', 'commissioner'];
    for (const role of others) {
      const { browser } = await signedInAs(t, role, role === 'admin' || role === 'commissioner' ? null : teamB);
      expect((await browser.get('/break-glass/new')).statusCode, role).toBe(403);
      expect((await browser.get('/break-glass')).statusCode, role).toBe(403);
      const res = await browser.post('/break-glass', {
        nhs_number: person.nhsNumber!,
        granted_to_user_id: grantee.user.id,
        hours: '4',
        reason: 'I would like to read this record',
      });
      expect(res.statusCode, role).toBe(403);
    }
    const rows = await t.db.selectFrom('break_glass_grants').select('id').where('participant_id', '=', person.id).execute();
    expect(rows).toHaveLength(0);
    const page = await granter.get('/break-glass/new');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('NHS number of the person');
    expect(page.body).toMatch(/value="4"[^>]*checked/);
  });

  it('gives the grantee the record, read only, with the warning on the page, and audits each view', async () => {
    const person = await personInTeamA({ givenName: 'Priya', familyName: 'Anand' });
    expect((await grantee.browser.get(`/participants/${person.id}`)).statusCode).toBe(404);

    const g = await grant(person, grantee.user);
    expect(g.expiresAt).toBe('2026-11-25T14:00:00.000Z');
    const granted = await auditOf('break_glass.granted', person.id);
    expect(granted).toHaveLength(1);
    expect(JSON.parse(granted[0]!.details!)).toMatchObject({ breakGlassGrantId: g.id, hours: 4 });

    const page = await grantee.browser.get(`/participants/${person.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Priya Anand');
    expect(page.body).toContain('You are seeing this record under emergency access until 14:00. Every view is recorded.');
    // Its other pages too, each read on the trail with the grant's id.
    const profile = await grantee.browser.get(`/participants/${person.id}/profile`);
    expect(profile.statusCode).toBe(200);
    expect(profile.body).toContain('under emergency access until 14:00');
    const views = await auditOf('break_glass.viewed', person.id);
    expect(views).toHaveLength(2);
    for (const v of views) {
      expect(v.actor_user_id).toBe(grantee.user.id);
      expect(JSON.parse(v.details!)).toEqual({ breakGlassGrantId: g.id });
    }
    // Nobody else sees the warning on their own records.
    expect((await teamManager.get(`/participants/${person.id}`)).body).not.toContain('under emergency access');

    const before = await t.db
      .selectFrom('participants')
      .select(['family_name', 'version'])
      .where('id', '=', person.id)
      .executeTakeFirstOrThrow();
    const edit = await grantee.browser.post(`/participants/${person.id}/edit`, {
      version: String(before.version),
      given_name: 'Priya',
      family_name: 'Changed',
      programme: 'ips',
    });
    expect(edit.statusCode).toBe(403);
    const contact = await grantee.browser.post(`/participants/${person.id}/contacts`, {
      started_at: '2026-11-25T09:00',
      duration_minutes: '30',
      mode: 'phone',
      place: 'phone',
      purpose: 'engagement',
      notes: 'Should not be saved',
    });
    expect(contact.statusCode).toBe(403);
    const after = await t.db
      .selectFrom('participants')
      .select(['family_name', 'version'])
      .where('id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    const contacts = await t.db.selectFrom('contacts').select('id').where('participant_id', '=', person.id).execute();
    expect(contacts).toHaveLength(0);
  });

  it('ends exactly at the expiry time: allowed one second before, refused at it and after', async () => {
    const person = await personInTeamA();
    t.clock.set('2026-11-25T10:00:00Z');
    const g = await grant(person, grantee.user, { hours: '1' });
    expect(g.expiresAt).toBe('2026-11-25T11:00:00.000Z');

    await at('2026-11-25T10:59:59Z', grantee);
    expect((await grantee.browser.get(`/participants/${person.id}`)).statusCode).toBe(200);

    await at('2026-11-25T11:00:00Z', grantee);
    expect((await grantee.browser.get(`/participants/${person.id}`)).statusCode).toBe(404);
    expect((await grantee.browser.get(`/participants/${person.id}/profile`)).statusCode).toBe(404);

    await at('2026-11-26T09:00:00Z', grantee);
    expect((await grantee.browser.get(`/participants/${person.id}`)).statusCode).toBe(404);
    await at('2026-11-25T10:00:00Z', grantee);
  });

  it('ends when revoked, and only the granter or the person’s team managers can revoke', async () => {
    await at('2026-11-25T10:00:00Z', clinician);
    const person = await personInTeamA();
    const g = await grant(person, clinician.user);
    expect((await clinician.browser.get(`/participants/${person.id}`)).statusCode).toBe(200);

    const stranger = (await signedInAs(t, 'manager', (await makeTeam(t.db, t.deps)).id)).browser;
    await stranger.get('/break-glass');
    expect((await stranger.post(`/break-glass/${g.id}/revoke`)).statusCode).toBe(404);
    expect((await clinician.browser.get(`/participants/${person.id}`)).statusCode).toBe(200);

    const list = await granter.get('/break-glass');
    expect(list.body).toContain('Revoke now');
    const res = await granter.post(`/break-glass/${g.id}/revoke`);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/break-glass?done=revoked');
    expect((await clinician.browser.get(`/participants/${person.id}`)).statusCode).toBe(404);
    const revoked = await auditOf('break_glass.revoked', person.id);
    expect(revoked).toHaveLength(1);
    expect(JSON.parse(revoked[0]!.details!)).toEqual({ breakGlassGrantId: g.id });
    expect((await granter.get('/break-glass')).body).toContain('Revoked');
  });

  it('keeps the form filled in, with the message by the field, when the reason is missing or too short', async () => {
    const person = await personInTeamA();
    await granter.get('/break-glass/new');
    const empty = await granter.post('/break-glass', {
      nhs_number: person.nhsNumber!,
      granted_to_user_id: grantee.user.id,
      hours: '8',
      reason: '',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('There is a problem');
    expect(empty.body).toMatch(/id="reason-error">[^<]*<span[^>]*>Error: <\/span>Enter why emergency access is needed/);
    expect(empty.body).toContain(`value="${person.nhsNumber}"`);
    expect(empty.body).toMatch(new RegExp(`value="${grantee.user.id}"[^>]*selected`));
    expect(empty.body).toMatch(/value="8"[^>]*checked/);

    await granter.get('/break-glass/new');
    const short = await granter.post('/break-glass', {
      nhs_number: person.nhsNumber!,
      granted_to_user_id: grantee.user.id,
      hours: '4',
      reason: 'urgent',
    });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('The reason must be at least 10 characters');
    expect(short.body).toContain('>urgent</textarea>');

    await granter.get('/break-glass/new');
    const unknown = await granter.post('/break-glass', {
      nhs_number: nextNhs(),
      granted_to_user_id: grantee.user.id,
      hours: '4',
      reason: 'Crisis team needs the care plan tonight',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('No one with this NHS number has a record in Stepwise');

    await granter.get('/break-glass/new');
    const alreadySees = await granter.post('/break-glass', {
      nhs_number: person.nhsNumber!,
      granted_to_user_id: practitionerA.id,
      hours: '4',
      reason: 'Crisis team needs the care plan tonight',
    });
    expect(alreadySees.statusCode).toBe(400);
    expect(alreadySees.body).toContain('can already see this person’s record');

    const rows = await t.db.selectFrom('break_glass_grants').select('id').where('participant_id', '=', person.id).execute();
    expect(rows).toHaveLength(0);
  });

  it('flags the grant to the person’s team managers until one marks it reviewed', async () => {
    const person = await personInTeamA({ givenName: 'Tomasz', familyName: 'Wiśniewski' });
    const g = await grant(person, grantee.user, { reason: 'Out-of-hours crisis call, needs the safety plan' });

    const home = await teamManager.get('/');
    expect(home.body).toContain('Emergency access to review');
    expect(home.body).toContain(grantee.user.name);
    expect(home.body).toContain('Tomasz Wiśniewski');
    expect(home.body).toContain('Out-of-hours crisis call, needs the safety plan');
    expect(home.body).toContain('25 Nov 2026, 14:00');

    // The granter, in another team, is not the one it is flagged to and cannot review it.
    expect((await granter.get('/')).body).not.toContain('Tomasz Wiśniewski');
    expect((await granter.post(`/break-glass/${g.id}/review`)).statusCode).toBe(422);

    const res = await teamManager.post(`/break-glass/${g.id}/review`);
    expect(res.statusCode).toBe(302);
    expect((await teamManager.get('/')).body).not.toContain('Tomasz Wiśniewski');
    const reviewed = await auditOf('break_glass.reviewed', person.id);
    expect(reviewed).toHaveLength(1);
    expect(JSON.parse(reviewed[0]!.details!)).toEqual({ breakGlassGrantId: g.id });
    // Reviewing is not revoking: the access goes on until it expires.
    expect((await grantee.browser.get(`/participants/${person.id}`)).statusCode).toBe(200);
  });

  it('lists the access a grantee holds on their home page, and never lets them export the record', async () => {
    const managerB = await signedInAs(t, 'manager', teamB);
    const person = await personInTeamA({ givenName: 'Hana', familyName: 'Kato' });
    await grant(person, managerB.user);
    const home = await managerB.browser.get('/');
    expect(home.body).toContain('Emergency access you hold');
    expect(home.body).toContain(`href="/participants/${person.id}"`);
    expect((await managerB.browser.get(`/participants/${person.id}`)).statusCode).toBe(200);
    expect((await managerB.browser.get(`/participants/${person.id}/subject-access.json`)).statusCode).toBe(403);
  });
});
