import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, type ErrorBody, signedInAs, type TestApp } from '../../test/test-app.ts';
import { makeEmployer, makeParticipant, makeTeam, makeTokenUser, referFromClinicalTeam } from '../../test/factories.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import { createPlacement } from '../placements/service.ts';
import type { User } from '../users/service.ts';

// The test clock stands at 2026-11-25 10:00 UTC.

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

/** A person on Pat's caseload in a job at a hospital kitchen since 1 September 2026. */
async function personInJob(by: User = pat, employerName = 'St Elsewhere Hospital') {
  const person = await makeParticipant(t.db, t.deps, by);
  const employer = await makeEmployer(t.db, t.deps, by, { name: employerName });
  const placement = await createPlacement(t.db, t.deps, SYSTEM_CONTEXT, {
    participantId: person.id,
    employerId: employer.id,
    title: 'Kitchen assistant',
    startDate: '2026-09-01',
  });
  return { person, placement };
}

function issueForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    raised_by: 'line_manager',
    raised_on: '2026-11-20',
    category: 'attendance',
    owner: 'suggested',
    description: 'Late three times this month.',
    actions: 'Line manager to talk about the rota.',
    ...overrides,
  };
}

async function auditCount(action: string) {
  return (await t.db.selectFrom('audit_events').select('id').where('action', '=', action).execute()).length;
}

async function onlyIssue(placementId: string) {
  return t.db.selectFrom('workplace_issues').selectAll().where('placement_id', '=', placementId).executeTakeFirstOrThrow();
}

const api = (token: string) => ({ authorization: `Bearer ${token}` });

interface IssueBody {
  id: string;
  [field: string]: unknown;
}
interface IssuePage {
  items: IssueBody[];
  next_cursor: string | null;
}

