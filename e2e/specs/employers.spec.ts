import {
  EmployerContactDeletePage,
  EmployerContactFormPage,
  EmployerFormPage,
  EmployerPage,
  EmployerPartFormPage,
  EmployersPage,
} from '../pages/employers.page.ts';
import { NARROW } from '../support/browser.ts';
import { describe, expect, JOURNEY, test } from '../support/fixtures.ts';
import { referSomeone } from '../support/records.ts';
import { signInWithCookie } from '../support/session.ts';
import { createTeamMember } from '../support/users.ts';

describe('employers and the employer contact log', () => {
  test(
    'on a 360 px phone, a practitioner adds an employer, is stopped from adding it twice, records its people and sites, and logs, changes and deletes a contact',
    JOURNEY,
    async ({ page, server }) => {
      const team = await server.createTeam('Leeds employment team');
      const ada = await createTeamMember(server, team.id, 'Ada Lovelace');
      await referSomeone(server, ada, { givenName: 'Sam', familyName: 'Okafor' });
      await page.setViewportSize(NARROW);
      await signInWithCookie(page, server, ada);

      await page.goto(`${server.url}/employers`);
      const list = await new EmployersPage(page).verifyOnPage();
      expect(await list.names()).toEqual([]);

      await list.addEmployer();
      const form = await new EmployerFormPage(page).verifyOnPage();
      await form.fill({ name: 'Green Leaf Cafe', type: 'Other employer', sector: 'Hospitality' });
      await form.save();
      const employer = await new EmployerPage(page, 'Green Leaf Cafe').verifyOnPage();
      expect(await employer.banner()).toContain('Employer added');
      expect(await employer.stage()).toBe('Prospect');

      // The same organisation typed another way is refused, naming the one already recorded.
      await page.goto(`${server.url}/employers/new`);
      const again = await new EmployerFormPage(page).verifyOnPage();
      await again.fill({ name: 'The GREEN LEAF CAFÉ Ltd', type: 'Other employer' });
      await again.save();
      await again.verifyOnPage();
      expect(await again.fieldError('name')).toContain('Green Leaf Cafe is already recorded');

      await page.goto(`${server.url}/employers`);
      await (await new EmployersPage(page).verifyOnPage()).open('Green Leaf Cafe');
      await employer.follow(/^Add a person/);
      const person = await new EmployerPartFormPage(page, 'Add a person').verifyOnPage();
      await person.fill({ Name: 'Priya Shah', 'Job title (optional)': 'Owner', 'Phone (optional)': '0113 496 0000' });
      await person.save();
      await employer.verifyOnPage();

      await employer.follow('Add a site');
      const site = await new EmployerPartFormPage(page, 'Add a site').verifyOnPage();
      await site.fill({ 'Name of the site': 'Market Street', Latitude: '53.7997', Longitude: '-1.5492' });
      await site.save();
      await employer.follow('Add a department');
      const department = await new EmployerPartFormPage(page, 'Add a department').verifyOnPage();
      await department.fill({ 'Name of the department': 'Kitchen' });
      await department.save();
      await employer.verifyOnPage();

      await employer.follow(/^Log a contact/);
      const contact = await new EmployerContactFormPage(page).verifyOnPage();
      await contact.fill({
        who: 'Priya Shah (Owner)',
        purpose: 'Introduce the service',
        outcome: 'Hires for the summer in April',
      });
      await contact.save();
      await employer.verifyOnPage();
      expect(await employer.banner()).toContain('has moved from Prospect to Contacted');
      expect(await employer.stage()).toBe('Contacted');

      await employer.follow(/^Change the contact/);
      const change = await new EmployerContactFormPage(page, 'Change an employer contact').verifyOnPage();
      await change.fill({ outcome: 'Hires for the summer in March' });
      await change.save();
      await employer.verifyOnPage();
      expect(await employer.banner()).toContain('Contact changed');

      await employer.follow(/^Delete the contact/);
      await (await new EmployerContactDeletePage(page).verifyOnPage()).confirm('Logged against the wrong employer');
      await employer.verifyOnPage();
      expect(await employer.banner()).toContain('Contact deleted');

      await employer.follow(/^Change details/);
      await new EmployerFormPage(page, 'Change employer details').verifyOnPage();

      // From the list: the employer is typed, and an unknown one is a message with a way to add it.
      await page.goto(`${server.url}/employer-contacts/new`);
      const typed = await new EmployerContactFormPage(page).verifyOnPage();
      await typed.fill({ employer: 'Bakery Bros', purpose: 'Introduce the service' });
      await typed.save();
      await typed.verifyOnPage();
      expect(await typed.fieldError('employer_name')).toContain('No employer called Bakery Bros is recorded');
    },
  );
});
