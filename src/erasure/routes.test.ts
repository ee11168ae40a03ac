import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../audit/service.ts';
import type { Db } from '../db/types.ts';
import {
  insertEmployerContact,
  makeAppointment,
  makeContact,
  makeEmployer,
  makeJob,
  makeParticipant,
  makeProfile,
  makeReferral,
  makeTeam,
  makeTokenUser,
  makeUser,
} from '../../test/factories.ts';
import { type Browser, createTestApp, signedInAs, type TestApp } from '../../test/test-app.ts';
import { TEST_DIALECT } from '../../test/test-db.ts';
import type { Participant } from '../participants/service.ts';
import type { Role } from '../users/roles.ts';

// Erasure requests through the pages, as a manager of the person's team handles them: recorded
// with a due date one month on, listed by due date with the overdue flagged, refused only with a
// reason (the record stays), carried out only after an explicit confirmation, and then nothing
// about the person is left in any table, the audit chain still verifies, and the request stays
// listed as a tombstone without the name. Every other role, and other teams' managers, are kept out.

const NAME = { givenName: 'Marigold', familyName: 'Quenby-Atherton' };
const NHS = '9434765919';
const NOTE = 'Talked about the allotment plot on Tuesday';
const API_NOTE = 'Phoned about the bakery trial shift';

let t: TestApp;
let person: Participant;
let bystander: Participant;
let manager: Browser;
let otherManager: Browser;
const others = new Map<Role, Browser>();

/** Every table of the test database, read in full as text (ids, names, JSON and all). */
async function everyTableText(db: Db): Promise<Map<string, string>> {
  const { rows } =
    TEST_DIALECT === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)
      : await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(db);
  const out = new Map<string, string>();
  for (const { name } of rows) {
    const all = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    out.set(name, JSON.stringify(all.rows));
  }
  return out;
}

const tablesHolding = (texts: Map<string, string>, needle: string) =>
  [...texts].filter(([, text]) => text.includes(needle)).map(([n]) => n);

async function recordRequest(browser: Browser, participantId: string, received: string): Promise<string> {
  const [year, month, day] = received.split('-');
  await browser.get(`/participants/${participantId}/erasure-requests/new`);
  const res = await browser.post(`/participants/${participantId}/erasure-requests/new`, {
    'received_on[day]': day!,
    'received_on[month]': month!,
    'received_on[year]': year!,
    requested_by: 'the person',
  });
  expect(res.statusCode, res.body).toBe(302);
  return /\/erasure-requests\/([0-9a-f-]{36})/.exec(String(res.headers.location))![1]!;
}

beforeAll(async () => {
  t = await createTestApp({ now: '2026-11-25T10:00:00Z' });
  const team = await makeTeam(t.db, t.deps);
  const otherTeam = await makeTeam(t.db, t.deps);
  const practitioner = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: team.id });
  person = await makeParticipant(t.db, t.deps, practitioner, { ...NAME, nhsNumber: NHS, phone: '07700 900456' });
  bystander = await makeParticipant(t.db, t.deps, practitioner, { givenName: 'Someone', familyName: 'Else' });
  // The bystander's record was marked as possibly the same person: the link must go, the record stay.
  await t.db.updateTable('participants').set({ linked_participant_id: person.id }).where('id', '=', bystander.id).execute();
  await makeReferral(t.db, t.deps, practitioner, person.id, { notes: 'Wants outdoor work' });
  await makeProfile(t.db, t.deps, practitioner, person.id, {});
  await makeContact(t.db, t.deps, practitioner, person.id, { notes: NOTE });
  await makeContact(t.db, t.deps, practitioner, bystander.id, { notes: 'Not theirs' });
  await makeAppointment(t.db, t.deps, practitioner, person.id);
  await makeJob(t.db, t.deps, practitioner, person.id, { startDate: '2026-10-01' });
  const employer = await makeEmployer(t.db, t.deps, practitioner);
  await insertEmployerContact(t.db, t.deps, employer.id, practitioner.id, '2026-11-20T10:00:00.000Z', {
    participant_id: person.id,
  });
  // An API write with an idempotency key: its remembered answer holds the contact as JSON.
  const { token } = await makeTokenUser(t.db, t.deps, 'practitioner', team.id);
  const api = await t.app.inject({
    method: 'POST',
    url: `/api/v1/participants/${person.id}/contacts`,
    headers: { authorization: `Bearer ${token}`, 'idempotency-key': 'erasure-test-key-1' },
    payload: {
      started_at: '2026-11-24T10:00:00Z',
      duration_minutes: 30,
      mode: 'phone',
      place: 'remote',
      purpose: 'engagement',
      notes: API_NOTE,
    },
  });
  expect(api.statusCode, api.body).toBe(201);
  manager = (await signedInAs(t, 'manager', team.id)).browser;
  otherManager = (await signedInAs(t, 'manager', otherTeam.id)).browser;
  for (const role of ['practitioner', 'clinician', 'commissioner', 'admin'] as const)
    others.set(role, (await signedInAs(t, role, role === 'admin' ? null : team.id)).browser);
}, 60_000);
afterAll(async () => {
  await t.close();
});

