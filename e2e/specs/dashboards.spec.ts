import { CaseloadPage } from '../pages/caseload.page.ts';
import { ContactFormPage } from '../pages/contact-form.page.ts';
import { HomePage } from '../pages/home.page.ts';
import { followNavigation } from '../pages/navigation.ts';
import { TeamDashboardPage } from '../pages/team-dashboard.page.ts';
import { TimelinePage } from '../pages/timeline.page.ts';
import { describe, expect, JOURNEY, test } from '../support/fixtures.ts';
import { logContactAt, londonDay, referSomeone, workingDay } from '../support/records.ts';
import { signInWithCookie } from '../support/session.ts';
import { createTeamMember } from '../support/users.ts';

describe('caseload and team dashboards', () => {
  test(
    'the caseload flags a referral with no first contact after 10 days, and the alert clears once a contact is logged',
    JOURNEY,
    async ({ page, server }) => {
      const team = await server.createTeam('Leeds employment team');
      const ada = await createTeamMember(server, team.id, 'Ada Lovelace');
      await referSomeone(server, ada, { givenName: 'Sam', familyName: 'Okafor' }, londonDay(server, -10));
      const priya = await referSomeone(server, ada, { givenName: 'Priya', familyName: 'Patel' }, londonDay(server, -2));
      await logContactAt(server, ada, priya, { day: londonDay(server, -1), time: '10:00', purpose: 'engagement' });
      await signInWithCookie(page, server, ada);

      await page.goto(`${server.url}/`);
      await new HomePage(page, 'Ada Lovelace').verifyOnPage();
      await followNavigation(page, 'My caseload');
      const caseload = await new CaseloadPage(page).verifyOnPage();
      expect(await caseload.caseloadSize()).toBe('2 of 20 people on your caseload');
      // Whoever needs attention comes first.
      expect(await caseload.names()).toEqual(['Sam Okafor', 'Priya Patel']);
      expect((await caseload.needsAttentionLink().innerText()).trim()).toBe('1 person needs attention');
      const sam = await caseload.read('Sam Okafor');
      expect(sam.alerts).toEqual([
        'Referred 10 days ago and not contacted yet (the target is 7 days). Log the first contact for Sam Okafor',
      ]);
      expect((await caseload.read('Priya Patel')).alerts).toEqual([]);

      // The alert's own link opens the contact form; saving clears the alert.
      await Promise.all([
        page.waitForEvent('load'),
        caseload.card('Sam Okafor').getByRole('link', { name: 'Log the first contact for Sam Okafor' }).click(),
      ]);
      const form = await new ContactFormPage(page, 'Sam Okafor').verifyOnPage();
      await form.save();
      await new TimelinePage(page, 'Sam Okafor').verifyOnPage();

      await followNavigation(page, 'My caseload');
      await caseload.verifyOnPage();
      expect((await caseload.read('Sam Okafor')).alerts).toEqual([]);
      expect((await caseload.read('Sam Okafor')).lastContact).toMatch(/\(today\)$/);
      expect(await caseload.needsAttentionLink().count()).toBe(0);
    },
  );

  test('the team dashboard shows a manager each practitioner’s figures', JOURNEY, async ({ page, server }) => {
    const team = await server.createTeam('Leeds employment team');
    await createTeamMember(server, team.id, 'Grace Hopper', 'manager').then((grace) => signInWithCookie(page, server, grace));
    const ada = await createTeamMember(server, team.id, 'Ada Lovelace');
    const mary = await createTeamMember(server, team.id, 'Mary Seacole');
    const sam = await referSomeone(server, ada, { givenName: 'Sam', familyName: 'Okafor' }, londonDay(server, -16));
    // Four contacts in the last four weeks: two face to face, one out of hours, two with employers.
    await logContactAt(server, ada, sam, { day: workingDay(server, -10), time: '10:00', purpose: 'engagement' });
    await logContactAt(server, ada, sam, { day: londonDay(server, -8), time: '19:30', purpose: 'job_search', mode: 'phone' });
    await logContactAt(server, ada, sam, {
      day: workingDay(server, -4),
      time: '11:00',
      purpose: 'employer_contact',
      place: 'workplace',
    });
    await logContactAt(server, ada, sam, {
      day: workingDay(server, -2),
      time: '15:00',
      purpose: 'employer_contact',
      mode: 'phone',
      place: 'remote',
    });
    // Mary's referral has waited 20 days with no contact at all.
    await referSomeone(server, mary, { givenName: 'Priya', familyName: 'Patel' }, londonDay(server, -20));

    await page.goto(`${server.url}/`);
    await new HomePage(page, 'Grace Hopper').verifyOnPage();
    await followNavigation(page, 'Team dashboard');
    const dashboard = await new TeamDashboardPage(page).verifyOnPage();
    expect(await dashboard.rows()).toEqual([
      {
        practitioner: 'Ada Lovelace',
        caseload: '1 of 20',
        contactsPerWeek: '1.0',
        faceToFace: '50%',
        outOfHours: '25%',
        employerContactsPerWeek: '0.5',
        notSeen: '0',
      },
      {
        practitioner: 'Mary Seacole',
        caseload: '1 of 20',
        contactsPerWeek: '0.0',
        faceToFace: 'No contacts',
        outOfHours: 'No contacts',
        employerContactsPerWeek: '0.0',
        notSeen: '1',
      },
      {
        practitioner: 'Team total',
        caseload: '2 of 40',
        contactsPerWeek: '1.0',
        faceToFace: '50%',
        outOfHours: '25%',
        employerContactsPerWeek: '0.5',
        notSeen: '1',
      },
    ]);
  });
});
