import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, type ErrorBody, signedInAs, type TestApp } from '../../test/test-app.ts';
import { makeEmployer, makeParticipant, makeTeam, makeTokenUser, makeVacancy } from '../../test/factories.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import * as employers from '../employers/service.ts';
import * as participants from '../participants/service.ts';
import type { User } from '../users/service.ts';
import { IMPORT_COLUMNS } from './import.ts';
import * as vacancies from './service.ts';

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

const viewerOf = (u: User) => participants.viewerOf({ userId: u.id, role: u.role, teamId: u.teamId });
const api = (token: string) => ({ authorization: `Bearer ${token}` });
const countVacancies = async () =>
  Number(
    (
      await t.db
        .selectFrom('vacancies')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

function vacancyForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    title: 'Kitchen porter',
    occupation: 'Catering',
    hours_per_week: '16',
    weekends: 'no',
    hourly_pay: '12.80',
    place: 'Headingley',
    start_date: '2027-01-04',
    closing_date: '2026-12-20',
    found_via: 'advertised',
    check_required: 'no',
    description: '',
    ...overrides,
  };
}

// ---- CSV helpers -----------------------------------------------------------------------------------

/** A multipart form as a browser sends it: the fields, then the file. */
function multipart(fields: Record<string, string>, file: { name: string; content: string | Buffer }) {
  const boundary = `----stepwise${randomUUID()}`;
  const head = Object.entries(fields)
    .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join('');
  const payload = Buffer.concat([
    Buffer.from(
      `${head}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.from(file.content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Uploads a file from the import page, as the signed-in browser. */
async function upload(browser: Browser, content: string | Buffer, options: { csrf?: boolean } = {}) {
  await browser.get('/vacancies/import');
  const { payload, headers } = multipart(
    { ...(options.csrf === false ? {} : { _csrf: browser.csrf }), _idempotency_key: randomUUID() },
    { name: 'vacancies.csv', content },
  );
  return t.app.inject({ method: 'POST', url: '/vacancies/import', cookies: browser.cookies, headers, payload });
}

/** Follows an import's progress page, as its meta refresh would, until the report is final. */
async function finalReport(browser: Browser, res: LightMyRequestResponse): Promise<string> {
  expect(res.statusCode).toBe(303);
  const url = String(res.headers.location);
  expect(url).toMatch(/^\/vacancies\/imports\/[0-9a-f-]{36}$/);
  for (let i = 0; i < 600; i++) {
    const page = await browser.get(url);
    expect(page.statusCode).toBe(200);
    if (!page.body.includes('http-equiv="refresh"')) return page.body;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the import did not finish');
}

const HEADER = IMPORT_COLUMNS.join(',');
function csvRow(values: Partial<Record<(typeof IMPORT_COLUMNS)[number], string>>): string {
  return IMPORT_COLUMNS.map((c) => values[c] ?? '').join(',');
}

/**
 * 1,000 vacancies across five employers (one already recorded), with a description over two
 * lines at row 10 and two bad rows: a pay that is not money (row 250) and no title (row 801).
 */
function thousandRowFile(known: string): { text: string; badLines: number[] } {
  const lines = [HEADER];
  const names = [known, 'Corner Café', 'Leeds Libraries', 'Moor Allerton Garden Centre', 'Riverside Hotel'];
  for (let i = 1; i <= 1000; i++) {
    lines.push(
      csvRow({
        reference: `R${i}`,
        employer: names[i % names.length],
        title: i === 801 ? '' : `Role ${i}`,
        hours_per_week: String(10 + (i % 30)),
        days: 'mon;wed',
        hourly_pay: i === 250 ? 'lots' : '12.80',
        closing_date: '2026-12-31',
        description: i === 10 ? '"First line\nsecond line"' : '',
      }),
    );
  }
  // Row n is on line n + 1 (the header is line 1), plus one from row 10's second line.
  return { text: `${lines.join('\n')}\n`, badLines: [252, 803] };
}

// ---- The list ----------------------------------------------------------------------------------

describe('the vacancies list', () => {
  it('shows open vacancies by default, soonest closing first, with hours, pay and closing date', async () => {
    const acme = await makeEmployer(t.db, t.deps, pat, { name: 'Acme Foods' });
    await makeVacancy(t.db, t.deps, pat, acme.id, {
      title: 'Later job',
      closingDate: '2027-02-01',
      hoursPerWeek: 37.5,
      hourlyPayPence: 1300,
    });
    await makeVacancy(t.db, t.deps, pat, acme.id, { title: 'Sooner job', closingDate: '2026-12-01' });
    await makeVacancy(t.db, t.deps, pat, acme.id, { title: 'Filled job', status: 'filled' });
    await makeVacancy(t.db, t.deps, pat, acme.id, { title: 'Past job', closingDate: '2026-11-24' });
    const res = await patBrowser.get('/vacancies');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('2 vacancies');
    expect(res.body.indexOf('Sooner job')).toBeLessThan(res.body.indexOf('Later job'));
    expect(res.body).toContain('37.5 hours a week');
    expect(res.body).toContain('£13.00 an hour');
    expect(res.body).toContain('1 February 2027');
    expect(res.body).not.toContain('Filled job');
    expect(res.body).not.toContain('Past job');
  });

  it('says a vacancy whose closing date has passed is closed, under "Closing date passed"', async () => {
    const acme = await makeEmployer(t.db, t.deps, pat);
    await makeVacancy(t.db, t.deps, pat, acme.id, { title: 'Past job', closingDate: '2026-11-24' });
    const res = await patBrowser.get('/vacancies?status=closed');
    expect(res.body).toContain('Past job');
    expect(res.body).toMatch(/<strong class="nhsuk-tag nhsuk-tag--orange">\s*Closed\s*<\/strong>/);
  });

  it('finds vacancies by title, occupation or employer name, and sorts by pay', async () => {
    const acme = await makeEmployer(t.db, t.deps, pat, { name: 'Acme Foods Ltd' });
    const cafe = await makeEmployer(t.db, t.deps, pat, { name: 'Corner Café' });
    await makeVacancy(t.db, t.deps, pat, acme.id, { title: 'Packer', hourlyPayPence: 1280 });
    await makeVacancy(t.db, t.deps, pat, cafe.id, { title: 'Barista', occupation: 'Hospitality', hourlyPayPence: 1350 });
    const byEmployer = await patBrowser.get('/vacancies?q=acme+foods');
    expect(byEmployer.body).toContain('Packer');
    expect(byEmployer.body).not.toContain('Barista');
    expect((await patBrowser.get('/vacancies?q=HOSPITAL')).body).toContain('Barista');
    const byPay = await patBrowser.get('/vacancies?sort=pay');
    expect(byPay.body.indexOf('Barista')).toBeLessThan(byPay.body.indexOf('Packer'));
  });

  it('pages 25 at a time', async () => {
    const acme = await makeEmployer(t.db, t.deps, pat);
    for (let i = 0; i < 27; i++) await makeVacancy(t.db, t.deps, pat, acme.id, { title: `Job ${i}` });
    const first = await patBrowser.get('/vacancies');
    expect(first.body).toContain('Showing 1 to 25 of 27 vacancies');
    const second = await patBrowser.get('/vacancies?page=2');
    expect(second.body).toContain('Showing 26 to 27 of 27 vacancies');
  });

  it('flags pay below the minimum wage for someone aged 21 or over on the start date', async () => {
    const acme = await makeEmployer(t.db, t.deps, pat);
    await makeVacancy(t.db, t.deps, pat, acme.id, { title: 'Low pay', hourlyPayPence: 1000, startDate: '2026-05-01' });
    await makeVacancy(t.db, t.deps, pat, acme.id, { title: 'Fair pay', hourlyPayPence: 1271, startDate: '2026-05-01' });
    const res = await patBrowser.get('/vacancies?status=all');
    const rowOf = (title: string) => res.body.slice(res.body.indexOf(title), res.body.indexOf('</tr>', res.body.indexOf(title)));
    expect(rowOf('Low pay')).toContain('Pay below the minimum wage');
    expect(rowOf('Fair pay')).not.toContain('Pay below the minimum wage');
  });

  it('offers to add a vacancy or import a file when there are none', async () => {
    const res = await patBrowser.get('/vacancies');
    expect(res.body).toContain('There are no open vacancies');
    expect(res.body).toContain('href="/vacancies/new"');
    expect(res.body).toContain('href="/vacancies/import"');
  });

  it('is in the header for practitioners and refused to clinicians', async () => {
    expect((await patBrowser.get('/')).body).toContain('href="/vacancies"');
    const { browser } = await signedInAs(t, 'clinician', north);
    expect((await browser.get('/vacancies')).statusCode).toBe(403);
  });
});

// ---- Adding and changing -----------------------------------------------------------------------

describe('adding a vacancy', () => {
  it('matches the typed employer by name, reads "£12.71" as pence and counts Saturday as weekend work', async () => {
    const acme = await makeEmployer(t.db, t.deps, pat, { name: 'Acme Foods Ltd' });
    const form = await patBrowser.get('/vacancies/new');
    // The employers recorded are suggested as you type.
    expect(form.body).toContain('<option value="Acme Foods Ltd"></option>');
    const res = await patBrowser.post('/vacancies', {
      ...vacancyForm({ employer: 'ACME FOODS', hourly_pay: '£12.71' }),
      days: 'sat',
    });
    expect(res.statusCode).toBe(302);
    const id = /\/vacancies\/([0-9a-f-]{36})\?done=created/.exec(String(res.headers.location))![1]!;
    const saved = await vacancies.getVacancy(t.db, viewerOf(pat), id);
    expect(saved).toMatchObject({ employerId: acme.id, hourlyPayPence: 1271, days: ['sat'], weekends: true, hoursPerWeek: 16 });
    const page = await patBrowser.get(`/vacancies/${id}?done=created`);
    expect(page.body).toContain('Vacancy added');
    expect(page.body).toContain('Pay meets the minimum wage for someone aged 21 or over on 4 January 2027');
    expect(page.body).toContain(`href="/vacancies/${id}/people"`);
  });

  it('keeps what was typed and names each problem, including an employer that is not recorded', async () => {
    await patBrowser.get('/vacancies/new');
    const res = await patBrowser.post('/vacancies', {
      ...vacancyForm({ employer: 'Nobody Ltd', title: '', hourly_pay: 'ten', hours_per_week: '0', latitude: '53.8' }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('No employer called “Nobody Ltd” is recorded');
    expect(res.body).toContain('Enter the job title');
    expect(res.body).toContain('Hourly pay must be an amount in pounds, like 12.71');
    expect(res.body).toContain('Hours a week must be a number more than 0');
    expect(res.body).toMatch(/name="place"[^>]*value="Headingley"/);
    expect(await countVacancies()).toBe(0);
  });

  it('asks for both latitude and longitude, or neither', async () => {
    const acme = await makeEmployer(t.db, t.deps, pat);
    await patBrowser.get('/vacancies/new');
    const res = await patBrowser.post('/vacancies', { ...vacancyForm({ employer_id: acme.id, latitude: '53.8' }) });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Enter both latitude and longitude, or neither');
  });

  it('fixes the employer when opened from it, and offers its departments and sites', async () => {
    const acme = await makeEmployer(t.db, t.deps, pat, { name: 'Leeds Hospitals' });
    const v = viewerOf(pat);
    const site = await employers.saveSite(t.db, t.deps, SYSTEM_CONTEXT, v, acme.id, null, { name: 'St James’s' });
    const dept = await employers.saveDepartment(t.db, t.deps, SYSTEM_CONTEXT, v, acme.id, null, { name: 'Facilities' });
    const form = await patBrowser.get(`/vacancies/new?employer_id=${acme.id}`);
    expect(form.body).toContain('Leeds Hospitals');
    expect(form.body).toContain(`name="employer_id" value="${acme.id}"`);
    expect(form.body).toContain('St James’s');
    expect(form.body).toContain('Facilities');
    const res = await patBrowser.post('/vacancies', {
      ...vacancyForm({ employer_id: acme.id, site_id: site.id, department_id: dept.id }),
    });
    expect(res.statusCode).toBe(302);
    const id = /\/vacancies\/([0-9a-f-]{36})/.exec(String(res.headers.location))![1]!;
    const page = await patBrowser.get(`/vacancies/${id}`);
    expect(page.body).toContain('St James’s');
    expect(page.body).toContain('Facilities');
  });

  it('refuses a department of another employer', async () => {
    const acme = await makeEmployer(t.db, t.deps, pat);
    const other = await makeEmployer(t.db, t.deps, pat);
    const dept = await employers.saveDepartment(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(pat), other.id, null, {
      name: 'Elsewhere',
    });
    await patBrowser.get('/vacancies/new');
    const res = await patBrowser.post('/vacancies', { ...vacancyForm({ employer_id: acme.id, department_id: dept.id }) });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Choose a department of this employer');
  });
});

describe('changing a vacancy', () => {
  it('saves changes and audits the fields changed, never their values', async () => {
    const acme = await makeEmployer(t.db, t.deps, pat, { name: 'Acme' });
    const vac = await makeVacancy(t.db, t.deps, pat, acme.id, { title: 'Porter', hourlyPayPence: 1200 });
    const form = await patBrowser.get(`/vacancies/${vac.id}/edit`);
    expect(form.body).toMatch(/name="hourly_pay"[^>]*value="12.00"/);
    const res = await patBrowser.post(`/vacancies/${vac.id}/edit`, {
      ...vacancyForm({ employer: 'Acme', title: 'Head porter', version: '1' }),
    });
    expect(res.statusCode).toBe(302);
    const saved = await vacancies.getVacancy(t.db, viewerOf(pat), vac.id);
    expect(saved).toMatchObject({ title: 'Head porter', hourlyPayPence: 1280, version: 2 });
    const events = await t.db.selectFrom('audit_events').select('details').where('action', '=', 'vacancy.updated').execute();
    expect(events).toHaveLength(1);
    expect((JSON.parse(events[0]!.details!) as { changed: string[] }).changed).toEqual(
      expect.arrayContaining(['title', 'hourly_pay_pence']),
    );
    expect(events[0]!.details).not.toContain('Head porter');
  });

  it('keeps the typed values and shows what is saved when someone else changed it first (409)', async () => {
    const acme = await makeEmployer(t.db, t.deps, pat, { name: 'Acme' });
    const vac = await makeVacancy(t.db, t.deps, pat, acme.id, { title: 'Porter' });
    await vacancies.updateVacancy(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(pat), vac.id, 1, { title: 'Senior porter' });
    await patBrowser.get(`/vacancies/${vac.id}/edit`);
    const res = await patBrowser.post(`/vacancies/${vac.id}/edit`, {
      ...vacancyForm({ employer: 'Acme', title: 'My porter', version: '1' }),
    });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('This vacancy has changed');
    expect(res.body).toContain('Senior porter at Acme');
    expect(res.body).toMatch(/name="title"[^>]*value="My porter"/);
    expect(res.body).toContain('name="version" value="2"');
    expect((await vacancies.getVacancy(t.db, viewerOf(pat), vac.id)).title).toBe('Senior porter');
  });

  it('marks a vacancy filled after a confirmation, which takes it out of matching, and reopens it', async () => {
    const acme = await makeEmployer(t.db, t.deps, pat);
    const vac = await makeVacancy(t.db, t.deps, pat, acme.id, { title: 'Porter' });
    const page = await patBrowser.get(`/vacancies/${vac.id}`);
    expect(page.body).toContain(`/vacancies/${vac.id}/status?to=filled`);
    const confirm = await patBrowser.get(`/vacancies/${vac.id}/status?to=filled`);
    expect(confirm.body).toContain('Mark this vacancy as filled');
    const res = await patBrowser.post(`/vacancies/${vac.id}/status`, { status: 'filled', version: '1' });
    expect(res.headers.location).toBe(`/vacancies/${vac.id}?done=filled`);
    expect((await vacancies.openVacancies(t.db, '2026-11-25')).map((v) => v.id)).not.toContain(vac.id);
    expect((await patBrowser.get(`/vacancies/${vac.id}/status?to=withdrawn`)).statusCode).toBe(404);
    const reopened = await patBrowser.post(`/vacancies/${vac.id}/status`, { status: 'open', version: '2' });
    expect(reopened.headers.location).toBe(`/vacancies/${vac.id}?done=open`);
    expect((await vacancies.openVacancies(t.db, '2026-11-25')).map((v) => v.id)).toContain(vac.id);
  });

  it('asks again when the vacancy changed before the status change was confirmed', async () => {
    const acme = await makeEmployer(t.db, t.deps, pat);
    const vac = await makeVacancy(t.db, t.deps, pat, acme.id);
    await vacancies.updateVacancy(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(pat), vac.id, 1, { title: 'Renamed' });
    await patBrowser.get(`/vacancies/${vac.id}/status?to=withdrawn`);
    const res = await patBrowser.post(`/vacancies/${vac.id}/status`, { status: 'withdrawn', version: '1' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Someone else changed this vacancy');
    expect((await vacancies.getVacancy(t.db, viewerOf(pat), vac.id)).status).toBe('open');
  });
});

// ---- The minimum wage ----------------------------------------------------------------------------

describe('pay below the minimum wage (issue 5 acceptance)', () => {
  it('flags £10.00 for a 25-year-old starting 1 May 2026 as not competitive, and not £12.71 (service, page and API)', async () => {
    const acme = await makeEmployer(t.db, t.deps, pat);
    const person = await makeParticipant(t.db, t.deps, pat, { dateOfBirth: '2001-01-15' });
    const low = await makeVacancy(t.db, t.deps, pat, acme.id, { hourlyPayPence: 1000, startDate: '2026-05-01' });
    const fair = await makeVacancy(t.db, t.deps, pat, acme.id, { hourlyPayPence: 1271, startDate: '2026-05-01' });

    expect(vacancies.vacancyPay(low, '2026-11-25', { dateOfBirth: '2001-01-15' }).competitive).toBe(false);
    expect(vacancies.vacancyPay(fair, '2026-11-25', { dateOfBirth: '2001-01-15' }).competitive).toBe(true);

    const lowPage = await patBrowser.get(`/vacancies/${low.id}`);
    expect(lowPage.body).toContain('Pay below the minimum wage');
    expect(lowPage.body).toContain('£10.00 an hour is below the £12.71 minimum for someone aged 21 or over on 1 May 2026');
    expect(lowPage.body).toContain('the check uses their age on the start date');
    expect((await patBrowser.get(`/vacancies/${fair.id}`)).body).toContain(
      'Pay meets the minimum wage for someone aged 21 or over on 1 May 2026',
    );

    const { token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const lowJson = await t.app.inject({
      method: 'GET',
      url: `/api/v1/vacancies/${low.id}?participant_id=${person.id}`,
      headers: api(token),
    });
    expect(lowJson.statusCode).toBe(200);
    expect(lowJson.json()).toMatchObject({
      competitive: false,
      competitive_reasons: ['£10.00 an hour is below the £12.71 minimum for someone aged 25 on 1 May 2026'],
    });
    const fairJson = await t.app.inject({
      method: 'GET',
      url: `/api/v1/vacancies/${fair.id}?participant_id=${person.id}`,
      headers: api(token),
    });
    expect(fairJson.json()).toMatchObject({ competitive: true });
    const audited = await t.db
      .selectFrom('audit_events')
      .select('entity_id')
      .where('action', '=', 'participant.viewed')
      .execute();
    expect(audited.map((a) => a.entity_id)).toContain(person.id);
  });

  it('uses the lower rate for an 18-year-old, and refuses someone the caller may not see with 404', async () => {
    const acme = await makeEmployer(t.db, t.deps, pat);
    const young = await makeParticipant(t.db, t.deps, pat, { dateOfBirth: '2008-03-01' });
    const vac = await makeVacancy(t.db, t.deps, pat, acme.id, { hourlyPayPence: 1100, startDate: '2026-05-01' });
    const { token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/vacancies/${vac.id}?participant_id=${young.id}`,
      headers: api(token),
    });
    expect(res.json()).toMatchObject({ competitive: true });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/vacancies/${vac.id}`, headers: api(token) })).json()).toMatchObject(
      {
        competitive: false,
      },
    );
    const elsewhere = await makeTokenUser(t.db, t.deps, 'practitioner', (await makeTeam(t.db, t.deps)).id);
    const hidden = await t.app.inject({
      method: 'GET',
      url: `/api/v1/vacancies/${vac.id}?participant_id=${young.id}`,
      headers: api(elsewhere.token),
    });
    expect(hidden.statusCode).toBe(404);
  });
});

// ---- CSV import ----------------------------------------------------------------------------------

describe('importing a CSV file in the browser', () => {
  it('keeps 998 of 1,000 rows, reports both bad line numbers, and adds nothing the second time (issue 5 acceptance)', async () => {
    const known = await makeEmployer(t.db, t.deps, pat, { name: 'Acme Foods' });
    const { text, badLines } = thousandRowFile('ACME FOODS LTD');

    const first = await finalReport(patBrowser, await upload(patBrowser, text));
    expect(first).toContain('998 vacancies added');
    expect(first).toContain('0 already imported');
    expect(first).toContain('4 new employers added');
    expect(first).toContain('2 rows not imported');
    expect(first).toMatch(new RegExp(`>\\s*${badLines[0]}\\s*<[^]*hourly_pay “lots” must be an amount in pounds`));
    expect(first).toMatch(new RegExp(`>\\s*${badLines[1]}\\s*<[^]*title is empty`));
    expect(await countVacancies()).toBe(998);
    const atKnown = await t.db.selectFrom('vacancies').select('id').where('employer_id', '=', known.id).execute();
    // Every fifth row is at the known employer, one of them (row 250) bad.
    expect(atKnown).toHaveLength(199);

    const second = await finalReport(patBrowser, await upload(patBrowser, text));
    expect(second).toContain('0 vacancies added');
    expect(second).toContain('998 already imported');
    expect(second).toContain('0 new employers added');
    expect(await countVacancies()).toBe(998);
  });

  it('shows a progress bar that refreshes itself while the import runs', async () => {
    const { text } = thousandRowFile('Acme');
    const res = await upload(patBrowser, text);
    const page = await patBrowser.get(String(res.headers.location));
    // The first batch may or may not have run yet; either way the page says how far it has got.
    expect(page.body).toContain('<meta http-equiv="refresh" content="2">');
    expect(page.body).toMatch(/<progress id="import-progress" max="1000" value="\d+">/);
    expect(page.body).toMatch(/Imported \d[\d,]* of 1,000 rows/);
    await finalReport(patBrowser, res);
  });

  it('refuses a file with unknown columns, naming them, and writes nothing', async () => {
    const res = await upload(patBrowser, 'employer,title,salary,grade\nAcme,Porter,20000,B\n');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('“salary”, “grade”');
    expect(await countVacancies()).toBe(0);
    expect(await t.db.selectFrom('vacancy_imports').selectAll().execute()).toHaveLength(0);
    expect(await t.db.selectFrom('employers').selectAll().execute()).toHaveLength(0);
  });

  it('refuses an upload without the form’s CSRF token', async () => {
    const res = await upload(patBrowser, `${HEADER}\n${csvRow({ employer: 'Acme', title: 'Porter' })}\n`, { csrf: false });
    expect(res.statusCode).toBe(403);
    expect(await countVacancies()).toBe(0);
  });

  it('refuses a file over 10 MB', async () => {
    const big = `${HEADER}\n${csvRow({ employer: 'Acme', title: 'Porter', description: 'x'.repeat(11 * 1024 * 1024) })}\n`;
    const res = await upload(patBrowser, big);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('The file must be 10 MB or smaller');
    expect(await countVacancies()).toBe(0);
  });

  it('shows the report only to the importer and managers of their team', async () => {
    const res = await upload(patBrowser, `${HEADER}\n${csvRow({ employer: 'Acme', title: 'Porter' })}\n`);
    const url = String(res.headers.location);
    await finalReport(patBrowser, res);
    const teammate = await signedInAs(t, 'practitioner', north);
    expect((await teammate.browser.get(url)).statusCode).toBe(404);
    const manager = await signedInAs(t, 'manager', north);
    expect((await manager.browser.get(url)).body).toContain('1 vacancy added');
    const otherManager = await signedInAs(t, 'manager', (await makeTeam(t.db, t.deps)).id);
    expect((await otherManager.browser.get(url)).statusCode).toBe(404);
  });

  it('documents the header on the import page', async () => {
    const res = await patBrowser.get('/vacancies/import');
    expect(res.body).toContain(HEADER);
    expect(res.body).toContain('enctype="multipart/form-data"');
    expect(res.body).toContain('How a second import knows a row');
  });
});

describe('the vacancies API', () => {
  let token: string;
  beforeEach(async () => {
    ({ token } = await makeTokenUser(t.db, t.deps, 'practitioner', north));
  });

  it('imports a CSV body synchronously: 998 of 1,000 kept, both lines reported, nothing added the second time', async () => {
    const { text, badLines } = thousandRowFile('Acme');
    const post = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/vacancies/import',
        headers: { ...api(token), 'content-type': 'text/csv' },
        payload: text,
      });
    const first = await post();
    expect(first.statusCode).toBe(200);
    const body = first.json<{ added: number; already_imported: number; new_employers: number; errors: { line: number }[] }>();
    expect(body).toMatchObject({ added: 998, already_imported: 0, new_employers: 5 });
    expect(body.errors.map((e) => e.line)).toEqual(badLines);
    const second = (await post()).json<unknown>();
    expect(second).toMatchObject({ added: 0, already_imported: 998, new_employers: 0 });
    expect(await countVacancies()).toBe(998);
  });

  it('takes a body over the 1 MB JSON limit, up to 10 MB, and reports an over-long value by line', async () => {
    const long = `${HEADER}\n${csvRow({ employer: 'Acme', title: 'Porter', description: 'x'.repeat(2 * 1024 * 1024) })}\n`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/vacancies/import',
      headers: { ...api(token), 'content-type': 'text/csv; charset=utf-8' },
      payload: long,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      added: 0,
      errors: [{ line: 2, message: 'description must be 10,000 characters or fewer.' }],
    });
  });

  it('refuses a body that is not CSV, and a bad header, with fields.file', async () => {
    const json = await t.app.inject({ method: 'POST', url: '/api/v1/vacancies/import', headers: api(token), payload: {} });
    expect(json.statusCode).toBe(400);
    expect(json.json<ErrorBody>().error.fields?.file).toContain('Content-Type: text/csv');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/vacancies/import',
      headers: { ...api(token), 'content-type': 'text/csv' },
      payload: 'employer,name\nAcme,Porter\n',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error.fields?.file).toContain('“name”');
  });

  it('creates (201), reads, changes with the version (409 when stale) and lists with filters', async () => {
    const acme = await makeEmployer(t.db, t.deps, pat, { name: 'Acme' });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/vacancies',
      headers: api(token),
      payload: {
        employer_id: acme.id,
        title: 'Porter',
        hours_per_week: 22.5,
        hourly_pay_pence: 1280,
        days: ['sat', 'mon'],
        closing_date: '2026-12-01',
      },
    });
    expect(created.statusCode).toBe(201);
    const v = created.json<{ id: string; version: number }>();
    expect(created.json()).toMatchObject({
      employer_id: acme.id,
      employer_name: 'Acme',
      title: 'Porter',
      hours_per_week: 22.5,
      hourly_pay_pence: 1280,
      days: ['mon', 'sat'],
      weekends: true,
      found_via: 'advertised',
      status: 'open',
      // No start date: the rates of today, for someone aged 21 or over.
      competitive: true,
      version: 1,
    });
    expect(created.headers.location).toBe(`/api/v1/vacancies/${v.id}`);

    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/vacancies/${v.id}`,
      headers: api(token),
      payload: { version: 1, title: 'Night porter', status: 'filled' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ title: 'Night porter', status: 'filled', version: 2 });
    const stale = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/vacancies/${v.id}`,
      headers: api(token),
      payload: { version: 1, title: 'Lost' },
    });
    expect(stale.statusCode).toBe(409);
    const refused = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/vacancies/${v.id}`,
      headers: api(token),
      payload: { version: 2, status: 'withdrawn' },
    });
    expect(refused.statusCode).toBe(422);

    await makeVacancy(t.db, t.deps, pat, acme.id, { title: 'Open one', closingDate: '2026-12-10' });
    await makeVacancy(t.db, t.deps, pat, acme.id, { title: 'Closed one', closingDate: '2026-11-01' });
    const open = await t.app.inject({ method: 'GET', url: '/api/v1/vacancies?open_on=2026-11-25', headers: api(token) });
    expect(open.json<{ items: { title: string }[] }>().items.map((i) => i.title)).toEqual(['Open one']);
    const filled = await t.app.inject({ method: 'GET', url: '/api/v1/vacancies?status=filled', headers: api(token) });
    expect(filled.json<{ items: { title: string }[] }>().items.map((i) => i.title)).toEqual(['Night porter']);
    const paged = await t.app.inject({ method: 'GET', url: '/api/v1/vacancies?limit=2', headers: api(token) });
    const page1 = paged.json<{ items: unknown[]; next_cursor: string }>();
    expect(page1.items).toHaveLength(2);
    const page2 = await t.app.inject({
      method: 'GET',
      url: `/api/v1/vacancies?limit=2&cursor=${page1.next_cursor}`,
      headers: api(token),
    });
    expect(page2.json<{ items: unknown[]; next_cursor: string | null }>()).toMatchObject({ next_cursor: null });
    expect(page2.json<{ items: unknown[] }>().items).toHaveLength(1);
  });

  it('names the field for an unknown employer, a bad date and a department of another employer', async () => {
    const acme = await makeEmployer(t.db, t.deps, pat);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/vacancies',
      headers: api(token),
      payload: { employer_id: randomUUID(), title: 'Porter', closing_date: '2026-02-30' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.fields).toMatchObject({ closing_date: expect.any(String) as string });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/vacancies',
      headers: api(token),
      payload: { employer_id: randomUUID(), title: 'Porter' },
    });
    expect(unknown.json<ErrorBody>().error.fields).toMatchObject({ employer_id: 'employer_id is not an employer' });
    const other = await makeEmployer(t.db, t.deps, pat);
    const dept = await employers.saveDepartment(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(pat), other.id, null, { name: 'X' });
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/vacancies',
      headers: api(token),
      payload: { employer_id: acme.id, title: 'Porter', department_id: dept.id },
    });
    expect(wrong.json<ErrorBody>().error.fields).toMatchObject({ department_id: 'Choose a department of this employer' });
  });

  it('refuses a manager’s token nothing, and a clinician’s with 403', async () => {
    const manager = await makeTokenUser(t.db, t.deps, 'manager', north);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/vacancies', headers: api(manager.token) })).statusCode).toBe(200);
    const clinician = await makeTokenUser(t.db, t.deps, 'clinician', north);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/vacancies', headers: api(clinician.token) })).statusCode).toBe(403);
  });
});

// ---- Matching ------------------------------------------------------------------------------------

describe('open vacancies for matching (issue 5 acceptance)', () => {
  it('leaves out vacancies past their closing date, and filled or withdrawn ones; keeps those closing today', async () => {
    const acme = await makeEmployer(t.db, t.deps, pat);
    const today = await makeVacancy(t.db, t.deps, pat, acme.id, { title: 'Closes today', closingDate: '2026-11-25' });
    const none = await makeVacancy(t.db, t.deps, pat, acme.id, { title: 'No closing date' });
    await makeVacancy(t.db, t.deps, pat, acme.id, { title: 'Closed yesterday', closingDate: '2026-11-24' });
    await makeVacancy(t.db, t.deps, pat, acme.id, { title: 'Filled', status: 'filled' });
    await makeVacancy(t.db, t.deps, pat, acme.id, { title: 'Withdrawn', status: 'withdrawn' });
    const open = await vacancies.openVacancies(t.db, '2026-11-25');
    expect(open.map((v) => v.id).sort()).toEqual([today.id, none.id].sort());
    expect((await vacancies.openVacancies(t.db, '2026-11-26')).map((v) => v.id)).toEqual([none.id]);
  });
});