describe('a job’s workplace issues (pages)', () => {
  it('says what to do when there are no issues yet', async () => {
    const { placement } = await personInJob();
    const res = await patBrowser.get(`/placements/${placement.id}/issues`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Kitchen assistant at St Elsewhere Hospital');
    expect(res.body).toContain('No workplace issues recorded for this job');
    expect(res.body).toContain('Record a workplace issue');
    expect(await auditCount('workplace_issues.viewed')).toBe(1);
  });

  it('opens the form with today’s date and the usual owner preselected, each category saying its usual owner', async () => {
    const { placement } = await personInJob();
    const res = await patBrowser.get(`/placements/${placement.id}/issues/new`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/name="raised_on" type="date" value="2026-11-25"/);
    expect(res.body).toMatch(/value="suggested" checked/);
    expect(res.body).toContain('Normal line management: the line manager leads, the coach stays on call');
    expect(res.body).toContain('Usually the job coach. A skills gap');
  });

  it('records an attendance issue owned by the employer when the usual owner is kept, and lists it as open', async () => {
    const { person, placement } = await personInJob();
    const res = await patBrowser.post(`/placements/${placement.id}/issues/new`, issueForm());
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/placements/${placement.id}/issues?done=raised`);
    const row = await onlyIssue(placement.id);
    expect(row).toMatchObject({ owner: 'employer', status: 'open', participant_id: person.id, raised_by: 'line_manager' });

    const list = await patBrowser.get(res.headers.location as string);
    expect(list.body).toContain('Workplace issue recorded');
    expect(list.body).toContain('Attendance or timekeeping, raised 20 November 2026');
    expect(list.body).toContain('The employer (line manager or HR)');
    expect(list.body).toContain('Line manager to talk about the rota.');
    expect(list.body).toContain('Not known yet');
    const audit = await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'workplace_issue.raised').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.entity_id).toBe(person.id);
    expect(audit[0]?.details).not.toContain('Late three times');
  });

  it('lets the practitioner choose the coach for an attendance issue', async () => {
    const { placement } = await personInJob();
    await patBrowser.post(`/placements/${placement.id}/issues/new`, issueForm({ owner: 'coach' }));
    expect((await onlyIssue(placement.id)).owner).toBe('coach');
    const list = await patBrowser.get(`/placements/${placement.id}/issues`);
    expect(list.body).toContain('Chosen instead of the usual owner, the employer (line manager or hr)');
  });

  it('keeps the typed values and names every missing field', async () => {
    const { placement } = await personInJob();
    const res = await patBrowser.post(
      `/placements/${placement.id}/issues/new`,
      issueForm({ raised_by: '', category: 'skills', description: '', actions: 'Show the new till' }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Select who raised the issue');
    expect(res.body).toContain('Enter what happened');
    expect(res.body).toContain('Show the new till');
    expect(res.body).toMatch(/value="skills" checked/);
    // With the category known, the usual owner is named in words.
    expect(res.body).toContain('The usual owner: the job coach');
  });

  it('refuses a date raised in the future or before the job started', async () => {
    const { placement } = await personInJob();
    const future = await patBrowser.post(`/placements/${placement.id}/issues/new`, issueForm({ raised_on: '2026-11-26' }));
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('Date raised must be today or in the past');
    const early = await patBrowser.post(`/placements/${placement.id}/issues/new`, issueForm({ raised_on: '31/08/2026' }));
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('Date raised must be on or after the job started');
    expect(await t.db.selectFrom('workplace_issues').select('id').execute()).toHaveLength(0);
  });

  it('updates actions and outcome as things move, then closes the issue with a confirmation step', async () => {
    const { placement } = await personInJob();
    await patBrowser.post(`/placements/${placement.id}/issues/new`, issueForm());
    const issue = await onlyIssue(placement.id);
    const base = `/placements/${placement.id}/issues/${issue.id}`;

    const edit = await patBrowser.get(`${base}/edit`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('Line manager to talk about the rota.');
    const saved = await patBrowser.post(`${base}/edit`, {
      owner: 'employer',
      description: issue.description,
      actions: 'Rota moved to a later start.',
      outcome: '',
      version: '1',
    });
    expect(saved.headers.location).toBe(`${base}?done=updated`);

    const confirm = await patBrowser.get(`${base}/close`);
    expect(confirm.body).toContain('Close this issue');
    expect(confirm.body).toMatch(/name="closed_on" type="date" value="2026-11-25"/);
    const noOutcome = await patBrowser.post(`${base}/close`, { outcome: ' ', closed_on: '2026-11-25', version: '2' });
    expect(noOutcome.statusCode).toBe(400);
    expect(noOutcome.body).toContain('Enter the outcome before closing the issue');

    const closed = await patBrowser.post(`${base}/close`, {
      outcome: 'On time for four weeks.',
      closed_on: '24/11/2026',
      version: '2',
    });
    expect(closed.headers.location).toBe(`${base}?done=closed`);
    expect(await onlyIssue(placement.id)).toMatchObject({ status: 'closed', closed_on: '2026-11-24', version: 3 });

    const page = await patBrowser.get(`${base}?done=closed`);
    expect(page.body).toContain('Issue closed');
    expect(page.body).toContain('Closed, closed 24 November 2026');
    expect(page.body).toContain('The employer handled this issue itself');
    expect(page.body).not.toContain('Close this issue</a>');

    const list = await patBrowser.get(`/placements/${placement.id}/issues`);
    expect(list.body).toContain('No open issues');
    expect(list.body).toContain('Closed issues');
    expect(await auditCount('workplace_issue.closed')).toBe(1);
    expect(await auditCount('workplace_issue.updated')).toBe(1);
  });

  it('keeps the typed actions and shows what is saved now when someone else changed the issue', async () => {
    const { placement } = await personInJob();
    await patBrowser.post(`/placements/${placement.id}/issues/new`, issueForm());
    const issue = await onlyIssue(placement.id);
    const base = `/placements/${placement.id}/issues/${issue.id}`;
    await t.db.updateTable('workplace_issues').set({ version: 2, actions: 'HR joined the meeting.' }).execute();
    const res = await patBrowser.post(`${base}/edit`, {
      owner: 'employer',
      description: issue.description,
      actions: 'My typed actions',
      outcome: '',
      version: '1',
    });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('This issue has changed');
    expect(res.body).toContain('HR joined the meeting.');
    expect(res.body).toContain('My typed actions');
    expect(res.body).toMatch(/name="version" value="2"/);
    expect((await onlyIssue(placement.id)).actions).toBe('HR joined the meeting.');
  });

  it('puts open issues before closed ones', async () => {
    const { placement } = await personInJob();
    await patBrowser.post(`/placements/${placement.id}/issues/new`, issueForm({ category: 'conduct', raised_on: '2026-10-01' }));
    const first = await onlyIssue(placement.id);
    await patBrowser.post(`/placements/${placement.id}/issues/${first.id}/close`, {
      outcome: 'Sorted',
      closed_on: '2026-10-05',
      version: '1',
    });
    await patBrowser.post(`/placements/${placement.id}/issues/new`, issueForm({ category: 'health', raised_on: '2026-09-10' }));
    const list = await patBrowser.get(`/placements/${placement.id}/issues`);
    expect(list.body.indexOf('Health, raised')).toBeLessThan(list.body.indexOf('Conduct, raised'));
  });
});

describe('who may see and change issues', () => {
  it('lets a clinician of the referring team read the issues but not record one', async () => {
    const cmht = (await makeTeam(t.db, t.deps, 'Riverside CMHT')).id;
    const { person, placement } = await personInJob();
    await patBrowser.post(`/placements/${placement.id}/issues/new`, issueForm());
    await referFromClinicalTeam(t.db, person.id, cmht);
    const { browser: clinician } = await signedInAs(t, 'clinician', cmht);
    const list = await clinician.get(`/placements/${placement.id}/issues`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Attendance or timekeeping');
    expect(list.body).not.toContain('Record a workplace issue');
    expect((await clinician.get(`/placements/${placement.id}/issues/new`)).statusCode).toBe(403);
  });

  it('answers 404 to a clinician or practitioner who may not see the person', async () => {
    const { placement } = await personInJob();
    const other = (await makeTeam(t.db, t.deps)).id;
    const { browser: clinician } = await signedInAs(t, 'clinician', other);
    const { browser: stranger } = await signedInAs(t, 'practitioner', other);
    expect((await clinician.get(`/placements/${placement.id}/issues`)).statusCode).toBe(404);
    expect((await stranger.get(`/placements/${placement.id}/issues`)).statusCode).toBe(404);
    expect((await stranger.post(`/placements/${placement.id}/issues/new`, issueForm())).statusCode).toBe(404);
  });
});

describe('workplace issues report', () => {
  it('counts the team’s issues in the last 12 months by category and owner, and how many the employer handled', async () => {
    const { placement } = await personInJob();
    const raise = (form: Record<string, string>) => patBrowser.post(`/placements/${placement.id}/issues/new`, issueForm(form));
    await raise({ category: 'attendance' });
    await raise({ category: 'skills' });
    await raise({ category: 'performance' });
    const handled = await t.db
      .selectFrom('workplace_issues')
      .select(['id'])
      .where('category', '=', 'attendance')
      .executeTakeFirstOrThrow();
    await patBrowser.post(`/placements/${placement.id}/issues/${handled.id}/close`, {
      outcome: 'Fine now',
      closed_on: '2026-11-25',
      version: '1',
    });
    // Someone in another team does not count.
    const { browser: otherBrowser, user: otherPat } = await signedInAs(t, 'practitioner', (await makeTeam(t.db, t.deps)).id);
    const elsewhere = await personInJob(otherPat, 'Riverside Council');
    await otherBrowser.post(`/placements/${elsewhere.placement.id}/issues/new`, issueForm({ category: 'conduct' }));
    expect(await t.db.selectFrom('workplace_issues').select('id').execute()).toHaveLength(4);

    const res = await patBrowser.get('/reports/workplace-issues');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Raised from 25 November 2025 to 25 November 2026');
    expect(res.body).toContain('The employer handled 1 of 3 issues (33%) itself');
    expect(res.body).toContain('nhsuk-table--responsive');

    const before = await patBrowser.get('/reports/workplace-issues?from=2025-01-01&to=2026-11-19');
    expect(before.body).toContain('No workplace issues were raised in this period');
  });

  it('says when a date in the period is not real', async () => {
    const res = await patBrowser.get('/reports/workplace-issues?from=31/02/2026');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('From must be a real date');
  });
});

describe('workplace issues API', () => {
  it('creates with the usual owner, lists open first, and closes through PATCH with outcome and date', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const { placement } = await personInJob();
    const url = `/api/v1/placements/${placement.id}/issues`;
    const created = await t.app.inject({
      method: 'POST',
      url,
      headers: api(token),
      payload: { raised_by: 'participant', raised_on: '2026-11-10', category: 'health', description: 'Tired on early shifts' },
    });
    expect(created.statusCode).toBe(201);
    const body = created.json<IssueBody>();
    expect(body).toMatchObject({ owner: 'coach', status: 'open', closed_on: null, handled_by_employer: false, version: 1 });

    const notYet = await t.app.inject({
      method: 'PATCH',
      url: `${url}/${body.id}`,
      headers: api(token),
      payload: { version: 1, status: 'closed' },
    });
    expect(notYet.statusCode).toBe(400);
    expect(notYet.json<ErrorBody>().error.fields?.outcome).toBe('Enter the outcome before closing the issue');

    const closed = await t.app.inject({
      method: 'PATCH',
      url: `${url}/${body.id}`,
      headers: api(token),
      payload: { version: 1, status: 'closed', outcome: 'Moved to later shifts' },
    });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({
      status: 'closed',
      closed_on: '2026-11-25',
      outcome: 'Moved to later shifts',
      version: 2,
    });

    const stale = await t.app.inject({
      method: 'PATCH',
      url: `${url}/${body.id}`,
      headers: api(token),
      payload: { version: 1, actions: 'x' },
    });
    expect(stale.statusCode).toBe(409);

    await t.app.inject({
      method: 'POST',
      url,
      headers: api(token),
      payload: { raised_by: 'hr', raised_on: '2026-09-02', category: 'conduct', description: 'Phone use' },
    });
    const list = await t.app.inject({ method: 'GET', url: `${url}?limit=1`, headers: api(token) });
    expect(list.statusCode).toBe(200);
    const page = list.json<IssuePage>();
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ category: 'conduct', owner: 'employer', status: 'open' });
    const next = await t.app.inject({ method: 'GET', url: `${url}?limit=1&cursor=${page.next_cursor}`, headers: api(token) });
    expect(next.json<IssuePage>().items[0]).toMatchObject({ category: 'health', status: 'closed' });
    expect(next.json<IssuePage>().next_cursor).toBeNull();
  });

  it('rejects an unknown category naming the field, and a placement the caller may not see with 404', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const { placement } = await personInJob();
    const bad = await t.app.inject({
      method: 'POST',
      url: `/api/v1/placements/${placement.id}/issues`,
      headers: api(token),
      payload: { raised_by: 'hr', raised_on: '2026-11-10', category: 'weather', description: 'x' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error.fields?.category).toContain('category must be one of');

    const { token: stranger } = await makeTokenUser(t.db, t.deps, 'practitioner', (await makeTeam(t.db, t.deps)).id);
    const hidden = await t.app.inject({
      method: 'GET',
      url: `/api/v1/placements/${placement.id}/issues`,
      headers: api(stranger),
    });
    expect(hidden.statusCode).toBe(404);
  });
});
