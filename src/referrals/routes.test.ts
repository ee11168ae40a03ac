import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, type ErrorBody, signedInAs, type TestApp } from '../../test/test-app.ts';
import { makeParticipant, makeReferral, makeTeam, makeTokenUser } from '../../test/factories.ts';
import * as participants from '../participants/service.ts';
import type { User } from '../users/service.ts';
import * as referrals from './service.ts';

// The test clock stands at 2026-11-25 10:00 UTC (10:00 in London).

let t: TestApp;
let north: string;
let south: string;
let cmht: string;
let pat: User;
let patBrowser: Browser;

beforeEach(async () => {
  t = await createTestApp();
  north = (await makeTeam(t.db, t.deps, 'North IPS')).id;
  south = (await makeTeam(t.db, t.deps, 'South IPS')).id;
  cmht = (await makeTeam(t.db, t.deps, 'Riverside CMHT')).id;
  ({ browser: patBrowser, user: pat } = await signedInAs(t, 'practitioner', north));
});
afterEach(async () => {
  await t.close();
});

const asViewer = (u: User) => participants.viewerOf({ userId: u.id, role: u.role, teamId: u.teamId });

function dateFields(name: string, iso: string): Record<string, string> {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { [`${name}[day]`]: day, [`${name}[month]`]: month, [`${name}[year]`]: year };
}

function intakeForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    source: 'clinical_team',
    referrer_name: 'Dr Ama Boateng',
    referrer_organisation: 'Riverside CMHT',
    referrer_contact: '01632 960000',
    clinical_team_id: cmht,
    care_coordinator: 'Jo Care',
    ...dateFields('received_date', '2026-11-20'),
    what_they_want: 'A job outdoors, mornings only',
    in_work_at_referral: 'no',
    notes: 'Best to call after 11am',
    given_name: 'Rosa',
    family_name: `Okafor${Math.random().toString(36).slice(2, 8)}`,
    preferred_name: '',
    ...dateFields('date_of_birth', '1990-03-31'),
    nhs_number: '',
    phone: '07700 900123',
    programme: 'ips',
    ...overrides,
  };
}

/** Posts the intake and returns the new person's id from the redirect. */
async function intake(overrides: Record<string, string> = {}, browser = patBrowser): Promise<string> {
  const res = await browser.post('/referrals', intakeForm(overrides));
  expect(res.statusCode, res.body).toBe(302);
  const m = /^\/participants\/([0-9a-f-]{36})\/referrals\?done=created$/.exec(String(res.headers.location));
  expect(m).not.toBeNull();
  return m![1]!;
}

async function onlyReferral(participantId: string): Promise<referrals.Referral> {
  const list = await referrals.listReferrals(t.db, t.deps, asViewer(pat), participantId);
  return list[0]!;
}

async function auditDetails(action: string): Promise<string[]> {
  const rows = await t.db.selectFrom('audit_events').select('details').where('action', '=', action).execute();
  return rows.map((r) => r.details ?? '');
}

