import ICAL from 'ical.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeAppointment, makeParticipant, makeSite, makeTeam, makeTokenUser } from '../../test/factories.ts';
import { type Browser, createTestApp, signedInAs, type ErrorBody, type TestApp } from '../../test/test-app.ts';
import * as contacts from '../contacts/service.ts';
import * as participants from '../participants/service.ts';
import type { Participant } from '../participants/service.ts';
import type { Site } from '../sites/service.ts';
import type { User } from '../users/service.ts';
import * as appointments from './service.ts';

// Wednesday 25 November 2026, 10:00 UK time (GMT).
let t: TestApp;
let north: string;
let south: string;
let site: Site;
beforeEach(async () => {
  t = await createTestApp({ now: '2026-11-25T10:00:00Z' });
  north = (await makeTeam(t.db, t.deps, 'North IPS')).id;
  south = (await makeTeam(t.db, t.deps, 'South IPS')).id;
  site = await makeSite(t.db, t.deps, { name: 'St Mary’s Hospital' });
});
afterEach(async () => {
  await t.close();
});

/** The page's text without tags, for asserting what a person reads. */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/\s+/g, ' ');
}

async function makeUserInTeam(teamId: string): Promise<string> {
  return (await makeTokenUser(t.db, t.deps, 'practitioner', teamId)).user.id;
}

const v = (u: User) => participants.viewerOf({ userId: u.id, role: u.role, teamId: u.teamId });

async function practitionerWithPerson(overrides: Partial<participants.ParticipantInput> = {}) {
  const { browser, user } = await signedInAs(t, 'practitioner', north);
  const person = await makeParticipant(t.db, t.deps, user, {
    givenName: 'Josephine',
    familyName: 'Quartermaine',
    preferredName: 'Jo',
    ...overrides,
  });
  return { browser, user, person };
}

async function appointmentPage(browser: Browser, id: string) {
  const res = await browser.get(`/appointments/${id}`);
  const version = /name="version" value="(\d+)"/.exec(res.body)?.[1];
  return { res, version: version ?? '' };
}

