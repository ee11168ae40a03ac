import { AppointmentFormPage } from '../pages/appointment-form.page.ts';
import { AppointmentPage } from '../pages/appointment.page.ts';
import { followNavigation } from '../pages/navigation.ts';
import { PersonAppointmentsPage } from '../pages/person-appointments.page.ts';
import { TimelinePage } from '../pages/timeline.page.ts';
import { WeekPage } from '../pages/week.page.ts';
import { describe, expect, JOURNEY, test } from '../support/fixtures.ts';
import { londonDay, referSomeone } from '../support/records.ts';
import { signInWithCookie } from '../support/session.ts';
import { createTeamMember } from '../support/users.ts';

describe('appointments', () => {
  test(
    'an appointment planned through the form shows on the week view, and marking it attended logs the contact in one step',
    JOURNEY,
    async ({ page, server }) => {
      const team = await server.createTeam('Leeds employment team');
      const ada = await createTeamMember(server, team.id, 'Ada Lovelace');
      const sam = await referSomeone(server, ada, { givenName: 'Sam', familyName: 'Okafor' });
      await signInWithCookie(page, server, ada);

      await page.goto(`${server.url}/participants/${sam}/appointments`);
      const appointments = await new PersonAppointmentsPage(page, 'Sam Okafor').verifyOnPage();
      await appointments.planAppointment();
      const form = await new AppointmentFormPage(page, 'Sam Okafor').verifyOnPage();
      // Today is always in this week, whatever day of the week it is.
      await form.fill({
        date: londonDay(server),
        time: '14:00',
        durationMinutes: '45',
        where: 'In the community',
        placeDetail: 'Central Library café',
        purpose: 'Job search',
      });
      await form.submit();
      await appointments.verifyOnPage();
      expect((await appointments.successBanner.innerText()).trim()).toContain('Appointment planned');

      await followNavigation(page, 'My week');
      const week = await new WeekPage(page).verifyOnPage();
      const planned = await week.appointments();
      expect(planned).toHaveLength(1);
      expect(planned[0]?.day).toMatch(/\(today\)$/);
      expect(planned[0]?.time).toBe('14:00 to 14:45');
      expect(planned[0]?.text).toContain('Sam Okafor');
      expect(planned[0]?.text).toContain('Community (Central Library café)');
      expect(planned[0]?.text).toContain('Planned');

      // Attended: one button logs the contact, and it is on Sam's timeline.
      await week.open('14:00 to 14:45');
      const appointment = await new AppointmentPage(page, 'Sam Okafor').verifyOnPage();
      expect(await appointment.status()).toBe('Planned');
      await appointment.markAttended();
      const timeline = await new TimelinePage(page, 'Sam Okafor').verifyOnPage();
      expect((await timeline.successBanner.innerText()).trim()).toContain('Contact logged');
      const contact = (await timeline.entries()).find((e) => e.heading === 'Contact: Job search');
      expect(contact?.text).toContain('45 minutes. Face to face, Community (for example a café or library).');
    },
  );
});
