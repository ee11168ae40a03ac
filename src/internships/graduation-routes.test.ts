import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, signedInAs, type TestApp } from '../../test/test-app.ts';
import { makeEmployer, makeParticipant, makeTeam, makeUser, referFromClinicalTeam } from '../../test/factories.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import * as participants from '../participants/service.ts';
import type { User } from '../users/service.ts';
import * as internships from './service.ts';

// The test clock stands at 2026-11-25 10:00 UTC. The cohort ran from 1 September 2025 to 17 July
// 2026; its graduates' jobs start on 1 September 2026, when Sam (born 1 March 2005) is 21: the
// minimum wage for him is then £12.71 an hour.

let t: TestApp;
let team: string;
let tutor: User;
let tutorBrowser: Browser;

beforeEach(async () => {
  t = await createTestApp();
  team = (await makeTeam(t.db, t.deps, 'Interns team')).id;
  ({ browser: tutorBrowser, user: tutor } = await signedInAs(t, 'practitioner', team));
});
afterEach(async () => {
  await t.close();
});

const viewerOf = (u: User) => ({ userId: u.id, role: u.role, teamId: u.teamId });
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/\s+/g, ' ');

/** A cohort at City Hospital with one intern, Sam Okafor, in Pharmacy for rotation 1. */
async function cohortWithIntern(options: { programmeYear?: string; name?: string } = {}) {
  const host =
    (await t.db.selectFrom('employers').select('id').where('name', '=', 'City Hospital').executeTakeFirst()) ??
    (await makeEmployer(t.db, t.deps, tutor, { name: 'City Hospital', type: 'host' }));
  const cohort = await internships.createCohort(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(tutor), {
    name: options.name ?? 'City Hospital interns',
    programmeYear: options.programmeYear ?? '2025/26',
    hostEmployerId: host.id,
    teamId: team,
    tutorUserId: tutor.id,
    educationProvider: 'City College',
    startDate: '2025-09-01',
    endDate: '2026-07-17',
    notes: null,
  });
  const p = await makeParticipant(t.db, t.deps, tutor, {
    givenName: 'Sam',
    familyName: 'Okafor',
    programme: 'internship',
    dateOfBirth: '2005-03-01',
  });
  await participants.changeStatus(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(tutor), p.id, p.version, 'engaged');
  const intern = await internships.addIntern(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(tutor), cohort.id, {
    participantId: p.id,
    ehcPlan: true,
  });
  const now = t.deps.clock.now().toISOString();
  const record = { created_at: now, updated_at: now, version: 1 };
  const siteId = randomUUID();
  await t.db
    .insertInto('employer_sites')
    .values({
      id: siteId,
      ...record,
      employer_id: host.id,
      name: 'St James’s',
      address: null,
      postcode: null,
      latitude: null,
      longitude: null,
    })
    .execute();
  const departmentId = randomUUID();
  await t.db
    .insertInto('employer_departments')
    .values({
      id: departmentId,
      ...record,
      employer_id: host.id,
      name: 'Pharmacy',
      employer_site_id: siteId,
      intern_capacity: 2,
      intern_contact: null,
    })
    .execute();
  const rotationId = randomUUID();
  await t.db
    .insertInto('rotations')
    .values({ id: rotationId, ...record, cohort_id: cohort.id, number: 1, start_date: '2025-09-01', end_date: '2025-11-28' })
    .execute();
  await t.db
    .insertInto('rotation_placements')
    .values({
      id: randomUUID(),
      rotation_id: rotationId,
      cohort_intern_id: intern.id,
      employer_department_id: departmentId,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { host, cohort, p, intern, departmentId, siteId };
}

const graduationHref = (c: { id: string }, i: { id: string }) => `/cohorts/${c.id}/interns/${i.id}/graduation`;
const handOverHref = (c: { id: string }, i: { id: string }) => `/cohorts/${c.id}/interns/${i.id}/hand-over`;

/** A host job for Sam: 16 hours at £12.71, not seasonal, integrated, unless told otherwise. */
function hostJob(overrides: Record<string, string> = {}) {
  return {
    status: 'graduated',
    outcome: 'employed_host',
    outcome_date: '2026-07-17',
    outcome_note: '',
    employer: 'City Hospital',
    job_title: 'Pharmacy assistant',
    job_start_date: '2026-09-01',
    hours_per_week: '16',
    hourly_pay: '12.71',
    seasonal: 'no',
    integrated: 'yes',
    contract_type: 'permanent',
    line_manager: 'Jo Patel',
    version: '1',
    ...overrides,
  };
}

async function graduate(browser: Browser, c: { id: string }, i: { id: string }, overrides: Record<string, string> = {}) {
  await browser.get(graduationHref(c, i));
  return browser.post(graduationHref(c, i), hostJob(overrides));
}

describe('recording graduation', () => {
  it('offers the form with the host as the employer, and audits the read on the person', async () => {
    const { cohort, intern, p } = await cohortWithIntern();
    const res = await tutorBrowser.get(graduationHref(cohort, intern));
    expect(res.statusCode).toBe(200);
    const page = text(res.body);
    expect(page).toContain('Record graduation');
    expect(page).toContain('How did the internship end?');
    expect(page).toContain('Employed by the host organisation');
    expect(res.body).toContain('value="City Hospital"');
    const audited = await t.db.selectFrom('audit_events').select('entity_id').where('action', '=', 'intern.viewed').execute();
    expect(audited.map((a) => a.entity_id)).toEqual([p.id]);
  });

  it.each<[string, Record<string, string>, boolean, string]>([
    ['15 hours a week', { hours_per_week: '15' }, false, '15 hours a week: fewer than 16'],
    ['16 hours a week', { hours_per_week: '16' }, true, '16 hours a week (16 or more)'],
    ['a seasonal contract', { seasonal: 'yes' }, false, 'A seasonal job'],
    ['pay below the minimum wage', { hourly_pay: '12.00' }, false, '£12.00'],
    ['a segregated setting', { integrated: 'no' }, false, 'Not an integrated setting'],
  ])('works out the programme outcome for %s and shows why', async (_label, overrides, meets, reason) => {
    const { cohort, intern } = await cohortWithIntern();
    const saved = await graduate(tutorBrowser, cohort, intern, overrides);
    expect(saved.statusCode).toBe(302);
    expect(saved.headers.location).toBe(`${graduationHref(cohort, intern)}?done=saved`);
    const page = text((await tutorBrowser.get(saved.headers.location as string)).body);
    expect(page).toContain('Graduation saved');
    expect(page).toContain(meets ? 'This job meets the programme outcome' : 'This job does not meet the programme outcome');
    expect(page).toContain(reason);
    const row = await t.db.selectFrom('cohort_interns').selectAll().where('id', '=', intern.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('graduated');
    expect(Number(row.job_hourly_pay_pence)).toBe(overrides.hourly_pay === '12.00' ? 1200 : 1271);
    expect(Number(row.job_seasonal)).toBe(overrides.seasonal === 'yes' ? 1 : 0);
  });

  it('says what is missing beside each field and keeps what was typed', async () => {
    const { cohort, intern } = await cohortWithIntern();
    const res = await graduate(tutorBrowser, cohort, intern, {
      job_title: 'Porter',
      hours_per_week: '',
      hourly_pay: '12.7.1',
      seasonal: '',
      line_manager: 'Jo Patel',
    });
    expect(res.statusCode).toBe(400);
    const page = text(res.body);
    expect(page).toContain('There is a problem');
    expect(page).toContain('Enter the hours a week');
    expect(page).toContain('Hourly pay must be an amount in pounds, like 12.71');
    expect(page).toContain('Select whether the job is seasonal');
    expect(res.body).toContain('value="Porter"');
    expect(res.body).toContain('value="12.7.1"');
    expect(res.body).toContain('value="Jo Patel"');
    const row = await t.db.selectFrom('cohort_interns').select('status').where('id', '=', intern.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('active');
  });

  it('asks how the internship ended and what a graduate went on to', async () => {
    const { cohort, intern } = await cohortWithIntern();
    const none = await graduate(tutorBrowser, cohort, intern, { status: '', outcome: '' });
    expect(none.statusCode).toBe(400);
    expect(text(none.body)).toContain('Select whether they finished the internship or left early');
    const noOutcome = await graduate(tutorBrowser, cohort, intern, { outcome: '' });
    expect(noOutcome.statusCode).toBe(400);
    expect(text(noOutcome.body)).toContain('Select what they went on to');
  });

  it('refuses a host job with another employer, and an employer that is not recorded', async () => {
    const { cohort, intern } = await cohortWithIntern();
    await makeEmployer(t.db, t.deps, tutor, { name: 'Corner Café' });
    const other = await graduate(tutorBrowser, cohort, intern, { employer: 'Corner Café' });
    expect(other.statusCode).toBe(400);
    expect(text(other.body)).toContain('A job with the host organisation is with City Hospital');
    const unknown = await graduate(tutorBrowser, cohort, intern, { employer: 'Nowhere Ltd', outcome: 'employed_elsewhere' });
    expect(unknown.statusCode).toBe(400);
    expect(text(unknown.body)).toContain('No employer called “Nowhere Ltd” is recorded');
  });

  it('records an intern who left early without a job', async () => {
    const { cohort, intern } = await cohortWithIntern();
    const res = await graduate(tutorBrowser, cohort, intern, {
      status: 'withdrawn',
      outcome: '',
      outcome_date: '2026-02-10',
      job_title: '',
      hours_per_week: '',
    });
    expect(res.statusCode).toBe(302);
    const row = await t.db.selectFrom('cohort_interns').selectAll().where('id', '=', intern.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'withdrawn', outcome: null, outcome_date: '2026-02-10', job_title: null });
    const audited = await t.db.selectFrom('audit_events').select('action').where('action', '=', 'intern.withdrawn').execute();
    expect(audited).toHaveLength(1);
  });

  it('refuses a stale version and keeps the typed values', async () => {
    const { cohort, intern } = await cohortWithIntern();
    expect((await graduate(tutorBrowser, cohort, intern)).statusCode).toBe(302);
    const stale = await graduate(tutorBrowser, cohort, intern, { hours_per_week: '20', version: '1' });
    expect(stale.statusCode).toBe(409);
    expect(text(stale.body)).toContain('Someone else changed this intern’s record after you opened it');
    expect(stale.body).toContain('value="20"');
    expect(stale.body).toContain('name="version" value="2"');
  });
});

describe('handing over to follow-on support', () => {
  it('moves an employed graduate to the follow-on coach’s caseload, keeping the internship on their timeline', async () => {
    const { cohort, intern, p } = await cohortWithIntern();
    const followOnTeam = (await makeTeam(t.db, t.deps, 'Follow-on team')).id;
    const { browser: coachBrowser, user: coach } = await signedInAs(t, 'practitioner', followOnTeam);
    expect(text((await tutorBrowser.get('/caseload')).body)).toContain('Okafor');
    expect(text((await coachBrowser.get('/caseload')).body)).not.toContain('Okafor');
    await graduate(tutorBrowser, cohort, intern);

    const form = await tutorBrowser.get(handOverHref(cohort, intern));
    expect(form.statusCode).toBe(200);
    const formPage = text(form.body);
    expect(formPage).toContain('What happens when you start follow-on support');
    expect(formPage).toContain(`${coach.name} (Follow-on team)`);
    // No coach is chosen for them: the first option asks for one.
    expect(form.body).toContain('<option value="">Select the follow-on job coach</option>');
    expect(form.body).not.toMatch(/<option value="[^"]+" selected/);

    const done = await tutorBrowser.post(handOverHref(cohort, intern), { coach_id: coach.id, version: '2' });
    expect(done.statusCode).toBe(302);
    expect(done.headers.location).toBe(`${handOverHref(cohort, intern)}?done=handed_over`);
    const after = text((await tutorBrowser.get(done.headers.location as string)).body);
    expect(after).toContain('Follow-on support started');
    expect(after).toContain(`${coach.name} now supports them`);
    expect(after).toContain('you no longer see it');
    expect(after).not.toContain('Okafor');

    // The tutor's caseload no longer lists the graduate; the follow-on coach's does.
    expect(text((await tutorBrowser.get('/caseload')).body)).not.toContain('Okafor');
    expect(text((await coachBrowser.get('/caseload')).body)).toContain('Sam Okafor');
    expect((await tutorBrowser.get(`/participants/${p.id}`)).statusCode).toBe(404);

    // The follow-on coach sees the internship on the timeline and the record.
    const timeline = text((await coachBrowser.get(`/participants/${p.id}/timeline`)).body);
    expect(timeline).toContain('Joined the supported internship: City Hospital interns (2025/26)');
    expect(timeline).toContain('Internship rotation 1: Pharmacy');
    expect(timeline).toContain('Graduated from the internship: City Hospital interns (2025/26)');
    expect(timeline).toContain('The job meets the programme outcome');
    expect(timeline).toContain('Moved to follow-on job coaching after the internship');
    const record = text((await coachBrowser.get(`/participants/${p.id}`)).body);
    expect(record).toContain('Internship');
    expect(record).toContain('City Hospital interns at City Hospital');
    expect(record).toContain('Rotation 1: Pharmacy, St James’s');
    expect(record).toContain('Employed by the host organisation: Pharmacy assistant at City Hospital');
    expect(record).toContain('Follow-on job coaching');
    expect(record).toContain('Employed');
  });

  it('refuses a second hand-over with the reason', async () => {
    const { cohort, intern } = await cohortWithIntern();
    const coach = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: team });
    await graduate(tutorBrowser, cohort, intern);
    await tutorBrowser.get(handOverHref(cohort, intern));
    expect((await tutorBrowser.post(handOverHref(cohort, intern), { coach_id: coach.id, version: '2' })).statusCode).toBe(302);
    const again = await tutorBrowser.post(handOverHref(cohort, intern), { coach_id: coach.id, version: '3' });
    expect(again.statusCode).toBe(422);
    expect(text(again.body)).toContain('They have already moved to follow-on support');
    const placements = await t.db.selectFrom('placements').select('id').execute();
    expect(placements).toHaveLength(1);
  });

  it('refuses a graduate who is not in a paid job, and says so on the page', async () => {
    const { cohort, intern } = await cohortWithIntern();
    const coach = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: team });
    await graduate(tutorBrowser, cohort, intern, { outcome: 'further_education' });
    const page = text((await tutorBrowser.get(handOverHref(cohort, intern))).body);
    expect(page).toContain('Follow-on support is for graduates in a paid job');
    const res = await tutorBrowser.post(handOverHref(cohort, intern), { coach_id: coach.id, version: '2' });
    expect(res.statusCode).toBe(422);
    expect(text(res.body)).toContain('Follow-on support is for graduates in a paid job');
    expect(await t.db.selectFrom('placements').select('id').execute()).toHaveLength(0);
  });

  it('refuses a coach who is not an active practitioner, next to the field', async () => {
    const { cohort, intern } = await cohortWithIntern();
    const manager = await makeUser(t.db, t.deps, { role: 'manager', teamId: team });
    await graduate(tutorBrowser, cohort, intern);
    await tutorBrowser.get(handOverHref(cohort, intern));
    const res = await tutorBrowser.post(handOverHref(cohort, intern), { coach_id: manager.id, version: '2' });
    expect(res.statusCode).toBe(422);
    expect(text(res.body)).toContain('The follow-on job coach must be an active practitioner');
    const none = await tutorBrowser.post(handOverHref(cohort, intern), { coach_id: '', version: '2' });
    expect(none.statusCode).toBe(400);
    expect(text(none.body)).toContain('Select the follow-on job coach');
    const row = await t.db
      .selectFrom('cohort_interns')
      .select('handed_over_at')
      .where('id', '=', intern.id)
      .executeTakeFirstOrThrow();
    expect(row.handed_over_at).toBeNull();
  });
});

