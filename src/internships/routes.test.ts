import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, signedInAs, type TestApp } from '../../test/test-app.ts';
import { makeEmployer, makeParticipant, makeProfile, makeTeam, makeUser } from '../../test/factories.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import * as employers from '../employers/service.ts';
import type { User } from '../users/service.ts';

// The test clock stands at 2026-11-25 10:00 UTC: inside rotation 1 of a cohort starting 1 September 2026.

let t: TestApp;
let north: string;
let pat: User;
let patBrowser: Browser;
let hostId: string;

beforeEach(async () => {
  t = await createTestApp();
  north = (await makeTeam(t.db, t.deps, 'North Internships')).id;
  ({ browser: patBrowser, user: pat } = await signedInAs(t, 'practitioner', north));
  hostId = (await makeEmployer(t.db, t.deps, pat, { name: 'City Hospital Trust', type: 'host' })).id;
});
afterEach(async () => {
  await t.close();
});

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

const COHORT = {
  name: 'City Hospital interns 2026/27',
  programme_year: '2026/27',
  tutor_user_id: '',
  education_provider: 'Leeds City College',
  start_date: '2026-09-01',
  end_date: '2027-07-09',
  notes: '',
};

async function setUpCohort(overrides: Record<string, string> = {}): Promise<string> {
  const res = await patBrowser.post('/cohorts/new', { ...COHORT, host_employer_id: hostId, team_id: north, ...overrides });
  expect(res.statusCode).toBe(302);
  const m = /^\/cohorts\/([0-9a-f-]+)\?done=created$/.exec(res.headers.location as string);
  expect(m).not.toBeNull();
  return m![1]!;
}

const viewer = () => ({ userId: pat.id, role: pat.role, teamId: pat.teamId });

async function addSite(name: string): Promise<string> {
  return (await employers.saveSite(t.db, t.deps, SYSTEM_CONTEXT, viewer(), hostId, null, { name })).id;
}

async function addIntern(cohortId: string, givenName: string, familyName: string): Promise<string> {
  const p = await makeParticipant(t.db, t.deps, pat, { givenName, familyName, programme: 'internship' });
  const res = await patBrowser.post(`/cohorts/${cohortId}/interns/new`, { participant_id: p.id, ehc_plan: 'yes' });
  expect(res.statusCode).toBe(302);
  return p.id;
}

async function internIds(cohortId: string): Promise<Map<string, string>> {
  const rows = await t.db
    .selectFrom('cohort_interns')
    .innerJoin('participants', 'participants.id', 'cohort_interns.participant_id')
    .select(['cohort_interns.id', 'participants.given_name', 'participants.family_name'])
    .where('cohort_id', '=', cohortId)
    .execute();
  return new Map(rows.map((r) => [`${r.given_name} ${r.family_name}`, r.id]));
}

async function rotationIds(cohortId: string): Promise<string[]> {
  const rows = await t.db.selectFrom('rotations').select('id').where('cohort_id', '=', cohortId).orderBy('number').execute();
  return rows.map((r) => r.id);
}

async function auditOf(action: string) {
  return t.db.selectFrom('audit_events').select(['entity_type', 'entity_id', 'details']).where('action', '=', action).execute();
}

describe('the cohorts list', () => {
  it('says how to start when there are no cohorts, and is in the navigation', async () => {
    const res = await patBrowser.get('/cohorts');
    expect(res.statusCode).toBe(200);
    const page = text(res.body);
    expect(page).toContain('No cohorts yet');
    expect(page).toContain('Set up a cohort');
    expect(res.body).toContain('href="/cohorts"');
    expect(page).toContain('Internships');
  });

  it('lists a cohort of the viewer’s team', async () => {
    await setUpCohort();
    const page = text((await patBrowser.get('/cohorts')).body);
    expect(page).toContain('City Hospital interns 2026/27');
    expect(page).toContain('2026/27 at City Hospital Trust');
    expect(page).toContain('1 September 2026 to 9 July 2027');
  });
});

