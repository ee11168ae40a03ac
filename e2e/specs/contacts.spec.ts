import { isOutOfHours } from '../../src/calendar/bank-holidays.ts';
import { londonInstant, londonTime } from '../../src/referrals/rules.ts';
import { CaseloadPage } from '../pages/caseload.page.ts';
import { ContactFormPage } from '../pages/contact-form.page.ts';
import { HomePage } from '../pages/home.page.ts';
import { TimelinePage } from '../pages/timeline.page.ts';
import { openAnotherBrowser } from '../support/another-browser.ts';
import { NARROW } from '../support/browser.ts';
import { describe, expect, JOURNEY, test } from '../support/fixtures.ts';
import { logContactAt, londonDay, moveStatus, referSomeone, workingDay } from '../support/records.ts';
import { signInWithCookie } from '../support/session.ts';
import { TapCounter } from '../support/taps.ts';
import { createTeamMember } from '../support/users.ts';

/** Minutes between two 24-hour times, either way round midnight. */
function minutesApart(a: string, b: string): number {
  const minutes = (t: string) => {
    const [h = 0, m = 0] = t.split(':').map(Number);
    return h * 60 + m;
  };
  const d = Math.abs(minutes(a) - minutes(b));
  return Math.min(d, 24 * 60 - d);
}

describe('logging a contact from the caseload', () => {
  test(
    'on a 360 px phone, a practitioner opens their caseload, logs a contact and lands on the timeline in three taps',
    JOURNEY,
    async ({ browser, server }) => {
      const team = await server.createTeam('Leeds employment team');
      const ada = await createTeamMember(server, team.id, 'Ada Lovelace');
      await referSomeone(server, ada, { givenName: 'Sam', familyName: 'Okafor' });
      const phone = await openAnotherBrowser(browser, 'phone', { viewport: NARROW, hasTouch: true, isMobile: true });
      await signInWithCookie(phone, server, ada);
      await phone.goto(`${server.url}/`);
      await new HomePage(phone, 'Ada Lovelace').verifyOnPage();

      // Every tap from here on is counted, on every page, as the browser sees it.
      const taps = await TapCounter.start(phone);

      // Tap 1: "My caseload" in the header (on show at 360 px, not under "More").
      await taps.tapAndWait(phone.locator('.nhsuk-header__navigation').getByRole('link', { name: 'My caseload', exact: true }));
      const caseload = await new CaseloadPage(phone).verifyOnPage();
      expect(taps.count).toBe(1);
      expect(await caseload.caseloadSize()).toBe('1 of 20 people on your caseload');
      expect(await caseload.read('Sam Okafor')).toEqual({
        name: 'Sam Okafor',
        status: 'Referred',
        lastContact: 'None logged',
        nextAppointment: 'None planned',
        nextStep: 'Make first contact',
        alerts: [],
      });

      // Tap 2: "Log a contact" on Sam's card. Everything is filled in already: nothing to type.
      await taps.tapAndWait(caseload.logContactButton('Sam Okafor'));
      const form = await new ContactFormPage(phone, 'Sam Okafor').verifyOnPage();
      const opened = server.deps.clock.now();
      const values = await form.values();
      const { time, ...others } = values;
      expect(time).toMatch(/^\d{2}:\d{2}$/);
      expect(minutesApart(time, londonTime(opened))).toBeLessThanOrEqual(2);
      expect(others).toEqual({
        date: londonDay(server),
        durationMinutes: '30',
        mode: 'Face to face',
        place: 'Community (for example a café or library)',
        purpose: 'Engagement',
        withWhom: '',
        notes: '',
        sharedWithClinicalTeam: false,
      });

      // Tap 3: "Save contact". Sam's timeline says it is logged and lists it.
      await taps.tapAndWait(form.saveButton);
      const timeline = await new TimelinePage(phone, 'Sam Okafor').verifyOnPage();
      expect((await timeline.successBanner.innerText()).trim()).toContain('Contact logged');
      const contacts = (await timeline.entries()).filter((e) => e.heading.startsWith('Contact'));
      expect(contacts).toHaveLength(1);
      // Logged now: out of hours or not, as the clock says (evenings and weekends are work too).
      const outOfHours = isOutOfHours(londonInstant(values.date, values.time));
      expect(contacts[0]).toMatchObject({ heading: 'Contact: Engagement', tags: outOfHours ? ['Out of hours'] : [] });
      expect(contacts[0]?.when).toMatch(/By Ada Lovelace$/);
      expect(contacts[0]?.text).toContain('30 minutes. Face to face, Community (for example a café or library).');

      // Opening the caseload, "Log a contact", "Save contact": three taps, and no others (two
      // from the caseload page itself).
      expect(taps.count).toBe(3);
    },
  );
});

