import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, type ErrorBody, signedInAs, type TestApp } from '../../test/test-app.ts';
import { makeContact, makeParticipant, makeTeam, makeTokenUser, makeUser, referFromClinicalTeam } from '../../test/factories.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import { viewerOf } from '../participants/service.ts';
import type { User } from '../users/service.ts';
import * as contacts from './service.ts';
import * as accessToWork from '../access-to-work/service.ts';

// The test clock stands at 2026-11-25 10:00 UTC (10:00 in London, a Wednesday).

let t: TestApp;
let north: string;
let cmht: string;
let pat: User;
let patBrowser: Browser;

beforeEach(async () => {
  t = await createTestApp();
  north = (await makeTeam(t.db, t.deps, 'North IPS')).id;
  cmht = (await makeTeam(t.db, t.deps, 'Riverside CMHT')).id;
  ({ browser: patBrowser, user: pat } = await signedInAs(t, 'practitioner', north));
});
afterEach(async () => {
  await t.close();
});

function contactForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    started_date: '2026-11-25',
    started_time: '09:30',
    duration_minutes: '45',
    mode: 'face_to_face',
    place: 'workplace',
    purpose: 'in_work_support',
    with_whom: 'Line manager',
    notes: 'Talked about the rota.\nAgreed a later start on Mondays.',
    ...overrides,
  };
}

async function auditActions(action: string) {
  return t.db.selectFrom('audit_events').select(['details', 'actor_user_id']).where('action', '=', action).execute();
}

const api = (token: string) => ({ authorization: `Bearer ${token}` });

