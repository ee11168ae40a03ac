import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, type ErrorBody, signedInAs, type TestApp } from '../../test/test-app.ts';
import { makeEmployer, makeParticipant, makeTeam, makeTokenUser, referFromClinicalTeam } from '../../test/factories.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import * as tasks from '../task-analyses/service.ts';
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

const viewerOf = (u: User) => ({ userId: u.id, role: u.role, teamId: u.teamId });

async function setStatus(participantId: string, status: string) {
  await t.db.updateTable('participants').set({ status }).where('id', '=', participantId).execute();
}

async function statusOf(participantId: string) {
  return (await t.db.selectFrom('participants').select('status').where('id', '=', participantId).executeTakeFirstOrThrow())
    .status;
}

function jobForm(employer: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    employer,
    title: 'Porter',
    start_date: '2026-11-02',
    hours_per_week: '16',
    hourly_pay: '13.00',
    contract_type: 'permanent',
    line_manager: 'Sam Lee',
    open_to_anyone: 'yes',
    set_aside_for_disabled: 'no',
    ...overrides,
  };
}

/** Starts a job through the form and returns its id. */
async function startJob(participantId: string, employer: string, overrides: Record<string, string> = {}) {
  await patBrowser.get(`/participants/${participantId}/placements/new`);
  const res = await patBrowser.post(`/participants/${participantId}/placements/new`, jobForm(employer, overrides));
  expect(res.statusCode).toBe(302);
  return /\/placements\/([^?]+)/.exec(res.headers.location as string)![1]!;
}

async function endJob(placementId: string, reason: string, endDate = '2026-11-20') {
  const page = await patBrowser.get(`/placements/${placementId}/end`);
  const version = /name="version" value="(\d+)"/.exec(page.body)![1]!;
  return patBrowser.post(`/placements/${placementId}/end`, { end_date: endDate, end_reason: reason, version });
}

describe('start a job (pages)', () => {
  it('starts a job typed by employer name, moves the person to employed and shows the job hub', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await setStatus(p.id, 'job_search');
    await makeEmployer(t.db, t.deps, pat, { name: 'Leeds Teaching Hospitals', type: 'host' });
    const form = await patBrowser.get(`/participants/${p.id}/placements/new`);
    expect(form.body).toContain('<datalist id="employer-names">');
    const id = await startJob(p.id, 'leeds teaching hospitals');
    expect(await statusOf(p.id)).toBe('employed');
    const page = await patBrowser.get(`/placements/${id}?done=started`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Porter at Leeds Teaching Hospitals');
    expect(page.body).toContain('Their status is now employed');
    expect(page.body).toContain('Yes, this is a competitive job');
    expect(page.body).toContain('£13.00 an hour is at or above the £12.71 minimum');
    // 13 weeks after 2 November 2026.
    expect(page.body).toContain('1 February 2027: Not yet');
    expect(page.body).toContain(`/placements/${id}/support-plan`);
    expect(page.body).toContain(`/placements/${id}/instruction`);
    expect(page.body).toContain(`/placements/${id}/issues`);
  });

  it('says why the status stays when the person cannot move to employed yet', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await makeEmployer(t.db, t.deps, pat, { name: 'Corner Cafe' });
    const id = await startJob(p.id, 'Corner Cafe');
    expect(await statusOf(p.id)).toBe('referred');
    const page = await patBrowser.get(`/placements/${id}?done=started`);
    expect(page.body).toContain('Their status did not change');
  });

  it('keeps the typed values and names every problem when the employer is unknown and the pay is not money', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const res = await patBrowser.post(
      `/participants/${p.id}/placements/new`,
      jobForm('Nobody Ltd', { hourly_pay: 'lots', title: '' }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('No employer called “Nobody Ltd” is recorded');
    expect(res.body).toContain('Hourly pay must be an amount in pounds');
    expect(res.body).toContain('Enter the job title');
    expect(res.body).toMatch(/name="hourly_pay"[^>]*value="lots"/);
  });

  it('allows two jobs at once, and ending one keeps the person employed; ending the last moves them to job search', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await setStatus(p.id, 'job_search');
    await makeEmployer(t.db, t.deps, pat, { name: 'Cafe One' });
    await makeEmployer(t.db, t.deps, pat, { name: 'Shop Two' });
    const first = await startJob(p.id, 'Cafe One');
    const second = await startJob(p.id, 'Shop Two', { title: 'Shelf stacker' });
    const list = await patBrowser.get(`/participants/${p.id}/placements`);
    expect(list.body).toContain('Porter at Cafe One');
    expect(list.body).toContain('Shelf stacker at Shop Two');
    expect((await endJob(first, 'resigned')).statusCode).toBe(302);
    expect(await statusOf(p.id)).toBe('employed');
    await endJob(second, 'contract_end');
    expect(await statusOf(p.id)).toBe('job_search');
  });

  it('refuses an end date before the start, keeping the reason chosen', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await makeEmployer(t.db, t.deps, pat, { name: 'Cafe One' });
    const id = await startJob(p.id, 'Cafe One');
    const res = await endJob(id, 'resigned', '2026-10-01');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('End date must be on or after the start date');
    expect(res.body).toMatch(/value="resigned" checked/);
  });

  it('answers 409 on a stale version when changing a job, keeping the typed values', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await makeEmployer(t.db, t.deps, pat, { name: 'Cafe One' });
    const id = await startJob(p.id, 'Cafe One');
    await patBrowser.get(`/placements/${id}/edit`);
    await t.db.updateTable('placements').set({ version: 5 }).where('id', '=', id).execute();
    const res = await patBrowser.post(`/placements/${id}/edit`, {
      ...jobForm('Cafe One', { title: 'Head porter' }),
      version: '1',
    });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('This job has changed');
    expect(res.body).toMatch(/name="title"[^>]*value="Head porter"/);
  });
});

