import type { Page } from 'playwright-core';
import { dueDate } from '../../src/erasure/rules.ts';
import { formatDate } from '../../src/http/views.ts';
import { createIntake } from '../../src/referrals/service.ts';
import { ContentPage } from '../pages/content.page.ts';
import { HomePage } from '../pages/home.page.ts';
import { NotFoundPage } from '../pages/information.page.ts';
import { ParticipantPage } from '../pages/participant.page.ts';
import { describe, expect, JOURNEY, test } from '../support/fixtures.ts';
import { type Actor, londonDay } from '../support/records.ts';
import type { E2eServer } from '../support/server.ts';
import { signInWithCookie } from '../support/session.ts';
import { createTeamMember, newUserDetails } from '../support/users.ts';

// A valid NHS number (the check digit holds), as the grant form's own hint gives it.
const NHS_NUMBER = '9434765919';

/** Refers someone with an NHS number and a phone number, as the intake form does; returns their id. */
async function referWithDetails(
  server: E2eServer,
  by: Actor,
  person: { givenName: string; familyName: string; nhsNumber?: string; phone?: string },
): Promise<string> {
  const { participant } = await createIntake(
    server.db,
    server.deps,
    { actorUserId: by.id, actorLabel: 'e2e test set-up', clientAddress: null, requestId: null },
    { userId: by.id, role: by.role, teamId: by.teamId },
    { ...person, programme: 'ips' },
    { source: 'self', receivedDate: londonDay(server) },
  );
  return participant.id;
}

/** Signs the browser in as someone else, as a colleague at the next desk would. */
async function switchTo(page: Page, server: E2eServer, user: { email: string; password: string }): Promise<void> {
  await page.context().clearCookies();
  await signInWithCookie(page, server, user);
}

/** Goes to the home page of someone just signed in and checks it. */
async function openHome(page: Page, server: E2eServer, name: string): Promise<ContentPage> {
  await page.goto(`${server.url}/`);
  await new HomePage(page, name).verifyOnPage();
  return new ContentPage(page, `Welcome, ${name}`);
}

