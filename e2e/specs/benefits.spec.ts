import { readFile } from 'node:fs/promises';
import { PDFParse } from 'pdf-parse';
import { BenefitsFormPage, SavedCalculationPage } from '../pages/benefits.page.ts';
import { ContentPage } from '../pages/content.page.ts';
import { NARROW } from '../support/browser.ts';
import { describe, expect, JOURNEY, test } from '../support/fixtures.ts';
import { referSomeone } from '../support/records.ts';
import { signInWithCookie } from '../support/session.ts';
import { createTeamMember } from '../support/users.ts';

describe('benefits counselling', () => {
  test(
    'on a 360 px phone, a practitioner compares 8, 16 and 30 hours side by side, fixes a mistake, saves it to the record and downloads the PDF',
    JOURNEY,
    async ({ page, server }) => {
      const team = await server.createTeam('North IPS');
      const ada = await createTeamMember(server, team.id, 'Ada Lovelace');
      const personId = await referSomeone(server, ada, { givenName: 'Sam', familyName: 'Okafor' });
      await page.setViewportSize(NARROW);
      await signInWithCookie(page, server, ada);

      await page.goto(`${server.url}/participants/${personId}`);
      await Promise.all([
        page.waitForEvent('load'),
        page.getByRole('link', { name: 'Benefits calculations for Sam Okafor' }).click(),
      ]);
      const list = await new ContentPage(page, 'Benefits calculations').verifyOnPage();
      expect(await list.text()).toContain('No calculation is saved for Sam Okafor yet');
      await list.follow('Work out a new calculation');

      // Single, 30, Universal Credit with the limited-capability element, no housing costs: the
      // issue's hand-checked case is the middle job.
      const form = await new BenefitsFormPage(page).verifyOnPage();
      await form.fillHousehold({
        date: '2025-10-01',
        household: 'Single',
        age: '30',
        children: 'No',
        benefit: 'Universal Credit',
        lcwra: 'Yes',
      });
      await form.fillJobs([
        { hours: '8', pay: '12.21' },
        { hours: '16', pay: '' },
        { hours: '30', pay: '12.21' },
      ]);
      await form.workItOut();

      // A missing pay comes back beside its field, with everything typed kept.
      const fix = await new BenefitsFormPage(page).verifyOnPage();
      expect(await fix.fieldError('pay_2')).toBe('Job 2: hourly pay must be an amount in pounds, like 12.21');
      expect(await page.getByLabel('Age', { exact: true }).inputValue()).toBe('30');
      expect(await page.locator('#hours_3').inputValue()).toBe('30');
      await page.locator('#pay_2').fill('12.21');
      await fix.workItOut();

      const result = await new BenefitsFormPage(page).verifyOnPage();
      const columns = await result.columns();
      expect(columns.map((c) => c.text)).toEqual(['8 hours at £12.21', '16 hours at £12.21', '30 hours at £12.21']);
      // Side by side on the phone: one row of headings, left to right, inside the screen.
      expect(new Set(columns.map((c) => Math.round(c.y))).size).toBe(1);
      expect(columns[0]!.x).toBeLessThan(columns[1]!.x);
      expect(columns[1]!.x).toBeLessThan(columns[2]!.x);
      expect(columns[2]!.right).toBeLessThanOrEqual(NARROW.width);
      expect(await result.row('Universal Credit with the job')).toEqual(['£823.41', '£734.00', '£409.72']);
      expect((await result.row('Take-home pay'))[1]).toBe('£846.56');
      const text = await result.text();
      expect(text).toContain('Better off by £757.15');
      expect(text).not.toContain('This needs a full benefits check');
      expect(await server.db.selectFrom('benefit_calculations').selectAll().execute()).toHaveLength(0);

      await result.saveToRecord();
      const saved = await new SavedCalculationPage(page).verifyOnPage();
      expect(await saved.text()).toContain('Calculation saved to the record');
      expect(await saved.text()).toContain('with the 2025/26 rates');
      expect(await saved.row('Universal Credit with the job')).toEqual(['£823.41', '£734.00', '£409.72']);

      const download = await saved.downloadPdf();
      const bytes = await readFile(await download.path());
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      const parser = new PDFParse({ data: new Uint8Array(bytes) });
      const pdfText = (await parser.getText()).text;
      await parser.destroy();
      expect(pdfText).toContain('Sam Okafor');
      expect(pdfText).toContain('16 hours at £12.21');
      expect(pdfText).toContain('£734.00');

      await page.goto(`${server.url}/participants/${personId}/benefits`);
      const after = await new ContentPage(page, 'Benefits calculations').verifyOnPage();
      expect(await after.text()).toContain('8 hours at £12.21; 16 hours at £12.21; 30 hours at £12.21');
      expect(await after.text()).toContain('2025/26');
    },
  );
});
