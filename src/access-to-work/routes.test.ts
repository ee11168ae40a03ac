import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, signedInAs, type TestApp } from '../../test/test-app.ts';
import { makeContact, makeParticipant, makeTeam, referFromClinicalTeam } from '../../test/factories.ts';
import type { User } from '../users/service.ts';

// The test clock stands at 2026-11-25 10:00 UTC. An award ending on 17 February 2027 is exactly
// 84 days (12 weeks) away: its renewal alert starts today; one ending a day later starts tomorrow.

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

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/\s+/g, ' ');

/** The message shown next to a field (NHS.UK puts it in `<id>-error`), or null. */
function fieldError(html: string, field: string): string | null {
  const m = new RegExp(`id="${field}-error"[^>]*>([\\s\\S]*?)</span>\\s*</?[a-z]`).exec(html);
  return m?.[1] ? text(m[1]).replace('Error:', '').trim() : null;
}

const base = (id: string) => `/participants/${id}/access-to-work`;

const AWARD = {
  reference: 'ATW-0001',
  support_kind: 'job_coach',
  start_date: '2026-03-01',
  end_date: '2027-02-28',
  hours_per_week: '5',
  hours_total: '',
  hourly_rate: '12.71',
  total_amount: '',
  employer_contribution: '',
  coach_user_id: '',
  placement_id: 'none',
  application_id: 'none',
  renews_award_id: 'none',
  notes: '',
};

async function person() {
  return makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Jones' });
}

/** Adds an award through the form and returns its id. */
async function addAward(participantId: string, overrides: Record<string, string> = {}): Promise<string> {
  const res = await patBrowser.post(`${base(participantId)}/awards/new`, { ...AWARD, ...overrides });
  expect(res.statusCode, res.body).toBe(302);
  const m = /\/awards\/([0-9a-f-]{36})\?done=/.exec(res.headers.location as string);
  return m![1]!;
}