describe('governance of special-category data', () => {
  test(
    'a manager grants emergency access to another team’s person, who is warned on the record; the person’s team manager reviews it and the grant is revoked',
    JOURNEY,
    async ({ page, server }) => {
      const north = await server.createTeam('North IPS');
      const south = await server.createTeam('South IPS');
      const ada = await createTeamMember(server, north.id, 'Ada Lovelace');
      const nora = await createTeamMember(server, north.id, 'Nora North', 'manager');
      const sol = await createTeamMember(server, south.id, 'Sol South', 'manager');
      const pat = await createTeamMember(server, south.id, 'Pat Brown');
      const personId = await referWithDetails(server, ada, { givenName: 'Sam', familyName: 'Okafor', nhsNumber: NHS_NUMBER });

      // South's manager grants their practitioner access to North's person, by NHS number alone.
      await signInWithCookie(page, server, sol);
      const solHome = await openHome(page, server, 'Sol South');
      await solHome.follow('Emergency access');
      const index = await new ContentPage(page, 'Emergency access').verifyOnPage();
      expect(await index.text()).toContain('You have not granted emergency access.');
      await index.follow('Grant emergency access');

      const form = await new ContentPage(page, 'Grant emergency access').verifyOnPage();
      await page.getByLabel('NHS number of the person').fill('943 476 5919');
      await page.getByLabel('Who needs access').selectOption({ label: 'Pat Brown (South IPS)' });
      await form.press('Grant emergency access');

      const refused = await new ContentPage(page, 'Grant emergency access').verifyOnPage();
      expect(await refused.errorMessages()).toEqual(['Enter why emergency access is needed']);
      expect(await refused.fieldError('reason')).toBe('Enter why emergency access is needed');
      expect(await page.getByLabel('NHS number of the person').inputValue()).toBe('943 476 5919');
      expect(await page.getByLabel('Who needs access').inputValue()).toBe(pat.id);
      expect(await server.db.selectFrom('break_glass_grants').selectAll().execute()).toHaveLength(0);
      await page.getByLabel('Why emergency access is needed').fill('Sam is in A&E and the duty team needs his support plan');
      await refused.press('Grant emergency access');

      const granted = await new ContentPage(page, 'Emergency access').verifyOnPage();
      let text = await granted.text();
      expect(text).toContain('Emergency access granted. It ends by itself at the time shown');
      expect(text).toContain('Pat Brown: NHS number 943 476 5919');
      expect(text).toContain('In force');

      // The practitioner finds the record from their home page and is warned on it.
      await switchTo(page, server, pat);
      const patHome = await openHome(page, server, 'Pat Brown');
      expect(await patHome.text()).toContain('Emergency access you hold');
      await patHome.follow('Sam Okafor');
      const record = await new ParticipantPage(page, 'Sam Okafor').verifyOnPage();
      const warning = page.locator('main .nhsuk-card', { hasText: 'You are seeing this record under emergency access' });
      expect((await warning.innerText()).replace(/\s+/g, ' ').trim()).toMatch(
        /^(Important: )?Emergency access You are seeing this record under emergency access until \d{2}:\d{2}\. Every view is recorded\.$/,
      );
      expect(await record.detail('NHS number')).toBe('943 476 5919');

      // North's manager is told on the home page and marks it reviewed.
      await switchTo(page, server, nora);
      const noraHome = await openHome(page, server, 'Nora North');
      text = await noraHome.text();
      expect(text).toContain('Emergency access to review');
      expect(text).toContain('Pat Brown was given access to Sam Okafor');
      expect(text).toContain('Sam is in A&E and the duty team needs his support plan');
      await noraHome.press(/^Mark as reviewed: access given to Pat Brown for Sam Okafor/);
      const reviewed = await new ContentPage(page, 'Emergency access').verifyOnPage();
      text = await reviewed.text();
      expect(text).toContain('Emergency access marked as reviewed');
      expect(text).toContain('No emergency access to your team’s people is waiting for review.');
      await openHome(page, server, 'Nora North');
      expect(
        await page
          .locator('main')
          .getByRole('button', { name: /^Mark as reviewed/ })
          .count(),
      ).toBe(0);

      // The granting manager ends it early; the practitioner can no longer open the record.
      await switchTo(page, server, sol);
      await page.goto(`${server.url}/break-glass`);
      const solIndex = await new ContentPage(page, 'Emergency access').verifyOnPage();
      await solIndex.press('Revoke emergency access for Pat Brown');
      const revoked = await new ContentPage(page, 'Emergency access').verifyOnPage();
      text = await revoked.text();
      expect(text).toContain('Emergency access revoked');
      expect(text).toContain('Revoked');
      expect(text).not.toContain('In force');
      expect(
        await page
          .locator('main')
          .getByRole('button', { name: /^Revoke/ })
          .count(),
      ).toBe(0);

      await switchTo(page, server, pat);
      const response = await page.goto(`${server.url}/participants/${personId}`);
      expect(response?.status()).toBe(404);
      await new NotFoundPage(page).verifyOnPage();
    },
  );

  test(
    'a manager records an erasure request, sees when it must be answered by, carries it out and the person’s record is gone',
    JOURNEY,
    async ({ page, server }) => {
      const north = await server.createTeam('North IPS');
      const ada = await createTeamMember(server, north.id, 'Ada Lovelace');
      const nora = await createTeamMember(server, north.id, 'Nora North', 'manager');
      const personId = await referWithDetails(server, ada, { givenName: 'Sam', familyName: 'Okafor', nhsNumber: NHS_NUMBER });
      const received = londonDay(server, -3);
      const [year, month, day] = received.split('-');

      await signInWithCookie(page, server, nora);
      await page.goto(`${server.url}/participants/${personId}`);
      await new ParticipantPage(page, 'Sam Okafor').verifyOnPage();
      await new ContentPage(page, 'Sam Okafor').follow('Erasure requests for Sam Okafor');
      const personRequests = await new ContentPage(page, 'Erasure requests').verifyOnPage();
      expect(await personRequests.text()).toContain('No erasure request has been recorded for Sam Okafor.');
      await personRequests.follow('Record an erasure request');

      const form = await new ContentPage(page, 'Record an erasure request').verifyOnPage();
      await page.getByLabel('Day', { exact: true }).fill(String(Number(day)));
      await page.getByLabel('Month', { exact: true }).fill(String(Number(month)));
      await page.getByLabel('Year', { exact: true }).fill(year!);
      await page.getByLabel('The person', { exact: true }).check();
      await form.press('Record the request');

      const shown = await new ContentPage(page, 'Sam Okafor').verifyOnPage();
      let text = await shown.text();
      expect(text).toContain('Erasure request recorded');
      expect(text).toContain(`Answer by ${formatDate(dueDate(received))}`);
      await shown.follow('All your team’s erasure requests');

      const list = await new ContentPage(page, 'Erasure requests').verifyOnPage();
      const row = page.locator('main table tbody tr', { hasText: 'Sam Okafor' });
      const cells = (await row.locator('td').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      expect(cells.join(' | ')).toContain(formatDate(received));
      expect(cells.join(' | ')).toContain(formatDate(dueDate(received)));
      expect(cells.join(' | ')).toContain('Open');
      await list.follow('Sam Okafor');

      const open = await new ContentPage(page, 'Sam Okafor').verifyOnPage();
      await open.follow('Erase the record of Sam Okafor');
      const confirm = await new ContentPage(page, 'Erase Sam Okafor’s record').verifyOnPage();
      text = await confirm.text();
      expect(text).toContain('This cannot be undone');
      expect(text).toContain('943 476 5919');

      // Without the tick nothing is erased and the page says why.
      await confirm.press('Erase the record');
      const unticked = await new ContentPage(page, 'Erase Sam Okafor’s record').verifyOnPage();
      expect(await unticked.fieldError('confirm')).toBe('Confirm that you want to erase this person’s record');
      expect(await server.db.selectFrom('participants').select('id').where('id', '=', personId).execute()).toHaveLength(1);
      await page.getByLabel('I have checked this is the right person and that no rule requires us to keep the record').check();
      await unticked.press('Erase the record');

      const erased = await new ContentPage(page, /^Erased person \S+$/).verifyOnPage();
      text = await erased.text();
      expect(text).toContain('The person’s record has been erased');
      expect(text).toContain('Carried out');
      expect(text).not.toContain('Sam Okafor');
      await erased.follow('All your team’s erasure requests');

      const after = await new ContentPage(page, 'Erasure requests').verifyOnPage();
      text = await after.text();
      expect(text).toContain('No open requests.');
      expect(text).toMatch(/Erased person \S+ .*Carried out/);
      expect(text).not.toContain('Sam Okafor');

      const response = await page.goto(`${server.url}/participants/${personId}`);
      expect(response?.status()).toBe(404);
      await new NotFoundPage(page).verifyOnPage();
    },
  );

  test(
    'a practitioner corrects a person’s phone number and finds the number it replaced under Earlier values',
    JOURNEY,
    async ({ page, server }) => {
      const north = await server.createTeam('North IPS');
      const ada = await createTeamMember(server, north.id, 'Ada Lovelace');
      const personId = await referWithDetails(server, ada, { givenName: 'Sam', familyName: 'Okafor', phone: '07700 900123' });

      await signInWithCookie(page, server, ada);
      await page.goto(`${server.url}/participants/${personId}`);
      const record = await new ParticipantPage(page, 'Sam Okafor').verifyOnPage();
      expect(await record.detail('Phone')).toBe('07700 900123');
      await new ContentPage(page, 'Sam Okafor').follow('Change details for Sam Okafor');

      const edit = await new ContentPage(page, 'Change details').verifyOnPage();
      await page.getByLabel('Phone number (optional)').fill('07700 900456');
      await edit.press('Save changes');

      const saved = await new ParticipantPage(page, 'Sam Okafor').verifyOnPage();
      expect(await saved.detail('Phone')).toBe('07700 900456');
      await new ContentPage(page, 'Sam Okafor').follow('Earlier values of Sam Okafor’s details');

      const earlier = await new ContentPage(page, 'Earlier values').verifyOnPage();
      const rows = page.locator('main table tbody tr');
      expect(await rows.count()).toBe(1);
      const cells = (await rows.first().locator('td').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      expect(cells.join(' | ')).toMatch(/Phone .*\| .*07700 900123 .*\| .*Ada Lovelace/);
      expect(await earlier.text()).not.toContain('07700 900456');
    },
  );

  test(
    'a manager sees no record past its retention period yet, and the administrator changes a period after a refused value',
    JOURNEY,
    async ({ page, server }) => {
      const north = await server.createTeam('North IPS');
      const ada = await createTeamMember(server, north.id, 'Ada Lovelace');
      const nora = await createTeamMember(server, north.id, 'Nora North', 'manager');
      await referWithDetails(server, ada, { givenName: 'Sam', familyName: 'Okafor' });

      await signInWithCookie(page, server, nora);
      await page.goto(`${server.url}/retention`);
      const review = await new ContentPage(page, 'Records past their retention period').verifyOnPage();
      expect(await review.text()).toContain(
        'No record of your team is past its retention period, or all of them have been reviewed.',
      );

      const admin = newUserDetails('admin', 'Grace Hopper');
      await server.createUser(admin);
      await switchTo(page, server, admin);
      await page.goto(`${server.url}/admin/retention`);
      const periods = await new ContentPage(page, 'Record retention').verifyOnPage();
      const field = page.getByLabel('Contacts and case notes');
      const before = await field.inputValue();
      const otherBefore = await page.getByLabel('Participant records').inputValue();
      await field.fill('31');
      await periods.press('Save retention periods');

      const refused = await new ContentPage(page, 'Record retention').verifyOnPage();
      expect(await refused.errorMessages()).toEqual(['The period for contacts and case notes must be between 1 and 30 years']);
      expect(await refused.fieldError('contact')).toBe('The period for contacts and case notes must be between 1 and 30 years');
      expect(await page.getByLabel('Contacts and case notes').inputValue()).toBe('31');
      await page.getByLabel('Contacts and case notes').fill(before === '12' ? '11' : '12');
      const chosen = await page.getByLabel('Contacts and case notes').inputValue();
      await refused.press('Save retention periods');

      const done = await new ContentPage(page, 'Record retention').verifyOnPage();
      expect(await done.text()).toContain('Retention periods saved');
      expect(await page.getByLabel('Contacts and case notes').inputValue()).toBe(chosen);
      expect(await page.getByLabel('Participant records').inputValue()).toBe(otherBefore);
      const row = page.locator('main table tbody tr', { hasText: 'Contacts and case notes' });
      expect((await row.innerText()).replace(/\s+/g, ' ')).toContain(`${chosen} years from`);
    },
  );
});