describe('planning an appointment', () => {
  it('plans one at a site in UK time and lists it on the person’s appointments', async () => {
    const { browser, person } = await practitionerWithPerson();
    const form = await browser.get(`/participants/${person.id}/appointments/new`);
    expect(form.statusCode).toBe(200);
    expect(text(form.body)).toContain('Plan an appointment');
    expect(text(form.body)).toContain('St Mary’s Hospital');

    const res = await browser.post(`/participants/${person.id}/appointments`, {
      date_day: '1',
      date_month: '12',
      date_year: '2026',
      time: '14:30',
      duration_minutes: '45',
      place_kind: 'site',
      site_id: site.id,
      department: 'Pharmacy',
      place_detail: 'staff entrance',
      with_whom: 'Line manager',
      purpose: 'in_work_support',
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/participants/${person.id}/appointments?done=planned`);
    const list = await browser.get(String(res.headers.location));
    const page = text(list.body);
    expect(page).toContain('Appointment planned');
    expect(page).toContain('Tuesday 1 December 2026 at 14:30');
    expect(page).toContain('St Mary’s Hospital, Pharmacy (staff entrance)');

    const row = await t.db.selectFrom('appointments').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      starts_at: '2026-12-01T14:30:00.000Z',
      duration_minutes: 45,
      status: 'planned',
      site_id: site.id,
    });
  });

  it('stores a summer time as UTC, an hour earlier', async () => {
    const { browser, person } = await practitionerWithPerson();
    const res = await browser.post(`/participants/${person.id}/appointments`, {
      date_day: '1',
      date_month: '7',
      date_year: '2027',
      time: '9:00',
      duration_minutes: '60',
      place_kind: 'community',
      purpose: 'job_search',
    });
    expect(res.statusCode).toBe(302);
    const row = await t.db.selectFrom('appointments').selectAll().executeTakeFirstOrThrow();
    expect(row.starts_at).toBe('2027-07-01T08:00:00.000Z');
  });

  it('shows every problem and keeps what was typed', async () => {
    const { browser, person } = await practitionerWithPerson();
    const res = await browser.post(`/participants/${person.id}/appointments`, {
      date_day: '31',
      date_month: '2',
      date_year: '2027',
      time: '25:00',
      duration_minutes: '45',
      place_kind: 'site',
      with_whom: 'Their line manager',
    });
    expect(res.statusCode).toBe(400);
    const page = text(res.body);
    expect(page).toContain('There is a problem');
    expect(page).toContain('Date must be a real date');
    expect(page).toContain('Enter the time in the 24-hour clock');
    expect(page).toContain('Select what the appointment is for');
    expect(res.body).toContain('value="Their line manager"');
    expect(await t.db.selectFrom('appointments').selectAll().execute()).toHaveLength(0);
  });
});

describe('the week view', () => {
  it('shows the practitioner’s week from Monday to Sunday, with preferred names, and not the next week', async () => {
    const { browser, user, person } = await practitionerWithPerson();
    await makeAppointment(t.db, t.deps, user, person.id, {
      startsAt: '2026-11-30T09:00:00.000Z',
      placeKind: 'site',
      siteId: site.id,
    });
    await makeAppointment(t.db, t.deps, user, person.id, { startsAt: '2026-12-06T23:30:00.000Z', placeKind: 'remote' });
    const nextWeek = await makeAppointment(t.db, t.deps, user, person.id, { startsAt: '2026-12-07T00:30:00.000Z' });
    const res = await browser.get('/appointments?week=2026-12-02');
    expect(res.statusCode).toBe(200);
    const page = text(res.body);
    expect(page).toContain('My week');
    expect(page).toContain('Monday 30 November to Sunday 6 December');
    expect(page).toContain('2 appointments this week');
    expect(page).toContain('Jo Quartermaine');
    expect(page).not.toContain('Josephine');
    expect(page).toContain('09:00 to 10:00');
    expect(page).toContain('St Mary’s Hospital');
    expect(page).toContain('Sunday 6 December');
    expect(res.body).not.toContain(`/appointments/${nextWeek.id}`);
    expect(res.body).toContain('href="/appointments?week=2026-12-07"');
    expect(res.body).toContain('href="/appointments?week=2026-11-23"');
  });

  it('says so when the week is empty', async () => {
    const { browser } = await practitionerWithPerson();
    const res = await browser.get('/appointments');
    expect(res.statusCode).toBe(200);
    expect(text(res.body)).toContain('Monday 23 November to Sunday 29 November');
    expect(text(res.body)).toContain('You have no appointments this week');
    expect(text(res.body)).toContain('My week');
  });

  it('lets a manager look at a practitioner of their team, but not of another team', async () => {
    const { user, person } = await practitionerWithPerson();
    await makeAppointment(t.db, t.deps, user, person.id, { startsAt: '2026-11-26T11:00:00.000Z' });
    const { browser: manager } = await signedInAs(t, 'manager', north);
    const res = await manager.get(`/appointments?week=2026-11-26&practitioner_id=${user.id}`);
    expect(res.statusCode).toBe(200);
    expect(text(res.body)).toContain(`${user.name}’s week`);
    expect(text(res.body)).toContain('Jo Quartermaine');
    const { browser: otherManager } = await signedInAs(t, 'manager', south);
    expect((await otherManager.get(`/appointments?practitioner_id=${user.id}`)).statusCode).toBe(404);
    const { browser: colleague } = await signedInAs(t, 'practitioner', north);
    expect((await colleague.get(`/appointments?practitioner_id=${user.id}`)).statusCode).toBe(404);
  });
});

describe('after the appointment', () => {
  it('logs the contact in one step from the appointment’s time, duration and place', async () => {
    const { browser, user, person } = await practitionerWithPerson();
    const a = await makeAppointment(t.db, t.deps, user, person.id, {
      startsAt: '2026-11-24T19:30:00.000Z',
      durationMinutes: 45,
      placeKind: 'site',
      siteId: site.id,
      purpose: 'in_work_support',
      withWhom: 'Supervisor',
    });
    const { res: page, version } = await appointmentPage(browser, a.id);
    expect(text(page.body)).toContain('Attended – log the contact');
    const res = await browser.post(`/appointments/${a.id}/attended`, { version });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/participants/${person.id}/timeline?done=logged`);
    const timeline = await browser.get(String(res.headers.location));
    expect(timeline.statusCode).toBe(200);
    expect(text(timeline.body)).toContain('Contact logged');

    const logged = await contacts.listContacts(t.db, v(user), person.id, { limit: 10, offset: 0 });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      startedAt: '2026-11-24T19:30:00.000Z',
      durationMinutes: 45,
      mode: 'face_to_face',
      place: 'workplace',
      purpose: 'in_work_support',
      withWhom: 'Supervisor',
      outOfHours: true,
    });
    const after = await appointments.getAppointment(t.db, v(user), a.id);
    expect(after).toMatchObject({ status: 'attended', contactId: logged[0]!.id });
    // A second press with the old page changes nothing.
    const again = await browser.post(`/appointments/${a.id}/attended`, { version });
    expect(again.statusCode).toBe(409);
    expect(text(again.body)).toContain('Someone else changed this appointment');
    expect(await contacts.listContacts(t.db, v(user), person.id, { limit: 10, offset: 0 })).toHaveLength(1);
  });

  it('records did not attend, audited', async () => {
    const { browser, user, person } = await practitionerWithPerson();
    const a = await makeAppointment(t.db, t.deps, user, person.id);
    const { version } = await appointmentPage(browser, a.id);
    const res = await browser.post(`/appointments/${a.id}/did-not-attend`, { version });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/appointments/${a.id}?done=did_not_attend`);
    const page = text((await browser.get(String(res.headers.location))).body);
    expect(page).toContain('Recorded that they did not attend');
    expect(page).toContain('Did not attend');
    const events = await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'appointment.did_not_attend').execute();
    expect(events).toHaveLength(1);
    expect(await contacts.listContacts(t.db, v(user), person.id, { limit: 10, offset: 0 })).toHaveLength(0);
  });

  it('asks before cancelling', async () => {
    const { browser, user, person } = await practitionerWithPerson();
    const a = await makeAppointment(t.db, t.deps, user, person.id);
    const confirm = await browser.get(`/appointments/${a.id}/cancel`);
    expect(confirm.statusCode).toBe(200);
    expect(text(confirm.body)).toContain('Are you sure you want to cancel this appointment?');
    const version = /name="version" value="(\d+)"/.exec(confirm.body)?.[1] ?? '';
    const res = await browser.post(`/appointments/${a.id}/cancel`, { version });
    expect(res.statusCode).toBe(302);
    expect(text((await browser.get(`/appointments/${a.id}?done=cancelled`)).body)).toContain('Appointment cancelled');
    expect((await appointments.getAppointment(t.db, v(user), a.id)).status).toBe('cancelled');
    const refused = await browser.post(`/appointments/${a.id}/did-not-attend`, { version: String(Number(version) + 1) });
    expect(refused.statusCode).toBe(422);
  });
});

describe('who may see appointments', () => {
  it('answers 404 to a practitioner of another team, and 403 to commissioners and administrators', async () => {
    const { user, person } = await practitionerWithPerson();
    const a = await makeAppointment(t.db, t.deps, user, person.id);
    const { browser: outsider } = await signedInAs(t, 'practitioner', south);
    expect((await outsider.get(`/appointments/${a.id}`)).statusCode).toBe(404);
    expect((await outsider.get(`/participants/${person.id}/appointments/new`)).statusCode).toBe(404);
    expect((await outsider.post(`/appointments/${a.id}/did-not-attend`, { version: '1' })).statusCode).toBe(404);
    for (const role of ['commissioner', 'admin'] as const) {
      const { browser } = await signedInAs(t, role, north);
      expect((await browser.get('/appointments')).statusCode).toBe(403);
      expect((await browser.get(`/appointments/${a.id}`)).statusCode).toBe(403);
    }
  });
});

describe('reading appointments is audited', () => {
  it('writes appointment.viewed for the appointment page, the person’s list and the API, without free text', async () => {
    const { browser, user, person } = await practitionerWithPerson();
    const a = await makeAppointment(t.db, t.deps, user, person.id, { placeDetail: 'Back room at the library' });
    const viewed = () => t.db.selectFrom('audit_events').selectAll().where('action', '=', 'appointment.viewed').execute();
    expect((await browser.get(`/appointments/${a.id}`)).statusCode).toBe(200);
    expect(await viewed()).toHaveLength(1);
    expect((await browser.get(`/participants/${person.id}/appointments`)).statusCode).toBe(200);
    expect(await viewed()).toHaveLength(2);
    const { token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/appointments/${a.id}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(200);
    const events = await viewed();
    expect(events).toHaveLength(3);
    for (const e of events) {
      expect(e.entity_id).toBe(person.id);
      expect(e.details ?? '').not.toContain('library');
    }
  });
});

describe('the private calendar feed', () => {
  async function createFeed(browser: Browser): Promise<string> {
    await browser.get('/appointments/calendar-feed');
    const res = await browser.post('/appointments/calendar-feed');
    expect(res.statusCode).toBe(200);
    const url = /<code id="feed-url">([^<]+)<\/code>/.exec(res.body)?.[1];
    expect(url).toMatch(/\/calendar\/swc_[A-Za-z0-9_-]+\.ics$/);
    return new URL(url!).pathname;
  }

  it('serves initials, place and UTC times only, parsed back as valid iCalendar', async () => {
    const { browser, user, person } = await practitionerWithPerson({ communicationNotes: 'Anxious about phone calls' });
    const summer = await makeAppointment(t.db, t.deps, user, person.id, {
      startsAt: '2027-06-02T13:30:00.000Z',
      placeKind: 'site',
      siteId: site.id,
      department: 'Catering',
      placeDetail: 'Flat 2, 14 Acacia Avenue',
      withWhom: 'Care coordinator Dr Who',
      purpose: 'clinical_liaison',
    });
    await makeAppointment(t.db, t.deps, user, person.id, { startsAt: '2026-12-03T09:00:00.000Z', placeKind: 'community' });
    const cancelled = await makeAppointment(t.db, t.deps, user, person.id, { startsAt: '2026-12-04T09:00:00.000Z' });
    await appointments.updateAppointment(
      t.db,
      t.deps,
      { actorUserId: null, actorLabel: null, clientAddress: null, requestId: null },
      v(user),
      cancelled.id,
      1,
      { status: 'cancelled' },
    );

    const path = await createFeed(browser);
    // The feed needs no session: a phone's calendar fetches it.
    const res = await t.app.inject({ method: 'GET', url: path });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    const body = res.body;
    for (const secret of ['Josephine', 'Quartermaine', 'Jo ', 'Acacia', 'Dr Who', 'Clinical', 'clinical', 'Anxious']) {
      expect(body).not.toContain(secret);
    }
    const calendar = new ICAL.Component(ICAL.parse(body) as unknown[]);
    const events = calendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
    expect(events).toHaveLength(2);
    const bySummary = Object.fromEntries(events.map((e) => [e.summary, e]));
    expect(Object.keys(bySummary).sort()).toEqual(['J.Q. – Community', 'J.Q. – St Mary’s Hospital, Catering']);
    const june = bySummary['J.Q. – St Mary’s Hospital, Catering']!;
    expect(june.startDate.toJSDate().toISOString()).toBe('2027-06-02T13:30:00.000Z');
    expect(june.startDate.zone?.tzid).toBe('UTC');
    expect(june.location).toBe('St Mary’s Hospital, Catering');
    expect(june.uid).toContain(summer.id);
    expect(bySummary['J.Q. – Community']!.startDate.toJSDate().toISOString()).toBe('2026-12-03T09:00:00.000Z');
    expect(body).not.toContain(cancelled.id);

    const created = await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'calendar_feed.created').execute();
    expect(created).toHaveLength(1);
    const stored = await t.db.selectFrom('calendar_feeds').selectAll().executeTakeFirstOrThrow();
    expect(path).not.toContain(stored.token_hash);
  });

  it('answers 404 for an unknown, replaced or revoked address', async () => {
    const { browser } = await practitionerWithPerson();
    expect((await t.app.inject({ method: 'GET', url: '/calendar/swc_not-a-real-token.ics' })).statusCode).toBe(404);
    const first = await createFeed(browser);
    expect((await t.app.inject({ method: 'GET', url: first })).statusCode).toBe(200);
    const second = await createFeed(browser);
    expect((await t.app.inject({ method: 'GET', url: first })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: second })).statusCode).toBe(200);
    const revoke = await browser.post('/appointments/calendar-feed/revoke');
    expect(revoke.statusCode).toBe(302);
    expect(text((await browser.get(String(revoke.headers.location))).body)).toContain('Calendar address turned off');
    expect((await t.app.inject({ method: 'GET', url: second })).statusCode).toBe(404);
    const revoked = await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'calendar_feed.revoked').execute();
    expect(revoked).toHaveLength(1);
  });
});

describe('the calendar feed after a change of role', () => {
  it('stops serving appointments once its owner may no longer see them', async () => {
    const { browser, user, person } = await practitionerWithPerson();
    await makeAppointment(t.db, t.deps, user, person.id);
    await browser.get('/appointments/calendar-feed');
    const res = await browser.post('/appointments/calendar-feed');
    const path = new URL(/<code id="feed-url">([^<]+)<\/code>/.exec(res.body)![1]!).pathname;
    expect((await t.app.inject({ method: 'GET', url: path })).body).toContain('J.Q.');
    // An administrator or commissioner sees no person-level data, initials included.
    await t.db.updateTable('users').set({ role: 'commissioner' }).where('id', '=', user.id).execute();
    expect((await t.app.inject({ method: 'GET', url: path })).statusCode).toBe(404);
  });

  it('leaves out people moved out of the practitioner’s sight', async () => {
    const { browser, user, person } = await practitionerWithPerson();
    await makeAppointment(t.db, t.deps, user, person.id);
    await browser.get('/appointments/calendar-feed');
    const res = await browser.post('/appointments/calendar-feed');
    const path = new URL(/<code id="feed-url">([^<]+)<\/code>/.exec(res.body)![1]!).pathname;
    const other = await makeUserInTeam(south);
    await t.db.updateTable('participants').set({ team_id: south, practitioner_id: other }).where('id', '=', person.id).execute();
    const feed = await t.app.inject({ method: 'GET', url: path });
    expect(feed.statusCode).toBe(200);
    expect(feed.body).not.toContain('J.Q.');
  });
});

describe('appointments API', () => {
  async function api(method: 'GET' | 'POST' | 'PATCH', url: string, token: string, payload?: unknown) {
    const res = await t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
  }

  let token: string;
  let user: User;
  let person: Participant;
  beforeEach(async () => {
    ({ user, token } = await makeTokenUser(t.db, t.deps, 'practitioner', north));
    person = await makeParticipant(t.db, t.deps, user);
  });

  it('plans, reads, lists, reschedules and refuses an illegal move', async () => {
    const created = await api('POST', `/api/v1/participants/${person.id}/appointments`, token, {
      starts_at: '2026-12-01T10:00:00+00:00',
      duration_minutes: 30,
      place_kind: 'site',
      site_id: site.id,
      department: 'Estates',
      purpose: 'in_work_support',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      participant_id: person.id,
      practitioner_id: user.id,
      starts_at: '2026-12-01T10:00:00.000Z',
      ends_at: '2026-12-01T10:30:00.000Z',
      place: 'St Mary’s Hospital, Estates',
      status: 'planned',
      version: 1,
    });
    const id = String(created.body.id);
    expect((await api('GET', `/api/v1/appointments/${id}`, token)).body).toMatchObject({ id, site_name: 'St Mary’s Hospital' });

    const list = await api('GET', '/api/v1/appointments?from=2026-12-01&to=2026-12-01', token);
    expect(list.status).toBe(200);
    expect((list.body.items as { id: string }[]).map((i) => i.id)).toEqual([id]);
    expect((await api('GET', '/api/v1/appointments?from=2026-12-02', token)).body.items).toEqual([]);

    const moved = await api('PATCH', `/api/v1/appointments/${id}`, token, { version: 1, starts_at: '2026-12-02T11:00:00Z' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ starts_at: '2026-12-02T11:00:00.000Z', version: 2 });
    const stale = await api('PATCH', `/api/v1/appointments/${id}`, token, { version: 1, status: 'cancelled' });
    expect(stale.status).toBe(409);
    expect((stale.body as unknown as ErrorBody).error.code).toBe('conflict');
    const cancelled = await api('PATCH', `/api/v1/appointments/${id}`, token, { version: 2, status: 'cancelled' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', version: 3 });
    const illegal = await api('PATCH', `/api/v1/appointments/${id}`, token, { version: 3, status: 'did_not_attend' });
    expect(illegal.status).toBe(422);
    expect((illegal.body as unknown as ErrorBody).error.code).toBe('rule_refused');
  });

  it('logs the contact when attended (201 with the contact)', async () => {
    const a = await makeAppointment(t.db, t.deps, user, person.id, {
      startsAt: '2026-11-28T10:00:00.000Z',
      placeKind: 'remote',
      purpose: 'job_search',
    });
    const res = await api('POST', `/api/v1/appointments/${a.id}/attended`, token, {
      version: 1,
      mode: 'video',
      notes: 'Went well',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      participant_id: person.id,
      started_at: '2026-11-28T10:00:00.000Z',
      duration_minutes: 60,
      mode: 'video',
      place: 'remote',
      purpose: 'job_search',
      notes: 'Went well',
      out_of_hours: true,
    });
    const after = await api('GET', `/api/v1/appointments/${a.id}`, token);
    expect(after.body).toMatchObject({ status: 'attended', contact_id: res.body.id, version: 2 });
    expect((await api('POST', `/api/v1/appointments/${a.id}/attended`, token, { version: 2 })).status).toBe(422);
  });

  it('keeps other teams and other practitioners’ lists out of reach', async () => {
    const a = await makeAppointment(t.db, t.deps, user, person.id);
    const { token: outsider } = await makeTokenUser(t.db, t.deps, 'practitioner', south);
    expect((await api('GET', `/api/v1/appointments/${a.id}`, outsider)).status).toBe(404);
    expect((await api('PATCH', `/api/v1/appointments/${a.id}`, outsider, { version: 1, status: 'cancelled' })).status).toBe(404);
    expect((await api('GET', `/api/v1/appointments?practitioner_id=${user.id}`, outsider)).status).toBe(404);
    const { token: manager } = await makeTokenUser(t.db, t.deps, 'manager', north);
    const teamList = await api('GET', `/api/v1/appointments?practitioner_id=${user.id}`, manager);
    expect((teamList.body.items as { id: string }[]).map((i) => i.id)).toEqual([a.id]);
    const { token: commissioner } = await makeTokenUser(t.db, t.deps, 'commissioner');
    expect((await api('GET', '/api/v1/appointments', commissioner)).status).toBe(403);
  });

  it('pages through a list with a cursor', async () => {
    const ids: string[] = [];
    for (let day = 1; day <= 3; day++) {
      ids.push((await makeAppointment(t.db, t.deps, user, person.id, { startsAt: `2026-12-0${day}T10:00:00.000Z` })).id);
    }
    const first = await api('GET', '/api/v1/appointments?limit=2', token);
    expect((first.body.items as { id: string }[]).map((i) => i.id)).toEqual(ids.slice(0, 2));
    const second = await api('GET', `/api/v1/appointments?limit=2&cursor=${String(first.body.next_cursor)}`, token);
    expect((second.body.items as { id: string }[]).map((i) => i.id)).toEqual(ids.slice(2));
    expect(second.body.next_cursor).toBeNull();
  });
});