describe('setting up and changing a cohort', () => {
  it('offers the host organisation and the viewer’s team, and sets up the cohort', async () => {
    const form = await patBrowser.get('/cohorts/new');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('City Hospital Trust');
    expect(form.body).toContain('North Internships');
    const id = await setUpCohort({ tutor_user_id: pat.id });
    const page = text((await patBrowser.get(`/cohorts/${id}?done=created`)).body);
    expect(page).toContain('Cohort set up');
    expect(page).toContain('Leeds City College');
    expect(page).toContain(`Tutor ${pat.name}`);
    expect(page).toContain('No interns have graduated yet.');
    expect(page).toContain('No rotations are planned yet');
  });

  it('keeps the typed values and shows each problem next to its field', async () => {
    const res = await patBrowser.post('/cohorts/new', {
      ...COHORT,
      programme_year: '2026/28',
      host_employer_id: '',
      team_id: north,
      end_date: '31/02/2027',
    });
    expect(res.statusCode).toBe(400);
    const page = text(res.body);
    expect(page).toContain('There is a problem');
    expect(page).toContain('Programme year must be two years in a row, like 2026/27');
    expect(page).toContain('Select the host organisation');
    expect(page).toContain('End date must be a real date, like 1/9/2026');
    expect(res.body).toContain('value="City Hospital interns 2026/27"');
    expect(res.body).toContain('value="Leeds City College"');
  });

  it('refuses an end date before the start, keeping the values', async () => {
    const res = await patBrowser.post('/cohorts/new', {
      ...COHORT,
      host_employer_id: hostId,
      team_id: north,
      end_date: '2026-08-01',
    });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('End date must be after the start date');
    expect(res.body).toContain('value="City Hospital interns 2026/27"');
  });

  it('changes a cohort, and refuses a stale change with 409 keeping what was typed', async () => {
    const id = await setUpCohort();
    const form = await patBrowser.get(`/cohorts/${id}/edit`);
    expect(form.body).toMatch(/name="version" value="1"/);
    const values = { ...COHORT, host_employer_id: hostId, team_id: north, version: '1' };
    const saved = await patBrowser.post(`/cohorts/${id}/edit`, { ...values, name: 'Hospital interns' });
    expect(saved.headers.location).toBe(`/cohorts/${id}?done=saved`);
    const stale = await patBrowser.post(`/cohorts/${id}/edit`, { ...values, name: 'Trust interns' });
    expect(stale.statusCode).toBe(409);
    expect(text(stale.body)).toContain('Someone else changed this cohort after you opened it');
    expect(stale.body).toContain('value="Trust interns"');
    expect(stale.body).toMatch(/name="version" value="2"/);
  });

  it('sets the job coaches and the host sites', async () => {
    const id = await setUpCohort();
    const coach = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north, name: 'Cora Coach' });
    const site = await addSite('St James’s');
    await addSite('Chapel Allerton');
    const form = await patBrowser.get(`/cohorts/${id}/team`);
    expect(form.body).toContain('Cora Coach');
    expect(form.body).toContain('Chapel Allerton');
    const res = await patBrowser.post(`/cohorts/${id}/team`, { coach_ids: coach.id, site_ids: site });
    expect(res.headers.location).toBe(`/cohorts/${id}?done=team`);
    const page = text((await patBrowser.get(`/cohorts/${id}`)).body);
    expect(page).toContain('Job coaches Cora Coach');
    expect(page).toContain('Host sites St James’s');
  });
});

describe('who can see a cohort', () => {
  it('answers 404 to a practitioner of another team, on every page', async () => {
    const id = await setUpCohort();
    const south = (await makeTeam(t.db, t.deps, 'South')).id;
    const { browser } = await signedInAs(t, 'practitioner', south);
    for (const path of ['', '/edit', '/team', '/departments', '/rotations', '/grid', '/interns/new'])
      expect((await browser.get(`/cohorts/${id}${path}`)).statusCode).toBe(404);
    expect(text((await browser.get('/cohorts')).body)).toContain('No cohorts yet');
  });

  it('refuses clinicians and commissioners', async () => {
    const id = await setUpCohort();
    for (const role of ['clinician', 'commissioner'] as const) {
      const { browser } = await signedInAs(t, role, north);
      expect((await browser.get('/cohorts')).statusCode).toBe(403);
      expect((await browser.get(`/cohorts/${id}`)).statusCode).toBe(403);
    }
  });
});

