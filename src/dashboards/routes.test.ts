import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertEmployerContact, makeEmployer, makeParticipant, makeReferral, makeTeam, makeUser } from '../../test/factories.ts';
import { Browser, createTestApp, signedInAs, type TestApp } from '../../test/test-app.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import type { ContactInput } from '../contacts/service.ts';
import * as contacts from '../contacts/service.ts';
import { newRecordColumns } from '../db/records.ts';
import type { EmployerContactsTable } from '../db/types.ts';
import * as participants from '../participants/service.ts';
import type { ParticipantStatus } from '../participants/rules.ts';
import * as settings from '../settings/service.ts';
import type { User } from '../users/service.ts';
import { digestAlerts } from './service.ts';
import * as atw from '../access-to-work/service.ts';

// The test clock starts at Wednesday 25 November 2026, 10:00 UTC (10:00 in London).

let t: TestApp;
let north: string;
let south: string;
beforeEach(async () => {
  t = await createTestApp();
  north = (await makeTeam(t.db, t.deps, 'North IPS')).id;
  south = (await makeTeam(t.db, t.deps, 'South IPS')).id;
});
afterEach(async () => {
  await t.close();
});

/** The page's text without tags, for asserting what a person reads. */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

const v = (u: User) => ({ userId: u.id, role: u.role, teamId: u.teamId });

async function log(by: User, participantId: string, startedAt: string, overrides: Partial<ContactInput> = {}) {
  return contacts.logContact(t.db, t.deps, SYSTEM_CONTEXT, v(by), participantId, {
    startedAt,
    durationMinutes: 30,
    mode: 'face_to_face',
    place: 'community',
    purpose: 'engagement',
    ...overrides,
  });
}

/** Moves a person along the journey to `to`, one allowed step at a time, at the clock's time. */
async function moveTo(by: User, participantId: string, path: ParticipantStatus[]) {
  for (const status of path) {
    const p = await participants.loadVisible(t.db, v(by), participantId);
    await participants.changeStatus(t.db, t.deps, SYSTEM_CONTEXT, v(by), participantId, p.version, status);
  }
}

async function planAppointment(by: User, participantId: string, startsAt: string, status = 'planned') {
  await t.db
    .insertInto('appointments')
    .values({
      ...newRecordColumns(t.clock),
      participant_id: participantId,
      practitioner_id: by.id,
      starts_at: startsAt,
      duration_minutes: 60,
      place_kind: 'community',
      site_id: null,
      department: null,
      place_detail: null,
      with_whom: null,
      purpose: null,
      status,
      contact_id: null,
    })
    .execute();
}

