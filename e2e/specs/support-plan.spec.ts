import { ContactFormPage } from '../pages/contact-form.page.ts';
import { SupportPlanFormPage, SupportPlanPage, SupportReviewPage } from '../pages/support-plan.page.ts';
import { NARROW } from '../support/browser.ts';
import { describe, expect, JOURNEY, test } from '../support/fixtures.ts';
import { referSomeone, startJobFor } from '../support/records.ts';
import { signInWithCookie } from '../support/session.ts';
import { createTeamMember } from '../support/users.ts';

describe('support plan', () => {
  test(
    'on a 360 px phone, a practitioner writes a support plan, records the person’s choice to reduce support at the review, and logs a contact for the job',
    JOURNEY,
    async ({ page, server }) => {
      const team = await server.createTeam('Leeds employment team');
      const ada = await createTeamMember(server, team.id, 'Ada Lovelace');
      const personId = await referSomeone(server, ada, { givenName: 'Sam', familyName: 'Okafor' });
      // Started nine months ago less a week: the first review (9 months on) is due within two weeks.
      const jobId = await startJobFor(server, ada, personId, {
        employer: 'Leeds General Infirmary',
        employerType: 'host',
        title: 'Porter',
        daysAgo: 266,
      });
      await page.setViewportSize(NARROW);
      await signInWithCookie(page, server, ada);

      await page.goto(`${server.url}/placements/${jobId}/support-plan`);
      const empty = await new SupportPlanPage(page).verifyOnPage();
      expect(await empty.text()).toContain('No support plan yet');
      await empty.writePlan();

      const form = await new SupportPlanFormPage(page).verifyOnPage();
      await form.fill({
        coach: 'Check in every Friday and teach the new linen round.',
        employer: 'Rota, leave and supervision.',
        frequency: 'Weekly',
        adjustments: 'Later start on Mondays.',
        fading: 'Fortnightly from the spring if all is well.',
      });
      await form.save();

      const plan = await new SupportPlanPage(page).verifyOnPage();
      expect(await plan.fact('How often we are in touch')).toBe('Weekly');
      expect(await plan.text()).toContain('Support review due');
      await plan.recordReview();

      const review = await new SupportReviewPage(page).verifyOnPage();
      await review.decide('Reduce support', 'Sam feels settled and wants less contact.');
      await review.save();

      const reduced = await new SupportPlanPage(page).verifyOnPage();
      expect(await reduced.fact('Support')).toBe('Reduced');
      expect(await reduced.fact('How often we are in touch')).toBe('Fortnightly');
      expect(await reduced.text()).toContain('Reduce support');
      await reduced.logContact();

      const contact = await new ContactFormPage(page, 'Sam Okafor').verifyOnPage();
      expect((await contact.values()).purpose).toBe('In-work support');
      await contact.save();

      await page.goto(`${server.url}/placements/${jobId}/support-plan`);
      const withContact = await new SupportPlanPage(page).verifyOnPage();
      expect(await withContact.text()).not.toContain('No contacts have been logged against this job yet');
    },
  );
});