describe('interns on the cohort page', () => {
  it('adds an intern from the team’s internship caseload and lists them, auditing the read', async () => {
    const id = await setUpCohort();
    await makeParticipant(t.db, t.deps, pat, { givenName: 'Ivy', familyName: 'Ips', programme: 'ips' });
    await makeParticipant(t.db, t.deps, pat, { givenName: 'Sam', familyName: 'Okafor', programme: 'internship' });
    const form = await patBrowser.get(`/cohorts/${id}/interns/new`);
    expect(form.body).toContain('Sam Okafor');
    expect(form.body).not.toContain('Ivy Ips');
    const missing = await patBrowser.post(`/cohorts/${id}/interns/new`, { participant_id: '' });
    expect(missing.statusCode).toBe(400);
    expect(text(missing.body)).toContain('Say whether they have an education, health and care plan');
    const samId = await addIntern(id, 'Sara', 'Ahmed');
    const page = text((await patBrowser.get(`/cohorts/${id}?done=intern`)).body);
    expect(page).toContain('Intern added');
    expect(page).toMatch(/Name Sara Ahmed EHC plan Yes Status On the internship/);
    expect((await auditOf('intern.added')).map((a) => a.entity_id)).toEqual([samId]);
    const viewed = await auditOf('cohort.viewed');
    expect(viewed.some((a) => a.entity_type === 'cohort' && a.entity_id === id)).toBe(true);
    // Once added, they are no longer offered.
    expect((await patBrowser.get(`/cohorts/${id}/interns/new`)).body).not.toContain('Sara Ahmed');
  });

  it('shows a graduate now with another team’s follow-on coach without their name or a link', async () => {
    const id = await setUpCohort();
    const pId = await addIntern(id, 'Gina', 'Grad');
    const other = (await makeTeam(t.db, t.deps, 'Follow-on')).id;
    const coach = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: other });
    await t.db
      .updateTable('participants')
      .set({ team_id: other, practitioner_id: coach.id, programme: 'follow_on' })
      .where('id', '=', pId)
      .execute();
    await t.db
      .updateTable('cohort_interns')
      .set({ status: 'graduated', outcome: 'employed_host' })
      .where('participant_id', '=', pId)
      .execute();
    const page = text((await patBrowser.get(`/cohorts/${id}`)).body);
    expect(page).toContain('Graduate, now with follow-on support');
    expect(page).not.toContain('Gina Grad');
    expect(page).toContain('0 of 1 graduate (0%) into a job meeting the programme outcome.');
  });
});

