import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, signedInAs, type TestApp } from '../../test/test-app.ts';
import { makeParticipant, makeProfile, makeTeam, referFromClinicalTeam } from '../../test/factories.ts';
import type { User } from '../users/service.ts';

// The test clock stands at 2026-11-25 10:00 UTC: the form's date starts there, in the 2026/27
// rates. The worked examples use 1 October 2025 (2025/26 rates), as the calculation tests do.

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
    .replace(/&pound;/g, '£')
    .replace(/\s+/g, ' ');

/** The message shown next to a field (NHS.UK puts it in `<id>-error`), or null. */
function fieldError(html: string, field: string): string | null {
  const m = new RegExp(`id="${field}-error"[^>]*>([\\s\\S]*?)</span>\\s*</?[a-z]`).exec(html);
  return m?.[1] ? text(m[1]).replace('Error:', '').trim() : null;
}

/** The value an `<input>` holds, or null when it has none. */
function inputValue(html: string, field: string): string | null {
  const tag = new RegExp(`<input[^>]*\\bid="${field}"[^>]*>`).exec(html)?.[0];
  if (!tag) throw new Error(`no input ${field}`);
  return /\bvalue="([^"]*)"/.exec(tag)?.[1] ?? null;
}

/** The value of the checked radio of a group, or null. */
function checked(html: string, name: string): string | null {
  const tags = html.match(new RegExp(`<input[^>]*\\bname="${name}"[^>]*>`, 'g')) ?? [];
  const on = tags.find((tag) => /\bchecked\b/.test(tag));
  return on ? (/\bvalue="([^"]*)"/.exec(on)?.[1] ?? null) : null;
}

const base = (id: string) => `/participants/${id}/benefits`;

/** The worked example: single, 30, Universal Credit with LCWRA, on 1 October 2025. */
const FORM = {
  date: '2025-10-01',
  household: 'single',
  age: '30',
  partner_age: '',
  children: 'no',
  housing_costs: '',
  benefit: 'uc',
  lcwra: 'yes',
  savings: '',
  hours_1: '8',
  pay_1: '12.21',
  pension_1: '',
  hours_2: '16',
  pay_2: '12.21',
  pension_2: '',
  hours_3: '30',
  pay_3: '12.21',
  pension_3: '',
  notes: '',
};

async function person(overrides: { dateOfBirth?: string | null } = {}) {
  return makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Jones', ...overrides });
}

async function calculationRows() {
  return t.db.selectFrom('benefit_calculations').selectAll().orderBy('created_at').orderBy('id').execute();
}

async function audits(action: string) {
  const rows = await t.db
    .selectFrom('audit_events')
    .select(['entity_type', 'entity_id', 'actor_user_id', 'details'])
    .where('action', '=', action)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ ...r, details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>) }));
}

/** Saves a calculation through the form as `browser` and returns its id. */
async function save(browser: Browser, participantId: string, overrides: Record<string, string> = {}): Promise<string> {
  const res = await browser.post(`${base(participantId)}/new`, { ...FORM, ...overrides, action: 'save' });
  expect(res.statusCode, res.body).toBe(302);
  const m = new RegExp(`^${base(participantId)}/([0-9a-f-]{36})\\?done=saved$`).exec(res.headers.location as string);
  expect(m, res.headers.location as string).not.toBeNull();
  return m![1]!;
}