describe('my caseload', () => {
  let browser: Browser;
  let pat: User;
  beforeEach(async () => {
    ({ browser, user: pat } = await signedInAs(t, 'practitioner', north));
  });

  /** Moves the clock on and signs in again (the session would have timed out). */
  async function later(iso: string) {
    t.clock.set(iso);
    await browser.signIn(pat.email);
  }

  it("shows a practitioner's people, not discharged, with status, last contact, next appointment and the count against the limit", async () => {
    const ann = await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Lee' });
    const bob = await makeParticipant(t.db, t.deps, pat, { givenName: 'Bob', familyName: 'Ray' });
    await moveTo(pat, bob.id, ['engaged']);
    const gone = await makeParticipant(t.db, t.deps, pat, { givenName: 'Cat', familyName: 'Gone' });
    await moveTo(pat, gone.id, ['discharged']);
    const colleague = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north });
    await makeParticipant(t.db, t.deps, colleague, { givenName: 'Dan', familyName: 'Other' });
    await log(pat, bob.id, '2026-11-20T14:00:00Z');
    await planAppointment(pat, bob.id, '2026-11-27T10:30:00Z');
    await planAppointment(pat, bob.id, '2026-11-26T09:00:00Z', 'cancelled');
    await planAppointment(pat, bob.id, '2026-11-20T09:00:00Z');

    const res = await browser.get('/caseload');
    expect(res.statusCode).toBe(200);
    const page = text(res.body);
    expect(page).toContain('My caseload');
    expect(page).toContain('2 of 20 people on your caseload');
    expect(page).toContain('Ann Lee');
    expect(page).toContain('Make first contact');
    expect(page).toContain('Complete the vocational profile');
    expect(page).toContain('Last contact None logged');
    expect(page).toContain('20 November 2026 (5 days ago)');
    expect(page).toContain('Next appointment 27 Nov 2026, 10:30');
    expect(page).toContain('None planned');
    expect(page).not.toContain('Cat Gone');
    expect(page).not.toContain('Dan Other');
    expect(res.body).toContain(`href="/participants/${ann.id}/contacts/new"`);
    expect(res.body).toContain(`href="/participants/${bob.id}/contacts/new"`);
    expect(page).toContain(`Log a contact with Bob Ray`);
    expect(res.body).toContain('href="/appointments"');
  });

  it('warns a practitioner over the caseload limit', async () => {
    await settings.updateSettings(t.db, t.deps, SYSTEM_CONTEXT, { caseloadLimit: 1 });
    await makeParticipant(t.db, t.deps, pat);
    await makeParticipant(t.db, t.deps, pat);
    const page = text((await browser.get('/caseload')).body);
    expect(page).toContain('2 of 1 people on your caseload');
    expect(page).toContain('Your caseload is over the limit');
  });

  it('shows a referral waiting for first contact after the target, and clears it when a contact is logged', async () => {
    const ann = await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Lee' });
    await makeReferral(t.db, t.deps, pat, ann.id, { receivedDate: '2026-11-18' });
    expect(text((await browser.get('/caseload')).body)).not.toContain('not contacted yet');

    await later('2026-11-26T10:00:00Z');
    const page = text((await browser.get('/caseload')).body);
    expect(page).toContain('Referred 8 days ago and not contacted yet (the target is 7 days)');
    expect(page).toContain('1 person needs attention');

    await log(pat, ann.id, '2026-11-26T09:00:00Z', { mode: 'phone', place: 'remote' });
    const after = text((await browser.get('/caseload')).body);
    expect(after).not.toContain('not contacted yet');
    expect(after).not.toContain('person needs attention');
  });

  it('shows no contact for 14 days on the 14th day, not the 13th, and clears it when a contact is logged', async () => {
    const ann = await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Lee' });
    await log(pat, ann.id, '2026-11-25T09:00:00Z');
    await later('2026-12-08T12:00:00Z');
    expect(text((await browser.get('/caseload')).body)).not.toContain('No contact for');
    await later('2026-12-09T12:00:00Z');
    expect(text((await browser.get('/caseload')).body)).toContain('No contact for 14 days. Log a contact for Ann Lee');

    await log(pat, ann.id, '2026-12-09T11:00:00Z');
    expect(text((await browser.get('/caseload')).body)).not.toContain('No contact for');
  });

  it('follows the no-contact setting', async () => {
    await settings.updateSettings(t.db, t.deps, SYSTEM_CONTEXT, { noContactAlertDays: 3 });
    const ann = await makeParticipant(t.db, t.deps, pat);
    await log(pat, ann.id, '2026-11-22T09:00:00Z');
    expect(text((await browser.get('/caseload')).body)).toContain('No contact for 3 days');
  });

  it('shows 30 days in job search without an employer contact, and clears it when one is logged', async () => {
    const ann = await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Lee' });
    await moveTo(pat, ann.id, ['engaged', 'job_search']);
    await log(pat, ann.id, '2026-11-25T11:00:00Z', { purpose: 'job_search' });
    await later('2026-12-24T12:00:00Z');
    await log(pat, ann.id, '2026-12-24T11:00:00Z', { purpose: 'job_search' });
    expect(text((await browser.get('/caseload')).body)).not.toContain('with no employer contact on their behalf');

    await later('2026-12-25T12:00:00Z');
    const res = await browser.get('/caseload');
    expect(text(res.body)).toContain('In job search for 30 days with no employer contact on their behalf');
    expect(res.body).toContain(`href="/employer-contacts/new?participant_id=${ann.id}"`);

    await log(pat, ann.id, '2026-12-25T11:00:00Z', { purpose: 'employer_contact', mode: 'phone', place: 'remote' });
    expect(text((await browser.get('/caseload')).body)).not.toContain('with no employer contact on their behalf');
  });

  it('shows a support review due 28 days into work with no in-work support, and clears it when support is logged', async () => {
    const ann = await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Lee' });
    await moveTo(pat, ann.id, ['engaged', 'employed']);
    await later('2026-12-22T12:00:00Z');
    await log(pat, ann.id, '2026-12-22T11:00:00Z', { purpose: 'benefits' });
    expect(text((await browser.get('/caseload')).body)).not.toContain('Support review due: no in-work');

    await later('2026-12-23T12:00:00Z');
    const page = text((await browser.get('/caseload')).body);
    expect(page).toContain('Support review due: no in-work support contact since they started work 28 days ago');
    expect(page).toContain('the review date in the person’s support plan will be used instead');

    await log(pat, ann.id, '2026-12-23T11:00:00Z', { purpose: 'in_work_support', place: 'workplace' });
    expect(text((await browser.get('/caseload')).body)).not.toContain('Support review due: no in-work');
  });

  it('narrows the list to the people with an alert', async () => {
    const ann = await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Lee' });
    const bob = await makeParticipant(t.db, t.deps, pat, { givenName: 'Bob', familyName: 'Ray' });
    await log(pat, ann.id, '2026-11-01T10:00:00Z');
    await log(pat, bob.id, '2026-11-24T10:00:00Z');
    const res = await browser.get('/caseload?alert=any');
    const page = text(res.body);
    expect(page).toContain('Ann Lee');
    expect(page).not.toContain('Bob Ray');
    expect(page).toContain('1 person of 2');
    expect(text((await browser.get('/caseload?alert=support_review')).body)).toContain('No one needs attention for this');
  });

  it('says what is wrong with a bad filter and shows everyone', async () => {
    await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Lee' });
    const page = text((await browser.get('/caseload?alert=nonsense')).body);
    expect(page).toContain('There is a problem');
    expect(page).toContain('Ann Lee');
  });

  it('gives the daily digest the same alerts, with initials only', async () => {
    const ann = await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Lee' });
    await log(pat, ann.id, '2026-11-01T10:00:00Z');
    expect(await digestAlerts(t.db, pat.id, t.clock.now())).toEqual([{ initials: 'A.L.', message: 'No contact for 24 days' }]);
  });
});