describe('log a contact (pages)', () => {
  it('opens the form with everything defaulted: now, usual mode and place, 30 minutes, purpose from the status', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const res = await patBrowser.get(`/participants/${p.id}/contacts/new`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Log a contact');
    expect(res.body).toMatch(/name="started_date" type="date" value="2026-11-25"/);
    expect(res.body).toMatch(/name="started_time" type="time" value="10:00"/);
    expect(res.body).toMatch(/name="duration_minutes"[^>]*value="30"/);
    expect(res.body).toMatch(/value="face_to_face" checked/);
    expect(res.body).toMatch(/value="community" checked/);
    // Status "referred": the contact is most likely about engagement.
    expect(res.body).toMatch(/value="engagement" checked/);
    expect(res.body).not.toMatch(/value="yes" checked/);
    expect(res.body).toContain('Share with the clinical team');
  });

  it('remembers the practitioner’s last mode and place, and preselects job search for someone looking for work', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await t.db.updateTable('participants').set({ status: 'job_search' }).where('id', '=', p.id).execute();
    await makeContact(t.db, t.deps, pat, p.id, { mode: 'phone', place: 'remote', durationMinutes: 14 });
    const res = await patBrowser.get(`/participants/${p.id}/contacts/new`);
    expect(res.body).toMatch(/value="phone" checked/);
    expect(res.body).toMatch(/value="remote" checked/);
    expect(res.body).toMatch(/name="duration_minutes"[^>]*value="15"/);
    expect(res.body).toMatch(/value="job_search" checked/);
  });

  it('saves with one tap and goes to the timeline with "Contact logged"', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const form = await patBrowser.get(`/participants/${p.id}/contacts/new`);
    // What the browser would post untouched: the defaults only.
    const defaults = {
      started_date: /name="started_date" type="date" value="([^"]+)"/.exec(form.body)![1]!,
      started_time: /name="started_time" type="time" value="([^"]+)"/.exec(form.body)![1]!,
      duration_minutes: '30',
      mode: 'face_to_face',
      place: 'community',
      purpose: 'engagement',
      with_whom: '',
      notes: '',
    };
    const res = await patBrowser.post(`/participants/${p.id}/contacts`, defaults);
    expect(res.statusCode, res.body).toBe(302);
    expect(res.headers.location).toBe(`/participants/${p.id}/timeline?done=logged`);
    const timeline = await patBrowser.get(String(res.headers.location));
    expect(timeline.body).toContain('Contact logged');
    expect(timeline.body).toContain('Contact: Engagement');
    expect(timeline.body).not.toContain('Out of hours</strong>');
    const row = await t.db.selectFrom('contacts').selectAll().where('participant_id', '=', p.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ started_at: '2026-11-25T10:00:00.000Z', shared_with_clinical_team: 0, practitioner_id: pat.id });
  });

  it('keeps line breaks in the notes and shows them', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const res = await patBrowser.post(`/participants/${p.id}/contacts`, contactForm({ shared_with_clinical_team: 'yes' }));
    expect(res.statusCode).toBe(302);
    const timeline = await patBrowser.get(`/participants/${p.id}/timeline`);
    expect(timeline.body).toMatch(/Talked about the rota\.<br \/>\s*Agreed a later start on Mondays\./);
    expect(timeline.body).toContain('Shared with clinical team');
    expect(timeline.body).toContain('With Line manager');
  });

  it('escapes notes: markup typed in them is shown as text', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await patBrowser.post(`/participants/${p.id}/contacts`, contactForm({ notes: '<script>alert(1)</script>\nsecond' }));
    const timeline = await patBrowser.get(`/participants/${p.id}/timeline`);
    expect(timeline.body).not.toContain('<script>alert(1)</script>');
    expect(timeline.body).toMatch(/&lt;script&gt;alert\(1\)&lt;\/script&gt;<br \/>/);
  });

  it('shows every problem beside its field and keeps everything typed', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const res = await patBrowser.post(
      `/participants/${p.id}/contacts`,
      contactForm({ started_date: '31/02/2026', started_time: '25:00', duration_minutes: '', mode: '', notes: 'Keep me' }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Date of the contact must be a real date');
    expect(res.body).toContain('Enter a time using the 24-hour clock, like 14:30');
    expect(res.body).toContain('Enter how long the contact lasted, in minutes');
    expect(res.body).toContain('Select how the contact happened');
    expect(res.body).toContain('href="#started_date"');
    expect(res.body).toContain('Keep me');
    expect(res.body).toContain('Line manager');
    expect(res.body).toMatch(/value="workplace" checked/);
    expect(await t.db.selectFrom('contacts').selectAll().execute()).toHaveLength(0);
  });

  it('accepts a date typed as DD/MM/YYYY and reads the time as UK time', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const res = await patBrowser.post(
      `/participants/${p.id}/contacts`,
      contactForm({ started_date: '1/7/2026', started_time: '19:30' }),
    );
    expect(res.statusCode).toBe(302);
    const row = await t.db.selectFrom('contacts').selectAll().where('participant_id', '=', p.id).executeTakeFirstOrThrow();
    // 19:30 in London in July (BST) is 18:30 UTC, and after 18:00 is out of hours.
    expect(row.started_at).toBe('2026-07-01T18:30:00.000Z');
    expect(Number(row.out_of_hours)).toBe(1);
  });

  it('preselects the purpose a link asks for, and ignores one that is not a purpose', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const asked = await patBrowser.get(`/participants/${p.id}/contacts/new?purpose=employer_contact`);
    expect(asked.body).toMatch(/value="employer_contact" checked/);
    const junk = await patBrowser.get(`/participants/${p.id}/contacts/new?purpose=gossip`);
    expect(junk.statusCode).toBe(200);
    expect(junk.body).toMatch(/value="engagement" checked/);
  });

  it('is linked from the participant page, with the timeline', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const page = await patBrowser.get(`/participants/${p.id}`);
    expect(page.body).toContain(`href="/participants/${p.id}/contacts/new"`);
    expect(page.body).toContain(`href="/participants/${p.id}/timeline"`);
  });
});

