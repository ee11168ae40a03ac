import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeParticipant, makeTeam, makeTokenUser, makeUser } from '../../test/factories.ts';
import { type Browser, createTestApp, signedInAs, type ErrorBody, type TestApp } from '../../test/test-app.ts';
import * as audit from '../audit/service.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import { newRecordColumns } from '../db/records.ts';
import * as settings from '../settings/service.ts';
import type { User } from '../users/service.ts';
import * as participants from './service.ts';

let t: TestApp;
let north: string;
let south: string;
let cmht: string;
beforeEach(async () => {
  t = await createTestApp();
  north = (await makeTeam(t.db, t.deps, 'North IPS')).id;
  south = (await makeTeam(t.db, t.deps, 'South IPS')).id;
  cmht = (await makeTeam(t.db, t.deps, 'CMHT A')).id;
});
afterEach(async () => {
  await t.close();
});

/** The error message shown beside a form field, or undefined when there is none. */
function fieldError(html: string, field: string): string | undefined {
  const m = new RegExp(`id="${field}-error"[^>]*>([\\s\\S]*?)</span>\\s*</?[a-z]`).exec(html);
  return m?.[1]
    ?.replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The page's text without tags, for asserting what a person reads. */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/\s+/g, ' ');
}

async function api(method: 'GET' | 'POST' | 'PATCH', url: string, token: string, payload?: unknown) {
  const res = await t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  return { status: res.statusCode, body: res.json<Record<string, unknown>>(), headers: res.headers };
}

/** A referral row from a clinical team, so that team's clinicians can see the person. */
async function referFrom(participantId: string, clinicalTeamId: string, receivedDate = '2026-11-20') {
  await t.db
    .insertInto('referrals')
    .values({
      ...newRecordColumns(t.clock),
      participant_id: participantId,
      source: 'clinical_team',
      referrer_name: null,
      referrer_organisation: null,
      referrer_contact: null,
      clinical_team_id: clinicalTeamId,
      care_coordinator: null,
      received_date: receivedDate,
      accepted_date: null,
      first_contact_date: null,
      what_they_want: null,
      notes: null,
      in_work_at_referral: 0,
      status: 'open',
      closed_date: null,
      close_reason: null,
      close_note: null,
      created_by_user_id: null,
    })
    .execute();
}

/** The viewer a user acts as. */
const v = (u: User) => participants.viewerOf({ userId: u.id, role: u.role, teamId: u.teamId });

const eventsFor = async (action: string) => (await audit.listEvents(t.db, { action }, 100)).items;

const form = (overrides: Record<string, string> = {}) => ({
  given_name: 'Zoë',
  family_name: 'Núñez',
  preferred_name: 'Zo',
  pronouns: 'she/her',
  date_of_birth_day: '15',
  date_of_birth_month: '3',
  date_of_birth_year: '1984',
  nhs_number: '943 476 5919',
  phone: '07700 900123',
  email: 'zoe@example.org',
  address: '1 High Street',
  preferred_contact_method: 'text',
  communication_needs: 'interpreter',
  communication_notes: 'Speaks Portuguese',
  programme: 'ips',
  ...overrides,
});