describe('a person’s timeline', () => {
  test(
    'the timeline shows contacts (one out of hours), a status change and the referral, and filters by kind',
    JOURNEY,
    async ({ page, server }) => {
      const team = await server.createTeam('Leeds employment team');
      const ada = await createTeamMember(server, team.id, 'Ada Lovelace');
      const sam = await referSomeone(server, ada, { givenName: 'Sam', familyName: 'Okafor' }, londonDay(server, -10));
      await logContactAt(server, ada, sam, {
        day: workingDay(server, -5),
        time: '10:00',
        purpose: 'engagement',
        notes: 'Met at the library.\nTalked about warehouse jobs.',
      });
      // 19:30 is out of hours on any day.
      await logContactAt(server, ada, sam, {
        day: londonDay(server, -3),
        time: '19:30',
        purpose: 'profile',
        mode: 'phone',
        place: 'remote',
        durationMinutes: 20,
      });
      await moveStatus(server, ada, sam, 'engaged', 'Keen to start looking for work');
      await logContactAt(server, ada, sam, { day: londonDay(server, -1), time: '11:15', purpose: 'job_search' });
      await signInWithCookie(page, server, ada);

      await page.goto(`${server.url}/participants/${sam}/timeline`);
      const timeline = await new TimelinePage(page, 'Sam Okafor').verifyOnPage();
      const entries = await timeline.entries();
      const headings = entries.map((e) => e.heading);
      expect(headings).toEqual(
        expect.arrayContaining([
          'Contact: Job search',
          'Contact: Vocational profile',
          'Contact: Engagement',
          'Status changed from Referred to Engaged',
          'Referral received',
        ]),
      );
      // Newest first.
      expect(headings.indexOf('Contact: Job search')).toBeLessThan(headings.indexOf('Contact: Vocational profile'));
      expect(headings.indexOf('Contact: Vocational profile')).toBeLessThan(headings.indexOf('Contact: Engagement'));
      expect(headings.indexOf('Contact: Engagement')).toBeLessThan(headings.indexOf('Referral received'));

      const byHeading = (heading: string) => entries.find((e) => e.heading === heading);
      expect(byHeading('Contact: Vocational profile')?.tags).toEqual(['Out of hours']);
      expect(byHeading('Contact: Vocational profile')?.text).toContain('20 minutes. Phone, Remote (phone, video or message).');
      expect(byHeading('Contact: Engagement')?.tags).toEqual([]);
      expect(byHeading('Contact: Engagement')?.text).toContain('Met at the library. Talked about warehouse jobs.');
      expect(byHeading('Status changed from Referred to Engaged')?.text).toContain('Reason: Keen to start looking for work');

      // Only the contacts.
      await page.getByRole('group', { name: 'Show' }).getByLabel('Contacts', { exact: true }).check();
      await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Apply filters' }).click()]);
      await timeline.verifyOnPage();
      expect((await timeline.entries()).map((e) => e.heading)).toEqual([
        'Contact: Job search',
        'Contact: Vocational profile',
        'Contact: Engagement',
      ]);
      expect(await timeline.showing()).toBe('Showing 1 to 3 of 3 (filtered)');
    },
  );
});