describe(`erasure requests on ${TEST_DIALECT}`, () => {
  let openId: string;
  let refusedId: string;

  it('records a request from the person’s page, due one calendar month after it was received', async () => {
    const page = await manager.get(`/participants/${person.id}`);
    expect(page.body).toContain(`href="/participants/${person.id}/erasure-requests"`);
    const form = await manager.get(`/participants/${person.id}/erasure-requests/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Record an erasure request');
    openId = await recordRequest(manager, person.id, '2026-11-20');
    const shown = await manager.get(`/erasure-requests/${openId}?done=recorded`);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('Erasure request recorded');
    expect(shown.body).toContain('20 December 2026');
    const event = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'erasure.requested')
      .executeTakeFirstOrThrow();
    expect(event.entity_id).toBe(person.id);
    expect(JSON.parse(event.details!)).toMatchObject({ request_id: openId, due_on: '2026-12-20' });
  });

  it('refuses a request without a date, or dated in the future, with the message by the field and nothing saved', async () => {
    const before = await t.db.selectFrom('erasure_requests').select('id').execute();
    await manager.get(`/participants/${person.id}/erasure-requests/new`);
    const empty = await manager.post(`/participants/${person.id}/erasure-requests/new`, { requested_by: 'the person' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter the date the request was received');
    expect(empty.body).toContain('value="the person" checked');
    const future = await manager.post(`/participants/${person.id}/erasure-requests/new`, {
      'received_on[day]': '1',
      'received_on[month]': '12',
      'received_on[year]': '2026',
      requested_by: 'their representative',
    });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('Date received must be today or in the past');
    expect(await t.db.selectFrom('erasure_requests').select('id').execute()).toHaveLength(before.length);
  });

  it('lists the team’s requests by due date and flags the overdue one', async () => {
    refusedId = await recordRequest(manager, person.id, '2026-10-01');
    const res = await manager.get('/erasure-requests');
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(body.indexOf(`/erasure-requests/${refusedId}`)).toBeGreaterThan(-1);
    expect(body.indexOf(`/erasure-requests/${refusedId}`)).toBeLessThan(body.indexOf(`/erasure-requests/${openId}`));
    expect(body).toContain('1 open request is past the day it must be answered by');
    expect(body).toContain('1 November 2026');
    expect((await otherManager.get('/erasure-requests')).body).not.toContain(refusedId);
  });

  it('keeps every other role out, and another team’s manager learns nothing', async () => {
    const pages = [
      `/erasure-requests`,
      `/participants/${person.id}/erasure-requests`,
      `/participants/${person.id}/erasure-requests/new`,
      `/erasure-requests/${openId}`,
      `/erasure-requests/${openId}/refuse`,
      `/erasure-requests/${openId}/carry-out`,
    ];
    for (const [role, b] of others) {
      for (const url of pages) expect((await b.get(url)).statusCode, `${role} GET ${url}`).toBe(403);
      expect((await b.get(`/participants/${person.id}`)).body).not.toContain('erasure-requests');
      await b.get('/account');
      const refuse = await b.post(`/erasure-requests/${openId}/refuse`, { refusal_reason: 'No' });
      const carry = await b.post(`/erasure-requests/${openId}/carry-out`, { confirm: 'yes' });
      expect([refuse.statusCode, carry.statusCode], role).toEqual([403, 403]);
    }
    for (const url of pages.slice(1))
      expect((await otherManager.get(url)).statusCode, `other team's manager GET ${url}`).toBe(404);
    await otherManager.get('/erasure-requests');
    expect((await otherManager.post(`/erasure-requests/${openId}/carry-out`, { confirm: 'yes' })).statusCode).toBe(404);
    expect((await otherManager.post(`/erasure-requests/${openId}/refuse`, { refusal_reason: 'No' })).statusCode).toBe(404);
    const still = await t.db.selectFrom('erasure_requests').select('status').where('id', '=', openId).executeTakeFirstOrThrow();
    expect(still.status).toBe('open');
    expect(await t.db.selectFrom('participants').select('id').where('id', '=', person.id).executeTakeFirst()).toBeDefined();
  });

  it('refuses a request only with a reason, and keeps the record as it was', async () => {
    await manager.get(`/erasure-requests/${refusedId}/refuse`);
    const blank = await manager.post(`/erasure-requests/${refusedId}/refuse`, { refusal_reason: '  ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('Enter the reason for refusing the request');
    const reason = 'Marigold’s record is kept for 8 years under the trust’s records retention schedule';
    const res = await manager.post(`/erasure-requests/${refusedId}/refuse`, { refusal_reason: reason });
    expect(res.statusCode).toBe(302);
    const shown = await manager.get(`/erasure-requests/${refusedId}?done=refused`);
    expect(shown.body).toContain('Request refused');
    expect(shown.body).toContain('record is kept for 8 years under the trust’s records retention schedule');
    expect((await manager.get(`/participants/${person.id}`)).statusCode).toBe(200);
    const contacts = await t.db.selectFrom('contacts').select('notes').where('participant_id', '=', person.id).execute();
    expect(contacts.map((c) => c.notes)).toContain(NOTE);
    const event = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'erasure.refused')
      .executeTakeFirstOrThrow();
    expect(event.details).not.toContain('retention');
    // A decided request cannot be refused again.
    await manager.get(`/erasure-requests/${refusedId}`);
    expect((await manager.post(`/erasure-requests/${refusedId}/refuse`, { refusal_reason: 'Again' })).statusCode).toBe(422);
  });

  it('shows what will be removed and asks for an explicit confirmation before erasing anything', async () => {
    const confirm = await manager.get(`/erasure-requests/${openId}/carry-out`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('This cannot be undone');
    expect(confirm.body).toContain('943 476 5919');
    const text = confirm.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toMatch(/Contacts \(meetings, calls and messages\) (Records )?2 /);
    expect(confirm.body).toContain('1 other record is marked as possibly the same person');
    const unconfirmed = await manager.post(`/erasure-requests/${openId}/carry-out`, {});
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.body).toContain('Confirm that you want to erase this person’s record');
    expect(await t.db.selectFrom('participants').select('id').where('id', '=', person.id).executeTakeFirst()).toBeDefined();
  });

  it('carries it out: nothing about the person is left in any table, the chain verifies, the request stays as a tombstone', async () => {
    const before = await everyTableText(t.db);
    for (const needle of [NHS, NAME.familyName, NOTE, API_NOTE])
      expect(tablesHolding(before, needle).length, needle).toBeGreaterThan(0);
    expect(tablesHolding(before, API_NOTE)).toContain('idempotency_keys');

    await manager.get(`/erasure-requests/${openId}/carry-out`);
    const res = await manager.post(`/erasure-requests/${openId}/carry-out`, { confirm: 'yes' });
    expect(res.statusCode, res.body).toBe(302);
    expect(res.headers.location).toBe(`/erasure-requests/${openId}?done=erased`);

    const after = await everyTableText(t.db);
    for (const needle of [NHS, NAME.familyName, NAME.givenName, NOTE, API_NOTE, '07700 900456'])
      expect(tablesHolding(after, needle), needle).toEqual([]);
    // The id survives only in the tombstone (the requests) and the audit trail, which holds ids only.
    expect(tablesHolding(after, person.id).sort()).toEqual(['audit_events', 'erasure_requests']);
    expect((await verifyChain(t.db, t.deps.auditKey)).broken).toBeNull();
    if (TEST_DIALECT === 'postgres') {
      // After the commit the touched tables were vacuumed, so the dead rows' space is reclaimed.
      const { rows } = await sql<{ relname: string }>`
        select relname from pg_stat_user_tables where schemaname = current_schema() and last_vacuum is not null
      `.execute(t.db);
      expect(rows.map((r) => r.relname)).toEqual(expect.arrayContaining(['participants', 'contacts', 'idempotency_keys']));
    }

    const event = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'erasure.carried_out')
      .executeTakeFirstOrThrow();
    expect(event.entity_id).toBe(person.id);
    expect(JSON.parse(event.details!)).toMatchObject({
      request_id: openId,
      counts: { participants: 1, contacts: 2, appointments: 1, placements: 1, employer_contacts: 1 },
      unlinked_records: 1,
      remembered_answers: 1,
    });
    const linked = await t.db
      .selectFrom('participants')
      .select('linked_participant_id')
      .where('id', '=', bystander.id)
      .executeTakeFirstOrThrow();
    expect(linked.linked_participant_id).toBeNull();
    expect((await t.db.selectFrom('contacts').select('id').where('participant_id', '=', bystander.id).execute()).length).toBe(1);

    const shown = await manager.get(`/erasure-requests/${openId}?done=erased`);
    expect(shown.body).toContain('The person’s record has been erased');
    expect(shown.body).toContain(`Erased person ${person.id.slice(0, 8)}`);
    const list = await manager.get('/erasure-requests');
    expect(list.body).toContain(`Erased person ${person.id.slice(0, 8)}`);
    expect(list.body).not.toContain(NAME.familyName);
    expect((await manager.get(`/participants/${person.id}`)).statusCode).toBe(404);
    // Both of the person's requests are decided; the page of an erased request offers nothing to do.
    expect(shown.body).not.toContain('/carry-out');
    expect((await manager.post(`/erasure-requests/${openId}/carry-out`, { confirm: 'yes' })).statusCode).toBe(422);
  });
});