describe('the participants list', () => {
  it('says what to do next when there is no one yet', async () => {
    const { browser } = await signedInAs(t, 'practitioner', north);
    const res = await browser.get('/participants');
    expect(res.statusCode).toBe(200);
    expect(text(res.body)).toContain('There is no one to show yet');
    expect(res.body).toContain('href="/participants/new"');
  });

  it('finds people by part of their name without accents or case, and by NHS number with spaces', async () => {
    const { browser, user } = await signedInAs(t, 'practitioner', north);
    await makeParticipant(t.db, t.deps, user, { givenName: 'Zoë', familyName: 'Núñez', nhsNumber: '9434765919' });
    await makeParticipant(t.db, t.deps, user, { givenName: 'Adam', familyName: 'Smith' });
    await referFrom((await makeParticipant(t.db, t.deps, user, { givenName: 'Zoe', familyName: 'Ball' })).id, cmht, '2026-11-15');

    const byName = await browser.get('/participants?q=ZOE+nun');
    expect(byName.statusCode).toBe(200);
    expect(text(byName.body)).toContain('Zoë Núñez');
    expect(text(byName.body)).toContain('943 476 5919');
    expect(text(byName.body)).not.toContain('Smith');
    expect(text(byName.body)).not.toContain('Ball');

    const byNhs = await browser.get('/participants?nhs_number=943+476+5919');
    expect(text(byNhs.body)).toContain('Zoë Núñez');
    expect(text(byNhs.body)).not.toContain('Smith');

    const all = await browser.get('/participants');
    expect(text(all.body)).toContain('3 people');
    expect(text(all.body)).toContain('10 days'); // since the referral received on 15 November
  });

  it('refuses a malformed NHS number search on the field and shows everyone', async () => {
    const { browser, user } = await signedInAs(t, 'practitioner', north);
    await makeParticipant(t.db, t.deps, user, { givenName: 'Adam', familyName: 'Smith' });
    const res = await browser.get('/participants?nhs_number=12');
    expect(res.statusCode).toBe(200);
    expect(fieldError(res.body, 'nhs_number')).toBe('Error: NHS number must be 10 digits');
    expect(text(res.body)).toContain('Adam Smith');
  });

  it('sorts by status with links, and pages 25 at a time with the total', async () => {
    const { browser, user } = await signedInAs(t, 'practitioner', north);
    for (let i = 0; i < 27; i++) await makeParticipant(t.db, t.deps, user, { familyName: `Person${String(i).padStart(2, '0')}` });
    const first = await browser.get('/participants');
    expect(text(first.body)).toContain('Showing 1 to 25 of 27 people');
    expect(first.body).toContain('href="/participants?direction=asc&amp;page=2"');
    expect(first.body).toContain('href="/participants?sort=status&amp;direction=asc"');
    expect(first.body).toMatch(/aria-sort="ascending"[^>]*>\s*<a class="nhsuk-link" href="\/participants\?direction=desc"/);
    const second = await browser.get('/participants?direction=asc&page=2');
    expect(text(second.body)).toContain('Showing 26 to 27 of 27 people');
    expect(text(second.body)).toContain('Person26');
    const sorted = await browser.get('/participants?sort=status&direction=desc');
    expect(sorted.statusCode).toBe(200);
  });

  it('shows only people in scope: nobody from another team', async () => {
    const { browser } = await signedInAs(t, 'practitioner', south);
    const pat = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north });
    await makeParticipant(t.db, t.deps, pat, { givenName: 'Hidden', familyName: 'Person' });
    expect(text((await browser.get('/participants')).body)).not.toContain('Hidden Person');
  });

  it('offers a practitioner or manager their own team’s practitioners to filter by, and a clinician every team', async () => {
    await makeUser(t.db, t.deps, { role: 'practitioner', teamId: south, name: 'Sian South' });
    await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north, name: 'Nadia North' });
    const practitionerChoices = (html: string) =>
      [
        ...(/<select[^>]*name="practitioner_id"[^>]*>([\s\S]*?)<\/select>/.exec(html)?.[1] ?? '').matchAll(
          /<option[^>]*>([^<]*)</g,
        ),
      ].map((m) => m[1]?.trim());
    for (const role of ['practitioner', 'manager'] as const) {
      const { browser } = await signedInAs(t, role, south);
      const page = (await browser.get('/participants')).body;
      expect(practitionerChoices(page), role).toContain('Sian South');
      expect(practitionerChoices(page), role).not.toContain('Nadia North');
      expect(page, role).not.toContain('name="team_id"');
      expect(text(page), role).toContain('Filter by status, programme or practitioner');
    }
    const { browser } = await signedInAs(t, 'clinician', cmht);
    const page = (await browser.get('/participants')).body;
    expect(practitionerChoices(page)).toEqual(expect.arrayContaining(['Nadia North (North IPS)', 'Sian South (South IPS)']));
    expect(page).toContain('name="team_id"');
  });
});