describe('absences', () => {
  it('records an open-ended sick leave shown on the job and the person’s jobs list, then ends it', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await makeEmployer(t.db, t.deps, pat, { name: 'Cafe One' });
    const id = await startJob(p.id, 'Cafe One');
    await patBrowser.get(`/placements/${id}/absences/new`);
    const res = await patBrowser.post(`/placements/${id}/absences/new`, {
      kind: 'sick_leave',
      from_date: '2026-11-20',
      to_date: '',
    });
    expect(res.statusCode).toBe(302);
    expect((await patBrowser.get(`/placements/${id}`)).body).toContain('Off sick since 20 November 2026');
    expect((await patBrowser.get(`/participants/${p.id}/placements`)).body).toContain('Off sick since 20 November 2026');
    const absence = await t.db.selectFrom('absences').select('id').where('placement_id', '=', id).executeTakeFirstOrThrow();
    await patBrowser.get(`/placements/${id}/absences/${absence.id}/end`);
    const ended = await patBrowser.post(`/placements/${id}/absences/${absence.id}/end`, { to_date: '2026-11-24', version: '1' });
    expect(ended.statusCode).toBe(302);
    expect((await patBrowser.get(`/placements/${id}`)).body).not.toContain('Off sick since');
  });
});

describe('redundancy and redeployment', () => {
  it('ending a job for redundancy at a supplier opens a redeployment, and the report counts it as supplier, not host', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await setStatus(p.id, 'job_search');
    await makeEmployer(t.db, t.deps, pat, { name: 'Hospital Catering Ltd', type: 'supplier' });
    const id = await startJob(p.id, 'Hospital Catering');
    expect(await statusOf(p.id)).toBe('employed');
    const res = await endJob(id, 'redundancy');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toMatch(new RegExp(`/participants/${p.id}/redeployments/.+\\?done=redundancy`));
    expect(await statusOf(p.id)).toBe('job_search');
    const page = await patBrowser.get(res.headers.location as string);
    expect(page.body).toContain('A redeployment is open and job search starts now');
    expect(page.body).toContain(`/participants/${p.id}/profile`);
    expect(page.body).toContain('Porter at Hospital Catering Ltd');

    const report = await patBrowser.get('/reports/redeployment');
    expect(report.statusCode).toBe(200);
    const supplier = report.body.slice(report.body.indexOf('Supplier to the host'), report.body.indexOf('Other employers'));
    const host = report.body.slice(report.body.indexOf('Host organisation'), report.body.indexOf('Supplier to the host'));
    expect(supplier).toMatch(/Redundancies\s*<\/dt>\s*<dd[^>]*>\s*1\s*</);
    expect(supplier).toMatch(/Still open\s*<\/dt>\s*<dd[^>]*>\s*1\s*</);
    expect(host).toMatch(/Redundancies\s*<\/dt>\s*<dd[^>]*>\s*0\s*</);
  });

  it('closes the redeployment as redeployed within the host when the person starts a job at the host', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await setStatus(p.id, 'job_search');
    await makeEmployer(t.db, t.deps, pat, { name: 'Supplier Co', type: 'supplier' });
    await makeEmployer(t.db, t.deps, pat, { name: 'The Trust', type: 'host' });
    const lost = await startJob(p.id, 'Supplier Co');
    await endJob(lost, 'redundancy');
    const next = await startJob(p.id, 'The Trust', { start_date: '2026-11-24' });
    const r = await t.db.selectFrom('redeployments').selectAll().where('participant_id', '=', p.id).executeTakeFirstOrThrow();
    expect(r.outcome).toBe('redeployed_host');
    expect(r.new_placement_id).toBe(next);
    const report = await patBrowser.get('/reports/redeployment');
    expect(report.body).toMatch(/Redeployed within the host\s*<\/dt>\s*<dd[^>]*>\s*1\s*</);
  });

  it('carries the tasks the person mastered over to the redeployment page', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await makeEmployer(t.db, t.deps, pat, { name: 'Supplier Co', type: 'supplier' });
    const lost = await startJob(p.id, 'Supplier Co');
    const analysis = await tasks.createTaskAnalysis(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(pat), {
      title: 'Set up the tea trolley',
      steps: ['Fill the urn', 'Stack the cups'],
    });
    for (const day of ['2026-11-10', '2026-11-11', '2026-11-12']) {
      await tasks.recordSession(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(pat), analysis.id, {
        participantId: p.id,
        placementId: lost,
        sessionDate: day,
        results: analysis.steps.map((step) => ({ stepId: step.id, promptLevel: 'independent' })),
      });
    }
    const res = await endJob(lost, 'redundancy');
    const page = await patBrowser.get(res.headers.location as string);
    expect(page.body).toContain('Set up the tea trolley (mastered 12 November 2026)');
  });

  it('closes a redeployment by hand as not yet in work after a confirmation page', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await makeEmployer(t.db, t.deps, pat, { name: 'Supplier Co', type: 'supplier' });
    const lost = await startJob(p.id, 'Supplier Co');
    const res = await endJob(lost, 'redundancy');
    const rid = /redeployments\/([^?]+)/.exec(res.headers.location as string)![1]!;
    const confirm = await patBrowser.get(`/participants/${p.id}/redeployments/${rid}/close`);
    expect(confirm.body).toContain('Close this redeployment');
    const closed = await patBrowser.post(`/participants/${p.id}/redeployments/${rid}/close`, { version: '1' });
    expect(closed.statusCode).toBe(302);
    const page = await patBrowser.get(closed.headers.location as string);
    expect(page.body).toContain('Not yet in work');
  });

  it('counts only the viewer’s team in the report', async () => {
    const south = (await makeTeam(t.db, t.deps, 'South IPS')).id;
    const { browser: other } = await signedInAs(t, 'manager', south);
    const p = await makeParticipant(t.db, t.deps, pat);
    await makeEmployer(t.db, t.deps, pat, { name: 'Supplier Co', type: 'supplier' });
    await endJob(await startJob(p.id, 'Supplier Co'), 'redundancy');
    const report = await other.get('/reports/redeployment');
    expect(report.body).toContain('No jobs held by your team’s people have ended in redundancy');
  });
});