describe('a contact, its changes and deletion (pages)', () => {
  it('shows the contact with Change and Delete for its author', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const c = await makeContact(t.db, t.deps, pat, p.id, { notes: 'First line\nSecond line', withWhom: 'HR adviser' });
    const res = await patBrowser.get(`/participants/${p.id}/contacts/${c.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/First line<br \/>\s*Second line/);
    expect(res.body).toContain('HR adviser');
    expect(res.body).toContain('Change this contact');
    expect(res.body).toContain('Delete this contact');
    expect(res.body).toContain('has not been changed since it was logged');
    expect(await auditActions('contact.viewed')).toHaveLength(1);
  });

  it('edits a contact and keeps the earlier text, with who changed it and when', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const c = await makeContact(t.db, t.deps, pat, p.id, { notes: 'Original words' });
    const form = await patBrowser.get(`/participants/${p.id}/contacts/${c.id}/edit`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Original words');
    expect(form.body).toMatch(/name="version" value="1"/);
    const res = await patBrowser.post(
      `/participants/${p.id}/contacts/${c.id}/edit`,
      contactForm({ started_date: '2026-11-25', started_time: '10:00', notes: 'Better words', version: '1' }),
    );
    expect(res.statusCode, res.body).toBe(302);
    expect(res.headers.location).toBe(`/participants/${p.id}/contacts/${c.id}?done=edited`);
    const page = await patBrowser.get(String(res.headers.location));
    expect(page.body).toContain('Changes saved');
    expect(page.body).toContain('Better words');
    expect(page.body).toContain('Earlier versions');
    expect(page.body).toContain('Original words');
    expect(page.body).toContain(`by ${pat.name}`);
  });

  it('keeps what was typed and says so when someone else changed the contact first', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const c = await makeContact(t.db, t.deps, pat, p.id, { notes: 'Original words' });
    const first = await patBrowser.post(
      `/participants/${p.id}/contacts/${c.id}/edit`,
      contactForm({ notes: 'Saved first', version: '1' }),
    );
    expect(first.statusCode).toBe(302);
    await patBrowser.get(`/participants/${p.id}/contacts/${c.id}/edit`);
    const stale = await patBrowser.post(
      `/participants/${p.id}/contacts/${c.id}/edit`,
      contactForm({ notes: 'Typed on a stale page', version: '1' }),
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('This contact has changed');
    expect(stale.body).toContain('Typed on a stale page');
    expect(stale.body).toContain('Saved first');
    expect(stale.body).toMatch(/name="version" value="2"/);
  });

  it('refuses a colleague who did not log the contact with 422 and the reason, and hides the actions', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const c = await makeContact(t.db, t.deps, pat, p.id);
    const { browser: sam } = await signedInAs(t, 'practitioner', north);
    const page = await sam.get(`/participants/${p.id}/contacts/${c.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Change this contact');
    const edit = await sam.get(`/participants/${p.id}/contacts/${c.id}/edit`);
    expect(edit.statusCode).toBe(422);
    expect(edit.body).toContain('Only the person who logged this contact, or a manager of the team, can change it');
    const del = await sam.post(`/participants/${p.id}/contacts/${c.id}/delete`, { reason: 'Mine now', version: '1' });
    expect(del.statusCode).toBe(422);
  });

  it('lets a manager of the team change or delete anyone’s contact', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const c = await makeContact(t.db, t.deps, pat, p.id);
    const { browser: max } = await signedInAs(t, 'manager', north);
    const page = await max.get(`/participants/${p.id}/contacts/${c.id}`);
    expect(page.body).toContain('Change this contact');
    expect((await max.get(`/participants/${p.id}/contacts/${c.id}/edit`)).statusCode).toBe(200);
  });

  it('asks for a reason before deleting, then soft-deletes and audits it', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const c = await makeContact(t.db, t.deps, pat, p.id, { notes: 'Wrong person' });
    const confirm = await patBrowser.get(`/participants/${p.id}/contacts/${c.id}/delete`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Why are you deleting it?');
    const noReason = await patBrowser.post(`/participants/${p.id}/contacts/${c.id}/delete`, { reason: ' ', version: '1' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Enter why you are deleting this contact');
    expect(await auditActions('contact.deleted')).toHaveLength(0);

    const res = await patBrowser.post(`/participants/${p.id}/contacts/${c.id}/delete`, {
      reason: 'Logged against the wrong person',
      version: '1',
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/participants/${p.id}/timeline?done=deleted`);
    const timeline = await patBrowser.get(String(res.headers.location));
    expect(timeline.body).toContain('Contact deleted');
    expect(timeline.body).not.toContain('Wrong person');
    expect((await patBrowser.get(`/participants/${p.id}/contacts/${c.id}`)).statusCode).toBe(404);
    const row = await t.db.selectFrom('contacts').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ delete_reason: 'Logged against the wrong person', deleted_by_user_id: pat.id });
    const audited = await auditActions('contact.deleted');
    expect(audited).toHaveLength(1);
    expect(audited[0]?.actor_user_id).toBe(pat.id);
    expect(audited[0]?.details).toContain(c.id);
  });

  it('audits the change and delete pages, which show the contact too', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const c = await makeContact(t.db, t.deps, pat, p.id, { notes: 'Words on the form' });
    expect((await patBrowser.get(`/participants/${p.id}/contacts/${c.id}/edit`)).statusCode).toBe(200);
    expect((await patBrowser.get(`/participants/${p.id}/contacts/${c.id}/delete`)).statusCode).toBe(200);
    const viewed = await auditActions('contact.viewed');
    expect(viewed).toHaveLength(2);
    for (const e of viewed) expect(e.details).not.toContain('Words on the form');
  });

  it('gives 404 to another team, and 403 to a commissioner or an administrator', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const c = await makeContact(t.db, t.deps, pat, p.id);
    const south = (await makeTeam(t.db, t.deps, 'South IPS')).id;
    const { browser: other } = await signedInAs(t, 'practitioner', south);
    expect((await other.get(`/participants/${p.id}/contacts/${c.id}`)).statusCode).toBe(404);
    expect((await other.get(`/participants/${p.id}/contacts/new`)).statusCode).toBe(404);
    expect((await other.post(`/participants/${p.id}/contacts`, contactForm())).statusCode).toBe(404);
    for (const role of ['commissioner', 'admin'] as const) {
      const { browser } = await signedInAs(t, role);
      expect((await browser.get(`/participants/${p.id}/contacts/${c.id}`)).statusCode).toBe(403);
      expect((await browser.get(`/participants/${p.id}/contacts/new`)).statusCode).toBe(403);
    }
  });
});

describe('clinicians', () => {
  it('see only the contacts shared with the clinical team, and cannot log one', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await referFromClinicalTeam(t.db, p.id, cmht);
    const shared = await makeContact(t.db, t.deps, pat, p.id, { notes: 'Shared words', sharedWithClinicalTeam: true });
    const hidden = await makeContact(t.db, t.deps, pat, p.id, { notes: 'Private words' });
    const { browser: doc } = await signedInAs(t, 'clinician', cmht);
    const timeline = await doc.get(`/participants/${p.id}/timeline`);
    expect(timeline.statusCode).toBe(200);
    expect(timeline.body).toContain('Shared words');
    expect(timeline.body).not.toContain('Private words');
    expect(timeline.body).not.toContain('Log a contact');
    expect((await doc.get(`/participants/${p.id}/contacts/${shared.id}`)).statusCode).toBe(200);
    expect((await doc.get(`/participants/${p.id}/contacts/${hidden.id}`)).statusCode).toBe(404);
    expect((await doc.get(`/participants/${p.id}/contacts/new`)).statusCode).toBe(403);

    const { token } = await makeTokenUser(t.db, t.deps, 'clinician', cmht);
    const list = await t.app.inject({ method: 'GET', url: `/api/v1/participants/${p.id}/contacts`, headers: api(token) });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([shared.id]);
    const one = await t.app.inject({
      method: 'GET',
      url: `/api/v1/participants/${p.id}/contacts/${hidden.id}`,
      headers: api(token),
    });
    expect(one.statusCode).toBe(404);
  });

  it('see no earlier text of a contact from before it was shared with them', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await referFromClinicalTeam(t.db, p.id, cmht);
    const c = await makeContact(t.db, t.deps, pat, p.id, { notes: 'Unshared first draft' });
    await contacts.editContact(
      t.db,
      t.deps,
      SYSTEM_CONTEXT,
      viewerOf({ userId: pat.id, role: pat.role, teamId: pat.teamId }),
      p.id,
      c.id,
      1,
      {
        notes: 'Agreed summary',
        sharedWithClinicalTeam: true,
      },
    );
    const { browser: doc } = await signedInAs(t, 'clinician', cmht);
    const res = await doc.get(`/participants/${p.id}/contacts/${c.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Agreed summary');
    expect(res.body).not.toContain('Unshared first draft');
    // The author still sees the whole history.
    expect((await patBrowser.get(`/participants/${p.id}/contacts/${c.id}`)).body).toContain('Unshared first draft');
  });
});

describe('contacts API', () => {
  let token: string;
  let user: User;
  beforeEach(async () => {
    ({ token, user } = await makeTokenUser(t.db, t.deps, 'practitioner', north));
  });

  const post = (participantId: string, body: Record<string, unknown>, auth = token) =>
    t.app.inject({ method: 'POST', url: `/api/v1/participants/${participantId}/contacts`, headers: api(auth), payload: body });

  const body = (startedAt: string) => ({
    started_at: startedAt,
    duration_minutes: 32,
    mode: 'phone',
    place: 'remote',
    purpose: 'job_search',
    with_whom: null,
    notes: 'Line one\nLine two',
  });

  it('derives out of hours: Tuesday 19:30, Saturday 10:00 and Christmas Day are; Wednesday 25 November 10:00 is not', async () => {
    const p = await makeParticipant(t.db, t.deps, user);
    const cases: [string, boolean][] = [
      ['2026-11-24T19:30:00Z', true],
      ['2026-11-28T10:00:00Z', true],
      ['2026-12-25T10:00:00Z', true],
      ['2026-11-25T10:00:00Z', false],
    ];
    for (const [startedAt, outOfHours] of cases) {
      const res = await post(p.id, body(startedAt));
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json<Record<string, unknown>>(), startedAt).toMatchObject({
        started_at: new Date(startedAt).toISOString(),
        out_of_hours: outOfHours,
        duration_minutes: 30,
        notes: 'Line one\nLine two',
        shared_with_clinical_team: false,
        version: 1,
      });
    }
    // And the timeline tags the three, not the fourth.
    const { browser } = await signedInAs(t, 'manager', north);
    const timeline = await browser.get(`/participants/${p.id}/timeline`);
    expect(timeline.body.match(/>\s*Out of hours\s*</g)).toHaveLength(3);
  });

  it('creates (201 with location), reads, lists with a cursor, changes with version, and deletes with a reason', async () => {
    const p = await makeParticipant(t.db, t.deps, user);
    const created = await post(p.id, {
      ...body('2026-11-25T10:00:00Z'),
      with_whom: 'Job coach',
      shared_with_clinical_team: true,
    });
    expect(created.statusCode).toBe(201);
    const c = created.json<{ id: string; version: number }>();
    expect(created.headers.location).toBe(`/api/v1/participants/${p.id}/contacts/${c.id}`);
    await post(p.id, body('2026-11-24T10:00:00Z'));
    await post(p.id, body('2026-11-23T10:00:00Z'));

    const read = await t.app.inject({ method: 'GET', url: `/api/v1/participants/${p.id}/contacts/${c.id}`, headers: api(token) });
    expect(read.json()).toMatchObject({ id: c.id, with_whom: 'Job coach', shared_with_clinical_team: true });

    const page1 = await t.app.inject({
      method: 'GET',
      url: `/api/v1/participants/${p.id}/contacts?limit=2`,
      headers: api(token),
    });
    const b1 = page1.json<{ items: { started_at: string }[]; next_cursor: string | null }>();
    expect(b1.items.map((i) => i.started_at)).toEqual(['2026-11-25T10:00:00.000Z', '2026-11-24T10:00:00.000Z']);
    expect(b1.next_cursor).not.toBeNull();
    const page2 = await t.app.inject({
      method: 'GET',
      url: `/api/v1/participants/${p.id}/contacts?limit=2&cursor=${b1.next_cursor}`,
      headers: api(token),
    });
    const b2 = page2.json<{ items: { started_at: string }[]; next_cursor: string | null }>();
    expect(b2.items.map((i) => i.started_at)).toEqual(['2026-11-23T10:00:00.000Z']);
    expect(b2.next_cursor).toBeNull();

    const patch = (payload: Record<string, unknown>, auth = token) =>
      t.app.inject({ method: 'PATCH', url: `/api/v1/participants/${p.id}/contacts/${c.id}`, headers: api(auth), payload });
    const changed = await patch({ version: 1, notes: 'Changed', started_at: '2026-11-28T11:00:00Z' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ notes: 'Changed', version: 2, out_of_hours: true, with_whom: 'Job coach' });
    const stale = await patch({ version: 1, notes: 'Overwrite' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<ErrorBody>().error.code).toBe('conflict');

    const colleague = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const refused = await patch({ version: 2, notes: 'Not mine' }, colleague.token);
    expect(refused.statusCode).toBe(422);
    expect(refused.json<ErrorBody>().error.message).toContain('Only the person who logged this contact');

    const del = (payload: Record<string, unknown>) =>
      t.app.inject({ method: 'DELETE', url: `/api/v1/participants/${p.id}/contacts/${c.id}`, headers: api(token), payload });
    const noReason = await del({ version: 2 });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json<ErrorBody>().error.fields).toHaveProperty('reason');
    const staleDelete = await del({ version: 1, reason: 'Duplicate' });
    expect(staleDelete.statusCode).toBe(409);
    const deleted = await del({ version: 2, reason: 'Duplicate' });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    const gone = await t.app.inject({ method: 'GET', url: `/api/v1/participants/${p.id}/contacts/${c.id}`, headers: api(token) });
    expect(gone.statusCode).toBe(404);
  });

  it('answers bad input with 400 naming each field', async () => {
    const p = await makeParticipant(t.db, t.deps, user);
    const res = await post(p.id, { started_at: '25/11/2026', duration_minutes: 0, mode: 'carrier_pigeon', place: 'home' });
    expect(res.statusCode).toBe(400);
    const fields = res.json<ErrorBody>().error.fields ?? {};
    expect(Object.keys(fields).sort()).toEqual(['duration_minutes', 'mode', 'purpose', 'started_at']);
  });

  it('gives 404 for another team’s person and 403 to a commissioner or an administrator', async () => {
    const south = (await makeTeam(t.db, t.deps, 'South IPS')).id;
    const otherPractitioner = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: south });
    const p = await makeParticipant(t.db, t.deps, otherPractitioner);
    expect((await post(p.id, body('2026-11-25T10:00:00Z'))).statusCode).toBe(404);
    const list = await t.app.inject({ method: 'GET', url: `/api/v1/participants/${p.id}/contacts`, headers: api(token) });
    expect(list.statusCode).toBe(404);
    for (const role of ['commissioner', 'admin'] as const) {
      const other = await makeTokenUser(t.db, t.deps, role);
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/participants/${p.id}/contacts`, headers: api(other.token) });
      expect(res.statusCode).toBe(403);
    }
  });

  it('is described in openapi.json', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    const paths = res.json<{ paths: Record<string, Record<string, unknown>> }>().paths;
    expect(Object.keys(paths['/api/v1/participants/{id}/contacts'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/v1/participants/{id}/contacts/{contactId}'] ?? {}).sort()).toEqual(['delete', 'get', 'patch']);
  });
});

describe('charging support to Access to Work (pages)', () => {
  const patViewer = () => ({ userId: pat.id, role: pat.role, teamId: pat.teamId });

  /** An employed person with a job-coach award from 1 October 2026 to 30 September 2027. */
  async function personWithAward() {
    const p = await makeParticipant(t.db, t.deps, pat);
    await t.db.updateTable('participants').set({ status: 'employed' }).where('id', '=', p.id).execute();
    const award = await accessToWork.createAward(t.db, t.deps, SYSTEM_CONTEXT, patViewer(), p.id, {
      applicationId: null,
      placementId: null,
      coachUserId: null,
      reference: 'ATW/7781',
      supportKind: 'job_coach',
      startDate: '2026-10-01',
      endDate: '2027-09-30',
      hoursPerWeek: 2,
      hoursTotal: null,
      hourlyRatePence: 2850,
      totalAmountPence: null,
      employerContributionPence: null,
      notes: null,
      renewsAwardId: null,
    });
    return { p, award };
  }

  const chargeOf = async (participantId: string) =>
    (await t.db.selectFrom('contacts').select(['atw_award_id']).where('participant_id', '=', participantId).execute()).map(
      (r) => r.atw_award_id,
    );

  it('preselects the one active job-coach award for in-work support and charges the contact to it', async () => {
    const { p, award } = await personWithAward();
    const form = await patBrowser.get(`/participants/${p.id}/contacts/new`);
    expect(form.body).toContain('Charge to Access to Work award');
    expect(form.body).toContain('Job coach, ATW/7781, 1 October 2026 to 30 September 2027');
    expect(form.body).toMatch(new RegExp(`<option value="${award.id}" selected`));
    const res = await patBrowser.post(`/participants/${p.id}/contacts`, contactForm({ atw_award_id: award.id }));
    expect(res.statusCode).toBe(302);
    expect(await chargeOf(p.id)).toEqual([award.id]);
  });

  it('charges nothing when "Do not charge" is chosen, and offers no award to someone without one', async () => {
    const { p } = await personWithAward();
    const res = await patBrowser.post(`/participants/${p.id}/contacts`, contactForm({ atw_award_id: 'none' }));
    expect(res.statusCode).toBe(302);
    expect(await chargeOf(p.id)).toEqual([null]);
    const other = await makeParticipant(t.db, t.deps, pat);
    expect((await patBrowser.get(`/participants/${other.id}/contacts/new`)).body).not.toContain('Charge to Access to Work award');
  });

  it('shows a problem beside the award when the contact’s date is outside it, keeping what was typed', async () => {
    const { p, award } = await personWithAward();
    const res = await patBrowser.post(
      `/participants/${p.id}/contacts`,
      contactForm({ started_date: '2026-09-15', atw_award_id: award.id }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('href="#atw_award_id"');
    expect(res.body).toContain('That award runs from 1 October 2026 to 30 September 2027: the contact’s date is outside it');
    expect(res.body).toMatch(/name="started_date" type="date" value="2026-09-15"/);
    expect(await chargeOf(p.id)).toEqual([]);
  });

  it('says a contact in a submitted claim cannot change, offers no save or delete, and refuses a post with the reason', async () => {
    const { p, award } = await personWithAward();
    const c = await makeContact(t.db, t.deps, pat, p.id, { startedAt: '2026-10-14T09:00:00Z', purpose: 'in_work_support' });
    expect(c.atwAwardId).toBe(award.id);
    await t.db.transaction().execute(async (trx) => {
      const claim = await accessToWork.buildClaim(trx, t.deps, SYSTEM_CONTEXT, patViewer(), p.id, award.id, {
        start: '2026-10-01',
        end: '2026-10-31',
      });
      await accessToWork.submitClaim(trx, t.deps, SYSTEM_CONTEXT, patViewer(), p.id, claim.id, claim.version);
    });
    const reason = 'This contact is part of an Access to Work claim for 1 October 2026 to 31 October 2026';

    const page = await patBrowser.get(`/participants/${p.id}/contacts/${c.id}`);
    expect(page.body).toContain(reason);
    expect(page.body).not.toContain('Change this contact');
    const edit = await patBrowser.get(`/participants/${p.id}/contacts/${c.id}/edit`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain(reason);
    expect(edit.body).not.toContain('Save changes');
    const del = await patBrowser.get(`/participants/${p.id}/contacts/${c.id}/delete`);
    expect(del.body).toContain(reason);
    expect(del.body).not.toContain('Delete contact');

    const posted = await patBrowser.post(
      `/participants/${p.id}/contacts/${c.id}/edit`,
      contactForm({
        started_date: '2026-10-14',
        started_time: '10:00',
        duration_minutes: '90',
        atw_award_id: award.id,
        version: '1',
      }),
    );
    expect(posted.statusCode).toBe(422);
    expect(posted.body).toContain(reason);
    const removed = await patBrowser.post(`/participants/${p.id}/contacts/${c.id}/delete`, { reason: 'Duplicate', version: '1' });
    expect(removed.statusCode).toBe(422);
    const row = await t.db.selectFrom('contacts').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
    expect([Number(row.duration_minutes), row.deleted_at, row.notes]).toEqual([30, null, null]);
  });
});