describe('the new calculation form', () => {
  it('starts from the record: age on today’s date, the benefit named in the profile, the wanted hours and the lowest pay', async () => {
    const p = await person({ dateOfBirth: '1990-01-02' });
    await makeProfile(t.db, t.deps, pat, p.id, {
      benefits: 'Universal Credit with LCWRA',
      hours_per_week_min: 10,
      hours_per_week_max: 30,
      lowest_hourly_pay_pence: 1300,
    });
    const res = await patBrowser.get(`${base(p.id)}/new`);
    expect(res.statusCode).toBe(200);
    expect(text(res.body)).toContain('The figures are filled in from Ann Jones’s record and last saved calculation.');
    expect(inputValue(res.body, 'date')).toBe('2026-11-25');
    expect(inputValue(res.body, 'age')).toBe('36');
    expect(checked(res.body, 'household')).toBe('single');
    expect(checked(res.body, 'benefit')).toBe('uc');
    expect(checked(res.body, 'lcwra')).toBe('yes');
    expect([1, 2, 3].map((n) => inputValue(res.body, `hours_${n}`))).toEqual(['10', '20', '30']);
    expect([1, 2, 3].map((n) => inputValue(res.body, `pay_${n}`))).toEqual(['13.00', '13.00', '13.00']);
    // The form carries a key so a double-submitted save makes one record.
    expect(res.body).toMatch(/name="_idempotency_key" value="[0-9a-f-]{36}"/);

    const started = await audits('benefit_calculation.started');
    expect(started).toEqual([
      { entity_type: 'participant', entity_id: p.id, actor_user_id: pat.id, details: { from_saved: null } },
    ]);
  });

  it('without a profile offers 8, 16 and 30 hours at the minimum wage for their age, and ESA when the profile names it', async () => {
    const p = await person({ dateOfBirth: '2006-12-01' }); // 19 on 25 November 2026
    let res = await patBrowser.get(`${base(p.id)}/new`);
    expect(inputValue(res.body, 'age')).toBe('19');
    expect([1, 2, 3].map((n) => inputValue(res.body, `hours_${n}`))).toEqual(['8', '16', '30']);
    // The 18 to 20 rate from April 2026.
    expect(inputValue(res.body, 'pay_1')).toBe('10.85');
    expect(checked(res.body, 'benefit')).toBe('none');
    expect(checked(res.body, 'lcwra')).toBe('no');

    await makeProfile(t.db, t.deps, pat, p.id, { benefits: 'ESA (support group)' });
    res = await patBrowser.get(`${base(p.id)}/new`);
    expect(checked(res.body, 'benefit')).toBe('esa');
  });

  it('leaves age and pay empty for someone without a date of birth, rather than £0.00', async () => {
    const p = await person({ dateOfBirth: null });
    const res = await patBrowser.get(`${base(p.id)}/new`);
    expect(res.statusCode).toBe(200);
    expect(inputValue(res.body, 'age') ?? '').toBe('');
    expect(inputValue(res.body, 'pay_1') ?? '').toBe('');
    expect(inputValue(res.body, 'hours_2')).toBe('16');
  });
});

