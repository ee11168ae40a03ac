import { parse } from 'csv-parse/sync';
import { PDFParse } from 'pdf-parse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, signedInAs, type TestApp } from '../../test/test-app.ts';
import { makeContact, makeParticipant, makeTeam, referFromClinicalTeam } from '../../test/factories.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import type { User } from '../users/service.ts';
import * as atw from './service.ts';

// The test clock stands at 2026-11-25 10:00 UTC, so the claim offered first is for October 2026.
// Pat's three in-work support contacts in October are charged to Ann's one job-coach award by
// default: 60, 20 and 90 minutes at £12.71 an hour are £12.71 + £4.24 + £19.07 = £36.02 (the
// 20 minutes are 423.67p, rounded half up on the line).

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
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/\s+/g, ' ');

/** Ann, on Pat's caseload, with a job-coach award for 5 hours a week at £12.71 an hour. */
async function annWithAward() {
  const p = await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Jones' });
  const award = await atw.createAward(
    t.db,
    t.deps,
    SYSTEM_CONTEXT,
    { userId: pat.id, role: pat.role, teamId: pat.teamId },
    p.id,
    {
      supportKind: 'job_coach',
      startDate: '2026-09-01',
      endDate: '2027-08-31',
      hoursPerWeek: 5,
      hoursTotal: null,
      hourlyRatePence: 1271,
      totalAmountPence: null,
      employerContributionPence: null,
      applicationId: null,
      placementId: null,
      coachUserId: null,
      reference: 'ATW-2026-0042',
      notes: null,
      renewsAwardId: null,
    },
  );
  return { p, award };
}

/** In-work support logged by Pat (charged to the award by default). */
async function support(participantId: string, startedAt: string, durationMinutes: number) {
  return makeContact(t.db, t.deps, pat, participantId, { startedAt, durationMinutes, purpose: 'in_work_support' });
}

async function octoberSupport(participantId: string) {
  return [
    await support(participantId, '2026-10-06T09:00:00Z', 60),
    await support(participantId, '2026-10-13T09:00:00Z', 20),
    await support(participantId, '2026-10-20T13:00:00Z', 90),
  ];
}

/** Builds the claim for a month through the form; returns the claim page's path. */
async function startClaim(participantId: string, awardId: string, period = '2026-10'): Promise<string> {
  await patBrowser.get(`/participants/${participantId}/access-to-work/awards/${awardId}/claims/new`);
  const res = await patBrowser.post(`/participants/${participantId}/access-to-work/awards/${awardId}/claims/new`, { period });
  expect(res.statusCode).toBe(302);
  const location = res.headers.location as string;
  expect(location).toMatch(new RegExp(`^/participants/${participantId}/access-to-work/claims/[0-9a-f-]{36}\\?done=created$`));
  return location.split('?')[0]!;
}

/** Submits a draft through its confirmation page. */
async function submit(claimPath: string) {
  const page = await patBrowser.get(`${claimPath}/submit`);
  const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '';
  return patBrowser.post(`${claimPath}/submit`, { version });
}

/** The rows of a CSV file; the header rows are shorter than the table's. */
function csvRows(csv: string): string[][] {
  return parse(csv, { relax_column_count: true });
}

const pageText = async (browser: Browser, path: string) => text((await browser.get(path)).body);

async function pdfText(body: Buffer): Promise<string> {
  const parser = new PDFParse({ data: body });
  const result = await parser.getText();
  await parser.destroy();
  return result.text;
}

async function auditActions(action: string) {
  return t.db.selectFrom('audit_events').select(['entity_id', 'details']).where('action', '=', action).execute();
}