describe('access', () => {
  it('lets a clinician of the referring team read the jobs but not start one; hides them from other teams', async () => {
    const cmht = (await makeTeam(t.db, t.deps, 'Riverside CMHT')).id;
    const { browser: clin } = await signedInAs(t, 'clinician', cmht);
    const p = await makeParticipant(t.db, t.deps, pat);
    await referFromClinicalTeam(t.db, p.id, cmht);
    await makeEmployer(t.db, t.deps, pat, { name: 'Cafe One' });
    const id = await startJob(p.id, 'Cafe One');
    expect((await clin.get(`/placements/${id}`)).statusCode).toBe(200);
    expect((await clin.get(`/participants/${p.id}/placements`)).body).not.toContain('Start a job');
    expect((await clin.get(`/participants/${p.id}/placements/new`)).statusCode).toBe(403);
    const { browser: stranger } = await signedInAs(t, 'practitioner', (await makeTeam(t.db, t.deps)).id);
    expect((await stranger.get(`/placements/${id}`)).statusCode).toBe(404);
  });

  it('audits reads of a job on the person', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await makeEmployer(t.db, t.deps, pat, { name: 'Cafe One' });
    const id = await startJob(p.id, 'Cafe One');
    await patBrowser.get(`/placements/${id}`);
    const events = await t.db
      .selectFrom('audit_events')
      .select(['entity_id', 'details'])
      .where('action', '=', 'placement.viewed')
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.entity_id).toBe(p.id);
  });
});

