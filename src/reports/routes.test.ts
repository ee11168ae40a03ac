import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeParticipant, makeReferral, makeTeam, makeUser, makeJob } from '../../test/factories.ts';
import { type Browser, createTestApp, signedInAs, type TestApp } from '../../test/test-app.ts';
import type { User } from '../users/service.ts';

// The test clock stands at 2026-11-25 10:00 UTC, so the report opens on 2026/27 Q2 (July to
// September 2026), the last complete quarter.

const Q2 = 'from=2026-07-01&to=2026-09-30';

/** The table row of the report page that holds a measure's figure. */
function rowOf(html: string, label: string): string {
  const rows = html.match(/<tr[\s\S]*?<\/tr>/g) ?? [];
  const row = rows.find((r) => r.includes(`>${label}<`) || r.includes(`> ${label}`) || r.includes(`${label}\n`));
  if (!row) throw new Error(`no row for ${label}`);
  return row;
}

/** The cell text of a row, tags removed. */
const textOf = (html: string) =>
  html
    .replace(/<span class="nhsuk-table__heading" aria-hidden="true">[\s\S]*?<\/span>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

function seeds(t: TestApp) {
  return {
    /** A person on `by`'s caseload with a referral accepted on `accepted`. */
    async referred(by: User, accepted: string, overrides: { inWork?: boolean; givenName?: string; familyName?: string } = {}) {
      const p = await makeParticipant(t.db, t.deps, by, {
        ...(overrides.givenName ? { givenName: overrides.givenName } : {}),
        ...(overrides.familyName ? { familyName: overrides.familyName } : {}),
      });
      await makeReferral(t.db, t.deps, by, p.id, { receivedDate: accepted, inWorkAtReferral: overrides.inWork ?? false });
      return p;
    },
    /** A job started through the placements service, ended when `end` is given. */
    async job(by: User, participantId: string, start: string, hours: number, end?: string) {
      await makeJob(t.db, t.deps, by, participantId, {
        startDate: start,
        hoursPerWeek: hours,
        title: 'Porter',
        ...(end ? { endDate: end } : {}),
      });
    },
  };
}

async function auditEvents(t: TestApp, action: string) {
  const rows = await t.db
    .selectFrom('audit_events')
    .select(['actor_user_id', 'details'])
    .where('action', '=', action)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ actor: r.actor_user_id, details: JSON.parse(r.details ?? '{}') as Record<string, unknown> }));
}

