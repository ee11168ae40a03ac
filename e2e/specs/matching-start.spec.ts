import { SYSTEM_CONTEXT } from '../../src/audit/service.ts';
import * as employers from '../../src/employers/service.ts';
import * as matching from '../../src/matching/service.ts';
import * as profiles from '../../src/profiles/service.ts';
import * as vacancies from '../../src/vacancies/service.ts';
import { PeopleForVacancyPage, StartJobPage } from '../pages/matching-start.page.ts';
import { MatchBoardPage, PersonMatchesPage } from '../pages/matching.page.ts';
import { NARROW } from '../support/browser.ts';
import { describe, expect, JOURNEY, test } from '../support/fixtures.ts';
import { moveStatus, referSomeone } from '../support/records.ts';
import { signInWithCookie } from '../support/session.ts';
import { createTeamMember } from '../support/users.ts';

describe('job matching: people for a vacancy, and starting the job', () => {
  test(
    'on a 360 px phone, a practitioner sees who a vacancy suits, then records that the person offered it has started',
    JOURNEY,
    async ({ page, server }) => {
      const team = await server.createTeam('Leeds employment team');
      const ada = await createTeamMember(server, team.id, 'Ada Lovelace');
      const asAda = { userId: ada.id, role: ada.role, teamId: ada.teamId };
      const grace = await referSomeone(server, ada, { givenName: 'Grace', familyName: 'Hopper' });
      await moveStatus(server, ada, grace, 'engaged');
      await moveStatus(server, ada, grace, 'job_search');
      await profiles.saveProfile(server.db, server.deps, SYSTEM_CONTEXT, asAda, grace, 0, {
        occupations: ['kitchen'],
        times: ['evenings'],
      });
      const alan = await referSomeone(server, ada, { givenName: 'Alan', familyName: 'Turing' });
      await profiles.saveProfile(server.db, server.deps, SYSTEM_CONTEXT, asAda, alan, 0, { occupations: ['accounts'] });
      const employer = await employers.createEmployer(server.db, server.deps, SYSTEM_CONTEXT, asAda, {
        name: 'Leeds Teaching Hospitals',
        type: 'host',
      });
      const vacancy = await vacancies.createVacancy(server.db, server.deps, SYSTEM_CONTEXT, asAda, {
        employerId: employer.id,
        title: 'Evening kitchen porter',
        times: ['evenings'],
        hoursPerWeek: 16,
        foundVia: 'advertised',
      });
      await page.setViewportSize(NARROW);
      await signInWithCookie(page, server, ada);

      await page.goto(`${server.url}/vacancies/${vacancy.id}/people`);
      const people = await new PeopleForVacancyPage(page, 'Evening kitchen porter').verifyOnPage();
      expect(await people.names()).toEqual(['Grace Hopper', 'Alan Turing']);
      expect(await people.cardOf('Alan Turing')).toContain('Not the kind of work they asked for (accounts)');

      // Grace applied and was offered the job (through the service), then tells Ada she starts.
      const m = await matching.createMatch(server.db, server.deps, SYSTEM_CONTEXT, asAda, grace, vacancy.id);
      for (const [version, stage] of [
        [1, 'applied'],
        [2, 'offer'],
      ] as const) {
        await server.db
          .transaction()
          .execute((trx) => matching.moveStage(trx, server.deps, SYSTEM_CONTEXT, asAda, grace, m.id, version, stage));
      }
      await page.goto(`${server.url}/participants/${grace}/matches`);
      const matches = await new PersonMatchesPage(page, 'Grace Hopper').verifyOnPage();
      await matches.moveTo('Evening kitchen porter', 'Started');
      const start = await new StartJobPage(page).verifyOnPage();
      await start.confirm();
      await matches.verifyOnPage();
      expect(await matches.stageOf('Evening kitchen porter')).toBe('Started');
      expect(await matches.banner()).toContain('their status is now employed');

      await page.goto(`${server.url}/matches`);
      const board = await new MatchBoardPage(page).verifyOnPage();
      expect(await board.cardsIn('Started')).toEqual([expect.stringContaining('Grace Hopper Evening kitchen porter')]);
    },
  );
});