describe('adding a participant', () => {
  it('accepts NHS number 943 476 5919, defaulting the practitioner to you, and audits it', async () => {
    const { browser, user } = await signedInAs(t, 'practitioner', north);
    const page = await browser.get('/participants/new');
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(new RegExp(`<option value="${user.id}" selected`));

    const res = await browser.post('/participants', form());
    expect(res.statusCode).toBe(302);
    const location = String(res.headers.location);
    expect(location).toMatch(/^\/participants\/[0-9a-f-]{36}\?done=created$/);
    const shown = await browser.get(location);
    expect(text(shown.body)).toContain('Participant added');
    expect(text(shown.body)).toContain('943 476 5919');
    expect(text(shown.body)).toContain('15 March 1984');
    expect(text(shown.body)).toContain('Interpreter');
    expect(text(shown.body)).toContain(user.name);
    const [created] = await eventsFor('participant.created');
    expect(created).toMatchObject({ actorUserId: user.id });
  });

  it('refuses NHS number 943 476 5918 on the field and keeps everything else typed', async () => {
    const { browser } = await signedInAs(t, 'practitioner', north);
    await browser.get('/participants/new');
    const res = await browser.post('/participants', form({ nhs_number: '943 476 5918', communication_needs: 'large_print' }));
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('There is a problem');
    expect(fieldError(res.body, 'nhs_number')).toMatch(/Enter a valid NHS number/);
    expect(res.body).toContain('href="#nhs_number"');
    expect(res.body).toContain('value="943 476 5918"');
    expect(res.body).toContain('value="Zoë"');
    expect(res.body).toContain('value="Núñez"');
    expect(res.body).toContain('value="zoe@example.org"');
    expect(res.body).toContain('value="1984"');
    expect(res.body).toContain('Speaks Portuguese');
    expect(res.body).toMatch(/value="large_print" checked/);
    expect(res.body).toMatch(/value="text" checked/);
    expect(res.body).toMatch(/value="ips" checked/);
    expect(await eventsFor('participant.created')).toHaveLength(0);
  });

  it('lists every problem at once, including an impossible date of birth', async () => {
    const { browser } = await signedInAs(t, 'practitioner', north);
    await browser.get('/participants/new');
    const res = await browser.post(
      '/participants',
      form({ given_name: '', date_of_birth_day: '31', date_of_birth_month: '2', programme: '' }),
    );
    expect(res.statusCode).toBe(400);
    expect(fieldError(res.body, 'given_name')).toBe('Error: Enter a given name');
    expect(fieldError(res.body, 'date_of_birth-group')).toBe('Error: Date of birth must be a real date, like 15 3 1984');
    expect(fieldError(res.body, 'programme')).toBe('Error: Select a programme');
  });

  it('shows possible duplicates before saving, and links to the chosen one', async () => {
    const { browser, user } = await signedInAs(t, 'practitioner', north);
    const first = await makeParticipant(t.db, t.deps, user, { givenName: 'Ann', familyName: 'Lee', dateOfBirth: '1990-01-02' });
    await browser.get('/participants/new');
    const typed = form({
      given_name: 'ann',
      family_name: 'LEE',
      date_of_birth_day: '2',
      date_of_birth_month: '1',
      date_of_birth_year: '1990',
      nhs_number: '',
    });
    const asked = await browser.post('/participants', typed);
    expect(asked.statusCode).toBe(200);
    expect(text(asked.body)).toContain('This person may already have a record');
    expect(text(asked.body)).toContain('Ann Lee');
    expect(text(asked.body)).toContain('born 2 January 1990');
    expect(asked.body).toContain(`href="/participants/${first.id}"`);
    expect(asked.body).toContain(`value="${first.id}"`);
    expect(text(asked.body)).toContain('This is a different person, continue');
    expect(asked.body).toContain('value="ann"');
    expect(asked.body).toContain('value="zoe@example.org"');

    const noChoice = await browser.post('/participants', { ...typed, duplicates_checked: first.id });
    expect(noChoice.statusCode).toBe(400);
    expect(fieldError(noChoice.body, 'duplicate_action')).toMatch(/Select the record to link to/);

    const linked = await browser.post('/participants', { ...typed, duplicates_checked: first.id, duplicate_action: first.id });
    expect(linked.statusCode).toBe(302);
    const id = /\/participants\/([0-9a-f-]{36})/.exec(String(linked.headers.location))?.[1] as string;
    expect(id).not.toBe(first.id);
    const saved = await participants.loadVisible(t.db, v(user), id);
    expect(saved.linkedParticipantId).toBe(first.id);
    expect(text((await browser.get(`/participants/${id}`)).body)).toContain('Possibly the same person as');
  });

  it('creates a separate record when told this is a different person', async () => {
    const { browser, user } = await signedInAs(t, 'practitioner', north);
    const first = await makeParticipant(t.db, t.deps, user, { givenName: 'Ann', familyName: 'Lee', nhsNumber: '9434765919' });
    await browser.get('/participants/new');
    const res = await browser.post('/participants', {
      ...form({ given_name: 'Annie', family_name: 'Leigh' }),
      duplicates_checked: first.id,
      duplicate_action: 'new',
    });
    expect(res.statusCode).toBe(302);
    const [created] = await eventsFor('participant.created');
    expect(created?.details).toMatchObject({ linked_to: null, possible_duplicates: 1 });
  });

  it('tells you a hidden record in another team exists, without showing it', async () => {
    const sue = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: south });
    await makeParticipant(t.db, t.deps, sue, { givenName: 'Secret', familyName: 'Person', nhsNumber: '9434765919' });
    const { browser } = await signedInAs(t, 'practitioner', north);
    await browser.get('/participants/new');
    const res = await browser.post('/participants', form());
    expect(res.statusCode).toBe(200);
    expect(text(res.body)).toContain('A record with this NHS number exists in South IPS');
    expect(text(res.body)).toContain('ask their manager');
    expect(text(res.body)).not.toContain('Secret');
  });

  it('is refused to a clinician, an administrator and a commissioner', async () => {
    for (const role of ['clinician', 'admin', 'commissioner'] as const) {
      const { browser } = await signedInAs(t, role, cmht);
      expect((await browser.get('/participants/new')).statusCode).toBe(403);
      expect((await browser.post('/participants', form())).statusCode).toBe(403);
    }
    expect(await eventsFor('participant.created')).toHaveLength(0);
  });
});

