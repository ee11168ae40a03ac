import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeParticipant, makeTeam, makeUser } from '../../test/factories.ts';
import { Browser, createTestApp, signedInAs, type TestApp } from '../../test/test-app.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import type { Role } from '../users/roles.ts';
import type { User } from '../users/service.ts';
import * as capacity from './capacity.ts';
import * as atw from './service.ts';

// The test clock stands at Wednesday 25 November 2026: the forecast starts on Monday 23 November.

let t: TestApp;
let north: string;
let ann: User;

const v = (u: User) => ({ userId: u.id, role: u.role, teamId: u.teamId });

/** The page's text without tags, for asserting what a person reads. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

function fieldError(html: string, field: string): string | undefined {
  const m = new RegExp(`id="${field}-error"[^>]*>([\\s\\S]*?)</span>\\s*</?[a-z]`).exec(html);
  return m?.[1]
    ?.replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

beforeEach(async () => {
  t = await createTestApp();
  north = (await makeTeam(t.db, t.deps, 'North IPS')).id;
  ann = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north, name: 'Ann Coach' });
});
afterEach(async () => {
  await t.close();
});

/** Ann at 10 hours a week, with a 30-hour-a-week job coach award for one of her people: 20 h over. */
async function overCommitted() {
  const admin = await makeUser(t.db, t.deps, { role: 'admin' });
  await capacity.setContractedHours(t.db, t.deps, SYSTEM_CONTEXT, v(admin), ann.id, 10);
  const p = await makeParticipant(t.db, t.deps, ann);
  await atw.createAward(t.db, t.deps, SYSTEM_CONTEXT, v(ann), p.id, {
    supportKind: 'job_coach',
    startDate: '2026-09-01',
    endDate: '2027-08-31',
    hoursPerWeek: 30,
    hoursTotal: null,
    hourlyRatePence: 2500,
    totalAmountPence: null,
    employerContributionPence: null,
    applicationId: null,
    placementId: null,
    coachUserId: null,
    reference: null,
    notes: null,
    renewsAwardId: null,
  });
}

describe('the coach capacity page', () => {
  it('states the shortfall plainly and shows each coach and the 26-week forecast', async () => {
    await overCommitted();
    const { browser } = await signedInAs(t, 'manager', north);
    const res = await browser.get('/access-to-work/capacity');
    expect(res.statusCode).toBe(200);
    const page = text(res.body);
    expect(page).toContain(
      "Demand exceeds the team's capacity by 20 h/week now: about 0.5 of a full-time coach (37.5 hours a week).",
    );
    expect(page).toContain('Ann Coach Contracted hours a week 10 ');
    expect(page).toMatch(/Team total Contracted hours a week 10 Committed now, hours a week 30/);
    expect(page).toContain('Week starting 23 November 2026 Hours needed 30 Contracted hours 10 Difference 20 over capacity');
    expect(page).toContain('Week starting 17 May 2027');
    expect(page).not.toContain('Week starting 24 May 2027');
    expect(page).toContain('How this is worked out');
    expect(res.body).toContain('<svg class="stepwise-chart"');
    expect(res.body).toContain(`href="/access-to-work/capacity/coaches/${ann.id}"`);
  });

  it('says when contracted hours cover the demand, and offers to record hours for those with none', async () => {
    const { browser } = await signedInAs(t, 'manager', north);
    const page = text((await browser.get('/access-to-work/capacity')).body);
    expect(page).toContain("The team's contracted hours cover the demand for the next 26 weeks");
    expect(page).toContain('No coach in North IPS has contracted hours recorded');
    expect(page).toContain('Ann Coach: record contracted hours');
  });

  it('shows an administrator the team they choose, the first by default', async () => {
    await overCommitted();
    const south = await makeTeam(t.db, t.deps, 'South IPS');
    const { browser } = await signedInAs(t, 'admin');
    expect(text((await browser.get('/access-to-work/capacity')).body)).toContain('North IPS: coach hours needed');
    const chosen = text((await browser.get(`/access-to-work/capacity?team_id=${south.id}`)).body);
    expect(chosen).toContain('South IPS: coach hours needed');
    expect(chosen).not.toContain('Ann Coach');
  });

  it('tells a manager with no team what to do', async () => {
    const { browser } = await signedInAs(t, 'manager');
    expect(text((await browser.get('/access-to-work/capacity')).body)).toContain('You are not in a team yet');
  });

  it('is in the managers’ navigation only', async () => {
    const { browser } = await signedInAs(t, 'manager', north);
    expect((await browser.get('/caseload')).body).toContain('href="/access-to-work/capacity"');
    const pat = new Browser(t.app);
    await pat.signIn(ann.email);
    expect((await pat.get('/caseload')).body).not.toContain('href="/access-to-work/capacity"');
  });

  const refused: Role[] = ['practitioner', 'clinician', 'commissioner'];
  it.each(refused)('refuses a %s with 403', async (role) => {
    const { browser } = await signedInAs(t, role, north);
    expect((await browser.get('/access-to-work/capacity')).statusCode).toBe(403);
    expect((await browser.get(`/access-to-work/capacity/coaches/${ann.id}`)).statusCode).toBe(403);
    expect(
      (await browser.post(`/access-to-work/capacity/coaches/${ann.id}`, { contracted_hours_per_week: '20' })).statusCode,
    ).toBe(403);
  });
});