describe('team caseload for a manager', () => {
  it("shows the team's counts and one practitioner's caseload when filtered", async () => {
    const { browser } = await signedInAs(t, 'manager', north);
    const pat = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north, name: 'Pat Green' });
    const sam = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north, name: 'Sam Jones' });
    await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Lee' });
    await makeParticipant(t.db, t.deps, sam, { givenName: 'Bob', familyName: 'Ray' });
    const all = text((await browser.get('/caseload')).body);
    expect(all).toContain('Team caseload');
    expect(all).toContain('Pat Green');
    expect(all).toContain('1 of 20');
    expect(all).toContain('Ann Lee');
    expect(all).toContain('Bob Ray');
    expect(all).toContain('Practitioner Sam Jones');
    const one = text((await browser.get(`/caseload?practitioner_id=${sam.id}`)).body);
    expect(one).toContain('Sam Jones: 1 of 20 people on their caseload');
    expect(one).toContain('Bob Ray');
    expect(one).not.toContain('Ann Lee');
  });

  it("shows another team's manager nothing of this team", async () => {
    const pat = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north, name: 'Pat Green' });
    await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Lee' });
    const { browser } = await signedInAs(t, 'manager', south);
    const page = text((await browser.get(`/caseload?practitioner_id=${pat.id}`)).body);
    expect(page).not.toContain('Ann Lee');
    expect(page).not.toContain('Pat Green');
    // Not even how many people another team's practitioner holds.
    expect(page).not.toContain('1 of 20');
  });
});

