import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, type ErrorBody, signedInAs, type TestApp } from '../../test/test-app.ts';
import {
  makeContact,
  makeEmployer,
  makeParticipant,
  makeTeam,
  makeTokenUser,
  referFromClinicalTeam,
} from '../../test/factories.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import * as placements from '../placements/service.ts';
import type { User } from '../users/service.ts';

// The test clock stands at 2026-11-25 10:00 UTC. A job started on 1 March 2026 has its first
// support review (9 months on, the default) due on 1 December 2026: within the two weeks' notice.

let t: TestApp;
let north: string;
let pat: User;
let patBrowser: Browser;

beforeEach(async () => {
  t = await createTestApp();
  north = (await makeTeam(t.db, t.deps, 'North IPS')).id;
  ({ browser: patBrowser, user: pat } = await signedInAs(t, 'practitioner', north));
});
afterEach(async () => {
  await t.close();
});

/** A person on Pat's caseload in a porter's job at City Hospital, started on `startDate`. */
async function personInWork(startDate = '2026-03-01') {
  const p = await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Jones' });
  const employer = await makeEmployer(t.db, t.deps, pat, { name: 'City Hospital', type: 'host' });
  const job = await placements.createPlacement(t.db, t.deps, SYSTEM_CONTEXT, {
    participantId: p.id,
    employerId: employer.id,
    practitionerId: pat.id,
    title: 'Porter',
    startDate,
  });
  return { p, job, employer };
}

const PLAN = {
  coach_support: 'Weekly check-in on Fridays.\nTeach the new linen round.',
  employer_owns: 'Rota, leave and supervision',
  contact_frequency: 'weekly',
  adjustments: 'Later start on Mondays',
  next_review_date: '',
  fading_plan: 'Fortnightly from January if all is well',
};

