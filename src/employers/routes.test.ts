import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Browser, createTestApp, type ErrorBody, signedInAs, type TestApp } from '../../test/test-app.ts';
import { makeEmployer, makeParticipant, makeTeam, makeTokenUser, makeUser, makeVacancy } from '../../test/factories.ts';
import type { User } from '../users/service.ts';

// The test clock stands at 2026-11-25 10:00 UTC (10:00 in London, a Wednesday).

let t: TestApp;
let north: string;
let south: string;
let pat: User;
let patBrowser: Browser;

beforeEach(async () => {
  t = await createTestApp();
  north = (await makeTeam(t.db, t.deps, 'North IPS')).id;
  south = (await makeTeam(t.db, t.deps, 'South IPS')).id;
  ({ browser: patBrowser, user: pat } = await signedInAs(t, 'practitioner', north));
});
afterEach(async () => {
  await t.close();
});

const api = (token: string) => ({ authorization: `Bearer ${token}` });

function employerForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    name: 'Green Leaf Cafe',
    type: 'external',
    relationship_stage: 'prospect',
    sector: 'Hospitality',
    size: 'small',
    address: '1 Market Street',
    postcode: 'ab1 2cd',
    latitude: '',
    longitude: '',
    website: '',
    notes: '',
    ...overrides,
  };
}

function contactForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    contacted_date: '2026-11-25',
    contacted_time: '09:30',
    mode: 'face_to_face',
    purpose: 'introduction',
    participant_id: '',
    outcome: 'Met the manager; they hire in spring',
    next_step: 'Send our leaflet',
    next_step_due: '2026-12-02',
    ...overrides,
  };
}

async function auditEvents(action: string) {
  return t.db
    .selectFrom('audit_events')
    .select(['entity_type', 'entity_id', 'details'])
    .where('action', '=', action)
    .orderBy('seq')
    .execute();
}