describe('departments', () => {
  it('adds a department with its capacity and contact, and checks the capacity', async () => {
    const id = await setUpCohort();
    const site = await addSite('St James’s');
    await patBrowser.post(`/cohorts/${id}/team`, { site_ids: site });
    expect(text((await patBrowser.get(`/cohorts/${id}/departments`)).body)).toContain('No departments yet');
    const bad = await patBrowser.post(`/cohorts/${id}/departments/new`, {
      name: 'Pharmacy',
      site_id: site,
      intern_capacity: '25',
      intern_contact: 'Jo Smith',
    });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('Interns at once must be 20 or fewer');
    expect(bad.body).toContain('value="Jo Smith"');
    const ok = await patBrowser.post(`/cohorts/${id}/departments/new`, {
      name: 'Pharmacy',
      site_id: site,
      intern_capacity: '2',
      intern_contact: 'Jo Smith, pharmacy manager',
    });
    expect(ok.headers.location).toBe(`/cohorts/${id}/departments?done=saved`);
    const page = text((await patBrowser.get(`/cohorts/${id}/departments`)).body);
    expect(page).toMatch(/Pharmacy : change Site St James’s Interns at once 2 Contact Jo Smith, pharmacy manager/);
    const dept = await t.db
      .selectFrom('employer_departments')
      .selectAll()
      .where('name', '=', 'Pharmacy')
      .executeTakeFirstOrThrow();
    expect(dept.employer_id).toBe(hostId);
    const change = await patBrowser.get(`/cohorts/${id}/departments/${dept.id}`);
    expect(change.body).toContain('name="version" value="2"');
    const changed = await patBrowser.post(`/cohorts/${id}/departments/${dept.id}`, {
      name: 'Pharmacy',
      site_id: site,
      intern_capacity: '3',
      intern_contact: '',
      version: '2',
    });
    expect(changed.statusCode).toBe(302);
    expect(text((await patBrowser.get(`/cohorts/${id}/departments`)).body)).toMatch(/Interns at once 3 Contact Not recorded/);
    const stale = await patBrowser.post(`/cohorts/${id}/departments/${dept.id}`, {
      name: 'Pharmacy',
      intern_capacity: '1',
      version: '2',
    });
    expect(stale.statusCode).toBe(409);
  });

  it('does not list or open departments at sites the cohort does not use', async () => {
    const id = await setUpCohort();
    const elsewhere = await addSite('Wharfedale');
    const dept = await employers.saveDepartment(t.db, t.deps, SYSTEM_CONTEXT, viewer(), hostId, null, {
      name: 'Outpatients',
      siteId: elsewhere,
    });
    expect(text((await patBrowser.get(`/cohorts/${id}/departments`)).body)).not.toContain('Outpatients');
    expect((await patBrowser.get(`/cohorts/${id}/departments/${dept.id}`)).statusCode).toBe(404);
  });
});