describe('the outcome report for a team', () => {
  let t: TestApp;
  let s: ReturnType<typeof seeds>;
  let pat: User;
  let manager: Browser;
  let managerUser: User;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    s = seeds(t);
    const team = await makeTeam(t.db, t.deps, 'North IPS');
    const otherTeam = await makeTeam(t.db, t.deps, 'South IPS');
    pat = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: team.id, name: 'Pat Jones' });
    const olu = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: otherTeam.id });
    ({ browser: manager, user: managerUser } = await signedInAs(t, 'manager', team.id));
    // Ada: out of work; 3 hours a week for 7 days is not a job start.
    ids.ada = (await s.referred(pat, '2026-07-06', { givenName: 'Ada', familyName: 'Ashworth' })).id;
    await s.job(pat, ids.ada, '2026-07-10', 3, '2026-07-16');
    // Ben: referred in work, starts a job: a job start, out of the employment rate.
    ids.ben = (await s.referred(pat, '2026-07-06', { inWork: true, givenName: 'Ben', familyName: 'Brook' })).id;
    await s.job(pat, ids.ben, '2026-07-20', 20);
    // Cal: out of work, two jobs: two job starts, one person into work.
    ids.cal = (await s.referred(pat, '2026-07-01', { givenName: 'Cal', familyName: 'Carter' })).id;
    await s.job(pat, ids.cal, '2026-07-15', 16);
    await s.job(pat, ids.cal, '2026-08-01', 10);
    // Dee, in the other team, with a job start: never counted for North IPS.
    ids.dee = (await s.referred(olu, '2026-07-10', { givenName: 'Dee', familyName: 'Dawson' })).id;
    await s.job(olu, ids.dee, '2026-07-20', 30);
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists the reports a manager may open', async () => {
    const res = await manager.get('/reports');
    expect(res.statusCode).toBe(200);
    for (const href of [
      '/reports/outcomes',
      '/reports/internships',
      '/reports/redeployment',
      '/reports/workplace-issues',
      '/fidelity-reviews',
    ])
      expect(res.body).toContain(`href="${href}"`);
    expect(res.body).toMatch(/class="nhsuk-header__navigation-link" href="\/reports"/);
  });

  it('shows the manager their team’s exact figures for the last complete quarter', async () => {
    const res = await manager.get('/reports/outcomes');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('2026/27 Q2 (July to September 2026)');
    expect(res.body).toContain('Your team');
    expect(res.body).not.toContain('are shown as');
    expect(textOf(rowOf(res.body, 'Referrals accepted'))).toContain('Referrals accepted 3');
    expect(textOf(rowOf(res.body, 'Total job starts'))).toContain('Total job starts 3');
    expect(textOf(rowOf(res.body, 'People supported into work'))).toContain('People supported into work 2');
    expect(textOf(rowOf(res.body, 'Employment rate'))).toContain('1 of 2 (50%)');
    expect(textOf(rowOf(res.body, 'Employment rate'))).toContain('Benchmark 40%');
    expect(res.body).toContain('nhsuk-table--responsive');
  });

  it('links each count to the people behind it, and the list shows exactly them', async () => {
    const page = await manager.get(`/reports/outcomes?${Q2}`);
    const link = /href="(\/reports\/outcomes\/people\?measure=job_starts&amp;part=value[^"]*)"/.exec(page.body)?.[1];
    expect(link).toBeDefined();
    const res = await manager.get(link!.replace(/&amp;/g, '&'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`href="/participants/${ids.ben}"`);
    expect(res.body).toContain(`href="/participants/${ids.cal}"`);
    expect(res.body).not.toContain(`/participants/${ids.ada}"`);
    expect(res.body).not.toContain(`/participants/${ids.dee}"`);
    expect(res.body).toContain('2 people, behind a figure of 3: one person can count more than once.');
    expect(res.body).toContain('Pat Jones');

    const numerator = await manager.get(`/reports/outcomes/people?measure=employment_rate&part=numerator&${Q2}`);
    expect(numerator.body).toContain(`/participants/${ids.cal}"`);
    expect(numerator.body).not.toContain(`/participants/${ids.ben}"`);
    const denominator = await manager.get(`/reports/outcomes/people?measure=employment_rate&part=denominator&${Q2}`);
    expect(denominator.body).toContain(`/participants/${ids.ada}"`);
    expect(denominator.body).toContain(`/participants/${ids.cal}"`);
    expect(denominator.body).not.toContain(`/participants/${ids.ben}"`);
  });

  it('lists the people of one group of a split', async () => {
    const page = await manager.get(`/reports/outcomes?${Q2}&split=team`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Getting into work by team');
    const link = /href="(\/reports\/outcomes\/people\?measure=referrals_accepted&amp;part=value[^"]*group=[^"]+)"/.exec(
      page.body,
    )?.[1];
    expect(link).toBeDefined();
    const res = await manager.get(link!.replace(/&amp;/g, '&'));
    expect(res.body).toContain('North IPS');
    expect(res.body).toContain(`/participants/${ids.ada}"`);
  });

  it('audits the report view without naming anyone, and each people list with the ids shown', async () => {
    await manager.get(`/reports/outcomes?${Q2}&split=programme`);
    const viewed = (await auditEvents(t, 'report.outcomes_viewed')).filter((e) => e.actor === managerUser.id);
    expect(viewed.at(-1)?.details).toMatchObject({ from: '2026-07-01', to: '2026-09-30', split: 'programme' });
    expect(JSON.stringify(viewed.at(-1)?.details)).not.toContain(ids.ben!);

    await manager.get(`/reports/outcomes/people?measure=people_into_work&part=value&${Q2}`);
    const listed = (await auditEvents(t, 'report.people_listed')).filter((e) => e.actor === managerUser.id);
    expect(listed.at(-1)?.details).toMatchObject({
      measure: 'people_into_work',
      part: 'value',
      from: '2026-07-01',
      to: '2026-09-30',
    });
    expect((listed.at(-1)?.details.participant_ids as string[]).sort()).toEqual([ids.ben, ids.cal].sort());
  });

  it('answers 400 with the error summary and keeps the typed values when a date is not real', async () => {
    const res = await manager.get('/reports/outcomes?from=31%2F02%2F2026&to=30%2F09%2F2026&split=team');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Start date must be a real date');
    expect(res.body).toContain('href="#from"');
    expect(res.body).toContain('value="31/02/2026"');
    expect(res.body).toContain('value="30/09/2026"');
    expect(res.body).toMatch(/<option value="team" selected/);
    expect(res.body).not.toContain('Total job starts');
  });

  it('refuses a people list for a figure the report does not have', async () => {
    expect((await manager.get(`/reports/outcomes/people?measure=nonsense&${Q2}`)).statusCode).toBe(400);
    expect((await manager.get(`/reports/outcomes/people?measure=employment_rate&part=bucket9&${Q2}`)).statusCode).toBe(400);
    expect(
      (await manager.get(`/reports/outcomes/people?measure=job_starts&group=no-such-group&split=team&${Q2}`)).statusCode,
    ).toBe(404);
  });

  it('pages the people list 25 at a time', async () => {
    const team = await makeTeam(t.db, t.deps);
    const { browser, user } = await signedInAs(t, 'practitioner', team.id);
    for (let i = 0; i < 27; i++) await s.referred(user, '2026-08-03');
    const first = await browser.get(`/reports/outcomes/people?measure=referrals_accepted&${Q2}`);
    expect(first.body.match(/href="\/participants\//g)).toHaveLength(25);
    expect(first.body).toContain('page=2');
    const second = await browser.get(`/reports/outcomes/people?measure=referrals_accepted&${Q2}&page=2`);
    expect(second.body.match(/href="\/participants\//g)).toHaveLength(2);
  });

  it('tells a team with nothing recorded how to start', async () => {
    const team = await makeTeam(t.db, t.deps);
    const { browser } = await signedInAs(t, 'practitioner', team.id);
    const res = await browser.get('/reports/outcomes');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('There is nothing to count yet');
    expect(res.body).toContain('href="/referrals/new"');
  });

  it('refuses clinicians the report', async () => {
    const { browser } = await signedInAs(t, 'clinician', null);
    expect((await browser.get('/reports/outcomes')).statusCode).toBe(403);
    expect((await browser.get('/reports')).statusCode).toBe(403);
  });
});

describe('the outcome report for a commissioner', () => {
  let t: TestApp;
  let s: ReturnType<typeof seeds>;
  let commissioner: Browser;
  let west: string;
  let east: string;
  let somebody: string;

  beforeAll(async () => {
    t = await createTestApp();
    s = seeds(t);
    west = (await makeTeam(t.db, t.deps, 'West IPS')).id;
    east = (await makeTeam(t.db, t.deps, 'East IPS')).id;
    ({ browser: commissioner } = await signedInAs(t, 'commissioner', null));
    // West: three job starts, one person each.
    const wes = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: west });
    for (let i = 0; i < 3; i++) {
      const p = await s.referred(wes, '2026-07-01');
      somebody = p.id;
      await s.job(wes, p.id, '2026-07-15', 16);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows "<5" where the service has 3 job starts, says why, and links to no one', async () => {
    const res = await commissioner.get(`/reports/outcomes?${Q2}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('The whole service');
    expect(res.body).toContain('counts from 1 to 4 are shown as “&lt;5”');
    expect(textOf(rowOf(res.body, 'Total job starts'))).toContain('Total job starts &lt;5');
    expect(textOf(rowOf(res.body, 'Employment rate'))).toContain('Hidden (small numbers)');
    expect(res.body).not.toContain('/reports/outcomes/people');
    expect(res.body).not.toContain(somebody);
  });

  it('hides a second team’s figure too when only one team is small', async () => {
    const eas = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: east });
    for (let i = 0; i < 6; i++) {
      const p = await s.referred(eas, '2026-07-01');
      await s.job(eas, p.id, '2026-07-15', 16);
    }
    const res = await commissioner.get(`/reports/outcomes?${Q2}&split=team`);
    expect(res.statusCode).toBe(200);
    // The whole service's 9 is shown; West's 3 is small and East's 6 would give it away.
    expect(textOf(rowOf(res.body, 'Total job starts'))).toContain('Total job starts 9');
    const table = (res.body.match(/<table[\s\S]*?<\/table>/g) ?? []).find((x) => x.includes('Getting into work by team')) ?? '';
    expect(textOf(rowOf(table, 'West IPS'))).toMatch(/&lt;5 &lt;5/);
    // East's 6 is not small itself: it is hidden, not shown as "<5".
    expect(textOf(rowOf(table, 'East IPS'))).toMatch(/East IPS Hidden Hidden/);
    expect(textOf(table)).not.toMatch(/East IPS[^A-Z]* 6 /);
  });

  it('refuses a commissioner the people behind a figure and the person’s record', async () => {
    expect((await commissioner.get(`/reports/outcomes/people?measure=job_starts&${Q2}`)).statusCode).toBe(403);
    expect((await commissioner.get(`/participants/${somebody}`)).statusCode).toBe(403);
  });

  it('lists only the whole-service reports for a commissioner', async () => {
    const res = await commissioner.get('/reports');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('href="/reports/outcomes"');
    expect(res.body).toContain('href="/fidelity-reviews"');
    expect(res.body).not.toContain('href="/reports/internships"');
  });
});

describe('a split with many groups', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    const team = await makeTeam(t.db, t.deps, 'Big IPS');
    for (let i = 0; i < 52; i++) {
      const practitioner = await makeUser(t.db, t.deps, {
        role: 'practitioner',
        teamId: team.id,
        name: `Practitioner ${String(i).padStart(2, '0')}`,
      });
      const p = await makeParticipant(t.db, t.deps, practitioner);
      await makeReferral(t.db, t.deps, practitioner, p.id, { receivedDate: '2026-07-06' });
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows 50 groups a page, with the whole report’s figures on every page', async () => {
    const { browser } = await signedInAs(t, 'commissioner', null);
    const first = await browser.get(`/reports/outcomes?${Q2}&split=practitioner`);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('Groups 1 to 50 of 52');
    expect(first.body).toContain('Practitioner 49');
    expect(first.body).not.toContain('Practitioner 50');
    expect(textOf(rowOf(first.body, 'Referrals accepted'))).toContain('52');
    const next = /href="(\/reports\/outcomes\?[^"]*page=2)"/.exec(first.body)?.[1];
    expect(next).toBeDefined();
    const second = await browser.get(next!.replace(/&amp;/g, '&'));
    expect(second.body).toContain('Groups 51 to 52 of 52');
    expect(second.body).toContain('Practitioner 51');
    expect(second.body).not.toContain('Practitioner 49');
    expect(textOf(rowOf(second.body, 'Referrals accepted'))).toContain('52');
  });

  it('says what is wrong with a page that is not a number', async () => {
    const { browser } = await signedInAs(t, 'commissioner', null);
    const res = await browser.get(`/reports/outcomes?${Q2}&split=practitioner&page=two`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Page must be a number');
  });
});