describe('placements API', () => {
  const api = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

  it('creates, reads, lists and ends a job with the DESIGN field names and the derived verdict', async () => {
    const { user, token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const p = await makeParticipant(t.db, t.deps, user, { dateOfBirth: '2007-06-01' });
    const employer = await makeEmployer(t.db, t.deps, user, { type: 'supplier' });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/placements',
      headers: api(token),
      payload: {
        participant_id: p.id,
        employer_id: employer.id,
        title: 'Porter',
        start_date: '2026-11-02',
        hourly_pay_pence: 1100,
        hours_per_week: 20.5,
      },
    });
    expect(created.statusCode).toBe(201);
    const job = created.json<Record<string, unknown>>();
    expect(job).toMatchObject({
      participant_id: p.id,
      employer_id: employer.id,
      title: 'Porter',
      start_date: '2026-11-02',
      end_date: null,
      end_reason: null,
      hours_per_week: 20.5,
      hourly_pay_pence: 1100,
      open_to_anyone: true,
      set_aside_for_disabled: false,
      competitive: true,
      version: 1,
    });
    expect((job.competitive_reasons as string[]).join(' ')).toContain('someone aged 19');
    expect((job.milestones as { date: string }[]).map((m) => m.date)).toEqual(['2027-02-01', '2027-05-03', '2027-11-01']);

    const list = await t.app.inject({ method: 'GET', url: `/api/v1/placements?participant_id=${p.id}`, headers: api(token) });
    expect(list.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([job.id]);

    const stale = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/placements/${job.id as string}`,
      headers: api(token),
      payload: { version: 9, end_date: '2026-11-20', end_reason: 'redundancy' },
    });
    expect(stale.statusCode).toBe(409);

    const ended = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/placements/${job.id as string}`,
      headers: api(token),
      payload: { version: 1, end_date: '2026-11-20', end_reason: 'redundancy' },
    });
    expect(ended.statusCode).toBe(200);
    expect(ended.json()).toMatchObject({ end_date: '2026-11-20', end_reason: 'redundancy', version: 2 });
    expect(await t.db.selectFrom('redeployments').select('id').where('participant_id', '=', p.id).execute()).toHaveLength(1);
  });

  it('needs an end reason with an end date, and hides other teams’ jobs', async () => {
    const { user, token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const p = await makeParticipant(t.db, t.deps, user);
    const employer = await makeEmployer(t.db, t.deps, user);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/placements',
      headers: api(token),
      payload: { participant_id: p.id, employer_id: employer.id, title: 'Porter', start_date: '2026-11-02' },
    });
    const id = created.json<{ id: string }>().id;
    const bad = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/placements/${id}`,
      headers: api(token),
      payload: { version: 1, end_date: '2026-11-20' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error.fields?.end_reason).toBe('Choose why the job ended');

    const { token: otherToken } = await makeTokenUser(t.db, t.deps, 'practitioner', (await makeTeam(t.db, t.deps)).id);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/placements/${id}`, headers: api(otherToken) })).statusCode).toBe(
      404,
    );
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/placements', headers: api(otherToken) });
    expect(list.json<{ items: unknown[] }>().items).toEqual([]);
  });
});