describe('the rotation plan', () => {
  it('offers three rotations splitting the year, and saves them', async () => {
    const id = await setUpCohort();
    const form = await patBrowser.get(`/cohorts/${id}/rotations`);
    expect(text(form.body)).toContain('No rotations are saved yet');
    expect(form.body).toContain('name="rotation_1_start_date" type="date" value="2026-09-01"');
    expect(form.body).toContain('name="rotation_3_end_date" type="date" value="2027-07-09"');
    const values = Object.fromEntries(
      [...form.body.matchAll(/name="(rotation_\d_(?:start|end)_date)" type="date" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
    );
    const res = await patBrowser.post(`/cohorts/${id}/rotations`, { rotation_count: '3', ...values });
    expect(res.headers.location).toBe(`/cohorts/${id}/rotations?done=rotations`);
    expect(await rotationIds(id)).toHaveLength(3);
    const page = text((await patBrowser.get(`/cohorts/${id}`)).body);
    expect(page).toMatch(/Rotation 1: 1 September 2026 to \d+ \w+ 2026 \(now\)/);
  });

  it('suggests dates for another number of rotations', async () => {
    const id = await setUpCohort();
    const form = await patBrowser.get(`/cohorts/${id}/rotations?count=4`);
    expect(form.body).toContain('name="rotation_4_end_date" type="date" value="2027-07-09"');
    expect(form.body).not.toContain('rotation_5_start_date');
  });

  it('shows overlapping rotations as an error next to the start date, keeping the dates', async () => {
    const id = await setUpCohort();
    const res = await patBrowser.post(`/cohorts/${id}/rotations`, {
      rotation_count: '2',
      rotation_1_start_date: '2026-09-01',
      rotation_1_end_date: '2027-01-31',
      rotation_2_start_date: '2027-01-15',
      rotation_2_end_date: '2027-07-09',
    });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('Rotation 2 must start after rotation 1 ends');
    expect(res.body).toContain('href="#rotation_2_start_date"');
    expect(res.body).toContain('value="2027-01-15"');
    expect(await rotationIds(id)).toHaveLength(0);
  });
});

describe('the rotation grid', () => {
  it('plans 12 interns over 3 rotations in 9 departments at 5 sites, and shows a department over capacity and a repeated department as clashes', async () => {
    const id = await setUpCohort();
    const siteNames = ['St James’s', 'Leeds General', 'Chapel Allerton', 'Seacroft', 'Wharfedale'];
    const sites = [];
    for (const s of siteNames) sites.push(await addSite(s));
    expect((await patBrowser.post(`/cohorts/${id}/team`, { site_ids: sites[0]! })).statusCode).toBe(302);
    // The form posts one site_ids field per ticked box.
    const allSites = new URLSearchParams();
    for (const s of sites) allSites.append('site_ids', s);
    const teamRes = await t.app.inject({
      method: 'POST',
      url: `/cohorts/${id}/team`,
      cookies: patBrowser.cookies,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(patBrowser.csrf)}&${allSites.toString()}`,
    });
    expect(teamRes.statusCode).toBe(302);

    const departmentNames = [
      'Pharmacy',
      'Catering',
      'Estates',
      'Linen',
      'Portering',
      'Stores',
      'Reception',
      'Medical records',
      'Therapies',
    ];
    for (const [i, name] of departmentNames.entries())
      expect(
        (
          await patBrowser.post(`/cohorts/${id}/departments/new`, {
            name,
            site_id: sites[i % 5]!,
            intern_capacity: '2',
            intern_contact: '',
          })
        ).statusCode,
      ).toBe(302);

    const people = [
      'Sam Okafor',
      'Amy Bell',
      'Ben Cole',
      'Cat Dunn',
      'Dan Eve',
      'Eli Ford',
      'Fay Gill',
      'Gus Hart',
      'Hal Ince',
      'Ida Jones',
      'Jo Kerr',
      'Kit Lamb',
    ];
    for (const n of people) {
      const [given, family] = n.split(' ');
      await addIntern(id, given!, family!);
    }
    const samParticipant = await t.db
      .selectFrom('participants')
      .select('id')
      .where('family_name', '=', 'Okafor')
      .executeTakeFirstOrThrow();
    await makeProfile(t.db, t.deps, pat, samParticipant.id, { occupations: ['Pharmacy assistant'], interests: 'Science' });

    const rotationsForm = await patBrowser.get(`/cohorts/${id}/rotations`);
    const rotationValues = Object.fromEntries(
      [...rotationsForm.body.matchAll(/name="(rotation_\d_(?:start|end)_date)" type="date" value="([^"]*)"/g)].map((m) => [
        m[1]!,
        m[2]!,
      ]),
    );
    await patBrowser.post(`/cohorts/${id}/rotations`, { rotation_count: '3', ...rotationValues });

    const grid = await patBrowser.get(`/cohorts/${id}/grid`);
    expect(grid.statusCode).toBe(200);
    expect(grid.body).toContain('Would like: Pharmacy assistant. Interests: Science');
    expect(grid.body).toContain('Department for Sam Okafor in rotation 2');
    expect(grid.body).toContain('Pharmacy (St James’s) (takes 2)');
    // Nothing placed yet: every intern lacks a department in every rotation.
    expect(text(grid.body)).toContain('36 clashes in the plan');
    expect(text(grid.body)).toContain('Sam Okafor has no department in rotation 3');

    const interns = await internIds(id);
    const rotations = await rotationIds(id);
    const departments = await t.db
      .selectFrom('employer_departments')
      .select(['id', 'name'])
      .where('employer_id', '=', hostId)
      .execute();
    const dept = (name: string) => departments.find((d) => d.name === name)!.id;
    // A plan without clashes: intern i goes to department (i + 3r) mod 9 in rotation r.
    const form: Record<string, string> = {};
    people.forEach((name, i) =>
      rotations.forEach((r, ri) => {
        form[`cell_${interns.get(name)!}_${r}`] = dept(departmentNames[(i + 3 * ri) % 9]!);
      }),
    );
    const saved = await patBrowser.post(`/cohorts/${id}/grid`, form);
    expect(saved.headers.location).toBe(`/cohorts/${id}/grid?done=saved`);
    const clean = text((await patBrowser.get(saved.headers.location as string)).body);
    expect(clean).toContain('Rotation grid saved');
    expect(clean).toContain('No clashes');
    const savedPage = (await patBrowser.get(`/cohorts/${id}/grid`)).body;
    expect(savedPage.match(/<option value="[0-9a-f-]+" selected>/g) ?? []).toHaveLength(36);
    expect(await t.db.selectFrom('rotation_placements').select('id').execute()).toHaveLength(36);

    // Sam goes to Pharmacy again in rotation 2, and Amy joins them there: three where it takes two.
    const sam = interns.get('Sam Okafor')!;
    const amy = interns.get('Amy Bell')!;
    expect(form[`cell_${sam}_${rotations[0]!}`]).toBe(dept('Pharmacy'));
    const clashed = await patBrowser.post(`/cohorts/${id}/grid`, {
      ...form,
      [`cell_${sam}_${rotations[1]!}`]: dept('Pharmacy'),
      [`cell_${amy}_${rotations[1]!}`]: dept('Pharmacy'),
    });
    expect(clashed.statusCode).toBe(302);
    const page = await patBrowser.get(`/cohorts/${id}/grid`);
    const words = text(page.body);
    expect(words).toContain('2 clashes in the plan');
    expect(words).toContain('Pharmacy (St James’s) has 3 interns in rotation 2 but takes 2');
    expect(words).toContain('Sam Okafor is in Pharmacy (St James’s) in rotations 1 and 2');
    expect(page.body).toContain('stepwise-grid__cell--clash');
    expect(words).toContain('Clash: Pharmacy (St James’s) has 3 interns in rotation 2 but takes 2. Sam Okafor is in Pharmacy');
    // The cohort page counts them and shows this rotation's department.
    const cohortPage = text((await patBrowser.get(`/cohorts/${id}`)).body);
    expect(cohortPage).toContain('(2 clashes to sort out)');
    expect(cohortPage).toMatch(
      /Sam Okafor EHC plan Yes Status On the internship Department in rotation 1 Pharmacy \(St James’s\)/,
    );
    // Changes are audited on each intern whose placements changed.
    const planned = await auditOf('intern.rotations_planned');
    expect(planned.filter((a) => a.entity_id === samParticipant.id)).toHaveLength(2);
    expect(planned).toHaveLength(14);
  });

  it('takes an intern out of a department with None, and refuses a department that is not the cohort’s', async () => {
    const id = await setUpCohort();
    const site = await addSite('St James’s');
    await patBrowser.post(`/cohorts/${id}/team`, { site_ids: site });
    await patBrowser.post(`/cohorts/${id}/departments/new`, { name: 'Pharmacy', site_id: site, intern_capacity: '1' });
    await addIntern(id, 'Sam', 'Okafor');
    await patBrowser.post(`/cohorts/${id}/rotations`, {
      rotation_count: '1',
      rotation_1_start_date: '2026-09-01',
      rotation_1_end_date: '2027-07-09',
    });
    const sam = (await internIds(id)).get('Sam Okafor')!;
    const [rotation] = await rotationIds(id);
    const pharmacy = (
      await t.db.selectFrom('employer_departments').select('id').where('name', '=', 'Pharmacy').executeTakeFirstOrThrow()
    ).id;
    const field = `cell_${sam}_${rotation!}`;
    await patBrowser.post(`/cohorts/${id}/grid`, { [field]: pharmacy });
    expect(await t.db.selectFrom('rotation_placements').select('id').execute()).toHaveLength(1);
    const other = await employers.createEmployer(t.db, t.deps, SYSTEM_CONTEXT, viewer(), {
      name: 'Elsewhere Ltd',
      type: 'external',
    });
    const outside = await employers.saveDepartment(t.db, t.deps, SYSTEM_CONTEXT, viewer(), other.id, null, { name: 'Sales' });
    const bad = await patBrowser.post(`/cohorts/${id}/grid`, { [field]: outside.id });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('Select a department for Sam Okafor in rotation 1 from the list');
    await patBrowser.post(`/cohorts/${id}/grid`, { [field]: '' });
    expect(await t.db.selectFrom('rotation_placements').select('id').execute()).toHaveLength(0);
    expect(text((await patBrowser.get(`/cohorts/${id}/grid`)).body)).toContain('Sam Okafor has no department in rotation 1');
  });

  it('says to plan rotations first when there are none', async () => {
    const id = await setUpCohort();
    expect(text((await patBrowser.get(`/cohorts/${id}/grid`)).body)).toContain('No rotations are planned yet');
  });
});