describe('starting a claim', () => {
  it('offers last calendar month first and says which months have support not yet claimed', async () => {
    const { p, award } = await annWithAward();
    await octoberSupport(p.id);
    const res = await patBrowser.get(`/participants/${p.id}/access-to-work/awards/${award.id}/claims/new`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<option value="2026-10" selected>/);
    const page = text(res.body);
    expect(page).toContain('Ann Jones');
    expect(page).toContain('October 2026 (2.83 hours not yet claimed)');
    expect(page).toContain('November 2026');
    expect(page).toContain('September 2026');
    expect(page).not.toContain('December 2026');
    expect(page).toContain('Another period');
  });

  it('builds a draft from the charged contacts and shows each day, its hours and amount, and the total', async () => {
    const { p, award } = await annWithAward();
    await octoberSupport(p.id);
    const claimPath = await startClaim(p.id, award.id);
    const res = await patBrowser.get(`${claimPath}?done=created`);
    expect(res.statusCode).toBe(200);
    const page = text(res.body);
    expect(page).toContain('Draft claim built');
    expect(page).toContain('Access to Work claim: 1 October 2026 to 31 October 2026');
    expect(page).toContain('Award reference ATW-2026-0042');
    expect(page).toContain('Hourly rate £12.71');
    expect(page).toContain('Date Tue 6 October 2026 Hours 1.00 Hourly rate £12.71 Amount £12.71');
    expect(page).toContain('Date Tue 13 October 2026 Hours 0.33 Hourly rate £12.71 Amount £4.24');
    expect(page).toContain('Date Tue 20 October 2026 Hours 1.50 Hourly rate £12.71 Amount £19.07');
    expect(page).toContain('Total hours 2.83');
    expect(page).toContain('Total amount £36.02');
    expect(page).toContain('Submit claim');
    expect(page).toContain('Delete draft');
    expect((await auditActions('atw_claim.created')).map((e) => e.entity_id)).toEqual([p.id]);
    expect((await auditActions('atw_claim.viewed')).map((e) => e.entity_id)).toContain(p.id);
  });

  it('says there is nothing to claim at the top of the form, keeping the month chosen', async () => {
    const { p, award } = await annWithAward();
    await octoberSupport(p.id);
    await patBrowser.get(`/participants/${p.id}/access-to-work/awards/${award.id}/claims/new`);
    const res = await patBrowser.post(`/participants/${p.id}/access-to-work/awards/${award.id}/claims/new`, {
      period: '2026-09',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('href="#period"');
    expect(text(res.body)).toContain(
      'There is no unclaimed support charged to this award between 1 September 2026 and 30 September 2026',
    );
    expect(res.body).toMatch(/<option value="2026-09" selected>/);
  });

  it('asks for both days of another period, keeping what was typed', async () => {
    const { p, award } = await annWithAward();
    await patBrowser.get(`/participants/${p.id}/access-to-work/awards/${award.id}/claims/new`);
    const res = await patBrowser.post(`/participants/${p.id}/access-to-work/awards/${award.id}/claims/new`, {
      period: 'other',
      period_start: '2026-10-05',
      period_end: '',
    });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('Enter the last day of the period');
    expect(res.body).toContain('value="2026-10-05"');
    expect(res.body).toMatch(/<option value="other" selected>/);
  });

  it('claims another period from its first to its last day', async () => {
    const { p, award } = await annWithAward();
    await octoberSupport(p.id);
    await patBrowser.get(`/participants/${p.id}/access-to-work/awards/${award.id}/claims/new`);
    const res = await patBrowser.post(`/participants/${p.id}/access-to-work/awards/${award.id}/claims/new`, {
      period: 'other',
      period_start: '10/10/2026',
      period_end: '2026-10-31',
    });
    expect(res.statusCode).toBe(302);
    const page = await pageText(patBrowser, res.headers.location as string);
    expect(page).toContain('10 October 2026 to 31 October 2026');
    expect(page).not.toContain('Tue 6 October 2026');
    expect(page).toContain('Total amount £23.31');
  });

  it('refuses a second draft on the same award, saying which one is open', async () => {
    const { p, award } = await annWithAward();
    await octoberSupport(p.id);
    await startClaim(p.id, award.id);
    const res = await patBrowser.post(`/participants/${p.id}/access-to-work/awards/${award.id}/claims/new`, {
      period: '2026-10',
    });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('There is already a draft claim on this award, for 1 October 2026 to 31 October 2026');
  });
});

describe('submitting a claim', () => {
  it('explains the lock on the confirmation page, then fixes the claim and locks its contacts', async () => {
    const { p, award } = await annWithAward();
    const [, twenty] = await octoberSupport(p.id);
    const claimPath = await startClaim(p.id, award.id);

    const confirm = text((await patBrowser.get(`${claimPath}/submit`)).body);
    expect(confirm).toContain('The claim cannot be changed after you submit it');
    expect(confirm).toContain('nobody can change or delete their contacts');
    expect(confirm).toContain('Its total of £36.02 is fixed');

    const res = await submit(claimPath);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`${claimPath}?done=submitted`);
    const page = await pageText(patBrowser, res.headers.location as string);
    expect(page).toContain('Claim submitted');
    expect(page).toContain('Submitted on 25 November 2026');
    expect(page).toContain('Total amount £36.02');
    expect(page).not.toContain('Delete draft');
    expect(page).toContain('Mark as paid');

    // Changing a contact in the claim is refused with the reason, and the claim does not change.
    const form = await patBrowser.get(`/participants/${p.id}/contacts/${twenty!.id}/edit`);
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1] ?? '';
    const edit = await patBrowser.post(`/participants/${p.id}/contacts/${twenty!.id}/edit`, {
      started_date: '2026-10-13',
      started_time: '10:00',
      duration_minutes: '120',
      mode: 'face_to_face',
      place: 'community',
      purpose: 'in_work_support',
      notes: 'Longer than it was',
      version,
    });
    expect(edit.statusCode).toBe(422);
    expect(text(edit.body)).toContain(
      'This contact is part of an Access to Work claim for 1 October 2026 to 31 October 2026 that was submitted on 25 November 2026, so it cannot be changed or deleted',
    );
    const after = await pageText(patBrowser, claimPath);
    expect(after).toContain('Date Tue 13 October 2026 Hours 0.33 Hourly rate £12.71 Amount £4.24');
    expect(after).toContain('Total amount £36.02');
    const saved = await t.db
      .selectFrom('contacts')
      .select('duration_minutes')
      .where('id', '=', twenty!.id)
      .executeTakeFirstOrThrow();
    expect(Number(saved.duration_minutes)).toBe(20);
  });

  it('leaves support logged later in the same month out of the submitted claim, for a new claim', async () => {
    const { p, award } = await annWithAward();
    await octoberSupport(p.id);
    const claimPath = await startClaim(p.id, award.id);
    await submit(claimPath);
    await support(p.id, '2026-10-27T09:00:00Z', 30);

    const page = await pageText(patBrowser, claimPath);
    expect(page).not.toContain('27 October 2026');
    expect(page).toContain('Total hours 2.83');
    expect(page).toContain('Total amount £36.02');

    const second = await startClaim(p.id, award.id);
    const secondPage = await pageText(patBrowser, second);
    expect(secondPage).toContain('Date Tue 27 October 2026 Hours 0.50 Hourly rate £12.71 Amount £6.36');
    expect(secondPage).not.toContain('Tue 6 October 2026');
    expect(secondPage).toContain('Total amount £6.36');
  });

  it('does not submit twice: the confirmation page of a submitted claim goes back to the claim', async () => {
    const { p, award } = await annWithAward();
    await octoberSupport(p.id);
    const claimPath = await startClaim(p.id, award.id);
    await submit(claimPath);
    const again = await patBrowser.get(`${claimPath}/submit`);
    expect(again.statusCode).toBe(302);
    expect(again.headers.location).toBe(claimPath);
    expect(await auditActions('atw_claim.submitted')).toHaveLength(1);
  });

  it('refuses a stale submit and says why on the confirmation page', async () => {
    const { p, award } = await annWithAward();
    await octoberSupport(p.id);
    const claimPath = await startClaim(p.id, award.id);
    await patBrowser.get(`${claimPath}/submit`);
    const res = await patBrowser.post(`${claimPath}/submit`, { version: '7' });
    expect(res.statusCode).toBe(409);
    expect(text(res.body)).toContain('Someone else changed this claim after you opened it');
    expect(res.body).toContain('href="#confirm"');
    expect(await pageText(patBrowser, claimPath)).toContain('Draft');
  });
});

