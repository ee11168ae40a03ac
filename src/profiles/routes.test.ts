import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, type ErrorBody, type TestApp, createTestApp } from '../../test/test-app.ts';
import { makeParticipant, makeProfile, makeTeam, makeTokenUser, makeUser, referFromClinicalTeam } from '../../test/factories.ts';
import type { Participant } from '../participants/service.ts';
import type { User } from '../users/service.ts';
import { HIDDEN_TEXT } from './rules.ts';

let t: TestApp;
let assigned: User;
let colleague: User;
let manager: User;
let otherTeamPractitioner: User;
let clinician: User;
let clinicalTeamId: string;

beforeAll(async () => {
  t = await createTestApp();
  const team = await makeTeam(t.db, t.deps);
  const otherTeam = await makeTeam(t.db, t.deps);
  const clinic = await makeTeam(t.db, t.deps);
  clinicalTeamId = clinic.id;
  assigned = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: team.id, name: 'Asha Assigned' });
  colleague = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: team.id, name: 'Colin Colleague' });
  manager = await makeUser(t.db, t.deps, { role: 'manager', teamId: team.id, name: 'Mina Manager' });
  otherTeamPractitioner = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: otherTeam.id });
  clinician = await makeUser(t.db, t.deps, { role: 'clinician', teamId: clinic.id });
});
afterAll(async () => {
  await t.close();
});

async function browserFor(user: User): Promise<Browser> {
  const b = new Browser(t.app);
  const res = await b.signIn(user.email);
  expect(res.statusCode).toBe(302);
  return b;
}

/** Loads a form page and returns the value of its hidden `version`. */
async function openForm(b: Browser, url: string): Promise<string> {
  const res = await b.get(url);
  expect(res.statusCode).toBe(200);
  return /name="version" value="(\d+)"/.exec(res.body)![1]!;
}

async function auditCount(action: string, participantId: string): Promise<number> {
  const rows = await t.db
    .selectFrom('audit_events')
    .select(['details'])
    .where('action', '=', action)
    .where('entity_id', '=', participantId)
    .execute();
  return rows.length;
}

async function pdfText(body: Buffer): Promise<{ text: string; pages: number }> {
  const parser = new PDFParse({ data: body });
  const result = await parser.getText();
  await parser.destroy();
  return { text: result.text, pages: result.total };
}