describe("a participant's page", () => {
  let pat: User;
  let browser: Browser;
  beforeEach(async () => {
    ({ browser, user: pat } = await signedInAs(t, 'practitioner', north));
  });

  it('shows the summary, links to referrals and profile, and audits the view', async () => {
    const p = await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Lee', nhsNumber: '9434765919' });
    const res = await browser.get(`/participants/${p.id}`);
    expect(res.statusCode).toBe(200);
    expect(text(res.body)).toContain('Ann Lee');
    expect(text(res.body)).toContain('943 476 5919');
    expect(res.body).toContain(`href="/participants/${p.id}/referrals"`);
    expect(res.body).toContain(`href="/participants/${p.id}/profile"`);
    expect(res.body).toContain(`href="/employer-contacts/new?participant_id=${p.id}"`);
    expect(text(res.body)).toContain('Log an employer contact for them');
    expect(text(res.body)).toContain('1 of 20 people on their caseload');
    expect(await eventsFor('participant.viewed')).toEqual([expect.objectContaining({ actorUserId: pat.id, entityId: p.id })]);
  });

  it('moves the status, keeps the history, and refuses an illegal move with the reason', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await browser.get(`/participants/${p.id}`);
    const refused = await browser.post(`/participants/${p.id}/status`, { status: 'employed', version: String(p.version) });
    expect(refused.statusCode).toBe(422);
    expect(fieldError(refused.body, 'status')).toContain('cannot move straight to employed');

    const moved = await browser.post(`/participants/${p.id}/status`, {
      status: 'engaged',
      reason: 'Met at the clinic',
      version: String(p.version),
    });
    expect(moved.statusCode).toBe(302);
    expect(moved.headers.location).toBe(`/participants/${p.id}?done=status`);
    const page = text((await browser.get(String(moved.headers.location))).body);
    expect(page).toContain('Status changed');
    expect(page).toContain('Referred to Engaged');
    expect(page).toContain('Met at the clinic');
    expect(page).toContain(pat.name);
  });

  it('says so when the record changed after the page was opened', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await browser.get(`/participants/${p.id}`);
    await participants.changeStatus(t.db, t.deps, SYSTEM_CONTEXT, v(pat), p.id, p.version, 'engaged');
    const res = await browser.post(`/participants/${p.id}/status`, { status: 'discharged', version: String(p.version) });
    expect(res.statusCode).toBe(409);
    expect(fieldError(res.body, 'status')).toContain('Someone else changed this record');
  });

  it('asks for confirmation before assigning over the caseload limit, then assigns', async () => {
    await settings.updateSettings(t.db, t.deps, SYSTEM_CONTEXT, { caseloadLimit: 2 });
    const sam = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north, name: 'Sam Jones' });
    await makeParticipant(t.db, t.deps, sam);
    await makeParticipant(t.db, t.deps, sam);
    const p = await makeParticipant(t.db, t.deps, pat);
    await browser.get(`/participants/${p.id}`);
    const asked = await browser.post(`/participants/${p.id}/practitioner`, {
      practitioner_id: sam.id,
      version: String(p.version),
    });
    expect(asked.statusCode).toBe(200);
    expect(text(asked.body)).toContain('Sam Jones already has 2 people on their caseload');
    expect(text(asked.body)).toContain('Assign anyway');
    expect((await participants.loadVisible(t.db, v(pat), p.id)).practitionerId).toBe(pat.id);

    const done = await browser.post(`/participants/${p.id}/practitioner`, {
      practitioner_id: sam.id,
      version: String(p.version),
      confirm: 'yes',
    });
    expect(done.statusCode).toBe(302);
    expect(done.headers.location).toBe(`/participants/${p.id}?done=assigned`);
    expect((await participants.loadVisible(t.db, v(pat), p.id)).practitionerId).toBe(sam.id);
    expect(await eventsFor('participant.assigned')).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ over_limit: true }) as unknown }),
    ]);
  });

  it('is a 404 for a practitioner in another team, and a 403 for an administrator or commissioner', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const other = await signedInAs(t, 'practitioner', south);
    expect((await other.browser.get(`/participants/${p.id}`)).statusCode).toBe(404);
    expect((await other.browser.get(`/participants/${p.id}/edit`)).statusCode).toBe(404);
    for (const role of ['admin', 'commissioner'] as const) {
      const { browser: b } = await signedInAs(t, role, north);
      expect((await b.get(`/participants/${p.id}`)).statusCode).toBe(403);
      expect((await b.get('/participants')).statusCode).toBe(403);
      expect((await b.get('/caseload')).statusCode).toBe(403);
    }
    expect(await eventsFor('participant.viewed')).toHaveLength(0);
  });

  it('lets a clinician of the referring team read but not change the record', async () => {
    const p = await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Lee' });
    await referFrom(p.id, cmht);
    const { browser: clinician } = await signedInAs(t, 'clinician', cmht);
    const page = await clinician.get(`/participants/${p.id}`);
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('Ann Lee');
    expect(page.body).not.toContain('Change status');
    expect(page.body).not.toContain(`/participants/${p.id}/edit`);
    expect(page.body).not.toContain('/employer-contacts/new');
    expect(text((await clinician.get('/participants')).body)).toContain('Ann Lee');
    expect((await clinician.post(`/participants/${p.id}/status`, { status: 'engaged', version: '1' })).statusCode).toBe(403);
    expect((await clinician.post(`/participants/${p.id}/edit`, form({ version: '1' }))).statusCode).toBe(403);
    const { browser: otherClinician } = await signedInAs(t, 'clinician', south);
    expect((await otherClinician.get(`/participants/${p.id}`)).statusCode).toBe(404);
  });
});