describe('working it out', () => {
  it('shows the three jobs side by side with the working, and saves nothing', async () => {
    const p = await person();
    const res = await patBrowser.post(`${base(p.id)}/new`, { ...FORM, action: 'calculate' });
    expect(res.statusCode).toBe(200);
    const page = text(res.body);
    expect(page).toContain('Result for 1 October 2025, 2025/26 rates');
    // One table, one column per job.
    const tables = res.body.match(/<table[\s\S]*?<\/table>/g) ?? [];
    expect(tables).toHaveLength(1);
    const headings = [...tables[0]!.matchAll(/<th scope="col"[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
    expect(headings).toEqual(['8 hours at £12.21', '16 hours at £12.21', '30 hours at £12.21']);
    const ucRow = /<th scope="row"[^>]*>Universal Credit with the job<\/th>([\s\S]*?)<\/tr>/.exec(tables[0]!)![1]!;
    const ucCells = [...ucRow.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(ucCells).toHaveLength(3);
    // 16 hours: £846.56 a month, (£846.56 − £684) × 55% = £89.41 off £823.41.
    expect(ucCells[1]).toBe('£734.00');
    expect(page).toContain('Better off by £757.15');
    expect(page).toContain('How it was worked out');
    expect(page).toContain('£684.00');
    expect(page).toContain('Not saved yet.');
    expect(page).not.toContain('This needs a full benefits check');
    // The typed figures stay in the form to change and work out again.
    expect(inputValue(res.body, 'date')).toBe('2025-10-01');
    expect(inputValue(res.body, 'hours_3')).toBe('30');
    expect(checked(res.body, 'lcwra')).toBe('yes');

    expect(await calculationRows()).toEqual([]);
    expect(await audits('benefit_calculation.saved')).toEqual([]);
  });

  it('compares a single job when jobs 2 and 3 are left empty', async () => {
    const p = await person();
    const res = await patBrowser.post(`${base(p.id)}/new`, {
      ...FORM,
      hours_1: '16',
      hours_2: '',
      pay_2: '',
      hours_3: '',
      pay_3: '',
      action: 'calculate',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body.match(/<th scope="col"/g)).toHaveLength(1);
    expect(text(res.body)).toContain('Better off by £757.15');
  });

  it('says what is wrong next to each field and keeps every typed value', async () => {
    const p = await person();
    const res = await patBrowser.post(`${base(p.id)}/new`, {
      ...FORM,
      hours_2: 'abc',
      pay_1: '',
      notes: 'Asked about 16 hours at Tesco',
      action: 'calculate',
    });
    expect(res.statusCode).toBe(400);
    expect(fieldError(res.body, 'hours_2')).toBe('Job 2: hours a week must be a number more than 0 and up to 80, like 16');
    expect(fieldError(res.body, 'pay_1')).toBe('Job 1: hourly pay must be an amount in pounds, like 12.21');
    expect(fieldError(res.body, 'age')).toBeNull();
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('href="#hours_2"');
    expect(inputValue(res.body, 'hours_2')).toBe('abc');
    expect(inputValue(res.body, 'pay_1') ?? '').toBe('');
    expect(inputValue(res.body, 'hours_1')).toBe('8');
    expect(inputValue(res.body, 'pay_3')).toBe('12.21');
    expect(inputValue(res.body, 'age')).toBe('30');
    expect(inputValue(res.body, 'date')).toBe('2025-10-01');
    expect(checked(res.body, 'benefit')).toBe('uc');
    expect(checked(res.body, 'lcwra')).toBe('yes');
    expect(text(res.body)).toContain('Asked about 16 hours at Tesco');
    expect(text(res.body)).not.toContain('Result for');

    const couple = await patBrowser.post(`${base(p.id)}/new`, { ...FORM, household: 'couple', partner_age: '', action: 'save' });
    expect(couple.statusCode).toBe(400);
    expect(fieldError(couple.body, 'partner_age')).toBe('Partner’s age must be a whole number from 16 to 120');
    expect(checked(couple.body, 'household')).toBe('couple');
    expect(await calculationRows()).toEqual([]);
  });

  it('says savings of £10,000 need a full benefits check, and why', async () => {
    const p = await person();
    const res = await patBrowser.post(`${base(p.id)}/new`, { ...FORM, savings: '10000', action: 'calculate' });
    expect(res.statusCode).toBe(200);
    const page = text(res.body);
    expect(page).toContain('This needs a full benefits check');
    expect(page).toContain('Savings of £10,000.00, over the £6,000.00 lower capital limit');
    expect(inputValue(res.body, 'savings')).toBe('10000');
  });
});

describe('saving a calculation', () => {
  it('saves it to the record, shows it, lists it, and starts the next one from the saved household', async () => {
    const p = await person({ dateOfBirth: '1990-01-02' });
    const id = await save(patBrowser, p.id, {
      household: 'couple',
      partner_age: '41',
      housing_costs: '450',
      notes: 'Offer from Tesco pending',
    });
    const rows = await calculationRows();
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.id).toBe(id);
    expect(row.participant_id).toBe(p.id);
    expect(row.calculated_on).toBe('2025-10-01');
    expect(row.tax_year).toBe('2025/26');
    expect(row.created_by_user_id).toBe(pat.id);
    expect(row.notes).toBe('Offer from Tesco pending');
    const scenarios = JSON.parse(row.scenarios) as { job: { hoursPerWeek: number }; result: { taxYear: string } }[];
    expect(scenarios.map((s) => s.job.hoursPerWeek)).toEqual([8, 16, 30]);
    expect(scenarios.every((s) => s.result.taxYear === '2025/26')).toBe(true);
    expect(JSON.parse(row.household)).toMatchObject({
      household: 'couple',
      ages: [30, 41],
      housingCostsPence: 45000,
      lcwra: true,
    });
    expect(await audits('benefit_calculation.saved')).toEqual([
      {
        entity_type: 'participant',
        entity_id: p.id,
        actor_user_id: pat.id,
        details: { calculation_id: id, tax_year: '2025/26', scenarios: 3 },
      },
    ]);

    const shown = await patBrowser.get(`${base(p.id)}/${id}?done=saved`);
    expect(shown.statusCode).toBe(200);
    const page = text(shown.body);
    expect(page).toContain('Calculation saved to the record');
    expect(page).toContain('Worked out for 1 October 2025 with the 2025/26 rates.');
    expect(page).toContain('16 hours at £12.21');
    expect(page).toContain('Couple');
    expect(page).toContain('30 and 41');
    expect(page).toContain('£450.00 a month');
    expect(page).toContain('Offer from Tesco pending');
    expect(page).toContain('How it was worked out');
    expect(page).toContain('Download as PDF');
    expect(shown.body).toContain(`href="${base(p.id)}/${id}/calculation.pdf"`);
    expect(await audits('benefit_calculation.viewed')).toEqual([
      {
        entity_type: 'participant',
        entity_id: p.id,
        actor_user_id: pat.id,
        details: { calculation_id: id, page: 'calculation' },
      },
    ]);
    // Without ?done=saved the page says nothing about saving.
    expect(text((await patBrowser.get(`${base(p.id)}/${id}`)).body)).not.toContain('Calculation saved to the record');

    const list = await patBrowser.get(base(p.id));
    expect(list.statusCode).toBe(200);
    const listed = text(list.body);
    expect(listed).toContain('1 October 2025');
    expect(listed).toContain('8 hours at £12.21; 16 hours at £12.21; 30 hours at £12.21');
    expect(listed).toContain('2025/26');
    expect(list.body).toContain(`href="${base(p.id)}/${id}"`);
    expect(list.body).not.toContain('nhsuk-pagination');
    expect(await audits('benefit_calculation.listed')).toEqual([
      { entity_type: 'participant', entity_id: p.id, actor_user_id: pat.id, details: { offset: 0, shown: 1 } },
    ]);

    // The next calculation starts from the saved household, with the age from the date of birth.
    const next = await patBrowser.get(`${base(p.id)}/new`);
    expect(checked(next.body, 'household')).toBe('couple');
    expect(inputValue(next.body, 'age')).toBe('36');
    expect(inputValue(next.body, 'partner_age')).toBe('41');
    expect(inputValue(next.body, 'housing_costs')).toBe('450.00');
    expect(checked(next.body, 'benefit')).toBe('uc');
    expect(checked(next.body, 'lcwra')).toBe('yes');
    expect((await audits('benefit_calculation.started')).map((a) => a.details)).toEqual([{ from_saved: id }]);
  });

  it('says when nothing is saved yet, and pages the list 20 at a time', async () => {
    const p = await person();
    const empty = text((await patBrowser.get(base(p.id))).body);
    expect(empty).toContain('No calculation is saved for Ann Jones yet.');
    for (let i = 0; i < 21; i++)
      await save(patBrowser, p.id, { hours_1: String(i + 1), hours_2: '', pay_2: '', hours_3: '', pay_3: '' });
    const first = await patBrowser.get(base(p.id));
    expect(first.body.match(/<a href="\/participants\/[^"]+\/benefits\/[0-9a-f-]{36}"/g)).toHaveLength(20);
    expect(first.body).toContain(`href="${base(p.id)}?page=2"`);
    const second = await patBrowser.get(`${base(p.id)}?page=2`);
    expect(second.body.match(/<a href="\/participants\/[^"]+\/benefits\/[0-9a-f-]{36}"/g)).toHaveLength(1);
    expect((await audits('benefit_calculation.listed')).map((a) => a.details)).toEqual([
      { offset: 0, shown: 0 },
      { offset: 0, shown: 20 },
      { offset: 20, shown: 1 },
    ]);
  });

  it('makes one record when the same form is submitted twice', async () => {
    const p = await person();
    const form = await patBrowser.get(`${base(p.id)}/new`);
    const key = /name="_idempotency_key" value="([^"]+)"/.exec(form.body)![1]!;
    const first = await patBrowser.post(`${base(p.id)}/new`, { ...FORM, _idempotency_key: key, action: 'save' });
    const again = await patBrowser.post(`${base(p.id)}/new`, { ...FORM, _idempotency_key: key, action: 'save' });
    expect(first.statusCode).toBe(302);
    expect(again.statusCode).toBe(302);
    expect(again.headers.location).toBe(first.headers.location);
    expect(await calculationRows()).toHaveLength(1);
    expect(await audits('benefit_calculation.saved')).toHaveLength(1);
  });

  it('takes a date as typed in the UK way, picks that year’s rates, and says when there are none', async () => {
    const p = await person();
    const now = await patBrowser.post(`${base(p.id)}/new`, { ...FORM, date: '25/11/2026', action: 'calculate' });
    expect(now.statusCode).toBe(200);
    expect(text(now.body)).toContain('Result for 25 November 2026, 2026/27 rates');
    expect(inputValue(now.body, 'date')).toBe('2026-11-25');

    const id = await save(patBrowser, p.id, { date: '2024-12-01' });
    expect((await calculationRows())[0]?.tax_year).toBeNull();
    const page = text((await patBrowser.get(`${base(p.id)}/${id}`)).body);
    expect(page).toContain('Worked out for 1 December 2024, a date Stepwise has no rates for.');
    expect(page).toContain('This needs a full benefits check');
    expect(page).toContain('Stepwise has no benefit rates for 2024-12-01');
    expect(text((await patBrowser.get(base(p.id))).body)).toContain('No rates');
  });

  it('flags a saved calculation that needs a full check, on its page and in the list', async () => {
    const p = await person();
    const id = await save(patBrowser, p.id, { savings: '10000' });
    expect(text((await patBrowser.get(`${base(p.id)}/${id}`)).body)).toContain('over the £6,000.00 lower capital limit');
    expect(text((await patBrowser.get(base(p.id))).body)).toContain('Needs a full benefits check');
  });
});

describe('the PDF', () => {
  it('downloads the saved calculation as a PDF that is not cached, and audits it', async () => {
    const p = await person();
    const id = await save(patBrowser, p.id);
    const res = await patBrowser.get(`${base(p.id)}/${id}/calculation.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/pdf/);
    expect(res.headers['cache-control']).toContain('no-store');
    expect(res.headers['content-disposition']).toBe('attachment; filename="better-off-calculation-2025-10-01.pdf"');
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(await audits('benefit_calculation.viewed')).toEqual([
      { entity_type: 'participant', entity_id: p.id, actor_user_id: pat.id, details: { calculation_id: id, page: 'pdf' } },
    ]);
  });
});

describe('a calculation of someone else', () => {
  it('answers 404 under this person’s address, for the page and the PDF, and for an unknown id', async () => {
    const p = await person();
    const other = await makeParticipant(t.db, t.deps, pat);
    const theirs = await save(patBrowser, other.id);
    expect((await patBrowser.get(`${base(p.id)}/${theirs}`)).statusCode).toBe(404);
    expect((await patBrowser.get(`${base(p.id)}/${theirs}/calculation.pdf`)).statusCode).toBe(404);
    expect((await patBrowser.get(`${base(p.id)}/00000000-0000-4000-8000-000000000000`)).statusCode).toBe(404);
    expect((await patBrowser.get(`${base(p.id)}/not-an-id`)).statusCode).toBe(404);
    expect(await audits('benefit_calculation.viewed')).toEqual([]);
  });
});

describe('who may work out benefits', () => {
  it('lets a manager of the team see and save, audited as the manager', async () => {
    const p = await person();
    const { browser, user: manager } = await signedInAs(t, 'manager', north);
    const id = await save(patBrowser, p.id);
    expect((await browser.get(base(p.id))).statusCode).toBe(200);
    expect((await browser.get(`${base(p.id)}/new`)).statusCode).toBe(200);
    expect((await browser.get(`${base(p.id)}/${id}`)).statusCode).toBe(200);
    const theirs = await save(browser, p.id);
    expect((await calculationRows()).find((r) => r.id === theirs)?.created_by_user_id).toBe(manager.id);
    expect(text((await patBrowser.get(base(p.id))).body)).toContain(manager.name);
    expect((await audits('benefit_calculation.saved')).map((a) => a.actor_user_id)).toEqual([pat.id, manager.id]);
    expect((await browser.get(`/participants/${p.id}`)).body).toContain(`href="${base(p.id)}"`);
  });

  it('answers 404 to a practitioner of another team and saves nothing', async () => {
    const p = await person();
    const id = await save(patBrowser, p.id);
    const { browser } = await signedInAs(t, 'practitioner', (await makeTeam(t.db, t.deps, 'South IPS')).id);
    for (const url of [base(p.id), `${base(p.id)}/new`, `${base(p.id)}/${id}`, `${base(p.id)}/${id}/calculation.pdf`])
      expect((await browser.get(url)).statusCode, url).toBe(404);
    expect((await browser.post(`${base(p.id)}/new`, { ...FORM, action: 'save' })).statusCode).toBe(404);
    expect((await browser.post(`${base(p.id)}/new`, { ...FORM, action: 'calculate' })).statusCode).toBe(404);
    expect(await calculationRows()).toHaveLength(1);
    for (const action of ['started', 'viewed', 'listed']) expect(await audits(`benefit_calculation.${action}`)).toEqual([]);
  });

  it('refuses a same-team practitioner who is not assigned, and hides the link from them', async () => {
    const p = await person();
    const id = await save(patBrowser, p.id);
    const { browser } = await signedInAs(t, 'practitioner', north);
    const personPage = await browser.get(`/participants/${p.id}`);
    expect(personPage.statusCode).toBe(200);
    expect(personPage.body).not.toContain(`href="${base(p.id)}"`);
    expect(text(personPage.body)).not.toContain('Benefits calculations');
    for (const url of [base(p.id), `${base(p.id)}/new`, `${base(p.id)}/${id}`, `${base(p.id)}/${id}/calculation.pdf`]) {
      const res = await browser.get(url);
      expect(res.statusCode, url).toBe(403);
      expect(res.body).not.toContain('12.21');
    }
    const post = await browser.post(`${base(p.id)}/new`, { ...FORM, action: 'save' });
    expect(post.statusCode).toBe(403);
    expect((await browser.post(`${base(p.id)}/new`, { ...FORM, action: 'calculate' })).statusCode).toBe(403);
    expect(await calculationRows()).toHaveLength(1);
    for (const action of ['started', 'viewed', 'listed']) expect(await audits(`benefit_calculation.${action}`)).toEqual([]);

    // The assigned practitioner sees the link.
    const own = await patBrowser.get(`/participants/${p.id}`);
    expect(own.body).toContain(`href="${base(p.id)}"`);
    expect(text(own.body)).toContain('Benefits calculations');
  });

  it('refuses a clinician of the referring team, a commissioner and an administrator', async () => {
    const cmht = (await makeTeam(t.db, t.deps, 'Riverside CMHT')).id;
    const p = await person();
    await referFromClinicalTeam(t.db, p.id, cmht);
    const id = await save(patBrowser, p.id);
    const clinician = (await signedInAs(t, 'clinician', cmht)).browser;
    // The clinician may read the person's page, without the link.
    const personPage = await clinician.get(`/participants/${p.id}`);
    expect(personPage.statusCode).toBe(200);
    expect(personPage.body).not.toContain(`href="${base(p.id)}"`);
    const others = [clinician, (await signedInAs(t, 'commissioner')).browser, (await signedInAs(t, 'admin')).browser];
    for (const browser of others) {
      for (const url of [base(p.id), `${base(p.id)}/new`, `${base(p.id)}/${id}`, `${base(p.id)}/${id}/calculation.pdf`])
        expect((await browser.get(url)).statusCode, url).toBe(403);
      expect((await browser.post(`${base(p.id)}/new`, { ...FORM, action: 'save' })).statusCode).toBe(403);
    }
    expect(await calculationRows()).toHaveLength(1);
    for (const action of ['started', 'viewed', 'listed']) expect(await audits(`benefit_calculation.${action}`)).toEqual([]);
  });
});