describe('saving and history', () => {
  it('saves version 1, 2 and 3 and the history shows every one, newest first, with who and what changed', async () => {
    const person = await makeParticipant(t.db, t.deps, assigned);
    const b = await browserFor(assigned);
    const base = `/participants/${person.id}/profile`;

    let res = await b.get(base);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Nothing has been saved in this profile yet');

    for (const [i, skills] of ['Cooking', 'Cooking and cleaning', 'Cooking, cleaning and driving'].entries()) {
      const version = await openForm(b, `${base}/edit`);
      expect(version).toBe(String(i));
      res = await b.post(base, {
        version,
        skills,
        aspirations: 'To work in a kitchen',
        occupations: 'Kitchen porter\nChef',
        hours_per_week_min: '16',
        hours_per_week_max: '30',
        days: 'mon',
        lowest_hourly_pay: '12.71',
        disclosure: 'partial',
      });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe(`${base}?saved=1`);
    }

    res = await b.get(`${base}?saved=1`);
    expect(res.body).toContain('Profile saved');
    expect(res.body).toContain('Cooking, cleaning and driving');
    expect(res.body).toContain('£12.71 an hour');
    expect(res.body).toContain('Kitchen porter');
    expect(res.body).toMatch(/Last saved by Asha Assigned on .* \(version 3\)/);

    res = await b.get(`${base}/history`);
    expect(res.statusCode).toBe(200);
    const v3 = res.body.indexOf('Version 3');
    const v2 = res.body.indexOf('Version 2');
    const v1 = res.body.indexOf('Version 1');
    expect(v3).toBeGreaterThan(-1);
    expect(v3).toBeLessThan(v2);
    expect(v2).toBeLessThan(v1);
    expect(res.body).toContain('Saved by Asha Assigned');
    expect(res.body).toContain('Cooking and cleaning');
    expect(await auditCount('profile.saved', person.id)).toBe(3);
  });

  it('keeps what was typed and shows the message beside the field when a number is wrong', async () => {
    const person = await makeParticipant(t.db, t.deps, assigned);
    const b = await browserFor(assigned);
    const version = await openForm(b, `/participants/${person.id}/profile/edit`);
    const res = await b.post(`/participants/${person.id}/profile`, {
      version,
      skills: 'Typing fast',
      hours_per_week_min: 'lots',
      lowest_hourly_pay: 'twelve',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Fewest hours a week must be a number, like 16');
    expect(res.body).toContain('Lowest hourly pay must be an amount in pounds, like 12.21');
    expect(res.body).toContain('Typing fast');
    expect(res.body).toContain('value="lots"');
    expect(await auditCount('profile.saved', person.id)).toBe(0);
  });

  it('refuses fewer most hours than fewest hours, keeping the typing', async () => {
    const person = await makeParticipant(t.db, t.deps, assigned);
    const b = await browserFor(assigned);
    const version = await openForm(b, `/participants/${person.id}/profile/edit?section=job_preferences`);
    const res = await b.post(`/participants/${person.id}/profile`, {
      version,
      section: 'job_preferences',
      hours_per_week_min: '30',
      hours_per_week_max: '10',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Most hours a week must be the same as or more than the fewest hours');
    expect(res.body).toContain('value="30"');
  });
});

describe('two people editing at once', () => {
  it('shows the second the conflict and the other change, keeps their typing, and lets them save again', async () => {
    const person = await makeParticipant(t.db, t.deps, assigned);
    await makeProfile(t.db, t.deps, assigned, person.id, { skills: 'Gardening', strengths: 'Patient' });
    const first = await browserFor(colleague);
    const second = await browserFor(assigned);
    const base = `/participants/${person.id}/profile`;

    const firstVersion = await openForm(first, `${base}/edit?section=skills`);
    const secondVersion = await openForm(second, `${base}/edit?section=strengths`);
    expect(firstVersion).toBe('1');
    expect(secondVersion).toBe('1');

    let res = await first.post(base, { version: firstVersion, section: 'skills', skills: 'Gardening and landscaping' });
    expect(res.statusCode).toBe(302);

    res = await second.post(base, { version: secondVersion, section: 'strengths', strengths: 'Patient and kind with customers' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Someone else changed this profile');
    expect(res.body).toContain('Colin Colleague saved this profile');
    expect(res.body).toContain('Gardening and landscaping');
    expect(res.body).toContain('Patient and kind with customers');
    expect(res.body).toContain('name="version" value="2"');
    expect(await auditCount('profile.saved', person.id)).toBe(2);

    res = await second.post(base, { version: '2', section: 'strengths', strengths: 'Patient and kind with customers' });
    expect(res.statusCode).toBe(302);
    res = await second.get(base);
    expect(res.body).toContain('Gardening and landscaping');
    expect(res.body).toContain('Patient and kind with customers');
    expect(res.body).toContain('(version 3)');
  });
});

describe('sensitive sections', () => {
  let person: Participant;
  beforeAll(async () => {
    person = await makeParticipant(t.db, t.deps, assigned);
    await referFromClinicalTeam(t.db, person.id, clinicalTeamId);
    await makeProfile(t.db, t.deps, assigned, person.id, {
      skills: 'Carpentry',
      health_and_functioning: 'Hears voices when stressed',
      convictions: 'Assault, 2019',
      convictions_job_impact: 'Avoid jobs with children',
      benefits: 'Universal Credit with LCWRA',
    });
  });

  it('shows them to the assigned practitioner and audits each view, naming sections but not values', async () => {
    const b = await browserFor(assigned);
    const before = await auditCount('profile.sensitive_viewed', person.id);
    for (let i = 1; i <= 2; i++) {
      const res = await b.get(`/participants/${person.id}/profile`);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Hears voices when stressed');
      expect(res.body).toContain('Assault, 2019');
      expect(res.body).toContain('Universal Credit with LCWRA');
      expect(res.body).not.toContain(HIDDEN_TEXT.replace("'", '&#39;'));
      expect(await auditCount('profile.sensitive_viewed', person.id)).toBe(before + i);
    }
    const last = await t.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'profile.sensitive_viewed')
      .where('entity_id', '=', person.id)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(last.details!)).toMatchObject({ sections: ['health_and_functioning', 'convictions', 'benefits'] });
    expect(last.details).not.toContain('voices');
  });

  it('shows them to a manager of the team', async () => {
    const res = await (await browserFor(manager)).get(`/participants/${person.id}/profile`);
    expect(res.body).toContain('Assault, 2019');
  });

  it('hides them from a team colleague who is not the assigned practitioner, who can still save the rest', async () => {
    const b = await browserFor(colleague);
    const before = await auditCount('profile.sensitive_viewed', person.id);
    let res = await b.get(`/participants/${person.id}/profile`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Carpentry');
    expect(res.body).toContain('Hidden: only the assigned practitioner and the team&#39;s managers can see this');
    expect(res.body).not.toContain('Hears voices');
    expect(res.body).not.toContain('Assault');
    expect(res.body).not.toContain('Universal Credit');
    expect(await auditCount('profile.sensitive_viewed', person.id)).toBe(before);

    // The whole-profile form has no sensitive fields for them; saving keeps those sections as they were.
    const version = await openForm(b, `/participants/${person.id}/profile/edit`);
    res = await b.get(`/participants/${person.id}/profile/edit`);
    expect(res.body).not.toContain('Hears voices');
    res = await b.post(`/participants/${person.id}/profile`, { version, skills: 'Carpentry and joinery' });
    expect(res.statusCode).toBe(302);
    res = await b.get(`/participants/${person.id}/profile/history`);
    expect(res.body).toContain('Carpentry and joinery');
    expect(res.body).not.toContain('Assault');

    res = await (await browserFor(assigned)).get(`/participants/${person.id}/profile`);
    expect(res.body).toContain('Carpentry and joinery');
    expect(res.body).toContain('Hears voices when stressed');
    expect(res.body).toContain('Assault, 2019');
    expect(res.body).toContain('Universal Credit with LCWRA');
  });

  it('answers 404 to a practitioner of another team and 403 to a commissioner', async () => {
    const other = await browserFor(otherTeamPractitioner);
    for (const path of ['', '/edit', '/history']) {
      expect((await other.get(`/participants/${person.id}/profile${path}`)).statusCode).toBe(404);
    }
    expect((await other.get(`/participants/${person.id}/profile.pdf`)).statusCode).toBe(404);
    const commissioner = await makeUser(t.db, t.deps, { role: 'commissioner' });
    const c = await browserFor(commissioner);
    const res = await c.get(`/participants/${person.id}/profile`);
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('Assault');
  });

  it('shows a referring clinician health only once it is marked shared', async () => {
    const b = await browserFor(clinician);
    let res = await b.get(`/participants/${person.id}/profile`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('Hears voices');
    expect(res.body).not.toContain('Assault');
    expect(res.body).not.toContain('Change</a>');

    await makeProfile(t.db, t.deps, assigned, person.id, { health_shared_with_clinical_team: true });
    const before = await auditCount('profile.sensitive_viewed', person.id);
    res = await b.get(`/participants/${person.id}/profile`);
    expect(res.body).toContain('Hears voices when stressed');
    expect(res.body).not.toContain('Assault');
    expect(res.body).not.toContain('Universal Credit');
    expect(await auditCount('profile.sensitive_viewed', person.id)).toBe(before + 1);
  });
});

describe('one-page PDF', () => {
  it('has the skills, leaves out the sensitive sections and, with disclosure none, the support needs', async () => {
    const person = await makeParticipant(t.db, t.deps, assigned, { preferredName: 'Sunny' });
    await makeProfile(t.db, t.deps, assigned, person.id, {
      skills: 'Stock control and forklift driving',
      support_needs: 'Needs written instructions',
      disclosure: 'none',
      health_and_functioning: 'Schizophrenia',
      convictions: 'Theft 2018',
      benefits: 'Employment and Support Allowance',
    });
    const b = await browserFor(assigned);
    let res = await b.get(`/participants/${person.id}/profile.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="profile-sunny-family[a-z0-9-]+-2026-11-25\.pdf"$/);
    let pdf = await pdfText(res.rawPayload);
    expect(pdf.pages).toBe(1);
    expect(pdf.text).toContain('About Sunny');
    expect(pdf.text).toContain('Stock control and forklift driving');
    for (const secret of ['Schizophrenia', 'Theft', 'Employment and Support', 'written instructions']) {
      expect(pdf.text).not.toContain(secret);
    }
    expect(await auditCount('profile.pdf_downloaded', person.id)).toBe(1);

    await makeProfile(t.db, t.deps, assigned, person.id, { disclosure: 'full' });
    res = await b.get(`/participants/${person.id}/profile.pdf`);
    pdf = await pdfText(res.rawPayload);
    expect(pdf.text).toContain('Needs written instructions');
    expect(pdf.text).not.toContain('Schizophrenia');
  });

  it('stays on one page however long the profile is', async () => {
    const person = await makeParticipant(t.db, t.deps, assigned);
    const long = 'A very long sentence about work. '.repeat(140);
    await makeProfile(t.db, t.deps, assigned, person.id, {
      skills: long,
      strengths: long,
      interests: long,
      work_history: long,
      support_needs: long,
      disclosure: 'full',
    });
    const res = await (await browserFor(assigned)).get(`/participants/${person.id}/profile.pdf`);
    expect((await pdfText(res.rawPayload)).pages).toBe(1);
  });
});

describe('API', () => {
  it('reads version 0, saves with version 0, refuses a stale version and lists versions', async () => {
    const { user, token } = await makeTokenUser(t.db, t.deps, 'practitioner', assigned.teamId);
    const person = await makeParticipant(t.db, t.deps, user);
    const headers = { authorization: `Bearer ${token}` };
    const url = `/api/v1/participants/${person.id}/profile`;

    let res = await t.app.inject({ method: 'GET', url, headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: person.id, version: 0, created_at: null, skills: null, benefits: null });

    res = await t.app.inject({
      method: 'PATCH',
      url,
      headers,
      payload: { version: 0, skills: 'Welding', lowest_hourly_pay_pence: 1300, days: ['tue', 'mon'], benefits: 'PIP' },
    });
    expect(res.statusCode).toBe(200);
    const saved = res.json<Record<string, unknown>>();
    expect(saved).toMatchObject({
      version: 1,
      skills: 'Welding',
      lowest_hourly_pay_pence: 1300,
      days: ['mon', 'tue'],
      benefits: 'PIP',
    });
    expect(saved.updated_at).toBe(saved.created_at);

    res = await t.app.inject({ method: 'PATCH', url, headers, payload: { version: 1, strengths: 'Careful' } });
    expect(res.json()).toMatchObject({ version: 2, skills: 'Welding', strengths: 'Careful' });

    res = await t.app.inject({ method: 'PATCH', url, headers, payload: { version: 1, skills: 'Lost update' } });
    expect(res.statusCode).toBe(409);
    expect(res.json<ErrorBody>().error.code).toBe('conflict');

    res = await t.app.inject({ method: 'PATCH', url, headers, payload: { version: 2, lowest_hourly_pay_pence: 12.5 } });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.fields).toHaveProperty('lowest_hourly_pay_pence');

    res = await t.app.inject({ method: 'GET', url: `${url}/versions?limit=1`, headers });
    expect(res.statusCode).toBe(200);
    const page1 = res.json<{ items: { version: number; changes: { field: string }[] }[]; next_cursor: string | null }>();
    expect(page1.items.map((i) => i.version)).toEqual([2]);
    expect(page1.items[0]!.changes.map((c) => c.field)).toEqual(['strengths']);
    expect(page1.next_cursor).not.toBeNull();
    res = await t.app.inject({ method: 'GET', url: `${url}/versions?limit=1&cursor=${page1.next_cursor}`, headers });
    const page2 = res.json<{ items: { version: number }[]; next_cursor: string | null }>();
    expect(page2.items.map((i) => i.version)).toEqual([1]);
    expect(page2.next_cursor).toBeNull();
  });

  it('leaves sensitive keys out for a colleague and refuses their change to them', async () => {
    const person = await makeParticipant(t.db, t.deps, assigned);
    await makeProfile(t.db, t.deps, assigned, person.id, { skills: 'Art', convictions: 'Fraud' });
    const { token } = await makeTokenUser(t.db, t.deps, 'practitioner', assigned.teamId);
    const headers = { authorization: `Bearer ${token}` };
    const url = `/api/v1/participants/${person.id}/profile`;
    let res = await t.app.inject({ method: 'GET', url, headers });
    const body = res.json<Record<string, unknown>>();
    expect(body.skills).toBe('Art');
    expect(body).not.toHaveProperty('convictions');
    expect(body).not.toHaveProperty('health_and_functioning');
    expect(body).not.toHaveProperty('benefits');

    res = await t.app.inject({ method: 'PATCH', url, headers, payload: { version: 1, convictions: '' } });
    expect(res.statusCode).toBe(403);
    res = await t.app.inject({ method: 'PATCH', url, headers, payload: { version: 1, skills: 'Art and design' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).not.toHaveProperty('convictions');

    res = await t.app.inject({ method: 'GET', url: `${url}/versions`, headers });
    expect(JSON.stringify(res.json())).not.toContain('Fraud');

    const commissioner = await makeTokenUser(t.db, t.deps, 'commissioner');
    res = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${commissioner.token}` } });
    expect(res.statusCode).toBe(403);
  });
});