async function awardRow(id: string) {
  return t.db.selectFrom('atw_awards').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

describe('the Access to Work overview', () => {
  it('says nothing is recorded yet and what to do, offers both forms, and audits the read', async () => {
    const p = await person();
    const res = await patBrowser.get(base(p.id));
    expect(res.statusCode).toBe(200);
    const page = text(res.body);
    expect(page).toContain('No Access to Work is recorded for Ann Jones yet.');
    expect(page).toContain('add the award when the award letter arrives');
    expect(res.body).toContain(`href="${base(p.id)}/applications/new"`);
    expect(res.body).toContain(`href="${base(p.id)}/awards/new"`);
    const audited = await t.db.selectFrom('audit_events').select('entity_id').where('action', '=', 'atw.viewed').execute();
    expect(audited.map((e) => e.entity_id)).toEqual([p.id]);
  });

  it('is linked from the person’s page for their practitioner', async () => {
    const p = await person();
    expect((await patBrowser.get(`/participants/${p.id}`)).body).toContain(`href="${base(p.id)}"`);
  });
});

describe('applications', () => {
  it('records an application sent by the coach and changes it when the decision comes', async () => {
    const p = await person();
    const form = await patBrowser.get(`${base(p.id)}/applications/new`);
    expect(form.statusCode).toBe(200);
    const created = await patBrowser.post(`${base(p.id)}/applications/new`, {
      applied_by: 'coach',
      applicant_name: '',
      status: 'sent',
      sent_date: '01/10/2026',
      reference: 'APP-77',
      decision_date: '',
      support_kind: 'job_coach',
      hours_per_week: '7.5',
      expected_start_date: '2027-01-04',
      renews_award_id: 'none',
      notes: '',
    });
    expect(created.statusCode).toBe(302);
    expect(created.headers.location).toBe(`${base(p.id)}?done=application-added`);
    const page = text((await patBrowser.get(created.headers.location as string)).body);
    expect(page).toContain('Application added');
    expect(page).toContain('APP-77');
    expect(page).toContain('Sent, waiting for a decision');
    expect(page).toContain('1 October 2026');
    expect(page).toContain('Their coach, on their behalf');

    const app = await t.db.selectFrom('atw_applications').selectAll().executeTakeFirstOrThrow();
    expect(app.sent_date).toBe('2026-10-01');
    expect(Number(app.hours_per_week)).toBe(7.5);
    const edit = await patBrowser.get(`${base(p.id)}/applications/${app.id}/edit`);
    expect(edit.body).toMatch(/name="version" value="1"/);
    expect(edit.body).toMatch(/value="APP-77"/);
    const saved = await patBrowser.post(`${base(p.id)}/applications/${app.id}/edit`, {
      applied_by: 'coach',
      status: 'refused',
      sent_date: '2026-10-01',
      reference: 'APP-77',
      decision_date: '',
      support_kind: 'job_coach',
      renews_award_id: 'none',
      version: '1',
    });
    expect(saved.statusCode).toBe(400);
    expect(fieldError(saved.body, 'decision_date')).toBe('Enter the date of the decision');
    expect(saved.body).toMatch(/value="refused" checked/);
    const fixed = await patBrowser.post(`${base(p.id)}/applications/${app.id}/edit`, {
      applied_by: 'coach',
      status: 'refused',
      sent_date: '2026-10-01',
      reference: 'APP-77',
      decision_date: '2026-11-20',
      support_kind: 'job_coach',
      renews_award_id: 'none',
      version: '1',
    });
    expect(fixed.statusCode).toBe(302);
    expect(text((await patBrowser.get(base(p.id))).body)).toContain('Refused');
  });
});

describe('awards', () => {
  it('records an award from its letter, money typed in pounds stored in whole pence, and marks its application awarded', async () => {
    const p = await person();
    await patBrowser.post(`${base(p.id)}/applications/new`, {
      applied_by: 'participant',
      status: 'sent',
      sent_date: '2026-01-10',
      support_kind: 'job_coach',
      renews_award_id: 'none',
    });
    const app = await t.db.selectFrom('atw_applications').select('id').executeTakeFirstOrThrow();
    const form = await patBrowser.get(`${base(p.id)}/awards/new`);
    expect(form.body).toContain(`value="${app.id}"`);
    expect(form.body).toMatch(new RegExp(`value="${pat.id}" selected`));
    const id = await addAward(p.id, { application_id: app.id, total_amount: '£3,305.10', employer_contribution: '0.1' });
    const row = await awardRow(id);
    expect(Number(row.hourly_rate_pence)).toBe(1271);
    expect(Number(row.total_amount_pence)).toBe(330510);
    expect(Number(row.employer_contribution_pence)).toBe(10);
    expect(row.coach_user_id).toBe(pat.id);
    const status = await t.db.selectFrom('atw_applications').select('status').executeTakeFirstOrThrow();
    expect(status.status).toBe('awarded');

    const page = text((await patBrowser.get(`${base(p.id)}/awards/${id}?done=award-added`)).body);
    expect(page).toContain('Award added');
    expect(page).toContain('Job coach award');
    expect(page).toContain('1 March 2026 to 28 February 2027');
    expect(page).toContain('5 hours a week');
    expect(page).toContain('£12.71 an hour');
    expect(page).toContain('£3,305.10');
    expect(page).toContain('ATW-0001');
    const overview = text((await patBrowser.get(base(p.id))).body);
    expect(overview).toContain('Job coach');
    expect(overview).toContain('£12.71 an hour');
  });

  it('keeps the typed values and says what is wrong next to each field of a bad award', async () => {
    const p = await person();
    const before = await patBrowser.post(`${base(p.id)}/awards/new`, {
      ...AWARD,
      reference: 'AW-BAD',
      end_date: '2026-02-27',
      hourly_rate: '-5',
    });
    expect(before.statusCode).toBe(400);
    expect(fieldError(before.body, 'end_date')).toBe('End date must be after the start date');
    expect(fieldError(before.body, 'hourly_rate')).toBe('Hourly rate must be more than £0');
    expect(before.body).toContain('There is a problem');
    expect(before.body).toContain('href="#end_date"');
    expect(before.body).toContain('value="AW-BAD"');
    expect(before.body).toContain('value="-5"');
    expect(before.body).toContain('value="2026-02-27"');

    const tooLong = await patBrowser.post(`${base(p.id)}/awards/new`, { ...AWARD, end_date: '01/03/2029' });
    expect(tooLong.statusCode).toBe(400);
    expect(fieldError(tooLong.body, 'end_date')).toBe('An award lasts at most 3 years: the end date must be before 1 March 2029');
    expect(tooLong.body).toContain('value="01/03/2029"');

    const notMoney = await patBrowser.post(`${base(p.id)}/awards/new`, { ...AWARD, hourly_rate: 'twelve' });
    expect(fieldError(notMoney.body, 'hourly_rate')).toBe('Hourly rate must be an amount in pounds, like 12.71');
    expect(await t.db.selectFrom('atw_awards').select('id').execute()).toEqual([]);

    // The last day of the third year is allowed.
    const id = await addAward(p.id, { end_date: '28/02/2029' });
    expect((await awardRow(id)).end_date).toBe('2029-02-28');
  });

  it('refuses a stale change with 409 and keeps what was typed', async () => {
    const p = await person();
    const id = await addAward(p.id);
    const edit = await patBrowser.get(`${base(p.id)}/awards/${id}/edit`);
    expect(edit.body).toMatch(/name="version" value="1"/);
    expect(edit.body).toContain('value="12.71"');
    const first = await patBrowser.post(`${base(p.id)}/awards/${id}/edit`, { ...AWARD, version: '1', hourly_rate: '13' });
    expect(first.statusCode).toBe(302);
    expect(Number((await awardRow(id)).hourly_rate_pence)).toBe(1300);
    const stale = await patBrowser.post(`${base(p.id)}/awards/${id}/edit`, { ...AWARD, version: '1', reference: 'MINE' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('This award has changed');
    expect(stale.body).toContain('value="MINE"');
    expect(stale.body).toMatch(/name="version" value="2"/);
    expect((await awardRow(id)).reference).toBe('ATW-0001');
  });
});

describe('renewals', () => {
  it('prefills a renewal from the old award and links the two both ways', async () => {
    const p = await person();
    const old = await addAward(p.id);
    const form = await patBrowser.get(`${base(p.id)}/awards/new?renews=${old}`);
    expect(form.statusCode).toBe(200);
    expect(text(form.body)).toContain('Renew award');
    expect(form.body).toMatch(/id="start_date" name="start_date" type="date" value="2027-03-01"/);
    expect(form.body).toMatch(/id="end_date" name="end_date" type="date"( value="")?[ >]/);
    expect(form.body).toContain('value="12.71"');
    expect(form.body).toMatch(/id="hours_per_week"[^>]*value="5"/);
    expect(form.body).toContain(`<input type="hidden" name="renews_award_id" value="${old}">`);

    const res = await patBrowser.post(`${base(p.id)}/awards/new`, {
      ...AWARD,
      reference: 'ATW-0002',
      start_date: '2027-03-01',
      end_date: '2028-02-29',
      hourly_rate: '13.10',
      renews_award_id: old,
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toMatch(/\?done=renewed$/);
    const renewal = /\/awards\/([0-9a-f-]{36})/.exec(res.headers.location as string)![1]!;
    expect((await awardRow(renewal)).renews_award_id).toBe(old);
    expect(Number((await awardRow(renewal)).hourly_rate_pence)).toBe(1310);

    const newPage = await patBrowser.get(`${base(p.id)}/awards/${renewal}`);
    expect(text(newPage.body)).toContain('Renews Job coach, 1 March 2026 to 28 February 2027 (ATW-0001)');
    expect(newPage.body).toContain(`href="${base(p.id)}/awards/${old}"`);
    const oldPage = await patBrowser.get(`${base(p.id)}/awards/${old}`);
    expect(text(oldPage.body)).toContain('Renewed by Job coach, 1 March 2027 to 29 February 2028 (ATW-0002)');
    expect(oldPage.body).toContain(`href="${base(p.id)}/awards/${renewal}"`);
    expect(oldPage.body).not.toContain('Renew this award');
  });

  it('shows the renewal alert from exactly 84 days before the end, and stops it when marked as not renewing', async () => {
    const p = await person();
    const due = await addAward(p.id, { reference: 'DUE', start_date: '2026-02-18', end_date: '2027-02-17' });
    await addAward(p.id, { reference: 'NOT-YET', start_date: '2026-02-19', end_date: '2027-02-18' });
    const page = text((await patBrowser.get(base(p.id))).body);
    expect(page).toContain('Apply to renew: the award ends on 17 February 2027; renewals can be sent from 25 November 2026.');
    expect(page).not.toContain('the award ends on 18 February 2027');

    const form = await patBrowser.get(`${base(p.id)}/awards/${due}/not-renewing`);
    expect(form.statusCode).toBe(200);
    const empty = await patBrowser.post(`${base(p.id)}/awards/${due}/not-renewing`, { reason: '', version: '1' });
    expect(empty.statusCode).toBe(400);
    expect(fieldError(empty.body, 'reason')).toBe('Enter why the award will not be renewed');
    const marked = await patBrowser.post(`${base(p.id)}/awards/${due}/not-renewing`, {
      reason: 'Ann has asked to stop job coaching',
      version: '1',
    });
    expect(marked.statusCode).toBe(302);
    expect(text((await patBrowser.get(base(p.id))).body)).not.toContain('Apply to renew');
    const awardPage = text((await patBrowser.get(`${base(p.id)}/awards/${due}`)).body);
    expect(awardPage).toContain('Not renewing: Ann has asked to stop job coaching');

    const undo = await patBrowser.post(`${base(p.id)}/awards/${due}/not-renewing`, { undo: 'yes', version: '2' });
    expect(undo.statusCode).toBe(302);
    expect(undo.headers.location).toMatch(/done=renewal-expected$/);
    expect(text((await patBrowser.get(base(p.id))).body)).toContain('the award ends on 17 February 2027');
  });
});

describe('the award page', () => {
  it('shows hours delivered per month and per week, what is not yet claimed, and audits the read', async () => {
    const p = await person();
    const id = await addAward(p.id, { start_date: '2026-10-15', end_date: '2027-10-14' });
    // Charged to the award by default: in-work support while it is the one job-coach award.
    await makeContact(t.db, t.deps, pat, p.id, {
      purpose: 'in_work_support',
      startedAt: '2026-10-20T09:00:00Z',
      durationMinutes: 120,
    });
    await makeContact(t.db, t.deps, pat, p.id, {
      purpose: 'in_work_support',
      startedAt: '2026-11-03T10:00:00Z',
      durationMinutes: 60,
    });
    const res = await patBrowser.get(`${base(p.id)}/awards/${id}`);
    expect(res.statusCode).toBe(200);
    const page = text(res.body);
    // October from the 15th: 17 days of 5 hours a week is 729 minutes, 609 more than delivered.
    expect(page).toContain(
      'Month 15 October 2026 to 31 October 2026 Awarded (hours) 12.15 Delivered (hours) 2.00 Difference (hours) -10.15 State Under by 10.15 hours',
    );
    expect(page).toContain('1 November 2026 to 30 November 2026');
    expect(page).toContain('In progress');
    expect(page).toContain('Not started');
    expect(page).toContain('Hours delivered 3.00 hours');
    expect(page).toContain('15 October 2026 to 31 October 2026: 2.00 hours delivered but not claimed');
    expect(res.body).toContain('role="img"');
    // Weeks from Monday 12 October to the week holding today, 23 November: seven bars.
    expect(res.body.match(/class="stepwise-chart__bar"/g)).toHaveLength(7);
    expect(res.body).toContain('class="stepwise-chart__awarded"');
    expect(res.body).toContain(`href="${base(p.id)}/awards/${id}/claims/new"`);
    const audited = await t.db
      .selectFrom('audit_events')
      .select(['entity_id', 'details'])
      .where('action', '=', 'atw.viewed')
      .execute();
    expect(audited.map((e) => e.entity_id)).toEqual([p.id]);
    expect(audited[0]?.details).toContain(id);
  });

  it('says when the award has not started yet', async () => {
    const p = await person();
    const id = await addAward(p.id, { start_date: '2027-01-04', end_date: '2028-01-03' });
    const page = text((await patBrowser.get(`${base(p.id)}/awards/${id}`)).body);
    expect(page).toContain('The award has not started yet');
  });
});

describe('who may see Access to Work', () => {
  it('refuses a clinician of the referring team and shows nothing of the award', async () => {
    const cmht = (await makeTeam(t.db, t.deps, 'Riverside CMHT')).id;
    const p = await person();
    await referFromClinicalTeam(t.db, p.id, cmht);
    const id = await addAward(p.id);
    const { browser } = await signedInAs(t, 'clinician', cmht);
    const overview = await browser.get(base(p.id));
    expect(overview.statusCode).toBe(403);
    expect(overview.body).not.toContain('ATW-0001');
    expect((await browser.get(`${base(p.id)}/awards/${id}`)).statusCode).toBe(403);
    // The person's page is still theirs to read, without the Access to Work link.
    const personPage = await browser.get(`/participants/${p.id}`);
    expect(personPage.statusCode).toBe(200);
    expect(personPage.body).not.toContain(`href="${base(p.id)}"`);
  });

  it('answers 404 to a practitioner of another team, for the person and for the award', async () => {
    const p = await person();
    const id = await addAward(p.id);
    const { browser } = await signedInAs(t, 'practitioner', (await makeTeam(t.db, t.deps, 'South IPS')).id);
    expect((await browser.get(base(p.id))).statusCode).toBe(404);
    expect((await browser.get(`${base(p.id)}/awards/${id}`)).statusCode).toBe(404);
    expect((await browser.get(`${base(p.id)}/awards/new`)).statusCode).toBe(404);
    const post = await browser.post(`${base(p.id)}/awards/new`, { ...AWARD, reference: 'SOUTH' });
    expect(post.statusCode).toBe(404);
    expect(await t.db.selectFrom('atw_awards').select('id').where('reference', '=', 'SOUTH').execute()).toEqual([]);
    expect(await t.db.selectFrom('audit_events').select('id').where('action', '=', 'atw.viewed').execute()).toEqual([]);
  });

  it('answers 404 for an award of someone else', async () => {
    const p = await person();
    const other = await makeParticipant(t.db, t.deps, pat);
    const id = await addAward(other.id);
    expect((await patBrowser.get(`${base(p.id)}/awards/${id}`)).statusCode).toBe(404);
    expect((await patBrowser.get(`${base(p.id)}/awards/${id}/edit`)).statusCode).toBe(404);
  });
});