describe('deleting a draft claim', () => {
  it('asks first, then deletes the draft and leaves its support unclaimed', async () => {
    const { p, award } = await annWithAward();
    await octoberSupport(p.id);
    const claimPath = await startClaim(p.id, award.id);
    const confirm = await patBrowser.get(`${claimPath}/delete`);
    expect(confirm.statusCode).toBe(200);
    expect(text(confirm.body)).toContain('Delete this draft claim');
    expect(text(confirm.body)).toContain('Its contacts are not changed');
    const version = /name="version" value="(\d+)"/.exec(confirm.body)?.[1] ?? '';
    const res = await patBrowser.post(`${claimPath}/delete`, { version });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/participants/${p.id}/access-to-work?done=claim-deleted`);
    expect((await patBrowser.get(claimPath)).statusCode).toBe(404);
    expect(await auditActions('atw_claim.deleted')).toHaveLength(1);
    const form = await pageText(patBrowser, `/participants/${p.id}/access-to-work/awards/${award.id}/claims/new`);
    expect(form).toContain('October 2026 (2.83 hours not yet claimed)');
  });

  it('does not offer to delete a submitted claim', async () => {
    const { p, award } = await annWithAward();
    await octoberSupport(p.id);
    const claimPath = await startClaim(p.id, award.id);
    await submit(claimPath);
    const res = await patBrowser.get(`${claimPath}/delete`);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(claimPath);
  });
});

describe('marking a claim paid', () => {
  it('records the day and, left as it is, the claim’s total', async () => {
    const { p, award } = await annWithAward();
    await octoberSupport(p.id);
    const claimPath = await startClaim(p.id, award.id);
    await submit(claimPath);
    const page = await patBrowser.get(claimPath);
    expect(page.body).toContain('value="36.02"');
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '';
    const res = await patBrowser.post(`${claimPath}/paid`, { paid_date: '25/11/2026', paid_amount: '36.02', version });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`${claimPath}?done=paid`);
    const after = await pageText(patBrowser, res.headers.location as string);
    expect(after).toContain('Payment recorded');
    expect(after).toContain('Status Paid');
    expect(after).toContain('Paid £36.02 on 25 November 2026');
    expect(after).not.toContain('Mark as paid');
  });

  it('keeps what was typed when the amount or the date is wrong', async () => {
    const { p, award } = await annWithAward();
    await octoberSupport(p.id);
    const claimPath = await startClaim(p.id, award.id);
    await submit(claimPath);
    const page = await patBrowser.get(claimPath);
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '';
    let res = await patBrowser.post(`${claimPath}/paid`, { paid_date: '2026-11-25', paid_amount: '36,0.2p', version });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('Amount paid must be an amount in pounds more than £0, like 171.59');
    expect(res.body).toContain('value="36,0.2p"');
    res = await patBrowser.post(`${claimPath}/paid`, { paid_date: '2026-11-01', paid_amount: '', version });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('Payment date must be on or after the day it was submitted (25 November 2026)');
    expect(await pageText(patBrowser, claimPath)).toContain('Status Submitted');
  });
});

describe('downloads', () => {
  it('gives the claim as CSV and as PDF, with the same days and total as the page', async () => {
    const { p, award } = await annWithAward();
    await octoberSupport(p.id);
    const claimPath = await startClaim(p.id, award.id);
    await submit(claimPath);
    const page = await pageText(patBrowser, claimPath);
    expect(page).toContain('Total amount £36.02');

    const csv = await patBrowser.get(`${claimPath}/claim.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="access-to-work-claim-2026-10.csv"');
    const rows = csvRows(csv.body);
    expect(rows).toContainEqual(['Person', 'Ann Jones']);
    expect(rows).toContainEqual(['Award reference', 'ATW-2026-0042']);
    expect(rows.filter((r) => /^2026-10-\d\d$/.test(r[0] ?? '')).map((r) => r[3])).toEqual(['12.71', '4.24', '19.07']);
    expect(rows.at(-1)).toEqual(['Total', '2.83', '', '36.02']);

    const pdf = await patBrowser.get(`${claimPath}/claim.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe('attachment; filename="access-to-work-claim-2026-10.pdf"');
    const pdfWords = await pdfText(pdf.rawPayload);
    expect(pdfWords).toContain('Access to Work claim');
    expect(pdfWords).toContain('Ann Jones');
    expect(pdfWords).toContain('Tue 13 October 2026');
    expect(pdfWords).toContain('£36.02');

    // Each download is a read of Ann's record.
    const views = (await auditActions('atw_claim.viewed')).filter((e) => e.entity_id === p.id);
    expect(views.length).toBeGreaterThanOrEqual(4);
  });

  it('marks a draft’s files as a draft', async () => {
    const { p, award } = await annWithAward();
    await octoberSupport(p.id);
    const claimPath = await startClaim(p.id, award.id);
    const csv = await patBrowser.get(`${claimPath}/claim.csv`);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="access-to-work-claim-2026-10-draft.csv"');
    expect(parse(csv.body, { relax_column_count: true })).toContainEqual(['Status', 'Draft']);
  });
});

describe('who may see a claim', () => {
  it('gives a practitioner of another team 404 and refuses a clinician, while a manager of the team sees it', async () => {
    const { p, award } = await annWithAward();
    await octoberSupport(p.id);
    const claimPath = await startClaim(p.id, award.id);
    const paths = [
      claimPath,
      `${claimPath}/claim.csv`,
      `${claimPath}/claim.pdf`,
      `${claimPath}/submit`,
      `/participants/${p.id}/access-to-work/awards/${award.id}/claims/new`,
    ];

    const south = (await makeTeam(t.db, t.deps, 'South IPS')).id;
    const { browser: other } = await signedInAs(t, 'practitioner', south);
    for (const path of paths) expect((await other.get(path)).statusCode, path).toBe(404);
    await other.get('/');
    expect((await other.post(`${claimPath}/submit`, { version: '1' })).statusCode).toBe(404);

    const cmht = (await makeTeam(t.db, t.deps, 'Riverside CMHT')).id;
    await referFromClinicalTeam(t.db, p.id, cmht);
    const { browser: doc } = await signedInAs(t, 'clinician', cmht);
    for (const path of paths) expect((await doc.get(path)).statusCode, path).toBe(403);

    const { browser: manager } = await signedInAs(t, 'manager', north);
    const seen = await manager.get(claimPath);
    expect(seen.statusCode).toBe(200);
    expect(text(seen.body)).toContain('Total amount £36.02');
    expect(await pageText(patBrowser, claimPath)).toContain('Draft');
  });
});
