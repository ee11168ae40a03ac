import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, signedInAs, type TestApp } from '../../test/test-app.ts';
import { makeEmployer, makeParticipant, makeTeam } from '../../test/factories.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import * as employers from '../employers/service.ts';
import * as tasks from '../task-analyses/service.ts';
import type { User } from '../users/service.ts';
import * as internships from './service.ts';

// The test clock stands at Wednesday 25 November 2026, 10:00 UTC. The cohort runs from
// 1 September 2026 to 16 July 2027 in three rotations; the first has ended, the second is on.

let t: TestApp;
let north: string;
let pat: User;
let patBrowser: Browser;
let moBrowser: Browser;

beforeEach(async () => {
  t = await createTestApp();
  north = (await makeTeam(t.db, t.deps, 'North Internships')).id;
  ({ browser: patBrowser, user: pat } = await signedInAs(t, 'practitioner', north));
  ({ browser: moBrowser } = await signedInAs(t, 'manager', north));
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

async function auditOf(action: string) {
  return t.db.selectFrom('audit_events').select(['entity_type', 'entity_id', 'details']).where('action', '=', action).execute();
}

/** A cohort at City Hospital with two interns (Amy and Ben) and three rotations; Amy is in Pharmacy then Catering. */
async function cohortWithInterns() {
  const host = await makeEmployer(t.db, t.deps, pat, { name: 'City Hospital', type: 'host' });
  const v = viewerOf(pat);
  const pharmacy = await employers.saveDepartment(t.db, t.deps, SYSTEM_CONTEXT, v, host.id, null, { name: 'Pharmacy' });
  const catering = await employers.saveDepartment(t.db, t.deps, SYSTEM_CONTEXT, v, host.id, null, { name: 'Catering' });
  const cohort = await internships.createCohort(t.db, t.deps, SYSTEM_CONTEXT, v, {
    name: 'City Hospital 2026/27',
    programmeYear: '2026/27',
    hostEmployerId: host.id,
    teamId: north,
    tutorUserId: pat.id,
    educationProvider: 'City College',
    startDate: '2026-09-01',
    endDate: '2027-07-16',
    notes: null,
  });
  const amyP = await makeParticipant(t.db, t.deps, pat, { givenName: 'Amy', familyName: 'Archer', programme: 'internship' });
  const benP = await makeParticipant(t.db, t.deps, pat, { givenName: 'Ben', familyName: 'Baker', programme: 'internship' });
  const amy = await internships.addIntern(t.db, t.deps, SYSTEM_CONTEXT, v, cohort.id, { participantId: amyP.id, ehcPlan: true });
  const ben = await internships.addIntern(t.db, t.deps, SYSTEM_CONTEXT, v, cohort.id, { participantId: benP.id, ehcPlan: false });
  const now = t.clock.now().toISOString();
  const dates = [
    ['2026-09-01', '2026-11-20'],
    ['2026-11-23', '2027-03-19'],
    ['2027-03-22', '2027-07-16'],
  ] as const;
  const rotations = dates.map(([start, end], i) => ({
    id: randomUUID(),
    cohort_id: cohort.id,
    number: i + 1,
    start_date: start,
    end_date: end,
    created_at: now,
    updated_at: now,
    version: 1,
  }));
  await t.db.insertInto('rotations').values(rotations).execute();
  const place = (rotationId: string, internId: string, departmentId: string) => ({
    id: randomUUID(),
    rotation_id: rotationId,
    cohort_intern_id: internId,
    employer_department_id: departmentId,
    created_at: now,
    updated_at: now,
  });
  await t.db
    .insertInto('rotation_placements')
    .values([place(rotations[0]!.id, amy.id, pharmacy.id), place(rotations[1]!.id, amy.id, catering.id)])
    .execute();
  const stock = await tasks.createTaskAnalysis(t.db, t.deps, SYSTEM_CONTEXT, v, {
    title: 'Restock the dispensary shelves',
    employerId: host.id,
    departmentId: pharmacy.id,
    steps: ['Check the list', 'Fetch the boxes'],
  });
  const trays = await tasks.createTaskAnalysis(t.db, t.deps, SYSTEM_CONTEXT, v, {
    title: 'Lay up breakfast trays',
    employerId: host.id,
    departmentId: catering.id,
    steps: ['Wash hands', 'Lay the tray'],
  });
  const elsewhere = await makeEmployer(t.db, t.deps, pat, { name: 'Corner Cafe' });
  const other = await tasks.createTaskAnalysis(t.db, t.deps, SYSTEM_CONTEXT, v, {
    title: 'Make a latte',
    employerId: elsewhere.id,
    steps: ['Steam the milk'],
  });
  return { host, cohort, amy, ben, amyP, benP, rotations, pharmacy, catering, stock, trays, other };
}

/** Posts a form with repeated fields (several ticked checkboxes), as a browser would. */
async function postPairs(browser: Browser, url: string, pairs: [string, string][]) {
  return t.app.inject({
    method: 'POST',
    url,
    cookies: browser.cookies,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams([['_csrf', browser.csrf], ...pairs]).toString(),
  });
}

async function addItem(words: string) {
  const res = await moBrowser.post('/internships/checklist', { text: words });
  expect(res.statusCode).toBe(302);
  return (await t.db.selectFrom('employability_items').select('id').where('text', '=', words).executeTakeFirstOrThrow()).id;
}

describe('the intern page', () => {
  it('shows the intern, their rotations and departments, the links onwards, and audits the read on the person', async () => {
    const c = await cohortWithInterns();
    const res = await patBrowser.get(`/cohorts/${c.cohort.id}/interns/${c.amy.id}`);
    expect(res.statusCode).toBe(200);
    const page = text(res.body);
    expect(page).toContain('Amy Archer');
    expect(page).toContain('Holds a plan');
    expect(page).toContain('On the internship');
    expect(page).toContain('Rotation 1: 1 September 2026 to 20 November 2026');
    expect(page).toContain('Pharmacy');
    expect(page).toContain('Catering');
    expect(page).toContain('Not placed in a department yet');
    expect(page).toContain('No attendance recorded yet');
    expect(page).toContain('No graduation outcome yet');
    expect(res.body).toContain(`href="/cohorts/${c.cohort.id}/rotations/${c.rotations[0]!.id}/interns/${c.amy.id}"`);
    expect(res.body).toContain(`href="/cohorts/${c.cohort.id}/interns/${c.amy.id}/graduation"`);
    expect(res.body).toContain(`href="/participants/${c.amyP.id}"`);
    expect(res.body).not.toContain('/hand-over');
    const viewed = await auditOf('intern.viewed');
    expect(viewed.map((e) => [e.entity_type, e.entity_id])).toEqual([['participant', c.amyP.id]]);
  });

  it('offers “Start follow-on support” for a graduate in a job who has not been handed over yet', async () => {
    const c = await cohortWithInterns();
    await t.db
      .updateTable('cohort_interns')
      .set({
        status: 'graduated',
        outcome: 'employed_host',
        outcome_date: '2027-07-16',
        job_title: 'Pharmacy assistant',
        job_hours_per_week: 15,
        job_hourly_pay_pence: 1300,
        job_seasonal: 0,
        job_integrated: 1,
        job_start_date: '2027-07-19',
      })
      .where('id', '=', c.amy.id)
      .execute();
    const page = text((await patBrowser.get(`/cohorts/${c.cohort.id}/interns/${c.amy.id}`)).body);
    expect(page).toContain('Employed by the host organisation');
    expect(page).toContain('Pharmacy assistant');
    expect(page).toContain('The job does not meet the programme outcome');
    expect(page).toContain('15 hours a week: fewer than 16');
    expect(page).toContain('Start follow-on support');
  });

  it('answers 404 to a practitioner of another team, and for a graduate handed over to another team', async () => {
    const c = await cohortWithInterns();
    const south = (await makeTeam(t.db, t.deps, 'South')).id;
    const { browser: other } = await signedInAs(t, 'practitioner', south);
    expect((await other.get(`/cohorts/${c.cohort.id}/interns/${c.amy.id}`)).statusCode).toBe(404);
    expect((await other.get(`/cohorts/${c.cohort.id}/rotations/${c.rotations[0]!.id}/interns/${c.amy.id}`)).statusCode).toBe(404);
    expect((await other.get(`/cohorts/${c.cohort.id}/attendance`)).statusCode).toBe(404);
    const { user: coach } = await signedInAs(t, 'practitioner', south);
    await t.db
      .updateTable('participants')
      .set({ team_id: south, practitioner_id: coach.id })
      .where('id', '=', c.amyP.id)
      .execute();
    expect((await patBrowser.get(`/cohorts/${c.cohort.id}/interns/${c.amy.id}`)).statusCode).toBe(404);
    expect((await patBrowser.get(`/cohorts/${c.cohort.id}/interns/${c.ben.id}`)).statusCode).toBe(200);
  });

  it('refuses clinicians and commissioners with 403', async () => {
    const c = await cohortWithInterns();
    const { browser: clinician } = await signedInAs(t, 'clinician', north);
    expect((await clinician.get(`/cohorts/${c.cohort.id}/interns/${c.amy.id}`)).statusCode).toBe(403);
    expect((await clinician.get(`/cohorts/${c.cohort.id}/attendance`)).statusCode).toBe(403);
    const { browser: commissioner } = await signedInAs(t, 'commissioner');
    expect(
      (await commissioner.get(`/cohorts/${c.cohort.id}/rotations/${c.rotations[0]!.id}/interns/${c.amy.id}`)).statusCode,
    ).toBe(403);
  });
});

describe('skills progress in a rotation', () => {
  it('saves tasks learnt, the checklist and a review in the intern’s words, and shows them on the intern page', async () => {
    const c = await cohortWithInterns();
    const onTime = await addItem('Arrives on time and signs in');
    const help = await addItem('Asks for help when stuck');
    const url = `/cohorts/${c.cohort.id}/rotations/${c.rotations[0]!.id}/interns/${c.amy.id}`;
    const form = await patBrowser.get(url);
    expect(form.statusCode).toBe(200);
    const offered = text(form.body);
    // The host's tasks, the department's first; not another employer's.
    expect(offered.indexOf('Restock the dispensary shelves')).toBeLessThan(offered.indexOf('Lay up breakfast trays'));
    expect(offered).toContain('In this department');
    expect(offered).not.toContain('Make a latte');
    expect(offered).toContain('Arrives on time and signs in');

    const res = await patBrowser.post(url, {
      task_ids: c.stock.id,
      achieved: onTime,
      [`note_${help}`]: 'Nearly there: asks the pharmacist, not yet the ward clerk',
      review_date: '20/11/2026',
      went_well: 'Amy learnt the restock round and did it alone by week 8.',
      to_work_on: 'Asking for help sooner.',
      intern_words: 'I like the pharmacy. I want to work here.',
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`${url}?done=saved`);

    const saved = await patBrowser.get(`${url}?done=saved`);
    const page = text(saved.body);
    expect(page).toContain('Progress saved');
    expect(page).toContain('I like the pharmacy. I want to work here.');
    expect(saved.body).toContain('value="Nearly there: asks the pharmacist, not yet the ward clerk"');
    expect(saved.body).toMatch(new RegExp(`value="${c.stock.id}" checked`));
    expect(saved.body).toMatch(new RegExp(`value="${onTime}" checked`));
    expect(saved.body).not.toMatch(new RegExp(`value="${help}" checked`));
    expect(page).toContain(`Written by ${pat.name}`);

    const intern = text((await patBrowser.get(`/cohorts/${c.cohort.id}/interns/${c.amy.id}`)).body);
    expect(intern).toContain('1 task learnt, 1 checklist item achieved, review written');
    expect(intern).toContain('0 tasks learnt, 0 checklist items achieved, no review yet');
    const recorded = await auditOf('intern.progress_recorded');
    expect(recorded.map((e) => e.entity_id)).toEqual([c.amyP.id]);
    expect(JSON.parse(recorded[0]!.details!)).toMatchObject({ tasks_learnt: 1, checklist_achieved: 1, review: 'created' });
    expect((await auditOf('intern.progress_viewed')).length).toBeGreaterThanOrEqual(2);
  });

  it('unticks a task and changes the review with the version read; a stale version keeps the words typed', async () => {
    const c = await cohortWithInterns();
    const url = `/cohorts/${c.cohort.id}/rotations/${c.rotations[0]!.id}/interns/${c.amy.id}`;
    await patBrowser.get(url);
    const review = { review_date: '2026-11-20', went_well: 'Good start.', intern_words: 'It was fine.' };
    expect((await patBrowser.post(url, { task_ids: c.stock.id, ...review })).statusCode).toBe(302);
    expect((await patBrowser.post(url, { ...review, went_well: 'Stale change', review_version: '' })).statusCode).toBe(409);
    await patBrowser.get(url);
    const res = await patBrowser.post(url, { ...review, intern_words: 'I loved it.', review_version: '1' });
    expect(res.statusCode).toBe(302);
    const rows = await t.db.selectFrom('rotation_tasks').selectAll().where('cohort_intern_id', '=', c.amy.id).execute();
    expect(rows).toEqual([]);
    const saved = await t.db.selectFrom('rotation_reviews').selectAll().executeTakeFirstOrThrow();
    expect([saved.intern_words, Number(saved.version)]).toEqual(['I loved it.', 2]);
    const stale = await patBrowser.post(url, { ...review, went_well: 'Someone else’s words', review_version: '1' });
    expect(stale.statusCode).toBe(409);
    expect(text(stale.body)).toContain('Someone else changed this review after you opened it');
    expect(stale.body).toContain('Someone else’s words');
  });

  it('refuses a review date without any words, and a review dated in the future, keeping what was typed', async () => {
    const c = await cohortWithInterns();
    const url = `/cohorts/${c.cohort.id}/rotations/${c.rotations[1]!.id}/interns/${c.amy.id}`;
    await patBrowser.get(url);
    const bare = await patBrowser.post(url, { task_ids: c.trays.id, review_date: '2026-11-24' });
    expect(bare.statusCode).toBe(400);
    expect(text(bare.body)).toContain(
      'Write what went well, what to work on next or what the intern said, or leave the review date empty',
    );
    expect(bare.body).toMatch(new RegExp(`value="${c.trays.id}" checked`));
    const future = await patBrowser.post(url, { review_date: '2027-03-19', intern_words: 'Going well so far' });
    expect(future.statusCode).toBe(400);
    expect(text(future.body)).toContain('Review date must be today or in the past');
    expect(future.body).toContain('Going well so far');
    expect(await t.db.selectFrom('rotation_reviews').selectAll().execute()).toEqual([]);
    expect(await t.db.selectFrom('rotation_tasks').selectAll().execute()).toEqual([]);
  });

  it('says the manager has not set up the checklist yet, and that the host has no task analyses when it has none', async () => {
    const c = await cohortWithInterns();
    await t.db.deleteFrom('task_steps').execute();
    await t.db.deleteFrom('task_analyses').execute();
    const page = text((await patBrowser.get(`/cohorts/${c.cohort.id}/rotations/${c.rotations[0]!.id}/interns/${c.amy.id}`)).body);
    expect(page).toContain('Your manager has not set up the checklist yet');
    expect(page).toContain('There are no task analyses for City Hospital yet');
    const forManager = text(
      (await moBrowser.get(`/cohorts/${c.cohort.id}/rotations/${c.rotations[0]!.id}/interns/${c.amy.id}`)).body,
    );
    expect(forManager).toContain('Set up the employability checklist');
  });
});

describe('the employability checklist', () => {
  it('starts empty with what to do, adds items in order, moves them, and changes their words', async () => {
    const empty = await moBrowser.get('/internships/checklist');
    expect(empty.statusCode).toBe(200);
    expect(text(empty.body)).toContain('No checklist items yet');
    const first = await addItem('Arrives on time');
    const second = await addItem('Wears the uniform');
    const blank = await moBrowser.post('/internships/checklist', { text: '  ' });
    expect(blank.statusCode).toBe(400);
    expect(text(blank.body)).toContain('Enter what the intern should be able to do');
    const same = await moBrowser.post('/internships/checklist', { text: 'arrives on time' });
    expect(text(same.body)).toContain('The checklist already has this item');

    expect((await moBrowser.post(`/internships/checklist/${second}/move`, { direction: 'up' })).statusCode).toBe(302);
    const moved = text((await moBrowser.get('/internships/checklist')).body);
    expect(moved.indexOf('Wears the uniform')).toBeLessThan(moved.indexOf('Arrives on time'));

    await moBrowser.get(`/internships/checklist/${first}/edit`);
    const changed = await moBrowser.post(`/internships/checklist/${first}/edit`, {
      text: 'Arrives on time and signs in',
      version: '1',
    });
    expect(changed.statusCode).toBe(302);
    const stale = await moBrowser.post(`/internships/checklist/${first}/edit`, { text: 'Something else', version: '1' });
    expect(stale.statusCode).toBe(409);
    expect(text(stale.body)).toContain('It now reads “Arrives on time and signs in”');
  });

  it('moves an item once when the same move is sent twice (a double click), and again on a new press', async () => {
    const a = await addItem('Answers the phone politely');
    await addItem('Labels the samples');
    await addItem('Restocks the trolley');
    const order = async () => {
      const page = text((await moBrowser.get('/internships/checklist')).body);
      return ['Answers the phone', 'Labels the samples', 'Restocks the trolley'].sort(
        (x, y) => page.indexOf(x) - page.indexOf(y),
      );
    };
    const press = { direction: 'down', _idempotency_key: `move-${a}-down-press-1` };
    expect((await moBrowser.post(`/internships/checklist/${a}/move`, press)).statusCode).toBe(302);
    expect((await moBrowser.post(`/internships/checklist/${a}/move`, press)).statusCode).toBe(302);
    expect(await order()).toEqual(['Labels the samples', 'Answers the phone', 'Restocks the trolley']);
    const again = { direction: 'down', _idempotency_key: `move-${a}-down-press-2` };
    expect((await moBrowser.post(`/internships/checklist/${a}/move`, again)).statusCode).toBe(302);
    expect(await order()).toEqual(['Labels the samples', 'Restocks the trolley', 'Answers the phone']);
  });

  it('is for managers: a practitioner is refused', async () => {
    expect((await patBrowser.get('/internships/checklist')).statusCode).toBe(403);
    expect((await patBrowser.post('/internships/checklist', { text: 'Arrives on time' })).statusCode).toBe(403);
  });

  it('retires an item after confirming: still shown on progress already recorded, no longer offered for new progress', async () => {
    const c = await cohortWithInterns();
    const onTime = await addItem('Arrives on time');
    const uniform = await addItem('Wears the uniform');
    const first = `/cohorts/${c.cohort.id}/rotations/${c.rotations[0]!.id}/interns/${c.amy.id}`;
    await patBrowser.get(first);
    const both = await postPairs(patBrowser, first, [
      ['achieved', onTime],
      ['achieved', uniform],
    ]);
    expect(both.statusCode).toBe(302);

    const confirm = await moBrowser.get(`/internships/checklist/${onTime}/retire`);
    expect(text(confirm.body)).toContain('Retire this checklist item?');
    expect(text(confirm.body)).toContain('Arrives on time');
    expect((await moBrowser.post(`/internships/checklist/${onTime}/retire`, { version: '1' })).statusCode).toBe(302);
    const list = text((await moBrowser.get('/internships/checklist')).body);
    expect(list).toContain('Retired items');

    const old = await patBrowser.get(first);
    expect(text(old.body)).toContain('Arrives on time (no longer on the checklist): achieved');
    expect(old.body).not.toContain(`value="${onTime}"`);
    const fresh = await patBrowser.get(`/cohorts/${c.cohort.id}/rotations/${c.rotations[1]!.id}/interns/${c.amy.id}`);
    expect(fresh.body).not.toContain('Arrives on time');
    expect(fresh.body).toContain(`value="${uniform}"`);
    // Saving the old rotation again keeps the retired item's answer.
    expect((await patBrowser.post(first, { achieved: uniform })).statusCode).toBe(302);
    const kept = await t.db
      .selectFrom('employability_checks')
      .selectAll()
      .where('item_id', '=', onTime)
      .executeTakeFirstOrThrow();
    expect(Number(kept.achieved)).toBe(1);
  });
});

describe('the attendance register', () => {
  it('lists active interns for today, refuses an absence without a reason next to the row, and keeps the values', async () => {
    const c = await cohortWithInterns();
    const url = `/cohorts/${c.cohort.id}/attendance`;
    const page = await patBrowser.get(url);
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('Wednesday 25 November 2026 (today)');
    expect(text(page.body)).toContain('Previous day');
    expect(page.body).toContain(`href="${url}?date=2026-11-24"`);
    expect(page.body).not.toContain('Next day');
    const viewed = await auditOf('cohort.viewed');
    expect(viewed.map((e) => [e.entity_type, e.entity_id])).toEqual([['cohort', c.cohort.id]]);

    const refused = await patBrowser.post(url, {
      [`attendance_${c.amy.id}`]: 'present',
      [`note_${c.amy.id}`]: 'Came in early',
      [`attendance_${c.ben.id}`]: 'absent',
    });
    expect(refused.statusCode).toBe(400);
    expect(text(refused.body)).toContain('Select why Ben Baker was absent');
    expect(refused.body).toMatch(new RegExp(`id="reason_${c.ben.id}-error"`));
    expect(refused.body).toMatch(new RegExp(`value="present" checked[^>]*>|checked[^>]*value="present"`));
    expect(refused.body).toContain('Came in early');
    expect(await t.db.selectFrom('intern_attendance').selectAll().execute()).toEqual([]);

    const saved = await patBrowser.post(url, {
      [`attendance_${c.amy.id}`]: 'present',
      [`attendance_${c.ben.id}`]: 'absent',
      [`reason_${c.ben.id}`]: 'ill',
    });
    expect(saved.statusCode).toBe(302);
    expect(saved.headers.location).toBe(`${url}?date=2026-11-25&done=recorded`);
    const recorded = await auditOf('intern.attendance_recorded');
    expect(recorded.map((e) => e.entity_id).sort()).toEqual([c.amyP.id, c.benP.id].sort());
    // Saving the same again changes nothing and audits nothing more.
    await patBrowser.get(url);
    await patBrowser.post(url, {
      [`attendance_${c.amy.id}`]: 'present',
      [`attendance_${c.ben.id}`]: 'absent',
      [`reason_${c.ben.id}`]: 'ill',
    });
    expect(await auditOf('intern.attendance_recorded')).toHaveLength(2);
  });

  it('shows attendance so far as a percentage with absences by reason, on the register and the intern page', async () => {
    const c = await cohortWithInterns();
    const url = `/cohorts/${c.cohort.id}/attendance`;
    await patBrowser.get(url);
    const mark = (day: string, ben: Record<string, string>) =>
      patBrowser.post(`${url}?date=${day}`, { [`attendance_${c.amy.id}`]: 'present', ...ben });
    expect((await mark('2026-11-23', { [`attendance_${c.ben.id}`]: 'present' })).statusCode).toBe(302);
    expect(
      (await mark('2026-11-24', { [`attendance_${c.ben.id}`]: 'absent', [`reason_${c.ben.id}`]: 'transport' })).statusCode,
    ).toBe(302);
    expect((await mark('2026-11-25', { [`attendance_${c.ben.id}`]: 'absent', [`reason_${c.ben.id}`]: 'ill' })).statusCode).toBe(
      302,
    );
    const register = text((await patBrowser.get(url)).body);
    expect(register).toMatch(/Amy Archer Days recorded 3 Present 100% Absences by reason None/);
    expect(register).toMatch(/Ben Baker Days recorded 3 Present 33% Absences by reason Ill: 1, Transport problem: 1/);
    const ben = text((await patBrowser.get(`/cohorts/${c.cohort.id}/interns/${c.ben.id}`)).body);
    expect(ben).toContain('Present on 1 of 3 days recorded: 33%');
    expect(ben).toContain('Ill: 1');
    expect(ben).toContain('Transport problem: 1');
    // Going back to a day shows what was recorded.
    const tuesday = await patBrowser.get(`${url}?date=2026-11-24`);
    expect(tuesday.body).toMatch(/<option value="transport" selected/);
  });

  it('does not take a register for a day that has not happened or is outside the cohort', async () => {
    const c = await cohortWithInterns();
    const url = `/cohorts/${c.cohort.id}/attendance`;
    const future = await patBrowser.get(`${url}?date=2026-11-26`);
    expect(text(future.body)).toContain('This day has not happened yet');
    expect(future.body).not.toContain('Save the register');
    const before = await patBrowser.get(`${url}?date=2026-08-28`);
    expect(text(before.body)).toContain('This day is before the cohort starts');
    const refused = await patBrowser.post(`${url}?date=2026-11-26`, { [`attendance_${c.amy.id}`]: 'present' });
    expect(refused.statusCode).toBe(400);
    expect(text(refused.body)).toContain('This day has not happened yet. Choose a day from 1 September 2026 to 25 November 2026');
    expect(await t.db.selectFrom('intern_attendance').selectAll().execute()).toEqual([]);
  });

  it('leaves withdrawn interns off the register but keeps them in the summary', async () => {
    const c = await cohortWithInterns();
    await t.db.updateTable('cohort_interns').set({ status: 'withdrawn' }).where('id', '=', c.ben.id).execute();
    const page = await patBrowser.get(`/cohorts/${c.cohort.id}/attendance`);
    expect(page.body).not.toContain(`attendance_${c.ben.id}`);
    expect(text(page.body)).toContain('Ben Baker (Left the internship)');
  });
});
