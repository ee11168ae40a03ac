import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import * as participants from '../participants/service.ts';
import * as retention from './service.ts';
import type { User } from '../users/service.ts';
import { makeContact, makeParticipant, makeReferral, makeTeam, makeUser } from '../../test/factories.ts';
import { type Browser, createTestApp, signedInAs, type TestApp } from '../../test/test-app.ts';
import { TEST_DIALECT } from '../../test/test-db.ts';

// Retention review through the pages: records past their period are listed for the managers of
// the person's team, oldest first, with what the period was; a manager keeps one for now with a
// reason and a next review date; the administrator sees counts and sets the periods. Nothing is
// ever deleted: the records are still there after the list is shown and after a review.

let t: TestApp;
let practitioner: User;
let discharged: participants.Participant;
let notTakenUp: participants.Participant;
let recent: participants.Participant;
let elsewhere: participants.Participant;
let oldContactId: string;
let recentContactId: string;
let calculationId: string;
let referralId: string;
let manager: Browser;
let otherManager: Browser;
let admin: Browser;
let teamId: string;
const viewerOf = (u: User) => ({ userId: u.id, role: u.role, teamId: u.teamId });
const LATER = '2035-06-01T10:00:00Z';

async function discharge(by: User, p: participants.Participant): Promise<void> {
  await t.db
    .transaction()
    .execute((trx) => participants.setStatus(trx, t.deps, SYSTEM_CONTEXT, viewerOf(by), p, 'discharged', null));
}

async function signInAll(): Promise<void> {
  manager = (await signedInAs(t, 'manager', teamId)).browser;
  otherManager = (await signedInAs(t, 'manager', (await makeTeam(t.db, t.deps)).id)).browser;
  admin = (await signedInAs(t, 'admin')).browser;
}

async function stillThere(): Promise<Record<string, number>> {
  const n = async (table: 'participants' | 'contacts' | 'benefit_calculations' | 'referrals', id: string) =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    participant: await n('participants', discharged.id),
    contact: await n('contacts', oldContactId),
    calculation: await n('benefit_calculations', calculationId),
    referral: await n('referrals', referralId),
  };
}

beforeAll(async () => {
  t = await createTestApp();
  const team = await makeTeam(t.db, t.deps);
  teamId = team.id;
  const otherTeam = await makeTeam(t.db, t.deps);
  practitioner = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: team.id });
  const otherPractitioner = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: otherTeam.id });

  // On 25 November 2026: one person discharged, with a contact and a saved benefits calculation;
  // a referral closed without being taken up; someone in another team discharged.
  discharged = await makeParticipant(t.db, t.deps, practitioner, { givenName: 'Dora', familyName: 'Longago' });
  oldContactId = (await makeContact(t.db, t.deps, practitioner, discharged.id, { startedAt: '2026-11-20T10:00:00Z' })).id;
  calculationId = randomUUID();
  await t.db
    .insertInto('benefit_calculations')
    .values({
      id: calculationId,
      participant_id: discharged.id,
      calculated_on: '2026-11-25',
      tax_year: '2026/27',
      household: '{}',
      scenarios: '[]',
      notes: null,
      created_by_user_id: practitioner.id,
      created_at: '2026-11-25T10:00:00.000Z',
      updated_at: '2026-11-25T10:00:00.000Z',
      version: 1,
    })
    .execute();
  await discharge(practitioner, discharged);

  notTakenUp = await makeParticipant(t.db, t.deps, practitioner, { givenName: 'Nel', familyName: 'Notyet' });
  referralId = (await makeReferral(t.db, t.deps, practitioner, notTakenUp.id)).id;
  await t.db
    .updateTable('referrals')
    .set({ status: 'closed', closed_date: '2026-11-25', close_reason: 'person_choice' })
    .where('id', '=', referralId)
    .execute();

  elsewhere = await makeParticipant(t.db, t.deps, otherPractitioner, { givenName: 'Otto', familyName: 'Otherteam' });
  await discharge(otherPractitioner, elsewhere);

  // Still within its period in 2035: a contact from 2030.
  recent = await makeParticipant(t.db, t.deps, practitioner, { givenName: 'Rita', familyName: 'Recent' });
  recentContactId = (await makeContact(t.db, t.deps, practitioner, recent.id, { startedAt: '2030-01-01T10:00:00Z' })).id;

  // Eight and a half years later.
  t.clock.set(LATER);
  await signInAll();
}, 60_000);
afterAll(async () => {
  await t.close();
});