describe('new referral (intake)', () => {
  it('shows the intake form with today as the date received', async () => {
    const res = await patBrowser.get('/referrals/new');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('New referral');
    expect(res.body).toContain('Who made the referral?');
    expect(res.body).toMatch(/name="received_date\[day\]"[^>]*value="25"/);
    expect(res.body).toContain('Riverside CMHT');
  });

  it('creates the person and their first referral, accepted on the date received', async () => {
    const id = await intake({ given_name: 'Rosa' });
    const page = await patBrowser.get(`/participants/${id}/referrals?done=created`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Referral saved');
    expect(page.body).toContain('Episode 1: received 20 November 2026');
    expect(page.body).toContain('Dr Ama Boateng, Riverside CMHT');
    expect(page.body).toContain('A job outdoors, mornings only');
    const referral = await onlyReferral(id);
    expect(referral).toMatchObject({
      source: 'clinical_team',
      clinicalTeamId: cmht,
      receivedDate: '2026-11-20',
      acceptedDate: '2026-11-20',
      status: 'open',
      inWorkAtReferral: false,
    });
    const person = await participants.loadVisible(t.db, asViewer(pat), id);
    expect(person).toMatchObject({ givenName: 'Rosa', status: 'referred', practitionerId: pat.id, teamId: north });
  });

  it('writes referral.created and referral.viewed to the audit trail without the notes', async () => {
    const id = await intake({ notes: 'Private note about the person' });
    await patBrowser.get(`/participants/${id}/referrals`);
    const created = await auditDetails('referral.created');
    expect(created).toHaveLength(1);
    expect(created[0]).toContain('"source":"clinical_team"');
    expect(await auditDetails('referral.viewed')).toHaveLength(1);
    const all = await t.db.selectFrom('audit_events').select('details').execute();
    expect(all.map((r) => r.details ?? '').join('\n')).not.toMatch(/Private note|mornings only|after 11am/);
  });

  it('shows every problem beside its field and keeps everything typed', async () => {
    const res = await patBrowser.post(
      '/referrals',
      intakeForm({ source: '', nhs_number: '943 476 5918', given_name: 'Keep Me', ...dateFields('received_date', '2026-02-31') }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Select where the referral came from');
    expect(res.body).toContain('Enter a valid NHS number');
    expect(res.body).toContain('Date received must be a real date');
    expect(res.body).toContain('value="Keep Me"');
    expect(res.body).toContain('value="943 476 5918"');
    expect(res.body).toContain('A job outdoors, mornings only');
    expect(await t.db.selectFrom('participants').select('id').execute()).toEqual([]);
  });

  it('refuses a date received in the future', async () => {
    const res = await patBrowser.post('/referrals', intakeForm(dateFields('received_date', '2026-11-26')));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Date received must be today or in the past');
  });

  it('records a job-retention referral', async () => {
    const id = await intake({ in_work_at_referral: 'yes', source: 'self', referrer_name: '', clinical_team_id: '' });
    expect(await onlyReferral(id)).toMatchObject({ inWorkAtReferral: true, source: 'self', clinicalTeamId: null });
  });
});

describe('zero exclusion', () => {
  it('accepts a referral that mentions convictions, psychosis, ESA and "not ready for work" exactly like any other', async () => {
    const plainId = await intake({ notes: 'Likes early starts' });
    const flaggedId = await intake({
      notes: 'unspent convictions, psychosis diagnosis, on ESA, referrer says not ready for work',
    });
    const plain = await onlyReferral(plainId);
    const flagged = await onlyReferral(flaggedId);
    for (const key of ['status', 'receivedDate', 'acceptedDate', 'firstContactOverdue', 'daysToFirstContact'] as const) {
      expect(flagged[key]).toEqual(plain[key]);
    }
    expect((await participants.loadVisible(t.db, asViewer(pat), flaggedId)).status).toBe('referred');
    const page = await patBrowser.get(`/participants/${flaggedId}/referrals?done=created`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Referral saved');
    expect(page.body).not.toContain('nhsuk-warning-callout');
    expect(page.body).not.toContain('nhsuk-tag--red');
  });

  it('asks nothing about diagnosis, convictions, health, benefits or readiness', async () => {
    const res = await patBrowser.get('/referrals/new');
    const names = [...res.body.matchAll(/name="([^"]+)"/g)].map((m) => m[1]!);
    expect(names).toContain('source');
    expect(names.filter((n) => /diagnos|convict|offen|health|benefit|ready|readiness|risk|eligib|exclu|score/i.test(n))).toEqual(
      [],
    );
  });
});

describe('possible duplicates', () => {
  it('shows the possible duplicate, and adds the referral to the existing record or creates a different person', async () => {
    const form = { given_name: 'Dana', family_name: 'Whitfield', nhs_number: '943 476 5919' };
    const firstId = await intake(form);

    const again = await patBrowser.post('/referrals', intakeForm(form));
    expect(again.statusCode).toBe(422);
    expect(again.body).toContain('This person may already have a record');
    expect(again.body).toContain('Add this referral to the record of Dana Whitfield');
    expect(again.body).toContain('943 476 5919');

    // Still open, so a second referral is refused with the reason.
    const onExisting = await patBrowser.post('/referrals', intakeForm({ ...form, duplicate_choice: firstId }));
    expect(onExisting.statusCode).toBe(422);
    expect(onExisting.body).toContain('already has an open referral, received on 20 November 2026');

    const asNew = await patBrowser.post('/referrals', intakeForm({ ...form, duplicate_choice: 'new' }));
    expect(asNew.statusCode).toBe(302);
    expect(String(asNew.headers.location)).not.toContain(firstId);
  });

  it('re-refers a discharged person found as a duplicate', async () => {
    const form = { given_name: 'Eli', family_name: 'Marsh', nhs_number: '943 476 5919' };
    const id = await intake(form);
    const r = await onlyReferral(id);
    await referrals.closeReferral(
      t.db,
      t.deps,
      { actorUserId: pat.id, actorLabel: null, clientAddress: null, requestId: null },
      asViewer(pat),
      id,
      r.id,
      r.version,
      'person_choice',
    );
    const res = await patBrowser.post('/referrals', intakeForm({ ...form, duplicate_choice: id }));
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/participants/${id}/referrals?done=re-referred`);
    expect(await referrals.listReferrals(t.db, t.deps, asViewer(pat), id)).toHaveLength(2);
  });
});

describe('closing a referral', () => {
  async function attempt(id: string, date: string, time: string) {
    const r = await onlyReferral(id);
    return patBrowser.post(`/participants/${id}/referrals/${r.id}/contact-attempts`, {
      ...dateFields('attempt_date', date),
      attempt_time: time,
      method: 'phone',
      attempt_note: 'Voicemail',
      version: String(r.version),
    });
  }

  async function close(id: string, reason: string, confirm: boolean) {
    const r = await onlyReferral(id);
    return patBrowser.post(`/participants/${id}/referrals/${r.id}/close`, {
      close_reason: reason,
      close_note: 'Tried phone and letter',
      version: String(r.version),
      ...(confirm ? { confirm: 'yes' } : {}),
    });
  }

  it('refuses "no contact" until three attempts on two days are recorded, then closes and discharges', async () => {
    const id = await intake();
    const r = await onlyReferral(id);
    const closePage = await patBrowser.get(`/participants/${id}/referrals/${r.id}/close`);
    expect(closePage.statusCode).toBe(200);
    expect(closePage.body).toContain('at least 3 failed contact attempts, on at least 2 different days');

    expect((await close(id, 'no_contact', false)).statusCode).toBe(422);

    expect((await attempt(id, '2026-11-21', '09:15')).statusCode).toBe(302);
    expect((await attempt(id, '2026-11-21', '16:40')).statusCode).toBe(302);
    const twoAttempts = await close(id, 'no_contact', true);
    expect(twoAttempts.statusCode).toBe(422);
    expect(twoAttempts.body).toContain('So far 2 attempts have been recorded, on 1 day');

    expect((await attempt(id, '2026-11-24', '10:00')).statusCode).toBe(302);
    const confirm = await close(id, 'no_contact', false);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Are you sure you want to close this referral?');
    expect((await onlyReferral(id)).status).toBe('open');

    const done = await close(id, 'no_contact', true);
    expect(done.statusCode).toBe(302);
    expect(done.headers.location).toBe(`/participants/${id}/referrals?done=closed`);
    const page = await patBrowser.get(`/participants/${id}/referrals`);
    expect(page.body).toContain('No contact after repeated attempts');
    expect(page.body).toContain('21 November 2026, 09:15');
    expect(page.body).toContain('Re-refer');
    expect(await onlyReferral(id)).toMatchObject({ status: 'closed', closeReason: 'no_contact', closedDate: '2026-11-25' });
    expect((await participants.loadVisible(t.db, asViewer(pat), id)).status).toBe('discharged');
    const history = await participants.statusHistory(t.db, id);
    expect(history[0]).toMatchObject({ toStatus: 'discharged', reason: 'Referral closed: no contact after repeated attempts' });
    const closed = await auditDetails('referral.closed');
    expect(closed[0]).toContain('"close_reason":"no_contact"');
    expect(closed[0]).not.toContain('Tried phone');
    expect(await auditDetails('referral.contact_attempt_recorded')).toHaveLength(3);
  });

  it('closes for the person’s own choice without any attempts', async () => {
    const id = await intake();
    expect((await close(id, 'person_choice', true)).statusCode).toBe(302);
    expect((await onlyReferral(id)).closeReason).toBe('person_choice');
  });

  it('refuses a stale version and keeps the referral open', async () => {
    const id = await intake();
    const r = await onlyReferral(id);
    await attempt(id, '2026-11-21', '09:15');
    const res = await patBrowser.post(`/participants/${id}/referrals/${r.id}/close`, {
      close_reason: 'person_choice',
      version: String(r.version),
      confirm: 'yes',
    });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Someone else changed this referral');
    expect((await onlyReferral(id)).status).toBe('open');
  });
});

describe('re-referral', () => {
  it('starts a new episode for a discharged person and keeps the old one', async () => {
    const id = await intake();
    const first = await onlyReferral(id);
    await referrals.closeReferral(
      t.db,
      t.deps,
      { actorUserId: pat.id, actorLabel: null, clientAddress: null, requestId: null },
      asViewer(pat),
      id,
      first.id,
      first.version,
      'person_choice',
    );

    const form = await patBrowser.get(`/participants/${id}/referrals/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('A new episode starts');
    const person = await participants.loadVisible(t.db, asViewer(pat), id);
    const res = await patBrowser.post(`/participants/${id}/referrals`, {
      source: 'self',
      ...dateFields('received_date', '2026-11-25'),
      in_work_at_referral: 'no',
      what_they_want: 'Ready to try again',
      version: String(person.version),
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/participants/${id}/referrals?done=re-referred`);

    const page = await patBrowser.get(String(res.headers.location));
    expect(page.body).toContain('Re-referral saved');
    expect(page.body).toContain('Episode 2: received 25 November 2026');
    expect(page.body).toContain('Episode 1: received 20 November 2026');
    expect(page.body.indexOf('Episode 2')).toBeLessThan(page.body.indexOf('Episode 1'));
    const list = await referrals.listReferrals(t.db, t.deps, asViewer(pat), id);
    expect(list.map((r) => r.status)).toEqual(['open', 'closed']);
    expect((await participants.loadVisible(t.db, asViewer(pat), id)).status).toBe('referred');

    // A second one while this episode is open is refused with the reason.
    const again = await patBrowser.post(`/participants/${id}/referrals`, {
      source: 'self',
      ...dateFields('received_date', '2026-11-25'),
      in_work_at_referral: 'no',
      version: String((await participants.loadVisible(t.db, asViewer(pat), id)).version),
    });
    expect(again.statusCode).toBe(422);
    expect(again.body).toContain('already has an open referral');
  });

  it('ends an episode left open when the person was discharged another way', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await makeReferral(t.db, t.deps, pat, p.id, { receivedDate: '2026-11-01' });
    const current = await participants.loadEditable(t.db, asViewer(pat), p.id);
    await participants.changeStatus(
      t.db,
      t.deps,
      { actorUserId: pat.id, actorLabel: null, clientAddress: null, requestId: null },
      asViewer(pat),
      p.id,
      current.version,
      'discharged',
      'Moved away',
    );
    await makeReferral(t.db, t.deps, pat, p.id, { receivedDate: '2026-11-25' });
    const list = await referrals.listReferrals(t.db, t.deps, asViewer(pat), p.id);
    expect(list.map((r) => [r.status, r.closedDate])).toEqual([
      ['open', null],
      ['ended', '2026-11-25'],
    ]);
  });
});

describe('days to first contact', () => {
  async function withFirstContact(received: string, contacted: string): Promise<string> {
    const id = await intake(dateFields('received_date', received));
    const r = await onlyReferral(id);
    const res = await patBrowser.post(`/participants/${id}/referrals/${r.id}/first-contact`, {
      ...dateFields('first_contact_date', contacted),
      version: String(r.version),
    });
    expect(res.statusCode, res.body).toBe(302);
    return id;
  }

  it('flags 8 days as over the 7-day target', async () => {
    const id = await withFirstContact('2026-11-10', '2026-11-18');
    const page = await patBrowser.get(`/participants/${id}/referrals`);
    expect(page.body).toContain('8 days');
    expect(page.body).toContain('Over 7-day target');
    expect(await onlyReferral(id)).toMatchObject({ daysToFirstContact: 8, firstContactOverdue: true });
    expect(await auditDetails('referral.first_contact_recorded')).toEqual([expect.stringContaining('"days_to_first_contact":8')]);
  });

  it('does not flag 6 days', async () => {
    const id = await withFirstContact('2026-11-19', '2026-11-25');
    const page = await patBrowser.get(`/participants/${id}/referrals`);
    expect(page.body).toContain('6 days');
    expect(page.body).toContain('Within target');
    expect(page.body).not.toContain('Over 7-day target');
  });

  it('counts to today while no contact has been made', async () => {
    const id = await intake(dateFields('received_date', '2026-11-15'));
    const page = await patBrowser.get(`/participants/${id}/referrals`);
    expect(page.body).toContain('10 days so far, no contact yet');
    expect(page.body).toContain('Over 7-day target');
  });

  it('refuses a first contact before the referral was received', async () => {
    const id = await intake();
    const r = await onlyReferral(id);
    const res = await patBrowser.post(`/participants/${id}/referrals/${r.id}/first-contact`, {
      ...dateFields('first_contact_date', '2026-11-19'),
      version: String(r.version),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Date of first contact must be on or after the date received');
  });
});

describe('who may see and change referrals', () => {
  it('gives another team 404, commissioner and admin 403, and the referring clinical team read-only', async () => {
    const id = await intake();
    const r = await onlyReferral(id);

    const { browser: sue } = await signedInAs(t, 'practitioner', south);
    expect((await sue.get(`/participants/${id}/referrals`)).statusCode).toBe(404);
    expect(
      (await sue.post(`/participants/${id}/referrals/${r.id}/close`, { close_reason: 'person_choice', version: '1' })).statusCode,
    ).toBe(404);

    const { browser: commissioner } = await signedInAs(t, 'commissioner');
    expect((await commissioner.get(`/participants/${id}/referrals`)).statusCode).toBe(403);
    expect((await commissioner.get('/referrals/new')).statusCode).toBe(403);
    const { browser: admin } = await signedInAs(t, 'admin');
    expect((await admin.get(`/participants/${id}/referrals`)).statusCode).toBe(403);

    const { browser: clinician } = await signedInAs(t, 'clinician', cmht);
    const seen = await clinician.get(`/participants/${id}/referrals`);
    expect(seen.statusCode).toBe(200);
    expect(seen.body).toContain('Episode 1');
    expect(seen.body).not.toContain('Record a contact attempt');
    expect(seen.body).not.toContain('Close this referral');
    expect(
      (await clinician.post(`/participants/${id}/referrals/${r.id}/close`, { close_reason: 'person_choice', version: '1' }))
        .statusCode,
    ).toBe(403);
    expect((await clinician.get('/referrals/new')).statusCode).toBe(403);

    const { browser: otherClinician } = await signedInAs(t, 'clinician', south);
    expect((await otherClinician.get(`/participants/${id}/referrals`)).statusCode).toBe(404);

    const { browser: manager } = await signedInAs(t, 'manager', north);
    expect((await manager.get(`/participants/${id}/referrals`)).body).toContain('Record a contact attempt');
  });

  it('shows "New referral" in the navigation to practitioners and managers only', async () => {
    expect((await patBrowser.get('/')).body).toContain('href="/referrals/new"');
    const { browser: clinician } = await signedInAs(t, 'clinician', cmht);
    expect((await clinician.get('/')).body).not.toContain('href="/referrals/new"');
  });
});

describe('referrals API', () => {
  async function api(token: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) {
    return t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  }

  it('lists, adds, records attempts and closes with the version check and the no-contact rule', async () => {
    const { user, token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const p = await makeParticipant(t.db, t.deps, user);
    const base = `/api/v1/participants/${p.id}/referrals`;

    const created = await api(token, 'POST', base, {
      source: 'gp',
      referrer_name: 'Dr Lee',
      clinical_team_id: cmht,
      received_date: '2026-11-10',
      what_they_want: 'Warehouse work',
      in_work_at_referral: false,
    });
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      source: 'gp',
      received_date: '2026-11-10',
      accepted_date: '2026-11-10',
      status: 'open',
      days_to_first_contact: 15,
      first_contact_overdue: true,
      version: 1,
      contact_attempts: [],
    });
    const rid = body.id as string;

    const second = await api(token, 'POST', base, { source: 'self', received_date: '2026-11-20' });
    expect(second.statusCode).toBe(422);
    expect(second.json<ErrorBody>().error).toMatchObject({
      code: 'rule_refused',
      message: expect.stringContaining('open referral') as string,
    });

    const refused = await api(token, 'PATCH', `${base}/${rid}`, { version: 1, close_reason: 'no_contact' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json<ErrorBody>().error.message).toContain('So far 0 attempts');

    let version = 1;
    for (const at of ['2026-11-11T09:00:00Z', '2026-11-11T15:00:00Z', '2026-11-12T09:00:00+00:00']) {
      const res = await api(token, 'POST', `${base}/${rid}/contact-attempts`, { version, attempted_at: at, method: 'phone' });
      expect(res.statusCode, res.body).toBe(201);
      version = res.json<{ version: number }>().version;
    }
    const stale = await api(token, 'PATCH', `${base}/${rid}`, { version: 1, close_reason: 'no_contact' });
    expect(stale.statusCode).toBe(409);

    const closed = await api(token, 'PATCH', `${base}/${rid}`, { version, close_reason: 'no_contact', close_note: 'No reply' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', close_reason: 'no_contact', closed_date: '2026-11-25' });

    const list = await api(token, 'GET', `${base}?limit=1`);
    expect(list.statusCode).toBe(200);
    const page = list.json<{ items: { id: string; contact_attempts: unknown[] }[]; next_cursor: string | null }>();
    expect(page.items).toHaveLength(1);
    expect(page.items[0]!.contact_attempts).toHaveLength(3);
    expect(page.next_cursor).toBeNull();

    // Re-referral after closure starts a second episode; the list pages newest first.
    expect((await api(token, 'POST', base, { source: 'self', received_date: '2026-11-24' })).statusCode).toBe(201);
    const first = (await api(token, 'GET', `${base}?limit=1`)).json<{
      items: { received_date: string }[];
      next_cursor: string;
    }>();
    expect(first.items[0]!.received_date).toBe('2026-11-24');
    const next = (await api(token, 'GET', `${base}?limit=1&cursor=${first.next_cursor}`)).json<{
      items: { received_date: string }[];
      next_cursor: string | null;
    }>();
    expect(next.items[0]!.received_date).toBe('2026-11-10');
    expect(next.next_cursor).toBeNull();
  });

  it('records first contact and accepted dates, and refuses them out of order', async () => {
    const { user, token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const p = await makeParticipant(t.db, t.deps, user);
    const r = await makeReferral(t.db, t.deps, user, p.id, { receivedDate: '2026-11-19' });
    const url = `/api/v1/participants/${p.id}/referrals/${r.id}`;
    const bad = await api(token, 'PATCH', url, { version: 1, first_contact_date: '2026-11-18' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error.fields).toHaveProperty('first_contact_date');
    const ok = await api(token, 'PATCH', url, { version: 1, first_contact_date: '2026-11-25', accepted_date: '2026-11-20' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      days_to_first_contact: 6,
      first_contact_overdue: false,
      accepted_date: '2026-11-20',
      version: 2,
    });
  });

  it('answers 404 to another team and 403 to a commissioner', async () => {
    const { user } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const p = await makeParticipant(t.db, t.deps, user);
    const { token: other } = await makeTokenUser(t.db, t.deps, 'practitioner', south);
    const { token: commissioner } = await makeTokenUser(t.db, t.deps, 'commissioner');
    expect((await api(other, 'GET', `/api/v1/participants/${p.id}/referrals`)).statusCode).toBe(404);
    expect(
      (await api(other, 'POST', `/api/v1/participants/${p.id}/referrals`, { source: 'self', received_date: '2026-11-20' }))
        .statusCode,
    ).toBe(404);
    expect((await api(commissioner, 'GET', `/api/v1/participants/${p.id}/referrals`)).statusCode).toBe(403);
  });
});
