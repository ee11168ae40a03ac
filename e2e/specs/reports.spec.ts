import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { lastCompleteQuarter } from '../../src/reports/outcomes.ts';
import { addDays } from '../../src/placements/rules.ts';
import { ReportPage } from '../pages/reports.page.ts';
import { NARROW } from '../support/browser.ts';
import { describe, expect, JOURNEY, test } from '../support/fixtures.ts';
import { londonDay, referSomeone, startJobFor } from '../support/records.ts';
import { signInWithCookie } from '../support/session.ts';
import { createTeamMember, newUserDetails } from '../support/users.ts';

/** Days from today back to a day (both London days). */
function daysAgo(today: string, day: string): number {
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000);
}

describe('outcome report and fidelity reviews', () => {
  test(
    'on a 360 px phone, a manager reads the last quarter’s outcomes, opens the people behind a figure, the charts with their tables and the workbook; a commissioner sees "<5" and no one; the manager scores a fidelity review',
    JOURNEY,
    async ({ page, server }) => {
      const team = await server.createTeam('Riverside IPS');
      const pat = await createTeamMember(server, team.id, 'Pat Practitioner');
      const mo = await createTeamMember(server, team.id, 'Mo Manager', 'manager');
      const commissionerDetails = newUserDetails('commissioner', 'Cam Commissioner');
      await server.createUser({ ...commissionerDetails, teamId: null });

      // Last quarter: six people referred, three of them into 16-hour jobs (48 paid hours by now).
      const today = londonDay(server);
      const quarter = lastCompleteQuarter(today);
      const referred = addDays(quarter.from, 3);
      const started = addDays(quarter.from, 20);
      const names = [
        ['Ada', 'Ashworth'],
        ['Ben', 'Brook'],
        ['Cai', 'Carter'],
        ['Dee', 'Dunn'],
        ['Eli', 'Evans'],
        ['Fay', 'Ford'],
      ] as const;
      const ids: string[] = [];
      for (const [givenName, familyName] of names) ids.push(await referSomeone(server, pat, { givenName, familyName }, referred));
      for (const [i, employer] of ['City Hospital', 'Cafe Nero Leeds', 'Leeds Library'].entries()) {
        await startJobFor(server, pat, ids[i]!, {
          employer,
          employerType: i === 0 ? 'host' : 'external',
          title: 'Assistant',
          daysAgo: daysAgo(today, started),
          hoursPerWeek: 16,
          hourlyPayPence: 1300,
        });
      }

      await page.setViewportSize(NARROW);
      await signInWithCookie(page, server, mo);
      await page.goto(`${server.url}/reports`);
      await (await new ReportPage(page, 'Reports').verifyOnPage()).follow('Outcome report');
      const report = await new ReportPage(page, 'Outcome report').verifyOnPage();
      const text = await report.text();
      expect(text).toContain(quarter.label);
      // At 360 px each cell repeats its column heading ("Figure") for the stacked layout.
      expect(text).toMatch(/Referrals accepted (Figure )?6 /);
      expect(text).toMatch(/Total job starts (Figure )?3 /);
      expect(text).toContain('3 of 6 (50%)');
      expect(text).toContain('Benchmark 40%');

      // The people behind "Total job starts" are exactly the three who started work.
      await Promise.all([
        page.waitForEvent('load'),
        page.locator('main tr', { hasText: 'Total job starts' }).first().getByRole('link').first().click(),
      ]);
      const people = await new ReportPage(page, /Total job starts: the people behind the figure/).verifyOnPage();
      const listed = await people.text();
      for (const name of ['Ada Ashworth', 'Ben Brook', 'Cai Carter']) expect(listed).toContain(name);
      for (const name of ['Dee Dunn', 'Eli Evans', 'Fay Ford']) expect(listed).not.toContain(name);
      await page.goBack();

      // The charts: each drawn on the server, with a table of the same figures under it.
      await (await new ReportPage(page, 'Outcome report').verifyOnPage()).follow('Charts of these figures over time');
      const charts = await new ReportPage(page, 'Outcome charts').verifyOnPage();
      expect(await page.locator('main svg[role="img"]').count()).toBeGreaterThanOrEqual(2);
      const trend = await charts.table('Referrals accepted, people into work and job starts, by quarter');
      const row = trend.find((cells) => cells[0]?.includes(quarter.label));
      expect(row, JSON.stringify(trend)).toBeDefined();
      // At 360 px each cell carries its column heading too.
      expect(row!.join(' | ')).toMatch(/Referrals accepted 6 \| (People into work )?3 \| (Job starts )?3$/);
      await page.goBack();

      // The workbook opens with the same figures and the definitions beside them.
      const download = await (await new ReportPage(page, 'Outcome report').verifyOnPage()).download(/Excel workbook/);
      expect(download.suggestedFilename()).toBe(`stepwise-outcomes-${quarter.from}-to-${quarter.to}.xlsx`);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load((await readFile(await download.path())) as unknown as ArrayBuffer);
      const sheet = book.getWorksheet('Outcomes')!;
      const header = (sheet.getRow(1).values as unknown[]).map(String);
      const all = sheet.getRow(2).values as unknown[];
      expect(all[header.indexOf('Total job starts')]).toBe(3);
      expect(all[header.indexOf('Referrals accepted')]).toBe(6);
      expect(book.getWorksheet('Definitions')).toBeDefined();

      // A fidelity review: started from the records, the staffing items scored, an action planned.
      await page.goto(`${server.url}/fidelity-reviews`);
      await (await new ReportPage(page, 'Fidelity reviews').verifyOnPage()).press('Start a fidelity review');
      const start = await new ReportPage(page, 'Start a fidelity review').verifyOnPage();
      await page.getByLabel('Reviewers (optional)').fill('Sam Patel (IPS Grow), Jo Reid (trust lead)');
      await start.press('Start the review');
      const review = await new ReportPage(page, /^Fidelity review, /).verifyOnPage();
      expect(await review.text()).toContain('Proposed from the records');
      await review.follow('Score the staffing items');
      const staffing = await new ReportPage(page, 'Score staffing').verifyOnPage();
      await page
        .getByRole('group', { name: /Score for item 1: / })
        .getByLabel('5', { exact: true })
        .check();
      await page.getByLabel('Evidence for item 1 (optional)').fill('Caseloads of 20 or fewer, checked with the team');
      await staffing.press('Save scores');
      const scored = await new ReportPage(page, /^Fidelity review, /).verifyOnPage();
      expect(await scored.text()).toContain('Caseloads of 20 or fewer, checked with the team');
      await scored.follow('Add an action');
      const action = await new ReportPage(page, 'Add an action to the plan').verifyOnPage();
      await page.getByLabel('What will be done').fill('Agree a weekly target for employer visits');
      await action.press('Add the action');
      expect(await (await new ReportPage(page, /^Fidelity review, /).verifyOnPage()).text()).toContain(
        'Agree a weekly target for employer visits',
      );

      await page.goto(`${server.url}/fidelity-reviews/compare?team=${team.id}`);
      await new ReportPage(page, 'Compare fidelity reviews').verifyOnPage();

      // A commissioner: the whole service, 3 job starts shown as "<5", and no way to anyone.
      await page.context().clearCookies();
      await signInWithCookie(page, server, commissionerDetails);
      await page.goto(`${server.url}/reports/outcomes`);
      const aggregate = await new ReportPage(page, 'Outcome report').verifyOnPage();
      const seen = await aggregate.text();
      expect(seen).toContain('The whole service');
      expect(seen).toMatch(/Total job starts (Figure )?<5 /);
      expect(seen).not.toContain('Ada Ashworth');
      expect(await page.locator('main a[href*="/reports/outcomes/people"]').count()).toBe(0);
      await page.goto(`${server.url}/reports/outcomes?split=team`);
      expect(await (await new ReportPage(page, 'Outcome report').verifyOnPage()).text()).toContain('Riverside IPS');
      const refused = await page.goto(`${server.url}/participants/${ids[0]}`);
      expect(refused?.status()).toBe(403);
    },
  );
});