describe(`retention review on ${TEST_DIALECT}`, () => {
  it('lists the team’s records past their period, oldest first, with the period and links to the record and to erasure', async () => {
    const res = await manager.get('/retention');
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(body).toContain('Records past their retention period');
    expect(body).toContain('Dora Longago');
    expect(body).toContain('Participant record');
    expect(body).toContain(`href="/participants/${discharged.id}"`);
    expect(body).toContain(`href="/participants/${discharged.id}/contacts/${oldContactId}"`);
    expect(body).toContain(`href="/participants/${discharged.id}/benefits/${calculationId}"`);
    expect(body).toContain(`href="/participants/${discharged.id}/erasure-requests"`);
    // Every link on the list leads somewhere the manager may go (but the calculation, whose row
    // here is a bare stand-in with no household or jobs to show).
    const links = [...new Set([...body.matchAll(/href="(\/participants\/[^"]+)"/g)].map((m) => m[1]!))].filter(
      (href) => !href.includes('/benefits/'),
    );
    expect(links.length).toBeGreaterThanOrEqual(3);
    for (const href of links) expect((await manager.get(href)).statusCode, href).toBe(200);
    expect(body).toContain('Referral not taken up');
    expect(body).toContain('8 years');
    expect(body).toContain('6 years');
    expect(body).toContain('2 years');
    // The contact of 20 November comes before the records of 25 November.
    expect(body.indexOf(`/contacts/${oldContactId}"`)).toBeLessThan(body.indexOf(`href="/participants/${discharged.id}"`));
    // Another team's person, and a record still within its period, are not listed.
    expect(body).not.toContain('Otherteam');
    expect(body).not.toContain(recentContactId);
    expect(body).not.toContain('Rita Recent');
  });

  it('shows another team’s manager none of them, and answers 404 for their review page', async () => {
    expect((await otherManager.get('/retention')).body).not.toContain('Longago');
    expect((await otherManager.get(`/retention/participant/${discharged.id}`)).statusCode).toBe(404);
    const res = await otherManager.post(`/retention/participant/${discharged.id}`, {
      reason: 'Trying',
      next_review_on: '01/06/2036',
    });
    expect(res.statusCode).toBe(404);
    expect((await manager.get('/retention')).body).toContain(`href="/retention/participant/${discharged.id}"`);
  });

  it('refuses a practitioner the review list', async () => {
    const { browser } = await signedInAs(t, 'practitioner', teamId);
    expect((await browser.get('/retention')).statusCode).toBe(403);
  });

  it('refuses a review without a reason or a real future date, keeping what was typed', async () => {
    await manager.get(`/retention/contact/${oldContactId}`);
    const blank = await manager.post(`/retention/contact/${oldContactId}`, { reason: '', next_review_on: 'soon' });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('Enter why the record should be kept for now');
    expect(blank.body).toContain('The next review date must be a real date, like 25/11/2027');
    const past = await manager.post(`/retention/contact/${oldContactId}`, {
      reason: 'Complaint still open',
      next_review_on: '01/01/2030',
    });
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain('The next review date must be in the future');
    expect(past.body).toContain('Complaint still open');
  });

  it('lets the administrator see counts and change a period, within 1 to 30 years, audited', async () => {
    const page = await admin.get('/admin/retention');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Record retention');
    expect(page.body).not.toContain('Longago');
    // Counts across every team: two discharged people, one old contact; the audit events of 2026.
    const counts = Object.fromEntries((await retention.summary(t.db, t.deps)).map((c) => [c.recordClass, c.past]));
    expect(counts).toMatchObject({ participant: 2, contact: 1, benefit_calculation: 1, referral_not_taken_up: 1 });
    expect(counts.audit_event).toBeGreaterThan(0);
    const form = {
      participant: '20',
      referral_not_taken_up: '2',
      contact: '8',
      benefit_calculation: '6',
      atw_claim: '6',
      audit_event: '8',
    };
    const refused = await admin.post('/admin/retention', { ...form, participant: '31' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('The period for participant records must be between 1 and 30 years');
    const saved = await admin.post('/admin/retention', form);
    expect(saved.statusCode).toBe(302);
    expect(saved.headers.location).toBe('/admin/retention?done=saved');
    const event = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'retention.periods_updated')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(event.details ?? '{}')).toEqual({ participant: { from: 8, to: 20 } });
    // With 20 years the discharged person's record is within its period again.
    expect((await manager.get('/retention')).body).not.toContain(`href="/participants/${discharged.id}"`);
    expect((await admin.post('/admin/retention', { ...form, participant: '8' })).statusCode).toBe(302);
    expect((await manager.get('/retention')).body).toContain(`href="/participants/${discharged.id}"`);
  });

  it('keeps a record past its period after the list is shown and after a review, which takes it off the list until the next review date', async () => {
    const before = await stillThere();
    expect(before).toEqual({ participant: 1, contact: 1, calculation: 1, referral: 1 });
    await manager.get('/retention');
    expect(await stillThere()).toEqual(before);

    await manager.get(`/retention/contact/${oldContactId}`);
    const res = await manager.post(`/retention/contact/${oldContactId}`, {
      reason: 'A complaint about their support is still open',
      next_review_on: '01/06/2036',
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/retention?done=kept');
    const list = (await manager.get('/retention?done=kept')).body;
    expect(list).toContain('Review saved');
    expect(list).not.toContain(`/contacts/${oldContactId}"`);
    expect(list).toContain(`href="/participants/${discharged.id}"`);
    expect(await stillThere()).toEqual(before);

    const event = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'retention.reviewed')
      .executeTakeFirstOrThrow();
    expect(event.entity_id).toBe(discharged.id);
    expect(event.details).toContain(oldContactId);
    expect(event.details).not.toContain('complaint');
    expect(
      await t.db.selectFrom('audit_events').select('seq').where('action', '=', 'retention.review_list_viewed').executeTakeFirst(),
    ).toBeDefined();

    // The day after the next review date it is back on the list, still there.
    t.clock.set('2036-06-02T10:00:00Z');
    await signInAll();
    expect((await manager.get('/retention')).body).toContain(`/contacts/${oldContactId}"`);
    expect(await stillThere()).toEqual(before);
  });
});