describe('changing details', () => {
  it('saves the change from the edit form and audits the view of the form', async () => {
    const { browser, user } = await signedInAs(t, 'practitioner', north);
    const p = await makeParticipant(t.db, t.deps, user, { givenName: 'Ann', familyName: 'Lee', dateOfBirth: '1990-01-02' });
    const page = await browser.get(`/participants/${p.id}/edit`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('value="Ann"');
    expect(page.body).toContain('value="1990"');
    expect(await eventsFor('participant.viewed')).toHaveLength(1);
    const res = await browser.post(
      `/participants/${p.id}/edit`,
      form({ given_name: 'Anne', family_name: 'Lee', version: String(p.version), nhs_number: '' }),
    );
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/participants/${p.id}?done=updated`);
    expect(text((await browser.get(String(res.headers.location))).body)).toContain('Anne Lee');
  });

  it('shows a conflict with the saved values and keeps what was typed when someone saved first', async () => {
    const { browser, user } = await signedInAs(t, 'practitioner', north);
    const p = await makeParticipant(t.db, t.deps, user, { givenName: 'Ann', familyName: 'Lee' });
    await browser.get(`/participants/${p.id}/edit`);
    await participants.updateParticipant(t.db, t.deps, SYSTEM_CONTEXT, v(user), p.id, p.version, {
      phone: '01632 960001',
    });
    const res = await browser.post(
      `/participants/${p.id}/edit`,
      form({ given_name: 'Annabel', family_name: 'Lee', version: String(p.version) }),
    );
    expect(res.statusCode).toBe(409);
    expect(text(res.body)).toContain('Someone else saved these details');
    expect(text(res.body)).toContain('01632 960001');
    expect(res.body).toContain('value="Annabel"');
    expect(res.body).toContain(`name="version" value="${p.version + 1}"`);
    const again = await browser.post(
      `/participants/${p.id}/edit`,
      form({ given_name: 'Annabel', family_name: 'Lee', version: String(p.version + 1) }),
    );
    expect(again.statusCode).toBe(302);
  });

  it('keeps the typed values when the NHS number is wrong', async () => {
    const { browser, user } = await signedInAs(t, 'practitioner', north);
    const p = await makeParticipant(t.db, t.deps, user);
    await browser.get(`/participants/${p.id}/edit`);
    const res = await browser.post(
      `/participants/${p.id}/edit`,
      form({ version: String(p.version), nhs_number: '943 476 5918' }),
    );
    expect(res.statusCode).toBe(400);
    expect(fieldError(res.body, 'nhs_number')).toMatch(/Enter a valid NHS number/);
    expect(res.body).toContain('value="Zoë"');
  });
});

// "My caseload" moved to the dashboards: see src/dashboards/routes.test.ts.

describe('the participants API', () => {
  it('creates with the NHS number stored without spaces, defaulting practitioner and team, and reads it back audited', async () => {
    const { user, token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const created = await api('POST', '/api/v1/participants', token, {
      given_name: 'Zoë',
      family_name: 'Núñez',
      date_of_birth: '1984-03-15',
      nhs_number: '943 476 5919',
      programme: 'ips',
      communication_needs: ['easy_read'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      given_name: 'Zoë',
      nhs_number: '9434765919',
      status: 'referred',
      practitioner_id: user.id,
      team_id: north,
      version: 1,
    });
    expect(created.headers.location).toBe(`/api/v1/participants/${String(created.body.id)}`);
    const read = await api('GET', `/api/v1/participants/${String(created.body.id)}`, token);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    expect(await eventsFor('participant.viewed')).toHaveLength(1);
  });

  it('refuses a bad NHS number with a 400 on nhs_number', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const res = await api('POST', '/api/v1/participants', token, {
      given_name: 'A',
      family_name: 'B',
      nhs_number: '943 476 5918',
      programme: 'ips',
    });
    expect(res.status).toBe(400);
    expect((res.body as unknown as ErrorBody).error).toMatchObject({
      code: 'validation_failed',
      fields: { nhs_number: expect.stringContaining('Enter a valid NHS number') as unknown },
    });
  });

  it('lists possible duplicates in a 422, then creates and links when told to', async () => {
    const { user, token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const first = await makeParticipant(t.db, t.deps, user, { givenName: 'Ann', familyName: 'Lee', nhsNumber: '9434765919' });
    const body = { given_name: 'Ann', family_name: 'Lee', nhs_number: '9434765919', programme: 'ips' };
    const refused = await api('POST', '/api/v1/participants', token, body);
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual({
      error: { code: 'rule_refused', message: expect.any(String) as string },
      duplicates: [expect.objectContaining({ id: first.id, visible: true, name: 'Ann Lee', reason: 'nhs_number' })],
    });
    const linked = await api('POST', '/api/v1/participants', token, { ...body, allow_duplicates: true, link_to: first.id });
    expect(linked.status).toBe(201);
    expect(linked.body.linked_participant_id).toBe(first.id);
  });

  it('lists what the caller may see in pages with an opaque cursor', async () => {
    const { user, token } = await makeTokenUser(t.db, t.deps, 'manager', north);
    const pat = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north });
    for (let i = 0; i < 3; i++) await makeParticipant(t.db, t.deps, pat, { familyName: `Lee${i}` });
    const sue = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: south });
    await makeParticipant(t.db, t.deps, sue, { familyName: 'Elsewhere' });
    const first = await api('GET', '/api/v1/participants?limit=2', token);
    expect(first.status).toBe(200);
    expect((first.body.items as { family_name: string }[]).map((p) => p.family_name)).toEqual(['Lee0', 'Lee1']);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await api('GET', `/api/v1/participants?limit=2&cursor=${String(first.body.next_cursor)}`, token);
    expect((second.body.items as { family_name: string }[]).map((p) => p.family_name)).toEqual(['Lee2']);
    expect(second.body.next_cursor).toBeNull();
    const filtered = await api('GET', '/api/v1/participants?q=lee1&status=referred', token);
    expect((filtered.body.items as unknown[]).length).toBe(1);
    expect((await api('GET', '/api/v1/participants?cursor=!!', token)).status).toBe(400);
    expect(user.role).toBe('manager');
  });

  it('changes details with the version, refuses a stale one with 409 and an illegal move with 422', async () => {
    const { user, token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const p = await makeParticipant(t.db, t.deps, user);
    const changed = await api('PATCH', `/api/v1/participants/${p.id}`, token, { version: 1, phone: '01632 960001' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ phone: '01632 960001', version: 2 });
    const stale = await api('PATCH', `/api/v1/participants/${p.id}`, token, { version: 1, phone: '0' });
    expect(stale.status).toBe(409);
    expect((stale.body as unknown as ErrorBody).error.code).toBe('conflict');
    const illegal = await api('PATCH', `/api/v1/participants/${p.id}`, token, { version: 2, status: 'employed' });
    expect(illegal.status).toBe(422);
    expect((illegal.body as unknown as ErrorBody).error.message).toContain('cannot move straight to employed');
    const moved = await api('PATCH', `/api/v1/participants/${p.id}`, token, {
      version: 2,
      status: 'engaged',
      status_reason: 'Met',
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ status: 'engaged', version: 3, phone: '01632 960001' });
  });

  it('needs confirm_over_limit to reassign over the caseload limit', async () => {
    await settings.updateSettings(t.db, t.deps, SYSTEM_CONTEXT, { caseloadLimit: 1 });
    const { user, token } = await makeTokenUser(t.db, t.deps, 'manager', north);
    const pat = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north });
    const sam = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north });
    await makeParticipant(t.db, t.deps, sam);
    const p = await makeParticipant(t.db, t.deps, pat);
    const refused = await api('PATCH', `/api/v1/participants/${p.id}`, token, { version: p.version, practitioner_id: sam.id });
    expect(refused.status).toBe(422);
    expect((refused.body as unknown as ErrorBody).error.message).toContain('already has 1 people');
    const done = await api('PATCH', `/api/v1/participants/${p.id}`, token, {
      version: p.version,
      practitioner_id: sam.id,
      confirm_over_limit: true,
    });
    expect(done.status).toBe(200);
    expect(done.body.practitioner_id).toBe(sam.id);
    expect(user.role).toBe('manager');
  });

  it('answers 404 outside your scope, 403 to clinicians writing and to administrators and commissioners', async () => {
    const pat = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north });
    const p = await makeParticipant(t.db, t.deps, pat);
    await referFrom(p.id, cmht);
    const other = await makeTokenUser(t.db, t.deps, 'practitioner', south);
    expect((await api('GET', `/api/v1/participants/${p.id}`, other.token)).status).toBe(404);
    expect((await api('PATCH', `/api/v1/participants/${p.id}`, other.token, { version: 1, phone: '1' })).status).toBe(404);
    const clinician = await makeTokenUser(t.db, t.deps, 'clinician', cmht);
    expect((await api('GET', `/api/v1/participants/${p.id}`, clinician.token)).status).toBe(200);
    expect((await api('PATCH', `/api/v1/participants/${p.id}`, clinician.token, { version: 1, phone: '1' })).status).toBe(403);
    expect(
      (await api('POST', '/api/v1/participants', clinician.token, { given_name: 'A', family_name: 'B', programme: 'ips' }))
        .status,
    ).toBe(403);
    for (const role of ['admin', 'commissioner'] as const) {
      const { token } = await makeTokenUser(t.db, t.deps, role, north);
      expect((await api('GET', '/api/v1/participants', token)).status).toBe(403);
      expect((await api('GET', `/api/v1/participants/${p.id}`, token)).status).toBe(403);
    }
  });

  it('is described in openapi.json', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    const paths = res.json<{ paths: Record<string, Record<string, { summary: string }>> }>().paths;
    expect(Object.keys(paths['/api/v1/participants'] ?? {})).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/v1/participants/{id}'] ?? {})).toEqual(['get', 'patch']);
  });
});

describe('navigation', () => {
  it('offers Participants and My caseload to practitioners, and neither to administrators', async () => {
    const { browser } = await signedInAs(t, 'practitioner', north);
    const home = await browser.get('/');
    expect(home.body).toContain('href="/participants"');
    expect(home.body).toContain('href="/caseload"');
    const admin = await signedInAs(t, 'admin');
    const adminHome = await admin.browser.get('/');
    expect(adminHome.body).not.toContain('href="/participants"');
  });
});