describe('the internship outcomes report', () => {
  it('shows figures per cohort, per programme year and over all years, with the definition, and as CSV', async () => {
    const first = await cohortWithIntern({ name: 'Cohort A', programmeYear: '2024/25' });
    await graduate(tutorBrowser, first.cohort, first.intern);
    const second = await cohortWithIntern({ name: 'Cohort B', programmeYear: '2025/26' });
    await graduate(tutorBrowser, second.cohort, second.intern, { hours_per_week: '12' });
    const res = await tutorBrowser.get('/reports/internships');
    expect(res.statusCode).toBe(200);
    const page = text(res.body);
    expect(page).toContain('What counts as a programme outcome');
    expect(page).toContain('16 hours a week or more');
    expect(page).toContain('All years: 1 of 2 graduates (50%) into a job meeting the programme outcome');
    expect(page).toMatch(/Cohort A .*2024\/25 .*1 .*1 .*1 .*1 .*100%/);
    expect(page).toMatch(/Cohort B .*2025\/26 .*1 .*1 .*1 .*0 .*0%/);

    const csv = await tutorBrowser.get('/reports/internships.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="internship-outcomes-2026-11-25.csv"');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('Row,Name,Programme year,Interns,Graduates,Employed,Jobs meeting the programme outcome,Outcome rate %');
    expect(lines).toContain('Cohort,Cohort B,2025/26,1,1,1,0,0');
    expect(lines).toContain('Cohort,Cohort A,2024/25,1,1,1,1,100');
    expect(lines).toContain('Programme year,2025/26,2025/26,1,1,1,0,0');
    expect(lines).toContain('All years,All years,,2,2,2,1,50');
  });

  it('says what to do when there are no cohorts yet', async () => {
    const page = text((await tutorBrowser.get('/reports/internships')).body);
    expect(page).toContain('There are no cohorts you can see yet');
  });
});

