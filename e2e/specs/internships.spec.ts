import { SYSTEM_CONTEXT } from '../../src/audit/service.ts';
import * as employers from '../../src/employers/service.ts';
import * as cohorts from '../../src/internships/service.ts';
import * as participants from '../../src/participants/service.ts';
import { InternshipPage } from '../pages/internships.page.ts';
import { NARROW } from '../support/browser.ts';
import { describe, expect, JOURNEY, test } from '../support/fixtures.ts';
import { londonDay } from '../support/records.ts';
import { signInWithCookie } from '../support/session.ts';
import { createTeamMember } from '../support/users.ts';

describe('supported internships', () => {
  test(
    'on a 360 px phone, a tutor plans rotations for a small cohort, records a rotation review, graduates an intern into a host job and hands over to the follow-on coach',
    JOURNEY,
    async ({ page, server }) => {
      const interns = await server.createTeam('Hospital interns team');
      const followOn = await server.createTeam('Follow-on job coaching');
      const tutor = await createTeamMember(server, interns.id, 'Tara Tutor');
      const coach = await createTeamMember(server, followOn.id, 'Cora Coach');
      const v = { userId: tutor.id, role: tutor.role, teamId: interns.id };
      const { db, deps } = server;
      const host = await employers.createEmployer(db, deps, SYSTEM_CONTEXT, v, { name: 'City Hospital', type: 'host' });
      const jimmys = await employers.saveSite(db, deps, SYSTEM_CONTEXT, v, host.id, null, { name: 'St James’s' });
      const lgi = await employers.saveSite(db, deps, SYSTEM_CONTEXT, v, host.id, null, { name: 'General Infirmary' });
      for (const [name, site] of [
        ['Pharmacy', jimmys],
        ['Catering', lgi],
        ['Estates', lgi],
      ] as const) {
        const d = await employers.saveDepartment(db, deps, SYSTEM_CONTEXT, v, host.id, null, { name, siteId: site.id });
        await db.updateTable('employer_departments').set({ intern_capacity: 1 }).where('id', '=', d.id).execute();
      }
      const start = londonDay(server, -200);
      const cohort = await cohorts.createCohort(db, deps, SYSTEM_CONTEXT, v, {
        name: 'City Hospital interns',
        programmeYear: '2026/27',
        hostEmployerId: host.id,
        teamId: interns.id,
        tutorUserId: tutor.id,
        educationProvider: 'City College',
        startDate: start,
        endDate: londonDay(server, 100),
        notes: null,
      });
      await cohorts.setCoachesAndSites(db, deps, SYSTEM_CONTEXT, v, cohort.id, [], [jimmys.id, lgi.id]);
      const people: Record<string, string> = {};
      for (const [given, family] of [
        ['Sam', 'Okafor'],
        ['Priya', 'Shah'],
      ] as const) {
        const { participant } = await participants.createParticipant(
          db,
          deps,
          SYSTEM_CONTEXT,
          v,
          { givenName: given, familyName: family, programme: 'internship', dateOfBirth: '2005-03-01' },
          { allowDuplicates: true },
        );
        await participants.changeStatus(db, deps, SYSTEM_CONTEXT, v, participant.id, participant.version, 'engaged');
        await cohorts.addIntern(db, deps, SYSTEM_CONTEXT, v, cohort.id, { participantId: participant.id, ehcPlan: true });
        people[`${given} ${family}`] = participant.id;
      }

      await page.setViewportSize(NARROW);
      await signInWithCookie(page, server, tutor);
      await page.goto(`${server.url}/cohorts`);
      await (await new InternshipPage(page, 'Supported internship cohorts').verifyOnPage()).follow('City Hospital interns');

      // The rotation plan: three rotations splitting the year, as suggested.
      await (await new InternshipPage(page, 'City Hospital interns').verifyOnPage()).follow('Plan rotations');
      await (await new InternshipPage(page, 'Plan rotations').verifyOnPage()).press('Save the rotation plan');
      await new InternshipPage(page, 'Plan rotations').verifyOnPage();

      // The grid: a clash first (both in Pharmacy, which takes one), then a plan that fits.
      await page.goto(`${server.url}/cohorts/${cohort.id}/grid`);
      let grid = await new InternshipPage(page, 'Rotation grid').verifyOnPage();
      const plan: [string, RegExp[]][] = [
        ['Sam Okafor', [/^Pharmacy/, /^Catering/, /^Estates/]],
        ['Priya Shah', [/^Pharmacy/, /^Estates/, /^Catering/]],
      ];
      for (const [name, departments] of plan) for (const [i, d] of departments.entries()) await grid.place(name, i + 1, d);
      await grid.press('Save the grid');
      grid = await new InternshipPage(page, 'Rotation grid').verifyOnPage();
      expect(await grid.text()).toMatch(/Pharmacy \(St James’s\) has 2 interns in rotation 1 but takes 1/);
      await grid.place('Priya Shah', 1, /^Catering/);
      await grid.place('Priya Shah', 3, /^Pharmacy/);
      await grid.press('Save the grid');
      grid = await new InternshipPage(page, 'Rotation grid').verifyOnPage();
      expect(await grid.text()).toContain('No clashes');

      // Sam's review at the end of rotation 1, in plain words and in their own.
      await page.goto(`${server.url}/cohorts/${cohort.id}`);
      await (await new InternshipPage(page, 'City Hospital interns').verifyOnPage()).follow('Sam Okafor');
      let intern = await new InternshipPage(page, 'Sam Okafor').verifyOnPage();
      await intern.follow(/Record progress for rotation 1/);
      const progress = await new InternshipPage(page, 'Rotation 1 progress').verifyOnPage();
      await page.getByLabel('Date of the review').fill(londonDay(server, -120));
      await page.getByLabel('What went well').fill('Restocked the shelves on time every day.');
      await page.getByLabel('What to work on next').fill('Asking for help when the order list is unclear.');
      await page.getByLabel(/said/).first().fill('I like the pharmacy team.');
      await progress.press('Save progress');
      await new InternshipPage(page, 'Rotation 1 progress').verifyOnPage();
      expect(await page.getByLabel(/said/).first().inputValue()).toBe('I like the pharmacy team.');

      // Graduation into a host job that meets the programme outcome (derived, not typed).
      await page.goto(`${server.url}/cohorts/${cohort.id}`);
      await (await new InternshipPage(page, 'City Hospital interns').verifyOnPage()).follow('Sam Okafor');
      intern = await new InternshipPage(page, 'Sam Okafor').verifyOnPage();
      expect(await intern.text()).toMatch(/Pharmacy, St James’s .*review written/);
      await intern.follow('Record graduation');
      const graduation = await new InternshipPage(page, 'Record graduation').verifyOnPage();
      await page.getByLabel('They finished the internship (graduated)').check();
      await page.getByLabel('Date they finished or left').fill(londonDay(server, -1));
      await page.getByLabel('Employed by the host organisation').check();
      await page.getByLabel('Job title').fill('Pharmacy assistant');
      await page.getByLabel('Job start date').fill(londonDay(server, 7));
      await page.getByLabel('Hours a week').fill('16');
      await page.getByLabel('Hourly pay').fill('12.71');
      await page.getByRole('group', { name: 'Is the job seasonal?' }).getByLabel('No').check();
      await page
        .getByRole('group', { name: /alongside colleagues/ })
        .getByLabel('Yes')
        .check();
      await graduation.press('Save graduation');
      const graduated = await new InternshipPage(page, 'Graduation and outcome').verifyOnPage();
      expect(await graduated.text()).toContain('This job meets the programme outcome');

      // The hand-over: one step, to the follow-on coach.
      await page.goto(
        `${server.url}/cohorts/${cohort.id}/interns/${(await cohorts.internsOf(db, v, cohort.id)).find((i) => i.participantId === people['Sam Okafor'])!.id}`,
      );
      await (await new InternshipPage(page, 'Sam Okafor').verifyOnPage()).follow('Start follow-on support');
      const handOver = await new InternshipPage(page, 'Start follow-on support').verifyOnPage();
      await page.getByLabel('Follow-on job coach').selectOption({ label: 'Cora Coach (Follow-on job coaching)' });
      await handOver.press('Start follow-on support');
      const done = await new InternshipPage(page, 'Follow-on support started').verifyOnPage();
      expect(await done.text()).toContain('Cora Coach now supports them');

      // The follow-on coach sees the whole internship on the person's timeline.
      await page.context().clearCookies();
      await signInWithCookie(page, server, coach);
      await page.goto(`${server.url}/participants/${people['Sam Okafor']}/timeline`);
      const timeline = await new InternshipPage(page, /Timeline/).verifyOnPage();
      expect(await timeline.text()).toContain('Internship rotation 1: Pharmacy');
    },
  );
});