/** A placement written straight to its table (the placements domain makes them from matches). */
async function placeAt(employerId: string, participantId: string, title: string, startDate: string) {
  const now = new Date().toISOString();
  await t.db
    .insertInto('placements')
    .values({
      id: randomUUID(),
      participant_id: participantId,
      employer_id: employerId,
      vacancy_id: null,
      match_id: null,
      practitioner_id: null,
      title,
      employer_department_id: null,
      employer_site_id: null,
      start_date: startDate,
      end_date: null,
      end_reason: null,
      hours_per_week: 16,
      hourly_pay_pence: 1271,
      contract_type: null,
      line_manager: null,
      open_to_anyone: 1,
      set_aside_for_disabled: 0,
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .execute();
}

describe('employers list', () => {
  it('says what to do when there are no employers yet', async () => {
    const res = await patBrowser.get('/employers');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('No employers yet');
    expect(res.body).toContain('href="/employers/new"');
  });

  it('shows each employer with its type, stage and sector, and finds them by name or sector', async () => {
    await makeEmployer(t.db, t.deps, pat, { name: 'Riverside Hospital', type: 'host', sector: 'Health care' });
    await makeEmployer(t.db, t.deps, pat, { name: 'Green Leaf Cafe', sector: 'Hospitality', relationshipStage: 'engaged' });
    await makeEmployer(t.db, t.deps, pat, { name: 'Sparkle Cleaning Ltd', type: 'supplier', sector: 'Cleaning' });

    const all = await patBrowser.get('/employers');
    expect(all.body).toContain('3 employers');
    expect(all.body).toMatch(/Green Leaf Cafe[\s\S]*Riverside Hospital[\s\S]*Sparkle Cleaning Ltd/);
    expect(all.body).toContain('Engaged');
    expect(all.body).toContain('Supplier');

    const byName = await patBrowser.get('/employers?q=riverside');
    expect(byName.body).toContain('Riverside Hospital');
    expect(byName.body).not.toContain('Green Leaf Cafe');

    const bySector = await patBrowser.get('/employers?q=hospitality');
    expect(bySector.body).toContain('Green Leaf Cafe');
    expect(bySector.body).not.toContain('Riverside Hospital');

    // Folded like the duplicate key: "Sparkle Cleaning Limited" finds "Sparkle Cleaning Ltd".
    const folded = await patBrowser.get('/employers?q=Sparkle+Cleaning+Limited');
    expect(folded.body).toContain('Sparkle Cleaning Ltd');
  });

  it('filters by type and stage, and says when nothing matches', async () => {
    await makeEmployer(t.db, t.deps, pat, { name: 'Riverside Hospital', type: 'host' });
    await makeEmployer(t.db, t.deps, pat, { name: 'Green Leaf Cafe', relationshipStage: 'hiring_partner' });

    const hosts = await patBrowser.get('/employers?type=host');
    expect(hosts.body).toContain('Riverside Hospital');
    expect(hosts.body).not.toContain('Green Leaf Cafe');

    const partners = await patBrowser.get('/employers?stage=hiring_partner');
    expect(partners.body).toContain('Green Leaf Cafe');
    expect(partners.body).not.toContain('Riverside Hospital');

    const none = await patBrowser.get('/employers?q=bakery');
    expect(none.body).toContain('No employer matches your search');
    expect(none.body).toContain('href="/employers/new?name=bakery"');
  });

  it('sorts by recently changed and pages 25 at a time', async () => {
    for (let i = 1; i <= 27; i++) {
      t.clock.set(new Date(Date.UTC(2026, 10, 25, 10, i)));
      await makeEmployer(t.db, t.deps, pat, { name: `Employer ${String(i).padStart(2, '0')}` });
    }
    const first = await patBrowser.get('/employers');
    expect(first.body).toContain('Showing 1 to 25 of 27 employers');
    expect(first.body).toContain('Employer 01');
    expect(first.body).not.toContain('Employer 26');
    expect(first.body).toContain('href="/employers?page=2"');

    const second = await patBrowser.get('/employers?page=2');
    expect(second.body).toContain('Showing 26 to 27 of 27 employers');
    expect(second.body).toContain('Employer 27');

    const recent = await patBrowser.get('/employers?sort=updated');
    expect(recent.body).toMatch(/Employer 27[\s\S]*Employer 26/);
    expect(recent.body).not.toContain('Employer 01<');
  });

  it('shows a bad filter as a message, not an error page', async () => {
    const res = await patBrowser.get('/employers?stage=best');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Select a stage from the list');
  });
});

describe('add and change an employer', () => {
  it('adds an employer and opens its page', async () => {
    const form = await patBrowser.get('/employers/new');
    expect(form.statusCode).toBe(200);
    const res = await patBrowser.post('/employers', employerForm({ latitude: '51.5074', longitude: '-0.1278' }));
    expect(res.statusCode, res.body).toBe(302);
    const page = await patBrowser.get(String(res.headers.location));
    expect(page.body).toContain('Employer added');
    expect(page.body).toContain('Green Leaf Cafe');
    expect(page.body).toContain('Hospitality');
    expect(page.body).toContain('AB1 2CD');
    expect(page.body).toContain('51.5074, -0.1278');
    expect(page.body).toContain('Prospect');
    const events = await auditEvents('employer.created');
    expect(events).toHaveLength(1);
  });

  it('refuses "ACME limited" after "Acme Ltd", naming the existing organisation beside the name and keeping the form', async () => {
    expect((await patBrowser.post('/employers', employerForm({ name: 'Acme Ltd' }))).statusCode).toBe(302);
    await patBrowser.get('/employers/new');
    const res = await patBrowser.post('/employers', employerForm({ name: 'ACME limited', sector: 'Keep this sector' }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Acme Ltd is already recorded');
    expect(res.body).toContain('href="#name"');
    expect(res.body).toContain('value="ACME limited"');
    expect(res.body).toContain('Keep this sector');
    expect(await t.db.selectFrom('employers').selectAll().execute()).toHaveLength(1);
  });

  it('shows every problem beside its field and keeps what was typed', async () => {
    const res = await patBrowser.post(
      '/employers',
      employerForm({ name: '', type: '', latitude: '95', longitude: 'west', notes: 'Keep my notes' }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Enter the name of the organisation');
    expect(res.body).toContain('Select the type of employer');
    expect(res.body).toContain('Latitude must be between -90 and 90');
    expect(res.body).toContain('Longitude must be a number, like -0.1278');
    expect(res.body).toContain('Keep my notes');
    expect(res.body).toContain('Hospitality');
  });

  it('asks for both coordinates or neither', async () => {
    const res = await patBrowser.post('/employers', employerForm({ latitude: '51.5', longitude: '' }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Enter both latitude and longitude, or neither');
  });

  it('saves changes, and on a stale version keeps the typed values and shows what is saved now (409)', async () => {
    const e = await makeEmployer(t.db, t.deps, pat, { name: 'Green Leaf Cafe', sector: 'Hospitality' });
    const edit = await patBrowser.get(`/employers/${e.id}/edit`);
    expect(edit.body).toContain('value="Green Leaf Cafe"');

    // Someone else changes the sector first.
    const { browser: other } = await signedInAs(t, 'practitioner', north);
    await other.get(`/employers/${e.id}/edit`);
    const first = await other.post(`/employers/${e.id}/edit`, employerForm({ sector: 'Catering', version: '1' }));
    expect(first.statusCode).toBe(302);

    const stale = await patBrowser.post(
      `/employers/${e.id}/edit`,
      employerForm({ sector: 'Restaurants', relationship_stage: 'engaged', version: '1' }),
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else saved these details');
    expect(stale.body).toContain('Catering');
    expect(stale.body).toContain('value="Restaurants"');
    expect(stale.body).toContain('name="version" value="2"');

    const again = await patBrowser.post(
      `/employers/${e.id}/edit`,
      employerForm({ sector: 'Restaurants', relationship_stage: 'engaged', version: '2' }),
    );
    expect(again.statusCode).toBe(302);
    const page = await patBrowser.get(String(again.headers.location));
    expect(page.body).toContain('Changes saved');
    expect(page.body).toContain('Restaurants');
    expect(page.body).toContain('Engaged');
  });
});

describe('sites, departments and people', () => {
  it('adds and changes them, and shows them on the employer page', async () => {
    const e = await makeEmployer(t.db, t.deps, pat, { name: 'Riverside Hospital', type: 'host' });
    await patBrowser.get(`/employers/${e.id}/sites/new`);
    const site = await patBrowser.post(`/employers/${e.id}/sites`, {
      name: 'Riverside General',
      address: 'Hospital Road',
      postcode: 'rv1 1aa',
      latitude: '53.4',
      longitude: '-2.2',
    });
    expect(site.statusCode, site.body).toBe(302);
    const siteRow = await t.db.selectFrom('employer_sites').selectAll().executeTakeFirstOrThrow();

    const deptForm = await patBrowser.get(`/employers/${e.id}/departments/new`);
    expect(deptForm.body).toContain('Riverside General');
    const dept = await patBrowser.post(`/employers/${e.id}/departments`, { name: 'Catering', site_id: siteRow.id });
    expect(dept.statusCode, dept.body).toBe(302);

    await patBrowser.get(`/employers/${e.id}/people/new`);
    const person = await patBrowser.post(`/employers/${e.id}/people`, {
      name: 'Sam Patel',
      job_title: 'Catering manager',
      email: 'sam.patel@example.org',
      phone: '01234 567890',
      notes: 'Best before 11am',
    });
    expect(person.statusCode, person.body).toBe(302);

    const page = await patBrowser.get(`/employers/${e.id}`);
    expect(page.body).toContain('Riverside General');
    expect(page.body).toContain('Hospital Road, RV1 1AA');
    expect(page.body).toMatch(/Catering<\/strong><br><span class="nhsuk-body-s">At Riverside General/);
    expect(page.body).toContain('Sam Patel, Catering manager');
    expect(page.body).toContain('href="mailto:sam.patel@example.org"');
    expect(page.body).toContain('href="tel:01234567890"');
    expect(page.body).toContain('Best before 11am');

    const personRow = await t.db.selectFrom('employer_people').selectAll().executeTakeFirstOrThrow();
    await patBrowser.get(`/employers/${e.id}/people/${personRow.id}/edit`);
    const changed = await patBrowser.post(`/employers/${e.id}/people/${personRow.id}/edit`, {
      name: 'Sam Patel',
      job_title: 'Head of catering',
      email: '',
      phone: '01234 567890',
      notes: '',
      version: '1',
    });
    expect(changed.statusCode, changed.body).toBe(302);
    const after = await patBrowser.get(String(changed.headers.location));
    expect(after.body).toContain('Person changed');
    expect(after.body).toContain('Sam Patel, Head of catering');
    expect(after.body).not.toContain('mailto:');
    expect((await auditEvents('employer.person_changed'))[0]?.details).toContain('job_title');
  });

  it('refuses a site out of range and a department at another employer’s site', async () => {
    const e = await makeEmployer(t.db, t.deps, pat);
    const other = await makeEmployer(t.db, t.deps, pat);
    const bad = await patBrowser.post(`/employers/${e.id}/sites`, { name: 'Depot', latitude: '12', longitude: '200' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Longitude must be between -180 and 180');
    expect(bad.body).toContain('value="Depot"');

    await patBrowser.post(`/employers/${other.id}/sites`, { name: 'Elsewhere' });
    const otherSite = await t.db.selectFrom('employer_sites').selectAll().executeTakeFirstOrThrow();
    const dept = await patBrowser.post(`/employers/${e.id}/departments`, { name: 'Stores', site_id: otherSite.id });
    expect(dept.statusCode).toBe(400);
    expect(dept.body).toContain('Select one of this employer’s sites');
    expect(await t.db.selectFrom('employer_departments').selectAll().execute()).toHaveLength(0);
  });

  it('keeps the typed values and shows what is saved when a site changed meanwhile', async () => {
    const e = await makeEmployer(t.db, t.deps, pat);
    await patBrowser.post(`/employers/${e.id}/sites`, { name: 'North depot' });
    const site = await t.db.selectFrom('employer_sites').selectAll().executeTakeFirstOrThrow();
    expect(
      (await patBrowser.post(`/employers/${e.id}/sites/${site.id}/edit`, { name: 'North yard', version: '1' })).statusCode,
    ).toBe(302);
    const stale = await patBrowser.post(`/employers/${e.id}/sites/${site.id}/edit`, { name: 'Northern depot', version: '1' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('North yard');
    expect(stale.body).toContain('value="Northern depot"');
  });

  it('answers 404 for a site of another employer', async () => {
    const e = await makeEmployer(t.db, t.deps, pat);
    const other = await makeEmployer(t.db, t.deps, pat);
    await patBrowser.post(`/employers/${other.id}/sites`, { name: 'Elsewhere' });
    const site = await t.db.selectFrom('employer_sites').selectAll().executeTakeFirstOrThrow();
    expect((await patBrowser.get(`/employers/${e.id}/sites/${site.id}/edit`)).statusCode).toBe(404);
  });
});

describe('log an employer contact', () => {
  it('logs from the employer page, moves a prospect to contacted, and shows it in the history', async () => {
    const e = await makeEmployer(t.db, t.deps, pat, { name: 'Green Leaf Cafe' });
    const form = await patBrowser.get(`/employer-contacts/new?employer_id=${e.id}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toMatch(/name="contacted_date" type="date" value="2026-11-25"/);
    expect(form.body).toMatch(/name="contacted_time" type="time" value="10:00"/);
    expect(form.body).toMatch(/value="face_to_face" checked/);
    expect(form.body).toContain('Nobody in particular');

    const res = await patBrowser.post('/employer-contacts', contactForm({ employer_id: e.id, return_to: 'employer' }));
    expect(res.statusCode, res.body).toBe(302);
    expect(res.headers.location).toBe(`/employers/${e.id}?done=logged&stage=contacted`);
    const page = await patBrowser.get(String(res.headers.location));
    expect(page.body).toContain(
      'Contact logged. This was the first contact, so Green Leaf Cafe has moved from Prospect to Contacted',
    );
    expect(page.body).toContain('25 Nov 2026, 09:30: Introduce the service');
    expect(page.body).toContain('Met the manager; they hire in spring');
    expect(page.body).toContain('Send our leaflet, by 2 December 2026');
    expect(page.body).toContain(pat.name);

    const row = await t.db.selectFrom('employer_contacts').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      contacted_at: '2026-11-25T09:30:00.000Z',
      face_to_face: 1,
      practitioner_id: pat.id,
      participant_id: null,
    });
    const employer = await t.db.selectFrom('employers').selectAll().where('id', '=', e.id).executeTakeFirstOrThrow();
    expect(employer.relationship_stage).toBe('contacted');

    // A second contact leaves the stage alone and says nothing about it.
    const second = await patBrowser.post('/employer-contacts', contactForm({ employer_id: e.id, mode: 'phone' }));
    expect(second.headers.location).toBe(`/employers/${e.id}?done=logged`);
    const phoneRow = await t.db.selectFrom('employer_contacts').selectAll().where('mode', '=', 'phone').executeTakeFirstOrThrow();
    expect(phoneRow.face_to_face).toBe(0);
  });

  it('finds the employer by a typed name, folded like duplicates, and offers recent names', async () => {
    const e = await makeEmployer(t.db, t.deps, pat, { name: "St Mary's Hospital" });
    const form = await patBrowser.get('/employer-contacts/new');
    expect(form.body).toContain('<datalist id="employer-names">');
    expect(form.body).toContain('<option value="St Mary&#39;s Hospital">');
    const res = await patBrowser.post('/employer-contacts', contactForm({ employer_name: 'ST MARYS HOSPITAL' }));
    expect(res.statusCode, res.body).toBe(302);
    expect(res.headers.location).toContain(`/employers/${e.id}?done=logged`);
  });

  it('says an unknown employer name beside the field, with a link to add it, and keeps the form', async () => {
    const res = await patBrowser.post('/employer-contacts', contactForm({ employer_name: 'Bakery Bros', outcome: 'Keep this' }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('No employer called Bakery Bros is recorded');
    expect(res.body).toContain('href="/employers/new?name=Bakery%20Bros"');
    expect(res.body).toContain('Keep this');
    expect(await t.db.selectFrom('employer_contacts').selectAll().execute()).toHaveLength(0);
  });

  it('logs on a person’s behalf when started from them, and goes back to their timeline', async () => {
    const e = await makeEmployer(t.db, t.deps, pat, { name: 'Green Leaf Cafe' });
    const p = await makeParticipant(t.db, t.deps, pat, { givenName: 'Alex', familyName: 'Jones' });
    const form = await patBrowser.get(`/employer-contacts/new?participant_id=${p.id}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toMatch(new RegExp(`value="${p.id}" selected`));
    expect(form.body).toMatch(/value="on_behalf" checked/);

    const res = await patBrowser.post(
      '/employer-contacts',
      contactForm({ employer_name: 'Green Leaf Cafe', participant_id: p.id, purpose: 'on_behalf', return_to: 'participant' }),
    );
    expect(res.statusCode, res.body).toBe(302);
    expect(res.headers.location).toBe(`/participants/${p.id}/timeline?done=logged`);

    const page = await patBrowser.get(`/employers/${e.id}`);
    expect(page.body).toContain(`<a href="/participants/${p.id}">Alex Jones</a>`);
    const logged = await auditEvents('employer_contact.logged');
    expect(logged.map((x) => [x.entity_type, x.entity_id])).toEqual([
      ['employer', e.id],
      ['participant', p.id],
    ]);
    const seen = await auditEvents('participant.seen_on_employer');
    expect(seen.map((x) => x.entity_id)).toEqual([p.id]);
  });

  it('refuses to log on behalf of a person the practitioner may not change', async () => {
    const e = await makeEmployer(t.db, t.deps, pat);
    const southPractitioner = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: south });
    const theirs = await makeParticipant(t.db, t.deps, southPractitioner);
    expect((await patBrowser.get(`/employer-contacts/new?participant_id=${theirs.id}`)).statusCode).toBe(404);
    const res = await patBrowser.post('/employer-contacts', contactForm({ employer_id: e.id, participant_id: theirs.id }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Select someone on your caseload or your team’s');
    expect(await t.db.selectFrom('employer_contacts').selectAll().execute()).toHaveLength(0);
  });

  it('shows every problem beside its field and keeps what was typed', async () => {
    const e = await makeEmployer(t.db, t.deps, pat);
    const res = await patBrowser.post(
      '/employer-contacts',
      contactForm({ employer_id: e.id, contacted_date: '31/02/2026', mode: '', next_step_due: 'soon', outcome: 'Keep me' }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Date of the contact must be a real date');
    expect(res.body).toContain('Select how the contact happened');
    expect(res.body).toContain('Next step due date must be a real date');
    expect(res.body).toContain('Keep me');
    expect(res.body).toContain(`name="employer_id" value="${e.id}"`);
  });

  it('hides the name of a person on another team’s caseload: "Someone from another team"', async () => {
    const e = await makeEmployer(t.db, t.deps, pat, { name: 'Green Leaf Cafe' });
    const southPractitioner = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: south });
    const theirs = await makeParticipant(t.db, t.deps, southPractitioner, { givenName: 'Hidden', familyName: 'Person' });
    const southBrowser = new Browser(t.app);
    await southBrowser.signIn(southPractitioner.email);
    const logged = await southBrowser.post(
      '/employer-contacts',
      contactForm({ employer_id: e.id, participant_id: theirs.id, purpose: 'on_behalf' }),
    );
    expect(logged.statusCode, logged.body).toBe(302);
    await placeAt(e.id, theirs.id, 'Barista', '2026-11-01');

    const before = (await auditEvents('participant.seen_on_employer')).length;
    const page = await patBrowser.get(`/employers/${e.id}`);
    expect(page.body).not.toContain('Hidden');
    expect(page.body).not.toContain(theirs.id);
    expect(page.body).toContain('Someone from another team');
    expect(page.body).toContain('Barista');
    // Nobody was shown to Pat, so nothing is written against the person.
    expect(await auditEvents('participant.seen_on_employer')).toHaveLength(before);

    const theirPage = await southBrowser.get(`/employers/${e.id}`);
    expect(theirPage.body).toContain('Hidden Person');
    // One event for the person, though shown beside a contact and a placement.
    expect(await auditEvents('participant.seen_on_employer')).toHaveLength(before + 1);
  });
});

describe('change and delete an employer contact', () => {
  async function logOne(employerId: string, b = patBrowser) {
    await b.post('/employer-contacts', contactForm({ employer_id: employerId }));
    return t.db.selectFrom('employer_contacts').selectAll().orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  }

  it('lets the author change it, with 409 on a stale version', async () => {
    const e = await makeEmployer(t.db, t.deps, pat);
    const c = await logOne(e.id);
    const form = await patBrowser.get(`/employer-contacts/${c.id}/edit`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Met the manager');
    const saved = await patBrowser.post(
      `/employer-contacts/${c.id}/edit`,
      contactForm({ mode: 'video', outcome: 'Changed', version: '1' }),
    );
    expect(saved.statusCode, saved.body).toBe(302);
    const row = await t.db.selectFrom('employer_contacts').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ mode: 'video', face_to_face: 0, outcome: 'Changed', version: 2 });

    const stale = await patBrowser.post(`/employer-contacts/${c.id}/edit`, contactForm({ outcome: 'Mine', version: '1' }));
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('This contact has changed');
    expect(stale.body).toContain('Mine');
  });

  it('lets a manager of the author’s team delete it with a reason after a confirmation page; others may not', async () => {
    const e = await makeEmployer(t.db, t.deps, pat);
    const c = await logOne(e.id);
    const { browser: colleague } = await signedInAs(t, 'practitioner', north);
    expect((await colleague.get(`/employer-contacts/${c.id}/delete`)).statusCode).toBe(422);
    const { browser: otherManager } = await signedInAs(t, 'manager', south);
    expect((await otherManager.get(`/employer-contacts/${c.id}/edit`)).statusCode).toBe(422);

    const { browser: manager } = await signedInAs(t, 'manager', north);
    const confirm = await manager.get(`/employer-contacts/${c.id}/delete`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Delete this employer contact');
    const noReason = await manager.post(`/employer-contacts/${c.id}/delete`, { reason: '', version: '1' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Enter why you are deleting this contact');
    const done = await manager.post(`/employer-contacts/${c.id}/delete`, { reason: 'Logged twice', version: '1' });
    expect(done.statusCode).toBe(302);
    const page = await manager.get(String(done.headers.location));
    expect(page.body).toContain('Contact deleted');
    expect(page.body).not.toContain('Met the manager');
    const row = await t.db.selectFrom('employer_contacts').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row.delete_reason).toBe('Logged twice');
    expect(await auditEvents('employer_contact.deleted')).toHaveLength(1);
  });
});

describe('employer page history', () => {
  it('lists vacancies with a link, and pages contacts 20 at a time, newest first', async () => {
    const e = await makeEmployer(t.db, t.deps, pat, { name: 'Green Leaf Cafe' });
    const v = await makeVacancy(t.db, t.deps, pat, e.id, { title: 'Barista', closingDate: '2026-12-20' });
    for (let day = 1; day <= 21; day++)
      await patBrowser.post(
        '/employer-contacts',
        contactForm({ employer_id: e.id, contacted_date: `2026-11-${String(day).padStart(2, '0')}`, outcome: `Visit ${day}` }),
      );
    const page = await patBrowser.get(`/employers/${e.id}`);
    expect(page.body).toContain(`href="/vacancies/${v.id}"`);
    expect(page.body).toContain('Barista');
    expect(page.body).toContain('20 December 2026');
    expect(page.body).toContain('Showing 1 to 20 of 21');
    expect(page.body).toMatch(/Visit 21[\s\S]*Visit 20/);
    expect(page.body).not.toMatch(/Visit 1\s*</);
    const second = await patBrowser.get(`/employers/${e.id}?page=2`);
    expect(second.body).toMatch(/Visit 1\s*</);
  });
});

describe('access', () => {
  it('refuses clinicians, administrators and commissioners (403)', async () => {
    const e = await makeEmployer(t.db, t.deps, pat);
    for (const role of ['clinician', 'admin', 'commissioner'] as const) {
      const { browser } = await signedInAs(t, role, north);
      expect((await browser.get('/employers')).statusCode, role).toBe(403);
      expect((await browser.get(`/employers/${e.id}`)).statusCode, role).toBe(403);
      const { token } = await makeTokenUser(t.db, t.deps, role, north);
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/employers', headers: api(token) });
      expect(res.statusCode, role).toBe(403);
    }
  });

  it('shows "Employers" in the header for practitioners and managers only', async () => {
    expect((await patBrowser.get('/')).body).toContain('href="/employers"');
    const { browser: clinician } = await signedInAs(t, 'clinician', north);
    expect((await clinician.get('/')).body).not.toContain('href="/employers"');
  });
});

describe('API', () => {
  it('creates, lists, reads and changes employers with the documented field names', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/employers',
      headers: api(token),
      payload: { name: 'Acme Ltd', type: 'supplier', sector: 'Facilities', latitude: 51.5, longitude: -0.1 },
    });
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json<Record<string, unknown>>();
    expect(body).toEqual({
      id: expect.any(String) as string,
      name: 'Acme Ltd',
      type: 'supplier',
      sector: 'Facilities',
      size: null,
      address: null,
      postcode: null,
      latitude: 51.5,
      longitude: -0.1,
      website: null,
      relationship_stage: 'prospect',
      notes: null,
      created_at: '2026-11-25T10:00:00.000Z',
      updated_at: '2026-11-25T10:00:00.000Z',
      version: 1,
    });
    expect(created.headers.location).toBe(`/api/v1/employers/${String(body.id)}`);

    const duplicate = await t.app.inject({
      method: 'POST',
      url: '/api/v1/employers',
      headers: api(token),
      payload: { name: 'ACME limited', type: 'external' },
    });
    expect(duplicate.statusCode).toBe(400);
    expect(duplicate.json<ErrorBody>().error.fields?.name).toContain('Acme Ltd is already recorded');

    const missing = await t.app.inject({ method: 'POST', url: '/api/v1/employers', headers: api(token), payload: { name: 'X' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json<ErrorBody>().error.fields).toHaveProperty('type');

    await makeEmployer(t.db, t.deps, pat, { name: 'Riverside Hospital', type: 'host' });
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/employers?limit=1', headers: api(token) });
    const page1 = list.json<{ items: { name: string }[]; next_cursor: string | null }>();
    expect(page1.items.map((i) => i.name)).toEqual(['Acme Ltd']);
    expect(page1.next_cursor).not.toBeNull();
    const list2 = await t.app.inject({
      method: 'GET',
      url: `/api/v1/employers?limit=1&cursor=${page1.next_cursor}`,
      headers: api(token),
    });
    expect(list2.json<{ items: { name: string }[]; next_cursor: string | null }>()).toMatchObject({
      items: [{ name: 'Riverside Hospital' }],
      next_cursor: null,
    });
    const hosts = await t.app.inject({ method: 'GET', url: '/api/v1/employers?type=host&stage=prospect', headers: api(token) });
    expect(hosts.json<{ items: { name: string }[] }>().items.map((i) => i.name)).toEqual(['Riverside Hospital']);

    const read = await t.app.inject({ method: 'GET', url: `/api/v1/employers/${String(body.id)}`, headers: api(token) });
    expect(read.json()).toEqual(body);

    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/employers/${String(body.id)}`,
      headers: api(token),
      payload: { version: 1, relationship_stage: 'engaged' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ relationship_stage: 'engaged', version: 2, sector: 'Facilities' });
    const stale = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/employers/${String(body.id)}`,
      headers: api(token),
      payload: { version: 1, sector: 'Other' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<ErrorBody>().error.code).toBe('conflict');
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/employers/${randomUUID()}`, headers: api(token) })).statusCode,
    ).toBe(404);
  });

  it('logs and lists employer contacts, hiding people the caller may not see', async () => {
    const { user, token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const e = await makeEmployer(t.db, t.deps, pat);
    const mine = await makeParticipant(t.db, t.deps, user);
    const { user: southPractitioner, token: southToken } = await makeTokenUser(t.db, t.deps, 'practitioner', south);
    const theirs = await makeParticipant(t.db, t.deps, southPractitioner);

    const logged = await t.app.inject({
      method: 'POST',
      url: `/api/v1/employers/${e.id}/contacts`,
      headers: api(token),
      payload: {
        contacted_at: '2026-11-24T15:00:00+00:00',
        mode: 'event',
        purpose: 'on_behalf',
        participant_id: mine.id,
        outcome: 'Introduced them',
        next_step: 'Interview',
        next_step_due: '2026-12-01',
      },
    });
    expect(logged.statusCode, logged.body).toBe(201);
    expect(logged.json()).toEqual({
      id: expect.any(String) as string,
      employer_id: e.id,
      practitioner_id: user.id,
      participant_id: mine.id,
      employer_person_id: null,
      contacted_at: '2026-11-24T15:00:00.000Z',
      mode: 'event',
      face_to_face: true,
      purpose: 'on_behalf',
      outcome: 'Introduced them',
      next_step: 'Interview',
      next_step_due: '2026-12-01',
      created_at: '2026-11-25T10:00:00.000Z',
      updated_at: '2026-11-25T10:00:00.000Z',
      version: 1,
    });

    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/v1/employers/${e.id}/contacts`,
      headers: api(token),
      payload: { contacted_at: '2026-11-24T15:00:00Z', mode: 'phone', purpose: 'on_behalf', participant_id: theirs.id },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<ErrorBody>().error.fields).toHaveProperty('participant_id');

    // The other team logs one for their person: this caller sees it without the person.
    const theirsLogged = await t.app.inject({
      method: 'POST',
      url: `/api/v1/employers/${e.id}/contacts`,
      headers: api(southToken),
      payload: { contacted_at: '2026-11-25T09:00:00Z', mode: 'phone', purpose: 'on_behalf', participant_id: theirs.id },
    });
    expect(theirsLogged.statusCode).toBe(201);

    const list = await t.app.inject({ method: 'GET', url: `/api/v1/employers/${e.id}/contacts`, headers: api(token) });
    const items = list.json<{
      items: { participant_id: string | null; mode: string; face_to_face: boolean }[];
      next_cursor: null;
    }>();
    expect(items.items.map((i) => [i.mode, i.participant_id, i.face_to_face])).toEqual([
      ['phone', null, false],
      ['event', mine.id, true],
    ]);
    expect(items.next_cursor).toBeNull();

    const bad = await t.app.inject({
      method: 'POST',
      url: `/api/v1/employers/${e.id}/contacts`,
      headers: api(token),
      payload: { contacted_at: '25/11/2026', mode: 'carrier pigeon', purpose: 'introduction' },
    });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json<ErrorBody>().error.fields ?? {}).sort()).toEqual(['contacted_at', 'mode']);
  });
});