describe('setting a coach’s contracted hours', () => {
  let browser: Browser;
  beforeEach(async () => {
    ({ browser } = await signedInAs(t, 'manager', north));
  });

  it('saves decimal hours, confirms, shows them on the page and in the form, and audits the change', async () => {
    const form = await browser.get(`/access-to-work/capacity/coaches/${ann.id}`);
    expect(form.statusCode).toBe(200);
    expect(text(form.body)).toContain('Contracted hours: Ann Coach');
    const res = await browser.post(`/access-to-work/capacity/coaches/${ann.id}`, { contracted_hours_per_week: ' 18.75 ' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/access-to-work/capacity?done=saved');
    const page = text((await browser.get(res.headers.location as string)).body);
    expect(page).toContain('Contracted hours saved');
    expect(page).toContain('Ann Coach Contracted hours a week 18.75 ');
    expect((await browser.get(`/access-to-work/capacity/coaches/${ann.id}`)).body).toMatch(
      /name="contracted_hours_per_week" type="text" value="18.75"/,
    );
    const events = await t.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'user.contracted_hours_changed')
      .execute();
    expect(events.map((e) => JSON.parse(String(e.details)) as unknown)).toEqual([{ from: null, to: 18.75 }]);
  });

  it('clears the hours when the field is left empty', async () => {
    await browser.get(`/access-to-work/capacity/coaches/${ann.id}`);
    await browser.post(`/access-to-work/capacity/coaches/${ann.id}`, { contracted_hours_per_week: '20' });
    await browser.get(`/access-to-work/capacity/coaches/${ann.id}`);
    expect((await browser.post(`/access-to-work/capacity/coaches/${ann.id}`, { contracted_hours_per_week: '' })).statusCode).toBe(
      302,
    );
    expect(
      (await capacity.coachFor(t.db, { userId: ann.id, role: 'admin', teamId: null }, ann.id)).contractedHoursPerWeek,
    ).toBeNull();
  });

  it.each([
    ['61', 'Contracted hours must be between 0 and 60 hours a week'],
    ['-5', 'Contracted hours must be a number of hours, like 37.5'],
    ['full time', 'Contracted hours must be a number of hours, like 37.5'],
  ])('refuses %s, with the error beside the field and the value kept', async (typed, message) => {
    await browser.get(`/access-to-work/capacity/coaches/${ann.id}`);
    const res = await browser.post(`/access-to-work/capacity/coaches/${ann.id}`, { contracted_hours_per_week: typed });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(fieldError(res.body, 'contracted_hours_per_week')).toBe(`Error: ${message}`);
    expect(res.body).toContain(`value="${typed}"`);
    const events = await t.db
      .selectFrom('audit_events')
      .select('id')
      .where('action', '=', 'user.contracted_hours_changed')
      .execute();
    expect(events).toHaveLength(0);
  });

  it('does not let a manager of another team see or set this team’s coach’s hours', async () => {
    const south = (await makeTeam(t.db, t.deps)).id;
    const { browser: other } = await signedInAs(t, 'manager', south);
    expect((await other.get(`/access-to-work/capacity/coaches/${ann.id}`)).statusCode).toBe(404);
    expect((await other.post(`/access-to-work/capacity/coaches/${ann.id}`, { contracted_hours_per_week: '5' })).statusCode).toBe(
      404,
    );
    expect(
      (await capacity.coachFor(t.db, { userId: ann.id, role: 'admin', teamId: null }, ann.id)).contractedHoursPerWeek,
    ).toBeNull();
  });

  it('lets an administrator set any team’s coach’s hours, returning to that team', async () => {
    const { browser: admin } = await signedInAs(t, 'admin');
    await admin.get(`/access-to-work/capacity/coaches/${ann.id}?team_id=${north}`);
    const res = await admin.post(`/access-to-work/capacity/coaches/${ann.id}?team_id=${north}`, {
      contracted_hours_per_week: '37.5',
    });
    expect(res.headers.location).toBe(`/access-to-work/capacity?team_id=${north}&done=saved`);
    expect(text((await admin.get(res.headers.location as string)).body)).toContain('Ann Coach Contracted hours a week 37.5 ');
  });
});