describe('the team dashboard', () => {
  let manager: Browser;
  let pat: User;
  let sam: User;
  beforeEach(async () => {
    ({ browser: manager } = await signedInAs(t, 'manager', north));
    pat = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north, name: 'Pat Green' });
    sam = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north, name: 'Sam Jones' });
  });

  /** Pat: 4 contacts in the last four weeks (3 face to face, 1 out of hours, 2 with employers), 1 before them. */
  async function patsMonth() {
    const ann = await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Lee' });
    const bob = await makeParticipant(t.db, t.deps, pat, { givenName: 'Bob', familyName: 'Ray' });
    await log(pat, ann.id, '2026-11-02T10:00:00Z');
    await log(pat, ann.id, '2026-11-09T10:00:00Z', { purpose: 'employer_contact' });
    await log(pat, ann.id, '2026-11-14T10:00:00Z', { purpose: 'employer_contact' }); // a Saturday
    await log(pat, ann.id, '2026-11-24T10:00:00Z', { mode: 'phone', place: 'remote' });
    await log(pat, bob.id, '2026-10-01T10:00:00Z');
    return { ann, bob };
  }

  /** The responsive table's cells of the row that starts with `name`, as text. */
  function rowText(html: string, name: string): string {
    const rows = html.split('<tr').filter((r) => r.includes(name));
    return text(rows[0] ?? '');
  }

  it("shows each practitioner's figures for the last four weeks and the team's totals", async () => {
    await patsMonth();
    const res = await manager.get('/team-dashboard');
    expect(res.statusCode).toBe(200);
    const page = text(res.body);
    expect(page).toContain('from 29 October 2026 to 25 November 2026');
    const patRow = rowText(res.body, 'Pat Green');
    expect(patRow).toContain('2 of 20');
    expect(patRow).toContain('Contacts a week 1.0');
    expect(patRow).toContain('Face to face 75%');
    expect(patRow).toContain('Out of hours 25%');
    expect(patRow).toContain('Employer contacts a week 0.5');
    expect(patRow).toContain('No contact for 14 days 1 ');
    const samRow = rowText(res.body, 'Sam Jones');
    expect(samRow).toContain('0 of 20');
    expect(samRow).toContain('Face to face No contacts');
    expect(res.body).toContain(`href="/caseload?practitioner_id=${sam.id}"`);
    const totals = rowText(res.body, 'Team total');
    expect(totals).toContain('2 of 40');
    expect(totals).toContain('Out of hours 25%');
  });

  it('counts only the contacts in the chosen date range', async () => {
    await patsMonth();
    const res = await manager.get('/team-dashboard?from=2026-10-01&to=2026-11-09');
    const patRow = rowText(res.body, 'Pat Green');
    expect(text(res.body)).toContain('from 1 October 2026 to 9 November 2026');
    // 3 contacts in 40 days (5.7 weeks): 2 face to face and 1 with an employer, none out of hours.
    expect(patRow).toContain('Contacts a week 0.5');
    expect(patRow).toContain('Out of hours 0%');
    expect(patRow).toContain('Face to face 100%');
  });

  it('refuses a range that ends before it starts, showing the last four weeks instead', async () => {
    const res = await manager.get('/team-dashboard?from=2026-11-10&to=2026-11-01');
    const page = text(res.body);
    expect(page).toContain('There is a problem');
    expect(page).toContain('End date must be the same as or after the start date');
    expect(page).toContain('from 29 October 2026 to 25 November 2026');
  });

  it('links each figure to the list behind it', async () => {
    const { bob } = await patsMonth();
    const res = await manager.get('/team-dashboard');
    const range = 'from=2026-10-29&to=2026-11-25';
    const ooh = `/team-dashboard/contacts?${range}&amp;practitioner_id=${pat.id}&amp;kind=out_of_hours`.replace('&to', '&amp;to');
    expect(res.body).toContain(`href="${ooh}"`);
    expect(res.body).toContain(`href="/team-dashboard/not-seen?practitioner_id=${pat.id}"`);
    expect(res.body).toContain(`href="/caseload?practitioner_id=${pat.id}"`);

    const list = await manager.get(`/team-dashboard/contacts?${range}&practitioner_id=${pat.id}&kind=out_of_hours`);
    expect(list.statusCode).toBe(200);
    const listText = text(list.body);
    expect(listText).toContain('Out-of-hours contacts');
    expect(listText).toContain('1 contact');
    expect(listText).toContain('14 Nov 2026, 10:00');
    expect(listText).toContain('Ann Lee');

    const all = text((await manager.get(`/team-dashboard/contacts?${range}`)).body);
    expect(all).toContain('4 contacts');

    const notSeen = await manager.get(`/team-dashboard/not-seen?practitioner_id=${pat.id}`);
    const notSeenText = text(notSeen.body);
    expect(notSeenText).toContain('People with no contact for 14 days');
    expect(notSeenText).toContain('Bob Ray');
    expect(notSeenText).not.toContain('Ann Lee');
    expect(notSeen.body).toContain(`href="/participants/${bob.id}/contacts/new"`);
  });

  it("lets a practitioner see their own team's figures", async () => {
    await patsMonth();
    const { browser } = await signedInAs(t, 'practitioner', north);
    const res = await browser.get('/team-dashboard');
    expect(res.statusCode).toBe(200);
    expect(rowText(res.body, 'Pat Green')).toContain('Out of hours 25%');
    expect(res.body).toContain(`href="/participants?practitioner_id=${pat.id}"`);
    expect(text((await browser.get(`/team-dashboard/not-seen?practitioner_id=${pat.id}`)).body)).toContain('Bob Ray');
  });

  it("shows another team's manager nothing of this team", async () => {
    await patsMonth();
    const { browser } = await signedInAs(t, 'manager', south);
    const page = text((await browser.get('/team-dashboard')).body);
    expect(page).not.toContain('Pat Green');
    expect(page).toContain('There are no active practitioners in your team yet');
    const notSeen = text((await browser.get(`/team-dashboard/not-seen?practitioner_id=${pat.id}`)).body);
    expect(notSeen).not.toContain('Bob Ray');
    expect(notSeen).toContain('That practitioner is not in your team');
    const list = text(
      (await browser.get(`/team-dashboard/contacts?practitioner_id=${pat.id}&from=2026-10-01&to=2026-11-25`)).body,
    );
    expect(list).toContain('0 contacts');
    expect(list).not.toContain('Ann Lee');
  });
});

