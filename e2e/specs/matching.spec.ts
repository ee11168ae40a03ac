import { SYSTEM_CONTEXT } from '../../src/audit/service.ts';
import * as profiles from '../../src/profiles/service.ts';
import { EmployerFormPage, EmployerPage, EmployersPage } from '../pages/employers.page.ts';
import { MatchBoardPage, PersonMatchesPage } from '../pages/matching.page.ts';
import { ParticipantPage } from '../pages/participant.page.ts';
import { VacancyFormPage, VacancyPage } from '../pages/vacancies.page.ts';
import { NARROW } from '../support/browser.ts';
import { describe, expect, JOURNEY, test } from '../support/fixtures.ts';
import { referSomeone } from '../support/records.ts';
import { signInWithCookie } from '../support/session.ts';
import { createTeamMember } from '../support/users.ts';

describe('job matching', () => {
  test(
    'on a 360 px phone, a practitioner adds an employer and a vacancy, matches a person to it and moves the match to applied',
    JOURNEY,
    async ({ page, server }) => {
      const team = await server.createTeam('Leeds employment team');
      const ada = await createTeamMember(server, team.id, 'Ada Lovelace');
      const samId = await referSomeone(server, ada, { givenName: 'Sam', familyName: 'Okafor' });
      // Sam wants kitchen work, up to 20 hours, on weekdays.
      await profiles.saveProfile(
        server.db,
        server.deps,
        SYSTEM_CONTEXT,
        { userId: ada.id, role: ada.role, teamId: ada.teamId },
        samId,
        0,
        {
          occupations: ['Kitchen work'],
          hours_per_week_min: 10,
          hours_per_week_max: 20,
          days: ['mon', 'tue', 'wed', 'thu', 'fri'],
        },
      );
      await page.setViewportSize(NARROW);
      await signInWithCookie(page, server, ada);

      await page.goto(`${server.url}/employers`);
      await (await new EmployersPage(page).verifyOnPage()).addEmployer();
      const employerForm = await new EmployerFormPage(page).verifyOnPage();
      await employerForm.fill({ name: 'Green Leaf Cafe', type: 'Other employer', sector: 'Hospitality' });
      await employerForm.save();
      await new EmployerPage(page, 'Green Leaf Cafe').verifyOnPage();

      await page.goto(`${server.url}/vacancies/new`);
      const vacancyForm = await new VacancyFormPage(page).verifyOnPage();
      await vacancyForm.fill({
        employer: 'Green Leaf Cafe',
        title: 'Kitchen assistant',
        hoursPerWeek: '16',
        days: ['Monday', 'Wednesday', 'Friday'],
        hourlyPay: '12.80',
        closingDate: '2099-01-31',
      });
      await vacancyForm.save();
      await new VacancyPage(page, 'Kitchen assistant').verifyOnPage();

      await page.goto(`${server.url}/participants/${samId}`);
      const participant = await new ParticipantPage(page, 'Sam Okafor').verifyOnPage();
      await participant.openMatches();
      const matches = await new PersonMatchesPage(page, 'Sam Okafor').verifyOnPage();
      expect(await matches.rankedTitles()).toEqual(['Kitchen assistant']);
      const reasons = await matches.rankedReasons('Kitchen assistant');
      expect(reasons).toContain('What fits');
      expect(reasons).toMatch(/16 hours/);

      await matches.addToMatches('Kitchen assistant');
      await matches.verifyOnPage();
      expect(await matches.stageOf('Kitchen assistant')).toBe('Suggested');

      await matches.moveTo('Kitchen assistant', 'Applied');
      await matches.verifyOnPage();
      expect(await matches.stageOf('Kitchen assistant')).toBe('Applied');

      await page.goto(`${server.url}/matches`);
      const board = await new MatchBoardPage(page).verifyOnPage();
      expect(await board.cardsIn('Applied')).toEqual([expect.stringContaining('Sam Okafor Kitchen assistant Green Leaf Cafe')]);
      expect(await board.cardsIn('Suggested')).toEqual([]);
    },
  );
});