async function writePlan(jobId: string, overrides: Record<string, string> = {}) {
  return patBrowser.post(`/placements/${jobId}/support-plan/edit`, { ...PLAN, ...overrides });
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const api = (token: string) => ({ authorization: `Bearer ${token}` });

async function auditActions(action: string) {
  return t.db.selectFrom('audit_events').select(['entity_id', 'details']).where('action', '=', action).execute();
}

describe('the support plan page', () => {
  it('says there is no support plan yet and offers to write one, auditing the read on the person', async () => {
    const { p, job } = await personInWork();
    const res = await patBrowser.get(`/placements/${job.id}/support-plan`);
    expect(res.statusCode).toBe(200);
    const page = text(res.body);
    expect(page).toContain('No support plan yet');
    expect(page).toContain('Write the support plan');
    expect(page).toContain('Porter at City Hospital');
    expect(page).toContain('The first review will be due on 1 December 2026, 9 months after they started');
    expect(page).toContain('No contacts have been logged against this job yet');
    expect(res.body).toContain(`/participants/${p.id}/contacts/new?placement_id=${job.id}&amp;purpose=in_work_support`);
    expect((await auditActions('support_plan.viewed')).map((e) => e.entity_id)).toEqual([p.id]);
  });

  it('saves a written plan and shows it in plain words, with the review due and a button to record it', async () => {
    const { p, job } = await personInWork();
    const saved = await writePlan(job.id);
    expect(saved.statusCode).toBe(302);
    expect(saved.headers.location).toBe(`/placements/${job.id}/support-plan?done=saved`);
    const page = text((await patBrowser.get(saved.headers.location as string)).body);
    expect(page).toContain('Support plan saved');
    expect(page).toContain('Weekly check-in on Fridays. Teach the new linen round.');
    expect(page).toContain('Rota, leave and supervision');
    expect(page).toContain('How often we are in touch Weekly');
    expect(page).toContain('Later start on Mondays');
    expect(page).toContain('Support review due');
    expect(page).toContain('The support review is due on 1 December 2026.');
    expect(page).toContain('Record a review');
    const created = await auditActions('support_plan.created');
    expect(created.map((e) => e.entity_id)).toEqual([p.id]);
    expect(created[0]?.details).not.toContain('Fridays');
  });

  it('does not prompt a review months before it is due, and says when it will be', async () => {
    const { job } = await personInWork('2026-10-01');
    await writePlan(job.id);
    const page = text((await patBrowser.get(`/placements/${job.id}/support-plan`)).body);
    expect(page).not.toContain('Support review due');
    expect(page).toContain('The next support review is on 1 July 2027.');
  });

  it('says a review is overdue after its date', async () => {
    const { job } = await personInWork();
    await writePlan(job.id, { next_review_date: '2026-11-01' });
    const page = text((await patBrowser.get(`/placements/${job.id}/support-plan`)).body);
    expect(page).toContain('Support review overdue');
    expect(page).toContain('it was due on 1 November 2026');
  });

  it('keeps what was typed when the next review date is not a date', async () => {
    const { job } = await personInWork();
    const res = await writePlan(job.id, { next_review_date: '31/02/2027' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Next review date must be a real date, like 25/02/2027');
    expect(res.body).toContain('Later start on Mondays');
  });

  it('refuses a stale change with 409, keeping the typed values and showing what is saved', async () => {
    const { job } = await personInWork();
    await writePlan(job.id);
    const form = await patBrowser.get(`/placements/${job.id}/support-plan/edit`);
    expect(form.body).toMatch(/name="version" value="1"/);
    expect(form.body).toMatch(/value="weekly" checked/);
    await writePlan(job.id, { version: '1', adjustments: 'Quiet room for breaks' });
    const stale = await writePlan(job.id, { version: '1', adjustments: 'Written task list' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('This support plan has changed');
    expect(stale.body).toContain('Written task list');
    expect(stale.body).toMatch(/name="version" value="2"/);
    const again = await writePlan(job.id, { version: '2', adjustments: 'Written task list' });
    expect(again.statusCode).toBe(302);
    expect(text((await patBrowser.get(`/placements/${job.id}/support-plan`)).body)).toContain('Written task list');
  });

  it('is not found for a job of someone the viewer may not see', async () => {
    const { job } = await personInWork();
    const south = (await makeTeam(t.db, t.deps, 'South IPS')).id;
    const { browser } = await signedInAs(t, 'practitioner', south);
    expect((await browser.get(`/placements/${job.id}/support-plan`)).statusCode).toBe(404);
    expect((await browser.post(`/placements/${job.id}/support-plan/edit`, PLAN)).statusCode).toBe(404);
  });

  it('lets a clinician of the referring team read the plan, with shared contacts only, but not change it', async () => {
    const cmht = (await makeTeam(t.db, t.deps, 'Riverside CMHT')).id;
    const { p, job } = await personInWork();
    await referFromClinicalTeam(t.db, p.id, cmht);
    await writePlan(job.id);
    await makeContact(t.db, t.deps, pat, p.id, {
      purpose: 'in_work_support',
      placementId: job.id,
      startedAt: '2026-11-20T09:00:00Z',
    });
    await makeContact(t.db, t.deps, pat, p.id, {
      purpose: 'in_work_support',
      placementId: job.id,
      sharedWithClinicalTeam: true,
      startedAt: '2026-11-24T09:00:00Z',
    });
    const { browser } = await signedInAs(t, 'clinician', cmht);
    const res = await browser.get(`/placements/${job.id}/support-plan`);
    expect(res.statusCode).toBe(200);
    const page = text(res.body);
    expect(page).toContain('Weekly check-in on Fridays');
    expect(page).toContain('24 Nov 2026');
    expect(page).not.toContain('20 Nov 2026');
    expect(page).not.toContain('Change the support plan');
    expect(page).not.toContain('Log a contact for this job');
    expect((await browser.get(`/placements/${job.id}/support-plan/edit`)).statusCode).toBe(403);
  });
});

describe('recording a review', () => {
  it('offers today and a next review three months on, and records a decision to reduce with fewer contacts', async () => {
    const { p, job } = await personInWork();
    await writePlan(job.id);
    const form = await patBrowser.get(`/placements/${job.id}/support-plan/reviews/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toMatch(/name="review_date" type="date" value="2026-11-25"/);
    expect(form.body).toMatch(/name="next_review_date" type="date" value="2027-02-25"/);
    expect(text(form.body)).toContain('The coach is in touch less often');
    const res = await patBrowser.post(`/placements/${job.id}/support-plan/reviews/new`, {
      review_date: '2026-11-25',
      decision: 'reduce',
      next_review_date: '2027-02-25',
      notes: 'Ann feels settled',
    });
    expect(res.statusCode).toBe(302);
    const page = text((await patBrowser.get(res.headers.location as string)).body);
    expect(page).toContain('Review recorded');
    expect(page).toContain('Support Reduced');
    expect(page).toContain('How often we are in touch Fortnightly');
    expect(page).toContain('The next support review is on 25 February 2027.');
    expect(page).toContain('25 November 2026: Reduce support');
    expect(page).toContain('Ann feels settled');
    expect(page).not.toContain('Support review due');
    const recorded = await auditActions('support_review.recorded');
    expect(recorded.map((e) => e.entity_id)).toEqual([p.id]);
    expect(recorded[0]?.details).toContain('"decision":"reduce"');
  });

  it('asks for a next review date when support continues, keeping the notes typed', async () => {
    const { job } = await personInWork();
    await writePlan(job.id);
    const res = await patBrowser.post(`/placements/${job.id}/support-plan/reviews/new`, {
      review_date: '2026-11-25',
      decision: 'continue',
      next_review_date: '',
      notes: 'Going well',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Enter the date of the next review');
    expect(res.body).toContain('Going well');
  });

  it('ends support only when the person chooses, with no review due after', async () => {
    const { job } = await personInWork();
    await writePlan(job.id);
    const res = await patBrowser.post(`/placements/${job.id}/support-plan/reviews/new`, {
      review_date: '2026-11-25',
      decision: 'end',
      next_review_date: '2027-02-25',
    });
    expect(res.statusCode).toBe(302);
    const page = text((await patBrowser.get(`/placements/${job.id}/support-plan`)).body);
    expect(page).toContain('Ended at the person’s choice');
    expect(page).toContain('None: support ended at their choice');
  });

  it('refuses a review before there is a plan', async () => {
    const { job } = await personInWork();
    const form = await patBrowser.get(`/placements/${job.id}/support-plan/reviews/new`);
    expect(text(form.body)).toContain('There is no support plan for this job yet');
    const res = await patBrowser.post(`/placements/${job.id}/support-plan/reviews/new`, {
      review_date: '2026-11-25',
      decision: 'end',
    });
    expect(res.statusCode).toBe(422);
  });
});

describe('contacts against a job', () => {
  /** A phone call logged through the contacts API against a job. */
  const logByApi = (token: string, participantId: string, placementId: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/participants/${participantId}/contacts`,
      headers: api(token),
      payload: {
        started_at: '2026-11-25T09:00:00Z',
        duration_minutes: 30,
        mode: 'phone',
        place: 'remote',
        purpose: 'in_work_support',
        placement_id: placementId,
      },
    });

  it('offers the person’s jobs on the contact form, preselecting the one asked for as in-work support', async () => {
    const { p, job } = await personInWork();
    const res = await patBrowser.get(`/participants/${p.id}/contacts/new?placement_id=${job.id}`);
    expect(res.body).toContain('Which job was this support for?');
    expect(res.body).toContain('Porter at City Hospital');
    expect(res.body).toMatch(new RegExp(`value="${job.id}" checked`));
    expect(res.body).toMatch(/value="in_work_support" checked/);
  });

  it('does not ask about jobs for someone without one', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const res = await patBrowser.get(`/participants/${p.id}/contacts/new`);
    expect(res.body).not.toContain('Which job was this support for?');
  });

  it('lists a contact logged for the job on its support plan page, newest first', async () => {
    const { p, job } = await personInWork();
    const form = {
      started_date: '2026-11-20',
      started_time: '09:30',
      duration_minutes: '45',
      mode: 'face_to_face',
      place: 'workplace',
      purpose: 'in_work_support',
      placement_id: job.id,
    };
    expect((await patBrowser.post(`/participants/${p.id}/contacts`, form)).statusCode).toBe(302);
    expect((await patBrowser.post(`/participants/${p.id}/contacts`, { ...form, started_date: '2026-11-24' })).statusCode).toBe(
      302,
    );
    const unrelated = await makeContact(t.db, t.deps, pat, p.id, { startedAt: '2026-11-23T10:00:00Z' });
    const res = await patBrowser.get(`/placements/${job.id}/support-plan`);
    const page = text(res.body);
    // The contact's own page names the job it was support for; a contact for no job does not.
    const listed = /href="(\/participants\/[^"]+\/contacts\/[^"]+)"/.exec(res.body)?.[1] ?? '';
    expect(text((await patBrowser.get(listed)).body)).toContain('In-work support for Porter at City Hospital');
    expect(text((await patBrowser.get(`/participants/${p.id}/contacts/${unrelated.id}`)).body)).not.toContain(
      'In-work support for',
    );
    expect(page.indexOf('24 Nov 2026')).toBeGreaterThan(-1);
    expect(page.indexOf('24 Nov 2026')).toBeLessThan(page.indexOf('20 Nov 2026'));
    expect(page).not.toContain('23 Nov 2026');
  });

  it('refuses a job that is not the person’s', async () => {
    const { job } = await personInWork();
    const other = await makeParticipant(t.db, t.deps, pat);
    const { token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const res = await logByApi(token, other.id, job.id);
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.fields?.placement_id).toBe('Select one of this person’s jobs, or none');
  });

  it('takes placement_id through the contacts API and gives it back', async () => {
    const { p, job } = await personInWork();
    const { token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const created = await logByApi(token, p.id, job.id);
    expect(created.statusCode).toBe(201);
    const body = created.json<{ id: string; placement_id: string | null; version: number }>();
    expect(body.placement_id).toBe(job.id);
    const cleared = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/participants/${p.id}/contacts/${body.id}`,
      headers: api(token),
      payload: { version: body.version, placement_id: null },
    });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json<{ placement_id: string | null }>().placement_id).toBeNull();
  });
});

describe('support plan API', () => {
  it('writes a plan with PUT, reads it back with its review due date, and refuses a stale version', async () => {
    const { p, job } = await personInWork();
    const { token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const url = `/api/v1/participants/${p.id}/support-plan`;
    expect((await t.app.inject({ method: 'GET', url, headers: api(token) })).json()).toEqual({ items: [] });
    const put = await t.app.inject({
      method: 'PUT',
      url,
      headers: api(token),
      payload: { placement_id: job.id, coach_support: 'Weekly check-in', contact_every_days: 7 },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({
      placement_id: job.id,
      coach_support: 'Weekly check-in',
      contact_every_days: 7,
      next_review_date: null,
      review_due_date: '2026-12-01',
      status: 'active',
      reviews: [],
      version: 1,
    });
    const noVersion = await t.app.inject({ method: 'PUT', url, headers: api(token), payload: { placement_id: job.id } });
    expect(noVersion.statusCode).toBe(400);
    expect(noVersion.json<ErrorBody>().error.fields?.version).toBeDefined();
    const replaced = await t.app.inject({
      method: 'PUT',
      url,
      headers: api(token),
      payload: { placement_id: job.id, version: 1, coach_support: 'Fortnightly check-in', contact_every_days: 14 },
    });
    expect(replaced.json()).toMatchObject({ coach_support: 'Fortnightly check-in', version: 2 });
    const stale = await t.app.inject({
      method: 'PUT',
      url,
      headers: api(token),
      payload: { placement_id: job.id, version: 1, coach_support: 'Lost update' },
    });
    expect(stale.statusCode).toBe(409);
    const list = (await t.app.inject({ method: 'GET', url, headers: api(token) })).json<{ items: { coach_support: string }[] }>();
    expect(list.items.map((i) => i.coach_support)).toEqual(['Fortnightly check-in']);
  });

  it('records a review through the API and answers with the plan as it leaves it', async () => {
    const { p, job } = await personInWork();
    const { token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    await writePlan(job.id);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/participants/${p.id}/support-plan/reviews`,
      headers: api(token),
      payload: { placement_id: job.id, review_date: '2026-11-25', decision: 'continue', next_review_date: '2027-03-01' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      status: 'active',
      next_review_date: '2027-03-01',
      review_due_date: '2027-03-01',
      reviews: [{ review_date: '2026-11-25', decision: 'continue' }],
    });
  });

  it('refuses a job of someone else, and a clinician’s change; 404 for a person the caller may not see', async () => {
    const { p, job } = await personInWork();
    const other = await makeParticipant(t.db, t.deps, pat);
    const { token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const wrongJob = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/participants/${other.id}/support-plan`,
      headers: api(token),
      payload: { placement_id: job.id },
    });
    expect(wrongJob.statusCode).toBe(400);
    expect(wrongJob.json<ErrorBody>().error.fields?.placement_id).toBeDefined();
    const south = await makeTokenUser(t.db, t.deps, 'practitioner', (await makeTeam(t.db, t.deps)).id);
    const hidden = await t.app.inject({
      method: 'GET',
      url: `/api/v1/participants/${p.id}/support-plan`,
      headers: api(south.token),
    });
    expect(hidden.statusCode).toBe(404);
    const clinician = await makeTokenUser(t.db, t.deps, 'clinician', north);
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/participants/${p.id}/support-plan`,
      headers: api(clinician.token),
      payload: { placement_id: job.id },
    });
    expect(put.statusCode).toBe(403);
  });
});

describe('the caseload alert', () => {
  it('flags a support review due or overdue, linking to the support plan, and clears it once reviewed', async () => {
    const { job } = await personInWork();
    await writePlan(job.id, { next_review_date: '2026-11-20' });
    const caseload = await patBrowser.get('/caseload');
    expect(text(caseload.body)).toContain('Support review overdue: it was due on 20 November 2026 (5 days ago)');
    expect(caseload.body).toContain(`href="/placements/${job.id}/support-plan"`);
    await patBrowser.post(`/placements/${job.id}/support-plan/reviews/new`, {
      review_date: '2026-11-25',
      decision: 'continue',
      next_review_date: '2027-02-25',
    });
    expect(text((await patBrowser.get('/caseload')).body)).not.toContain('Support review overdue');
  });
});

describe('coach hours a week on the support plan', () => {
  it('saves the hours typed on the plan form, shows them on the plan, and gives them back on the form', async () => {
    const { job } = await personInWork();
    expect((await patBrowser.get(`/placements/${job.id}/support-plan/edit`)).body).toContain('Coach hours a week (optional)');
    expect((await writePlan(job.id, { hours_per_week: '2.5' })).statusCode).toBe(302);
    expect(text((await patBrowser.get(`/placements/${job.id}/support-plan`)).body)).toContain('Coach hours a week 2.5 hours');
    expect((await patBrowser.get(`/placements/${job.id}/support-plan/edit`)).body).toMatch(
      /name="hours_per_week" type="text" value="2.5"/,
    );
    const row = await t.db
      .selectFrom('support_plans')
      .select('hours_per_week')
      .where('placement_id', '=', job.id)
      .executeTakeFirst();
    expect(Number(row?.hours_per_week)).toBe(2.5);
  });

  it('says "Not said" when left empty', async () => {
    const { job } = await personInWork();
    await writePlan(job.id);
    expect(text((await patBrowser.get(`/placements/${job.id}/support-plan`)).body)).toContain('Coach hours a week Not said');
  });

  it.each([
    ['0', 'Coach hours a week must be between 0.25 and 60'],
    ['61', 'Coach hours a week must be between 0.25 and 60'],
    ['two', 'Coach hours a week must be a number, like 5 or 2.5'],
  ])('refuses %s hours, keeping what was typed', async (hours, message) => {
    const { job } = await personInWork();
    await patBrowser.get(`/placements/${job.id}/support-plan/edit`);
    const res = await writePlan(job.id, { hours_per_week: hours });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain(message);
    expect(res.body).toMatch(new RegExp(`name="hours_per_week" type="text" value="${hours}"`));
    expect(res.body).toContain('Weekly check-in on Fridays.');
    expect(await t.db.selectFrom('support_plans').select('id').where('placement_id', '=', job.id).execute()).toEqual([]);
  });

  it('takes hours_per_week through the API, gives it back, clears it with null and refuses 0.1', async () => {
    const { p, job } = await personInWork();
    const { token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const url = `/api/v1/participants/${p.id}/support-plan`;
    const put = await t.app.inject({
      method: 'PUT',
      url,
      headers: api(token),
      payload: { placement_id: job.id, hours_per_week: 4.5 },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ hours_per_week: 4.5, version: 1 });
    const list = (await t.app.inject({ method: 'GET', url, headers: api(token) })).json<{
      items: { hours_per_week: number }[];
    }>();
    expect(list.items[0]?.hours_per_week).toBe(4.5);
    const bad = await t.app.inject({
      method: 'PUT',
      url,
      headers: api(token),
      payload: { placement_id: job.id, version: 1, hours_per_week: 0.1 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error.fields?.hours_per_week).toBe('hours_per_week must be at least 0.25');
    const cleared = await t.app.inject({
      method: 'PUT',
      url,
      headers: api(token),
      payload: { placement_id: job.id, version: 1, hours_per_week: null },
    });
    expect(cleared.json()).toMatchObject({ hours_per_week: null, version: 2 });
  });
});