describe('who may see the dashboards', () => {
  it.each(['admin', 'commissioner', 'clinician'] as const)('refuses a %s with 403', async (role) => {
    const { browser } = await signedInAs(t, role, north);
    for (const url of ['/caseload', '/team-dashboard', '/team-dashboard/not-seen', '/team-dashboard/contacts']) {
      expect((await browser.get(url)).statusCode).toBe(403);
    }
  });

  it('offers the caseload and the team dashboard in the navigation to practitioners and managers', async () => {
    const { browser } = await signedInAs(t, 'manager', north);
    const home = await browser.get('/');
    expect(home.body).toContain('href="/caseload"');
    expect(home.body).toContain('href="/team-dashboard"');
  });
});

// ---- Employer contacts: the job-search alert and the job development section -------------------

describe('employer contacts on the dashboards', () => {
  let pat: User;
  let employerId: string;
  beforeEach(async () => {
    pat = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north, name: 'Pat Green' });
    employerId = (await makeEmployer(t.db, t.deps, pat, { name: 'Northern Bakery' })).id;
  });

  /** A face-to-face contact in the employer contact log, by Pat unless told otherwise. */
  const employerContact = (contactedAt: string, overrides: Partial<EmployerContactsTable> = {}) =>
    insertEmployerContact(t.db, t.deps, employerId, pat.id, contactedAt, overrides);
  const employerContactWithPerson = (participantId: string, startedAt: string) =>
    log(pat, participantId, startedAt, { purpose: 'employer_contact' });

  it('counts an employer contact on the person’s behalf against the job-search alert, but not a deleted one or one for someone else', async () => {
    const ann = await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Lee' });
    const bob = await makeParticipant(t.db, t.deps, pat, { givenName: 'Bob', familyName: 'Ray' });
    await moveTo(pat, ann.id, ['engaged', 'job_search']);
    // 35 days in job search, with a recent contact so that no other alert shows.
    t.clock.set('2026-12-30T12:00:00Z');
    const browser = new Browser(t.app);
    await browser.signIn(pat.email);
    await log(pat, ann.id, '2026-12-29T10:00:00Z', { purpose: 'job_search' });
    const alert = 'In job search for 35 days with no employer contact on their behalf';
    expect(text((await browser.get('/caseload')).body)).toContain(alert);

    await employerContact('2026-12-20T10:00:00.000Z', { participant_id: bob.id });
    await employerContact('2026-12-20T11:00:00.000Z', { participant_id: ann.id, deleted_at: '2026-12-21T09:00:00.000Z' });
    expect(text((await browser.get('/caseload')).body)).toContain(alert);

    // Only an employer contact on her behalf 10 days ago: no alert.
    await employerContact('2026-12-20T14:00:00.000Z', { participant_id: ann.id, mode: 'phone', face_to_face: 0 });
    expect(text((await browser.get('/caseload')).body)).not.toContain('with no employer contact on their behalf');
  });

  describe('job development on the team dashboard', () => {
    let manager: Browser;
    let sam: User;
    beforeEach(async () => {
      ({ browser: manager } = await signedInAs(t, 'manager', north));
      sam = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north, name: 'Sam Jones' });
    });

    /** The job development card of one practitioner, as text. */
    function cardText(html: string, name: string): string {
      const section = html.slice(html.indexOf('id="job-development"'));
      return text(section.split('<li>').find((c) => c.includes(name)) ?? '');
    }

    it('shows each practitioner’s employer contacts for this week and the 3 before, against the target, in words', async () => {
      const ann = await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Lee' });
      // This week (from Monday 23 November): 4 face to face in the employer log, 1 by phone, and 2
      // face-to-face employer contacts logged with Ann: 7 contacts, 6 face to face.
      await employerContact('2026-11-23T00:30:00.000Z'); // Monday 00:30
      await employerContact('2026-11-23T14:00:00.000Z');
      await employerContact('2026-11-24T09:00:00.000Z', { mode: 'event' });
      await employerContact('2026-11-25T08:00:00.000Z', { participant_id: ann.id });
      await employerContact('2026-11-25T09:00:00.000Z', { mode: 'phone', face_to_face: 0 });
      await employerContactWithPerson(ann.id, '2026-11-24T11:00:00Z');
      await employerContactWithPerson(ann.id, '2026-11-24T15:00:00Z');
      // Other work this week that is not an employer contact, and a deleted one: not counted.
      await log(pat, ann.id, '2026-11-24T16:00:00Z', { purpose: 'job_search' });
      await employerContact('2026-11-24T17:00:00.000Z', { deleted_at: '2026-11-24T18:00:00.000Z' });
      // Last week: Sunday 22 November at 23:30 is the end of the week from 16 November.
      await employerContact('2026-11-22T23:30:00.000Z');
      // Three weeks before this one, and four (too old to show).
      await log(pat, ann.id, '2026-11-02T10:00:00Z', { purpose: 'employer_contact', mode: 'phone', place: 'remote' });
      await employerContact('2026-11-01T10:00:00.000Z');

      const res = await manager.get('/team-dashboard');
      expect(res.statusCode).toBe(200);
      expect(text(res.body)).toContain('The target is 6 face-to-face employer contacts a week for each practitioner');
      const patCard = cardText(res.body, 'Pat Green');
      expect(patCard).toContain('This week, from 23 November 2026 7 employer contacts, 6 face to face At or above the target');
      expect(patCard).toContain('Week from 16 November 2026 1 employer contact, 1 face to face Below the target');
      expect(patCard).toContain('Week from 9 November 2026 0 employer contacts, 0 face to face Below the target');
      expect(patCard).toContain('Week from 2 November 2026 1 employer contact, 0 face to face Below the target');
      expect(patCard).not.toContain('26 October');
      expect(cardText(res.body, 'Sam Jones')).toContain(
        'This week, from 23 November 2026 0 employer contacts, 0 face to face Below the target so far',
      );
    });

    it('follows the target in the settings', async () => {
      await settings.updateSettings(t.db, t.deps, SYSTEM_CONTEXT, { employerFaceToFaceTarget: 1 });
      await employerContact('2026-11-24T09:00:00.000Z', { practitioner_id: sam.id });
      const res = await manager.get('/team-dashboard');
      expect(text(res.body)).toContain('The target is 1 face-to-face employer contact a week');
      expect(cardText(res.body, 'Sam Jones')).toContain('1 employer contact, 1 face to face At or above the target');
      expect(cardText(res.body, 'Pat Green')).toContain('0 employer contacts, 0 face to face Below the target so far');
    });

    it('shows a practitioner their team’s section, and another team nothing of it', async () => {
      await employerContact('2026-11-24T09:00:00.000Z');
      const { browser: colleague } = await signedInAs(t, 'practitioner', north);
      expect(cardText((await colleague.get('/team-dashboard')).body, 'Pat Green')).toContain(
        '1 employer contact, 1 face to face',
      );
      const { browser: other } = await signedInAs(t, 'manager', south);
      const page = text((await other.get('/team-dashboard')).body);
      expect(page).not.toContain('Pat Green');
      expect(page).toContain('When practitioners join your team, their employer contacts will show here');
    });
  });
});