describe('who may use these pages', () => {
  it('answers 404 to a practitioner of another team', async () => {
    const { cohort, intern } = await cohortWithIntern();
    const other = (await makeTeam(t.db, t.deps)).id;
    const { browser } = await signedInAs(t, 'practitioner', other);
    expect((await browser.get(graduationHref(cohort, intern))).statusCode).toBe(404);
    expect((await browser.get(handOverHref(cohort, intern))).statusCode).toBe(404);
    expect((await browser.post(graduationHref(cohort, intern), hostJob())).statusCode).toBe(404);
    expect(text((await browser.get('/reports/internships')).body)).not.toContain('City Hospital interns');
  });

  it('refuses clinicians and commissioners (403)', async () => {
    const { cohort, intern, p } = await cohortWithIntern();
    const clinicalTeam = (await makeTeam(t.db, t.deps)).id;
    await referFromClinicalTeam(t.db, p.id, clinicalTeam);
    const { browser: clinician } = await signedInAs(t, 'clinician', clinicalTeam);
    expect((await clinician.get(graduationHref(cohort, intern))).statusCode).toBe(403);
    expect((await clinician.get(handOverHref(cohort, intern))).statusCode).toBe(403);
    const { browser: commissioner } = await signedInAs(t, 'commissioner');
    expect((await commissioner.get('/reports/internships')).statusCode).toBe(403);
    expect((await commissioner.get('/reports/internships.csv')).statusCode).toBe(403);
  });
});
