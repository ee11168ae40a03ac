import { readFile } from 'node:fs/promises';
import { PDFParse } from 'pdf-parse';
import { defaultClaimPeriod } from '../../src/access-to-work/rules.ts';
import { dayText } from '../../src/referrals/rules.ts';
import { addDays, addMonths } from '../../src/support/rules.ts';
import {
  AccessToWorkPage,
  AwardFormPage,
  AwardPage,
  BuildClaimPage,
  ClaimPage,
  SubmitClaimPage,
} from '../pages/access-to-work.page.ts';
import { ContactFormPage } from '../pages/contact-form.page.ts';
import { NARROW } from '../support/browser.ts';
import { describe, expect, JOURNEY, test } from '../support/fixtures.ts';
import { logContactAt, londonDay, moveStatus, referSomeone, startJobFor } from '../support/records.ts';
import { signInWithCookie } from '../support/session.ts';
import { createTeamMember } from '../support/users.ts';

describe('Access to Work', () => {
  test(
    'on a 360 px phone, a job coach records an award, logs three support contacts, builds and submits the monthly claim and downloads its PDF',
    JOURNEY,
    async ({ page, server }) => {
      const team = await server.createTeam('Trust job coaching');
      const ada = await createTeamMember(server, team.id, 'Ada Lovelace');
      const personId = await referSomeone(server, ada, { givenName: 'Sam', familyName: 'Okafor' });
      await moveStatus(server, ada, personId, 'engaged');
      await startJobFor(server, ada, personId, {
        employer: 'Leeds Teaching Hospitals',
        employerType: 'host',
        title: 'Porter',
        daysAgo: 90,
      });
      await moveStatus(server, ada, personId, 'employed');
      // The claim offered first is for last month: the award runs from the month before it.
      const month = defaultClaimPeriod(londonDay(server));
      const awardStart = addMonths(month.start, -1);
      await page.setViewportSize(NARROW);
      await signInWithCookie(page, server, ada);

      // The award, from the letter.
      await page.goto(`${server.url}/participants/${personId}`);
      await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'Access to Work for Sam Okafor' }).click()]);
      await (await new AccessToWorkPage(page).verifyOnPage()).addAward();
      const form = await new AwardFormPage(page).verifyOnPage();
      await form.fill({
        reference: 'ATW-2026-0042',
        kind: 'Job coach',
        startDate: awardStart,
        endDate: addDays(addMonths(awardStart, 12), -1),
        hoursPerWeek: '3',
        hourlyRate: '12.71',
      });
      await form.save();
      const award = await new AwardPage(page).verifyOnPage();
      expect(await award.fact('Hourly rate')).toBe('£12.71 an hour');

      // Three support contacts last month: one from the phone, charged to the award by default.
      await page.goto(`${server.url}/participants/${personId}/contacts/new`);
      const contact = await new ContactFormPage(page, 'Sam Okafor').verifyOnPage();
      await page.getByLabel('Date', { exact: true }).fill(addDays(month.start, 2));
      await page.getByLabel('Time it started').fill('10:00');
      await page.getByLabel('How long, in minutes').fill('60');
      const charge = page.getByLabel('Charge to Access to Work award');
      expect(await charge.locator('option:checked').innerText()).toMatch(/Job coach/);
      await contact.save();
      await logContactAt(server, ada, personId, {
        day: addDays(month.start, 9),
        time: '14:00',
        purpose: 'in_work_support',
        durationMinutes: 20,
      });
      await logContactAt(server, ada, personId, {
        day: addDays(month.start, 16),
        time: '18:30',
        purpose: 'in_work_support',
        durationMinutes: 90,
      });

      // Build last month's claim (the default period) and check its arithmetic in pence.
      await page.goto(`${server.url}/participants/${personId}/access-to-work`);
      await Promise.all([page.waitForEvent('load'), page.locator('main a', { hasText: 'Job coach' }).first().click()]);
      await (await new AwardPage(page).verifyOnPage()).buildClaim();
      await (await new BuildClaimPage(page).verifyOnPage()).build();
      const period = `${dayText(month.start)} to ${dayText(month.end)}`;
      const draft = await new ClaimPage(page, period).verifyOnPage();
      expect(await draft.fact('Status')).toMatch(/^Draft/);
      // 60 min £12.71, 20 min £4.24 (423.67p rounded), 90 min £19.07 (1906.5p rounded up).
      expect(await draft.fact('Total amount')).toBe('£36.02');
      expect((await draft.lines()).map((l) => l[3])).toEqual(['£12.71', '£4.24', '£19.07']);

      await draft.submit();
      await (await new SubmitClaimPage(page).verifyOnPage()).confirm();
      const submitted = await new ClaimPage(page, period).verifyOnPage();
      expect(await submitted.fact('Status')).toMatch(/^Submitted/);
      expect(await submitted.fact('Total amount')).toBe('£36.02');

      // The printable PDF says the same.
      const download = await submitted.downloadPdf();
      expect(download.suggestedFilename()).toBe(`access-to-work-claim-${month.start.slice(0, 7)}.pdf`);
      const bytes = await readFile(await download.path());
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      const parser = new PDFParse({ data: new Uint8Array(bytes) });
      const text = (await parser.getText()).text;
      await parser.destroy();
      expect(text).toContain('ATW-2026-0042');
      expect(text).toContain('£36.02');

      // A contact in the submitted claim can no longer be changed, and the page says why.
      const first = await server.db
        .selectFrom('contacts')
        .select('id')
        .where('participant_id', '=', personId)
        .orderBy('started_at')
        .executeTakeFirstOrThrow();
      await page.goto(`${server.url}/participants/${personId}/contacts/${first.id}`);
      const main = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
      expect(main).toContain('part of an Access to Work claim');
      expect(
        await page
          .locator('main')
          .getByRole('link', { name: /^Change/ })
          .count(),
      ).toBe(0);
    },
  );
});