describe('Access to Work alerts', () => {
  let pat: User;
  let browser: Browser;
  beforeEach(async () => {
    pat = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north, name: 'Pat Green' });
    browser = new Browser(t.app);
    await browser.signIn(pat.email);
  });

  /** A job coach award of the person's, 2 hours a week at £20 an hour. */
  async function award(participantId: string, startDate: string, endDate: string) {
    return atw.createAward(t.db, t.deps, SYSTEM_CONTEXT, v(pat), participantId, {
      supportKind: 'job_coach',
      startDate,
      endDate,
      hoursPerWeek: 2,
      hoursTotal: null,
      hourlyRatePence: 2000,
      totalAmountPence: null,
      employerContributionPence: null,
      applicationId: null,
      placementId: null,
      coachUserId: null,
      reference: 'ATW-1',
      notes: null,
      renewsAwardId: null,
    });
  }

  async function on(day: string, who: Browser, email: string) {
    t.clock.set(`${day}T10:00:00Z`);
    await who.signIn(email);
  }

  it('shows the renewal alert on the caseload and team dashboards exactly 84 days before the award ends, and not the day before', async () => {
    const ann = await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Lee' });
    const a = await award(ann.id, '2026-03-02', '2027-03-01');
    const manager = await makeUser(t.db, t.deps, { role: 'manager', teamId: north });
    const boss = new Browser(t.app);
    const renewal = 'Access to Work renewal: Ann Lee’s job coach award ends on 1 March 2027 — apply to renew now';

    // 1 March 2027 − 85 days = 6 December 2026.
    await on('2026-12-06', browser, pat.email);
    expect(text((await browser.get('/caseload')).body)).not.toContain('Access to Work renewal');
    await boss.signIn(manager.email);
    expect(text((await boss.get('/team-dashboard')).body)).not.toContain('Access to Work renewal');

    await on('2026-12-07', browser, pat.email);
    const page = await browser.get('/caseload');
    expect(text(page.body)).toContain(renewal);
    expect(page.body).toContain(`href="/participants/${ann.id}/access-to-work/awards/${a.id}"`);
    await boss.signIn(manager.email);
    const team = await boss.get('/team-dashboard');
    expect(text(team.body)).toContain(renewal);
    expect(team.body).toContain(`href="/participants/${ann.id}/access-to-work/awards/${a.id}"`);
  });

  it('follows the renewal weeks in the settings', async () => {
    const ann = await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Lee' });
    await award(ann.id, '2026-03-02', '2027-03-01');
    await settings.updateSettings(t.db, t.deps, SYSTEM_CONTEXT, { atwRenewalWeeks: 16 });
    // 16 weeks (112 days) before 1 March 2027 is 9 November 2026, before today (25 November).
    expect(text((await browser.get('/caseload')).body)).toContain('Access to Work renewal: Ann Lee’s job coach award ends on');
  });

  it('shows support charged in a past month and not yet claimed, and warns more strongly once it is past the claim limit', async () => {
    const ann = await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Lee' });
    await award(ann.id, '2026-01-05', '2027-12-31');
    const support = { purpose: 'in_work_support' as const, place: 'workplace' as const };
    await log(pat, ann.id, '2026-10-14T09:00:00Z', { ...support, durationMinutes: 240 });
    await log(pat, ann.id, '2026-10-21T09:00:00Z', { ...support, durationMinutes: 150 });
    await log(pat, ann.id, '2026-01-20T09:00:00Z', { ...support, durationMinutes: 60 });
    // This month's support is not yet due for a claim.
    await log(pat, ann.id, '2026-11-20T09:00:00Z', { ...support, durationMinutes: 60 });

    const page = text((await browser.get('/caseload')).body);
    expect(page).toContain('Access to Work not claimed: Ann Lee, October 2026, 6.50 hours. Claim it');
    expect(page).toContain('Support past the claim limit');
    expect(page).toContain(
      'Access to Work not claimed: Ann Lee, January 2026, 1.00 hours — past the 9-month claim limit: claim now or the money may be lost',
    );
    expect(page).not.toContain('November 2026, 1.00 hours');
    expect(page).not.toContain('October 2026, 6.50 hours — past');

    const manager = await makeUser(t.db, t.deps, { role: 'manager', teamId: north });
    const boss = new Browser(t.app);
    await boss.signIn(manager.email);
    expect(text((await boss.get('/team-dashboard')).body)).toContain(
      'Access to Work not claimed: Ann Lee, October 2026, 6.50 hours',
    );
  });

  it('shows a practitioner only their own people, and another team’s manager nothing', async () => {
    const colleague = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north });
    const ann = await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Lee' });
    await award(ann.id, '2026-03-02', '2027-01-31');
    const other = new Browser(t.app);
    await other.signIn(colleague.email);
    expect(text((await other.get('/caseload')).body)).not.toContain('Access to Work');
    expect(text((await browser.get('/caseload')).body)).toContain('Access to Work renewal: Ann Lee’s');
    const { browser: south1 } = await signedInAs(t, 'manager', south);
    const page = text((await south1.get('/team-dashboard')).body);
    expect(page).not.toContain('Ann Lee');
    expect(page).toContain('No Access to Work award needs renewing and no support is waiting to be claimed');
  });
});
